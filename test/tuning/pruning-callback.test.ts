import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createStudy, intParam, MedianPruner, PruningCallback } from "../../src/tuning/index.js";
import type { TrainContext } from "../../src/training/callback.js";

/** A stand-in for the training loop: runs epochs with given val_loss values through the callback. */
function fakeTrain(cb: PruningCallback, losses: number[]): { epochsRun: number; reason: string | null } {
  let stopped: string | null = null;
  const ctx = { stop: (r: string) => (stopped = r), get stopRequested() { return stopped !== null; } } as unknown as TrainContext;
  cb.onTrainBegin();
  let e = 0;
  for (; e < losses.length && stopped === null; e++) cb.onEpochEnd(ctx, e, { loss: 0, val_loss: losses[e] as number });
  return { epochsRun: e, reason: stopped };
}

describe("pruning callback", () => {
  it("reports val_loss each epoch and stops a trial worse than the median", async () => {
    const study = await createStudy({ space: { a: intParam(0, 9) }, sampler: "random", pruner: new MedianPruner({ nStartupTrials: 2 }) });
    const curves = [[4, 3, 2, 1], [4, 3, 2, 1], [4, 3.5, 3.2, 3]];
    const runs: { epochsRun: number; reason: string | null }[] = [];
    let i = 0;
    await study.optimize((trial) => {
      const cb = new PruningCallback(trial);
      const curve = curves[i++] as number[];
      runs.push(fakeTrain(cb, curve));
      cb.throwIfPruned();
      return curve[curve.length - 1] as number;
    }, { nTrials: 3 });
    // third trial: step 0 ties the median (4 ≤ 4, kept), step 1: 3.5 > 3 → pruned after epoch 1
    assert.deepEqual(runs.map((r) => r.epochsRun), [4, 4, 2]);
    assert.match(runs[2]?.reason ?? "", /pruned .* epoch 1 \(val_loss = 3\.5\)/);
    assert.deepEqual(study.trials.map((t) => t.state), ["complete", "complete", "pruned"]);
    assert.deepEqual(study.trials[2]?.intermediate, { 0: 4, 1: 3.5 });
    assert.equal(study.trials[2]?.value, 3.5);
  });

  it("names the missing log key, failing the trial and stopping the study with that error", async () => {
    const study = await createStudy({ space: { a: intParam(0, 1) }, sampler: "random" });
    const run = study.optimize((trial) => {
      new PruningCallback(trial, { monitor: "val_mae" }).step(0, { loss: 1 });
      return 0;
    }, { nTrials: 3 });
    await assert.rejects(run, /"val_mae" is not in the epoch logs \(keys: loss\)/);
    assert.equal(study.trials.length, 1);
    assert.match(study.trials[0]?.error ?? "", /"val_mae" is not in the epoch logs \(keys: loss\)/);
  });
});

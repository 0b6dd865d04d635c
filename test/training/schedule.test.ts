import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { schedule, type ScheduleConfig } from "../../src/training/schedule.js";
import { ReduceOnPlateau } from "../../src/training/reduce-on-plateau.js";
import { train } from "../../src/training/train.js";
import { ConfigError } from "../../src/errors.js";
import { linear, regressionData } from "./helpers.js";

const B = 0.1;
const close = (a: readonly number[], b: readonly number[], tol = 1e-12) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) <= tol * Math.max(1, Math.abs(b[i] as number)), `epoch ${i}: ${v} vs ${b[i]}`));
};

/** Runs a tiny model for `epochs` epochs and returns history.lr. */
async function lrsOf(s: ScheduleConfig, epochs: number): Promise<number[]> {
  const { x, y } = regressionData(8);
  const h = await train(linear(3, [0.1, 0.2, 0.3]), { x, y }, { epochs, batchSize: 8, optimizer: "sgd", learningRate: B, schedule: s, progress: "silent", seed: 1 });
  tf.dispose([x, y]);
  return h.lr;
}

describe("learning-rate schedules", () => {
  before(async () => {
    await ready();
  });

  it("records the constant rate every epoch", async () => {
    close(await lrsOf({ kind: "constant" }, 3), [B, B, B]);
  });

  it("decays exponentially: base · rate^(epoch / decayEpochs), and by whole steps with staircase", async () => {
    close(await lrsOf({ kind: "exponential", decayRate: 0.5, decayEpochs: 2 }, 5), [B, B * Math.SQRT1_2, B * 0.5, B * 0.5 * Math.SQRT1_2, B * 0.25]);
    close([0, 1, 2, 3, 4].map((e) => schedule({ kind: "exponential", decayRate: 0.5, decayEpochs: 2, staircase: true }, B, e)), [B, B, B / 2, B / 2, B / 4]);
  });

  it("drops by gamma every stepEpochs epochs", async () => {
    close(await lrsOf({ kind: "step", stepEpochs: 2, gamma: 0.1 }, 5), [B, B, B * 0.1, B * 0.1, B * 0.01]);
  });

  it("follows a half cosine to minLr and stays there without restarts", async () => {
    // (1 + cos(π e / 4)) / 2 for e = 0..4 is 1, 0.8536, 0.5, 0.1464, 0; then it stays at minLr.
    const m = 0.01;
    const want = [1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0, 0].map((f) => m + (B - m) * f);
    close(await lrsOf({ kind: "cosine", periodEpochs: 4, minLr: m }, 6), want);
  });

  it("restarts the cosine with cycles of 2, 4, 8 epochs (SGDR)", () => {
    const got = [0, 1, 2, 3, 4, 5, 6].map((e) => schedule({ kind: "cosine", periodEpochs: 2, restarts: true, periodMult: 2 }, B, e));
    const want = [1, 0.5, 1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 1].map((f) => B * f);
    close(got, want);
  });

  it("warms up linearly from startFactor · base, then starts the schedule at its own epoch 0", async () => {
    // warm-up 2 epochs from 0.1·B: 0.1B, 0.55B; then step decay counted from epoch 2.
    close(await lrsOf({ kind: "step", stepEpochs: 2, gamma: 0.5, warmupEpochs: 2, warmupStartFactor: 0.1 }, 6), [0.1 * B, 0.55 * B, B, B, B / 2, B / 2]);
  });

  it("changes the rate inside an epoch with per: batch", () => {
    assert.equal(schedule({ kind: "exponential", decayRate: 0.25, per: "batch" }, 1, 0.5), 0.5);
  });

  it("reduces on plateau after `patience` epochs without improvement", async () => {
    // minDelta so large that nothing counts as improvement after the first epoch:
    // wait reaches patience 1 at epochs 1, 2, 3 → the next epoch's rate halves each time.
    close(await lrsOf({ kind: "reduceOnPlateau", monitor: "loss", patience: 1, factor: 0.5, minDelta: 1e9 }, 5), [B, B, B / 2, B / 4, B / 8]);
  });

  it("waits out the cooldown and never goes below minLr (Keras ReduceLROnPlateau rules)", () => {
    const p = new ReduceOnPlateau({ patience: 2, factor: 0.5, cooldown: 2, minLr: 0.03, minDelta: 0 }, "val_loss");
    const lrs: number[] = [];
    for (const v of [1, 1, 1, 1, 1, 1, 1, 0.5, 1]) {
      p.update(v);
      lrs.push(p.lr(0.1));
    }
    // e0 best=1; e1 wait 1; e2 wait 2 → 0.05, cooldown 2; e3 cooldown 2→1, not counted; e4 cooldown 1→0,
    // counted: wait 1; e5 wait 2 → 0.025, floored at 0.03; e7's 0.5 improves but the rate stays.
    close(lrs, [0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03]);
  });

  it("uses the scheduled rate in the update itself (SGD on y = w·x, worked by hand)", async () => {
    // One sample x=1, y=0, loss w², gradient 2w: w ← w − lr_e · 2w, lr_e = 0.1 · 0.5^e.
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 1, inputShape: [1], useBias: false }));
    m.setWeights([tf.tensor2d([[1]])]);
    const x = tf.tensor2d([[1]]), y = tf.tensor2d([[0]]);
    await train(m, { x, y }, { epochs: 3, batchSize: 1, optimizer: "sgd", learningRate: 0.1, schedule: { kind: "exponential", decayRate: 0.5 }, progress: "silent" });
    const want = [0.1, 0.05, 0.025].reduce((w, lr) => w - lr * 2 * w, 1);
    assert.ok(Math.abs((m.getWeights()[0]?.dataSync()[0] as number) - want) < 1e-6);
    tf.dispose([x, y]);
  });

  it("rejects bad schedule fields naming the field and value", async () => {
    const { x, y } = regressionData(4);
    await assert.rejects(
      train(linear(3, [0, 0, 0]), { x, y }, { schedule: { kind: "step", stepEpochs: 0 }, progress: "silent" }),
      (e: Error) => e instanceof ConfigError && /`schedule.stepEpochs` must be a positive number, got 0./.test(e.message),
    );
    await assert.rejects(train(linear(3, [0, 0, 0]), { x, y }, { schedule: { kind: "cosne" } as unknown as ScheduleConfig, progress: "silent" }), /Unknown schedule.kind "cosne"/);
    tf.dispose([x, y]);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../../src/errors.js";
import { categoricalParam, createStudy, floatParam, intParam, MedianPruner, space, TrialPruned } from "../../src/tuning/index.js";

const xs = space({ x: floatParam(-4, 4), k: intParam(0, 3) });

describe("study", () => {
  it("runs nTrials trials and reports the best by hand-checkable value", async () => {
    const study = await createStudy({ space: xs, sampler: "random", seed: 4 });
    const r = await study.optimize((t) => (t.params.x - 1) ** 2 + t.params.k, { nTrials: 12 });
    assert.equal(r.stopReason, "nTrials");
    assert.equal(study.trials.length, 12);
    const values = study.trials.map((t) => (t.params.x - 1) ** 2 + t.params.k);
    assert.equal(study.bestValue, Math.min(...values));
    assert.deepEqual(study.bestParams, study.trials[values.indexOf(Math.min(...values))]?.params);
  });

  it("maximises when asked", async () => {
    const study = await createStudy({ space: xs, sampler: "random", direction: "maximize" });
    await study.optimize((t) => t.params.x, { nTrials: 8 });
    assert.equal(study.bestValue, Math.max(...study.trials.map((t) => t.params.x)));
  });

  it("records a pruned trial with its last reported value", async () => {
    const study = await createStudy({ space: xs, sampler: "random", pruner: new MedianPruner({ nStartupTrials: 2 }) });
    const curves = [[5, 4, 3], [5, 4, 3], [9, 8, 7]];
    let i = 0;
    await study.optimize((trial) => {
      const curve = curves[i++] as number[];
      for (let step = 0; step < curve.length; step++) {
        trial.report(step, curve[step] as number);
        if (trial.shouldPrune()) throw new TrialPruned();
      }
      return curve[curve.length - 1] as number;
    }, { nTrials: 3 });
    assert.deepEqual(study.trials.map((t) => t.state), ["complete", "complete", "pruned"]);
    assert.equal(study.trials[2]?.value, 9); // pruned at step 0: 9 > median 5
    assert.deepEqual(study.trials[2]?.intermediate, { 0: 9 });
  });

  it("stops at once with a zero time budget and keeps the study", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    const r = await study.optimize(() => 1, { timeoutSeconds: 0 });
    assert.equal(r.stopReason, "timeout");
    assert.equal(study.trials.length, 0);
    await study.optimize(() => 1, { nTrials: 2 });
    assert.equal(study.trials.length, 2);
  });

  it("stops when the grid is exhausted and says so", async () => {
    const study = await createStudy({ space: { a: intParam(0, 2), b: categoricalParam(["x", "y"]) }, sampler: "grid" });
    const r = await study.optimize(() => 1, { nTrials: 10 });
    assert.equal(r.stopReason, "exhausted");
    assert.match(r.message, /grid is exhausted/);
    assert.equal(study.trials.length, 6);
    assert.equal(new Set(study.trials.map((t) => JSON.stringify(t.params))).size, 6);
  });

  it("supports define-by-run objectives with trial.suggest*", async () => {
    const study = await createStudy({ sampler: "random", seed: 2 });
    await study.optimize((t) => {
      const layers = t.suggestInt("layers", 1, 2);
      const u2 = layers === 2 ? t.suggestInt("units2", 8, 32, { step: 8 }) : 0;
      const opt = t.suggestCategorical("opt", ["adam", "sgd"]);
      const lr = t.suggestFloat("lr", 1e-4, 1e-1, { log: true });
      return lr + u2 + (opt === "adam" ? 0 : 1);
    }, { nTrials: 10 });
    for (const t of study.trials) {
      assert.equal("units2" in t.params, t.params.layers === 2);
      assert.ok((t.params.lr as number) >= 1e-4 && (t.params.lr as number) <= 0.1);
      assert.equal(t.distributions.lr?.kind, "float");
    }
  });

  it("refuses a suggestion that contradicts the declared space", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    await assert.rejects(study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 }), ConfigError);
    assert.equal(study.trials[0]?.state, "fail");
    assert.match(study.trials[0]?.error ?? "", /"x" is declared as float \[-4, 4\] but suggested as float \[0, 1\]/);
  });

  it("gives the same trials for the same seed", async () => {
    const a = await createStudy({ space: xs, sampler: "random", seed: 7 });
    const b = await createStudy({ space: xs, sampler: "random", seed: 7 });
    await a.optimize(() => 0, { nTrials: 4 });
    await b.optimize(() => 0, { nTrials: 4 });
    assert.deepEqual(a.trials.map((t) => t.params), b.trials.map((t) => t.params));
  });

  it("lists trials as an arquero table with param, duration, error and user columns", async () => {
    const study = await createStudy({ space: xs, sampler: "random" });
    await study.optimize((t) => {
      t.setUserAttr("cv_std", 0.5);
      t.setUserAttr("folds", [1, 2]);
      return 3;
    }, { nTrials: 2 });
    const table = study.trialsTable();
    assert.deepEqual(table.columnNames(), ["number", "state", "value", "param_x", "param_k", "duration_s", "error", "user_cv_std"]);
    assert.equal(table.numRows(), 2);
    assert.deepEqual(table.array("value"), [3, 3]);
    assert.deepEqual(study.trials[0]?.userAttrs, { cv_std: 0.5, folds: [1, 2] });
  });

  it("rejects bad budgets and bad options with the value in the message", async () => {
    const study = await createStudy({ space: xs });
    await assert.rejects(study.optimize(() => 1, { nTrials: 0 }), (e: Error) => e instanceof ConfigError && /nTrials.*0/.test(e.message));
    await assert.rejects(study.optimize(() => 1), /needs a budget/);
    await assert.rejects((await createStudy({ sampler: "grid" })).optimize(() => 1, { nTrials: 1 }), /grid sampler needs a declared space/);
    assert.throws(() => study.bestTrial, /no completed trial/);
  });
});

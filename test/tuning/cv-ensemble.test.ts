import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { timeSeriesFolds, kFold, type Fold } from "../../src/data/folds.js";
import { ConfigError, DataError } from "../../src/errors.js";
import { createStudy, ensemble, floatParam, intParam, modelObjective, refit, space } from "../../src/tuning/index.js";

const arr = (a: Int32Array) => Array.from(a);

describe("folds given to modelObjective", () => {
  it("are rolling-origin time-series folds like scikit-learn's TimeSeriesSplit", () => {
    // n = 10, 3 folds → test block size 10 // 4 = 2, test blocks start at 4, 6, 8
    const f = timeSeriesFolds(10, { folds: 3 });
    assert.deepEqual(f.map((x) => [x.index, arr(x.train), arr(x.test)]), [
      [0, [0, 1, 2, 3], [4, 5]],
      [1, [0, 1, 2, 3, 4, 5], [6, 7]],
      [2, [0, 1, 2, 3, 4, 5, 6, 7], [8, 9]],
    ]);
    assert.deepEqual(arr((timeSeriesFolds(10, { folds: 3, gap: 1 })[0] as Fold).train), [0, 1, 2]);
  });

  it("are k-fold splits with the first n % k folds one larger when not shuffled", () => {
    const f = kFold(7, { k: 3, shuffle: false });
    assert.deepEqual(f.map((x) => arr(x.test)), [[0, 1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(arr((f[1] as Fold).train), [0, 1, 2, 5, 6]);
    const shuffled = kFold(7, { k: 3, seed: 1 });
    assert.deepEqual(shuffled.flatMap((x) => arr(x.test)).sort(), [0, 1, 2, 3, 4, 5, 6]);
  });

  it("refuses folds that cannot be made, naming the counts", () => {
    assert.throws(() => timeSeriesFolds(3, { folds: 5 }), (e: Error) => e instanceof DataError && /3 rows are too few for 5 folds/.test(e.message));
    assert.throws(() => kFold(3, { k: 4 }), (e: Error) => e instanceof DataError && /`k` \(4\) is larger than the number of rows \(3\)/.test(e.message));
  });
});

describe("model objective", () => {
  it("averages fold scores and stores mean ± sample std", async () => {
    // "model" = a constant c; score = MSE of c on the fold's validation targets
    const y = [1, 2, 3, 4, 5, 6];
    const splits = timeSeriesFolds(6, { folds: 2 }); // test blocks [2, 3] and [4, 5]
    const objective = modelObjective({
      build: (p) => ({ c: p.c as number }),
      fit: (m, { split }) => {
        const v = Array.from(split?.test ?? []).map((i) => y[i] as number);
        return v.reduce((a, t) => a + (t - m.c) ** 2, 0) / v.length;
      },
      splits,
    });
    const study = await createStudy({ space: { c: intParam(4, 4) }, sampler: "random" });
    await study.optimize(objective, { nTrials: 1 });
    const t = study.trials[0];
    // c = 4: fold 0 targets 3, 4 → (1 + 0)/2 = 0.5; fold 1 targets 5, 6 → (1 + 4)/2 = 2.5
    assert.deepEqual(t?.userAttrs.cv_scores, [0.5, 2.5]);
    assert.equal(t?.value, 1.5);
    assert.equal(t?.userAttrs.cv_mean, 1.5);
    assert.ok(Math.abs((t?.userAttrs.cv_std as number) - Math.SQRT2) < 1e-12); // sample std of {0.5, 2.5}
  });

  it("fails a trial whose fold scores NaN and goes on, but stops on a fold that returns no number", async () => {
    // trial k's "model" is c = k; fold f scores c + f, except trial 1's fold 1 (NaN) and trial 2 (no number)
    const objective = modelObjective({
      build: (_p, { trial }) => ({ c: trial.number }),
      fit: (m, { fold }) => (m.c === 1 && fold === 1 ? NaN : m.c === 2 ? (undefined as unknown as number) : m.c + fold),
      folds: 2,
    });
    const study = await createStudy({ space: { a: intParam(0, 0) }, sampler: "random" });
    await assert.rejects(study.optimize(objective, { nTrials: 5 }), (e: Error) => e instanceof ConfigError && /`fit` returned undefined for fold 0/.test(e.message));
    assert.deepEqual(study.trials.map((t) => [t.state, t.value]), [["complete", 0.5], ["fail", null], ["fail", null]]);
    assert.equal(study.trials[1]?.error, "NumericError: `fit` returned NaN for fold 1 (scores so far: [1]).");
  });

  it("tunes a tiny tf.layers model end to end without leaking tensors", async () => {
    await ready();
    const x = tf.tensor2d([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], [10, 1]);
    const yT = tf.tensor2d([1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4, 2.6, 2.8], [10, 1]); // y = 2x + 1
    const before = tf.memory().numTensors;
    const objective = modelObjective<tf.Sequential>({
      build: (p) => {
        const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "zeros" })] });
        m.compile({ optimizer: tf.train.sgd(p.lr as number), loss: "meanSquaredError" });
        return m;
      },
      fit: async (m, { params }) => {
        const h = await m.fit(x, yT, { epochs: params.epochs as number, batchSize: 10, validationData: [x, yT], verbose: 0 });
        return (h.history.val_loss as number[]).at(-1) as number;
      },
    });
    const study = await createStudy({ space: space({ lr: floatParam(0.05, 0.5, { log: true }), epochs: intParam(3, 6) }), sampler: "random", seed: 1 });
    await study.optimize(objective, { nTrials: 3 });
    assert.deepEqual(study.trials.map((t) => t.state), ["complete", "complete", "complete"]);
    // a zero model predicts 0: MSE = mean(y²) = 4.28; any trained trial must do better
    const zeroMse = [1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.4, 2.6, 2.8].reduce((a, v) => a + v * v, 0) / 10;
    assert.ok(study.bestValue < zeroMse, `best ${study.bestValue} vs ${zeroMse}`);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, yT]);
  });
});

describe("refit", () => {
  it("trains the best trial's parameters again", async () => {
    const study = await createStudy({ space: { a: intParam(0, 5) }, sampler: "grid" });
    await study.optimize((t) => (t.params.a - 3) ** 2, { nTrials: 6 });
    const r = await refit(study, (p) => `model(a=${p.a})`);
    assert.deepEqual(r.params, { a: 3 });
    assert.equal(r.model, "model(a=3)");
    assert.equal(r.trial?.value, 0);
    const fromParams = await refit({ a: 1 }, (p) => p.a);
    assert.equal(fromParams.model, 1);
  });
});

describe("ensemble", () => {
  const c = (v: number[]) => (_x: tf.Tensor) => tf.tensor1d(v);
  const members = [c([1, 2]), c([3, 2]), c([5, 8])];

  it("averages members and reports their spread", async () => {
    await ready();
    const before = tf.memory().numTensors;
    const x = tf.zeros([2]);
    const p = ensemble(members).predict(x);
    // column 0: 1, 3, 5 → mean 3, population std √(8/3); column 1: 2, 2, 8 → mean 4, std √8
    assert.deepEqual(Array.from(p.mean.dataSync()), [3, 4]);
    const std = Array.from(p.std.dataSync());
    assert.ok(Math.abs((std[0] as number) - Math.sqrt(8 / 3)) < 1e-5 && Math.abs((std[1] as number) - Math.sqrt(8)) < 1e-5);
    assert.deepEqual(Array.from(p.min.dataSync()), [1, 2]);
    assert.deepEqual(Array.from(p.max.dataSync()), [5, 8]);
    p.dispose();
    x.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("weights members by inverse validation loss", () => {
    // losses 1, 2, 4 → raw 1, 0.5, 0.25 → weights 4/7, 2/7, 1/7
    const e = ensemble(members, { weights: "validation", scores: [1, 2, 4] });
    assert.deepEqual(e.weights.map((w) => Number(w.toFixed(12))), [4 / 7, 2 / 7, 1 / 7].map((w) => Number(w.toFixed(12))));
    const x = tf.zeros([2]);
    const p = e.predict(x);
    // column 0: (4·1 + 2·3 + 1·5)/7 = 15/7
    assert.ok(Math.abs((p.mean.dataSync()[0] as number) - 15 / 7) < 1e-5);
    p.dispose();
    x.dispose();
  });

  it("evaluates each member against the ensemble", () => {
    const x = tf.zeros([2]);
    const y = tf.tensor1d([3, 4]);
    const t = ensemble(members, { names: ["a", "b", "c"] }).evaluate(x, y, "mse");
    // a: ((1−3)² + (2−4)²)/2 = 4; b: (0 + 4)/2 = 2; c: (4 + 16)/2 = 10; ensemble (3, 4): 0
    assert.deepEqual(t.array("model"), ["a", "b", "c", "ensemble"]);
    assert.deepEqual(Array.from(t.array("mse") as ArrayLike<number>), [4, 2, 10, 0]);
    tf.dispose([x, y]);
  });

  it("averages the per-output RMSEs of several outputs, as rmse() and scikit-learn do", () => {
    const two = (v: number[][]) => (_x: tf.Tensor) => tf.tensor2d(v);
    // rows of 2 outputs; y is all zeros
    const m = [two([[1, 10], [1, 10]]), two([[3, 0], [3, 0]])];
    const x = tf.zeros([2, 1]);
    const y = tf.zeros([2, 2]);
    const before = tf.memory().numTensors;
    const t = ensemble(m, { names: ["a", "b"] }).evaluate(x, y, "rmse");
    // a: per-output RMSEs 1 and 10 → 5.5 (the pooled value would be √50.5 ≈ 7.106)
    // b: 3 and 0 → 1.5; ensemble mean (2, 5): 2 and 5 → 3.5
    assert.deepEqual(Array.from(t.array("rmse") as ArrayLike<number>), [5.5, 1.5, 3.5]);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
  });

  it("rejects bad weights and missing scores with the value", () => {
    assert.throws(() => ensemble(members, { weights: "validation" }), /needs `scores`/);
    assert.throws(() => ensemble(members, { weights: [1, -1, 1] }), /weights\[1\].*-1/);
    assert.throws(() => ensemble(members, { weights: "best" as never }), /Unknown weights "best"/);
    assert.throws(() => ensemble([]), /members/);
  });
});

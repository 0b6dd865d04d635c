import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError, DataError } from "../../src/errors.js";
import { quantilesOf } from "../../src/eval/quantile-table.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { predict } from "../../src/eval/predict.js";
import { predictInterval } from "../../src/eval/predict-interval.js";
import { buildModel } from "../../src/models/build-model.js";
import { buildSeq2Seq } from "../../src/models/build-seq2seq.js";
import { KeyedDropout } from "../../src/models/keyed-dropout.js";

const near = (a: number, b: number, tol = 1e-4, what = "") => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);
/** Original units = 10 × scaled + 5, for every target. */
const inverse = (v: Float64Array) => v.map((x) => 10 * x + 5);

describe("predict with a probabilistic head", () => {
  before(async () => {
    await ready();
  });

  it("gives one column per output and quantile level, inverse-scaled, in ascending order", () => {
    const m = buildModel({ inputShape: [4, 1], units: 3, outputs: 2, quantiles: [0.025, 0.5, 0.9], seed: 3 });
    const x = tf.randomNormal([5, 4, 1], 0, 1, "float32", 2);
    const raw = (m.predict(x) as tf.Tensor).arraySync() as number[][][];
    const t = predict(m, x, { inverse, targets: ["load"] });
    assert.deepEqual(t.columnNames(), ["load_h1_q2_5", "load_h1_q50", "load_h1_q90", "load_h2_q2_5", "load_h2_q50", "load_h2_q90"]);
    const col = (n: string) => Array.from(t.array(n) as ArrayLike<number>);
    // quantilesOf reads one output's columns back as the fan takes them, levels ascending.
    const q2 = quantilesOf(t, "load_h2");
    assert.deepEqual(q2.map((q) => q.level), [0.025, 0.5, 0.9]);
    assert.deepEqual(q2[2]?.values, col("load_h2_q90"));
    assert.throws(() => quantilesOf(t, "load_h3"), (e: Error) => e instanceof DataError && /no quantile columns for output "load_h3"/.test(e.message));
    raw.forEach((r, i) => {
      near(col("load_h1_q2_5")[i] as number, 10 * (r[0]![0] as number) + 5, 1e-4);
      near(col("load_h2_q90")[i] as number, 10 * (r[1]![2] as number) + 5, 1e-4);
      assert.ok((col("load_h2_q2_5")[i] as number) < (col("load_h2_q50")[i] as number) && (col("load_h2_q50")[i] as number) < (col("load_h2_q90")[i] as number));
    });
    x.dispose();
  });

  it("gives a normal head's mean and standard deviation, or its quantiles, in original units", () => {
    const m = buildModel({ inputShape: [4, 1], units: 3, distribution: "normal", seed: 3 });
    const x = tf.randomNormal([3, 4, 1], 0, 1, "float32", 2);
    const raw = (m.predict(x) as tf.Tensor).arraySync() as number[][][];
    const t = predict(m, x, { inverse });
    assert.deepEqual(t.columnNames(), ["y_mean", "y_std"]);
    const q = predict(m, x, { inverse, quantiles: [0.1, 0.9] });
    assert.deepEqual(q.columnNames(), ["y_q10", "y_q90"]);
    raw.forEach((r, i) => {
      const [mu, sigma] = r[0] as [number, number];
      near((t.array("y_mean") as ArrayLike<number>)[i] as number, 10 * mu + 5);
      near((t.array("y_std") as ArrayLike<number>)[i] as number, 10 * sigma);
      // z(0.9) = 1.2815516
      near((q.array("y_q10") as ArrayLike<number>)[i] as number, 10 * (mu - 1.2815516 * sigma) + 5);
      near((q.array("y_q90") as ArrayLike<number>)[i] as number, 10 * (mu + 1.2815516 * sigma) + 5);
    });
    assert.throws(() => predict(m, x, { quantiles: [0.9, 0.1] }), /`quantiles` must be strictly ascending/);
    const point = buildModel({ inputShape: [4, 1], units: 3, seed: 3 });
    assert.throws(() => predict(point, x, { quantiles: [0.1, 0.9] }), (e: Error) => e instanceof ConfigError && /predictInterval/.test(e.message));
    x.dispose();
  });
});

describe("evaluate on a probabilistic model", () => {
  before(async () => {
    await ready();
  });

  it("scores a quantile model's median and a normal model's mean with the point metrics", () => {
    const x = tf.randomNormal([6, 4, 1], 0, 1, "float32", 2);
    const y = [[1, 2], [0, 1], [3, 1], [2, 2], [0, 0], [1, 5]];
    const q = buildModel({ inputShape: [4, 1], units: 3, outputs: 2, quantiles: [0.1, 0.5, 0.9], seed: 3 });
    const raw = (q.predict(x) as tf.Tensor).arraySync() as number[][][];
    // MAE by hand over the q50 values (index 1 of each output's levels), averaged over the two outputs.
    const maeQ = [0, 1].map((c) => raw.reduce((s, r, i) => s + Math.abs((y[i]![c] as number) - (r[c]![1] as number)), 0) / 6);
    near(evaluate(q, x, y, { metrics: ["mae"] })["mae"] as number, (maeQ[0]! + maeQ[1]!) / 2, 1e-5);
    const g = buildModel({ inputShape: [4, 1], units: 3, outputs: 2, distribution: "normal", seed: 3 });
    const rawG = (g.predict(x) as tf.Tensor).arraySync() as number[][][];
    const maeG = [0, 1].map((c) => rawG.reduce((s, r, i) => s + Math.abs((y[i]![c] as number) - (r[c]![0] as number)), 0) / 6);
    near(evaluate(g, x, y, { metrics: ["mae"] })["mae"] as number, (maeG[0]! + maeG[1]!) / 2, 1e-5);
    const noMedian = buildModel({ inputShape: [4, 1], units: 3, outputs: 2, quantiles: [0.1, 0.9], seed: 3 });
    assert.throws(() => evaluate(noMedian, x, y, { metrics: ["mae"] }), (e: Error) => e instanceof ConfigError && /score the median, which quantiles \[0.1,0.9\] do not include/.test(e.message));
    x.dispose();
  });
});

describe("predictInterval (MC dropout)", () => {
  before(async () => {
    await ready();
  });

  /** ones(4) → dropout 0.5 → sum with weight 1: each pass gives 2 × Binomial(4, ½) (inverted dropout scales kept values by 2). */
  function binomialModel(): tf.LayersModel {
    const input = tf.input({ shape: [4] });
    const dropped = new KeyedDropout({ rate: 0.5, seed: 9 }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, useBias: false, kernelInitializer: "ones" }).apply(dropped) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  }

  it("gives the quantiles of 2 × Binomial(4, ½): 2, 4 and 6 at 10%, 50% and 90%", () => {
    // P(K ≤ 0) = 1/16, P(K ≤ 1) = 5/16, P(K ≤ 2) = 11/16, P(K ≤ 3) = 15/16: quantiles K = 1, 2, 3.
    const x = tf.ones([3, 4]);
    const t = predictInterval(binomialModel(), x, { samples: 1000, seed: 1 });
    assert.deepEqual(t.columnNames(), ["y_q10", "y_q50", "y_q90"]);
    assert.deepEqual(Array.from(t.array("y_q10") as ArrayLike<number>), [2, 2, 2]);
    assert.deepEqual(Array.from(t.array("y_q50") as ArrayLike<number>), [4, 4, 4]);
    assert.deepEqual(Array.from(t.array("y_q90") as ArrayLike<number>), [6, 6, 6]);
    x.dispose();
  });

  it("repeats for the same seed, differs for another, and draws different masks for every sample", () => {
    const m = buildModel({ inputShape: [6, 2], units: 8, dropout: 0.3, recurrentDropout: 0.2, outputs: 2, seed: 5 });
    const x = tf.randomNormal([7, 6, 2], 0, 1, "float32", 4);
    const a = predictInterval(m, x, { samples: 30, seed: 11, inverse, targets: ["v"] });
    const b = predictInterval(m, x, { samples: 30, seed: 11, inverse, targets: ["v"] });
    const c = predictInterval(m, x, { samples: 30, seed: 12, inverse, targets: ["v"] });
    assert.deepEqual(a.objects(), b.objects());
    assert.notDeepEqual(a.objects(), c.objects());
    const lo = Array.from(a.array("v_h1_q10") as ArrayLike<number>), hi = Array.from(a.array("v_h1_q90") as ArrayLike<number>);
    lo.forEach((v, i) => assert.ok(v < (hi[i] as number), `row ${i}: ${v} !< ${hi[i]}`));
    x.dispose();
  });

  it("refuses a model without dropout, a probabilistic model, and bad levels", () => {
    const x = tf.randomNormal([2, 6, 2], 0, 1, "float32", 4);
    const plain = buildModel({ inputShape: [6, 2], units: 4, seed: 5 });
    assert.throws(() => predictInterval(plain, x, { samples: 5, seed: 1 }), (e: Error) => e instanceof ConfigError && /needs dropout/.test(e.message));
    const q = buildModel({ inputShape: [6, 2], units: 4, dropout: 0.2, quantiles: [0.1, 0.9], seed: 5 });
    assert.throws(() => predictInterval(q, x, { samples: 5, seed: 1 }), /use predict\(\)/);
    assert.throws(() => predictInterval(plain, x, { quantiles: [0.5, 1] }), /`quantiles\[1\]`.*got 1/);
    x.dispose();
  });
});

describe("predict on a buildSeq2Seq quantile model", () => {
  before(async () => {
    await ready();
  });

  it("reads the levels from the model's DistributionHead, so columns are named and the median is scored", () => {
    const m = buildSeq2Seq({ lookback: 5, inputs: 1, horizon: 2, units: 4, quantiles: [0.1, 0.5, 0.9], seed: 1 });
    const x = tf.randomNormal([3, 5, 1], 0, 1, "float32", 3);
    const raw = (m.predict(x) as tf.Tensor).arraySync() as number[][][];
    const t = predict(m, x, { targets: ["v"] });
    assert.deepEqual(t.columnNames(), ["v_h1_q10", "v_h1_q50", "v_h1_q90", "v_h2_q10", "v_h2_q50", "v_h2_q90"]);
    near((t.array("v_h2_q50") as ArrayLike<number>)[1] as number, raw[1]![1]![1] as number, 1e-6);
    const y = [[0, 0], [0, 0], [0, 0]];
    const byHand = raw.reduce((s, r) => s + Math.abs(r[0]![1] as number) + Math.abs(r[1]![1] as number), 0) / 6;
    near(evaluate(m, x, y, { metrics: ["mae"], multioutput: "pooled" })["mae"] as number, byHand, 1e-6);
    x.dispose();
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { persistence } from "../../src/eval/persistence.js";
import { seasonalNaive } from "../../src/eval/seasonal-naive.js";
import { fitLinear } from "../../src/eval/linear-baseline.js";
import { fitMlp } from "../../src/eval/mlp-baseline.js";
import { buildBaseline } from "../../src/models/build-baseline.js";
import { compareModels } from "../../src/eval/compare-models.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { predict } from "../../src/eval/predict.js";
import { ConfigError, ShapeError } from "../../src/errors.js";
import * as aq from "arquero";
import { splitWindows } from "../../src/data/split-windows.js";

/** Windows of a series s: x[i] = s[i .. i+L-1] as one feature, y[i] = s[i+L .. i+L+H-1]. */
function windows(s: number[], L: number, H: number) {
  const n = s.length - L - H + 1;
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    x.push(...s.slice(i, i + L));
    y.push(...s.slice(i + L, i + L + H));
  }
  return { x: tf.tensor3d(x, [n, L, 1]), y: tf.tensor2d(y, [n, H]) };
}

describe("baselines", () => {
  before(async () => {
    await ready();
  });

  it("persistence repeats each target's last value across the horizon", () => {
    // 2 windows, lookback 3, features [a, b]; target b (index 1), horizon 2.
    const x = tf.tensor3d([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60], [2, 3, 2]);
    assert.deepEqual(persistence(x, { targetIndex: 1, outputs: 2 }), [[30, 30], [60, 60]]);
    assert.throws(() => persistence(x, { targetIndex: 2 }), (e: Error) => e instanceof ShapeError && /`targetIndex\[0\]` is 2 but windows have 2 features/.test(e.message));
    x.dispose();
  });

  it("seasonal naive reads the value one season before each step: ŷ(t+h) = y(t+h-s·⌈h/s⌉)", () => {
    // lookback 4 (values 1..4, t at 4), season 2: h1 → 3, h2 → 4, h3 → 3.
    const x = tf.tensor3d([1, 2, 3, 4], [1, 4, 1]);
    assert.deepEqual(seasonalNaive(x, 2, { outputs: 3 }), [[3, 4, 3]]);
    assert.throws(() => seasonalNaive(x, 5), (e: Error) => e instanceof ConfigError && /`season` 5 is longer than the lookback 4/.test(e.message));
    x.dispose();
  });

  it("the linear baseline recovers exact linear dynamics: y = 2·s(t) - s(t-1) + 0.5", () => {
    const s = [1, 0.3];
    for (let i = 2; i < 30; i++) s.push(Math.sin(i * 1.7));
    const x: number[] = [], y: number[] = [];
    for (let i = 1; i < 29; i++) {
      x.push(s[i - 1]!, s[i]!);
      y.push(2 * s[i]! - s[i - 1]! + 0.5);
    }
    const xt = tf.tensor3d(x, [28, 2, 1]), yt = tf.tensor2d(y, [28, 1]);
    const lin = fitLinear(xt, yt);
    const c = lin.coefficients.map((r) => r[0]!);
    [-1, 2, 0.5].forEach((want, i) => assert.ok(Math.abs(c[i]! - want) < 1e-6, `coefficient ${i}: ${c[i]}`));
    tf.dispose([xt, yt]);
  });

  it("compares models and baselines on the same split in one table, in original units", async () => {
    // Series alternating 0, 1 (season 2). Persistence is always off by 1; seasonal naive is exact.
    const s = Array.from({ length: 24 }, (_, i) => i % 2);
    const train = windows(s.slice(0, 16), 4, 1), test = windows(s.slice(12), 4, 1);
    const oracle = Array.from(test.y.dataSync());
    const table = await compareModels(
      { train, test },
      { oracle, meanGuess: oracle.map(() => 0.5) },
      { season: 2, metrics: ["mae", "rmse"], inverse: (v) => v.map((z) => 10 * z + 3) },
    );
    assert.deepEqual(table.array("model"), ["oracle", "meanGuess", "persistence", "seasonalNaive", "linear"]);
    assert.deepEqual(table.array("kind"), ["model", "model", "baseline", "baseline", "baseline"]);
    const mae = table.array("mae") as number[];
    // ×10 in original units: meanGuess off by 0.5 → 5; persistence off by 1 → 10.
    assert.deepEqual(mae.slice(0, 4), [0, 5, 10, 0]);
    assert.ok(mae[4]! < 1e-6, `linear fits the alternation exactly, got ${mae[4]}`);
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
  });

  it("scores several outputs by the mean of their RMSEs, or pooled when asked", async () => {
    // Horizon 2; a forecast off by 1 at step 1 and by 3 at step 2: RMSEs 1 and 3, mean 2; pooled sqrt((1 + 9) / 2).
    const s = Array.from({ length: 20 }, (_, i) => i);
    const train = windows(s.slice(0, 12), 4, 2), test = windows(s.slice(8), 4, 2);
    const off = (test.y.arraySync() as number[][]).map(([a, b]) => [a! + 1, b! - 3]);
    const split = { train, test };
    const mean = await compareModels(split, { off }, { baselines: [], metrics: ["rmse", "mae"] });
    assert.deepEqual([mean.get("rmse", 0), mean.get("mae", 0)], [2, 2]);
    const pooled = await compareModels(split, { off }, { baselines: [], metrics: ["rmse", "mae"], multioutput: "pooled" });
    assert.deepEqual([pooled.get("rmse", 0), pooled.get("mae", 0)], [Math.sqrt(5), 2]);
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
  });

  it("fits buildBaseline's MLP: the same layers and parameter count as buildBaseline with one hidden layer", async () => {
    const s = Array.from({ length: 30 }, (_, i) => Math.sin(i));
    const { x, y } = windows(s, 4, 2);
    const mlp = await fitMlp(x, y, { hidden: 5, epochs: 1, seed: 2 });
    const built = buildBaseline({ kind: "mlp", inputShape: [4, 1], outputs: 2, hidden: [5], seed: 2 });
    assert.deepEqual(mlp.model.layers.map((l) => l.getClassName()), built.layers.map((l) => l.getClassName()));
    assert.equal(mlp.model.countParams(), 4 * 5 + 5 + 5 * 2 + 2);
    assert.equal(built.countParams(), mlp.model.countParams());
    mlp.dispose();
    built.dispose();
    tf.dispose([x, y]);
  });

  it("trains the MLP baseline without leaking tensors and beats persistence on an alternating series", async () => {
    const s = Array.from({ length: 60 }, (_, i) => (i % 2) + 0.1 * Math.sin(i));
    const { x, y } = windows(s, 4, 1);
    const before = tf.memory().numTensors;
    const mlp = await fitMlp(x, y, { hidden: 8, epochs: 60, seed: 1, learningRate: 0.02 });
    const pred = mlp.predict(x).map((r) => r[0]!);
    mlp.dispose();
    assert.equal(tf.memory().numTensors, before);
    const truth = Array.from(y.dataSync());
    const persist = persistence(x).map((r) => r[0]!);
    const err = (p: number[]) => p.reduce((a, v, i) => a + Math.abs(v - truth[i]!), 0) / p.length;
    assert.ok(err(pred) < err(persist) / 2, `mlp ${err(pred)} vs persistence ${err(persist)}`);
    tf.dispose([x, y]);
  });
});

describe("predict and evaluate", () => {
  const model = () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 2, inputShape: [1] }));
    m.setWeights([tf.tensor2d([[2, -1]]), tf.tensor1d([1, 0])]); // outputs 2x+1 and -x
    return m;
  };

  it("returns a table with timestamps and one column per horizon step, inverse-scaled", () => {
    const m = model();
    const x = tf.tensor2d([[0], [1], [2]]);
    const scalerLike = { inverseArray: (v: ArrayLike<number>, cols: readonly string[]) => (assert.deepEqual(cols, ["temp"]), Array.from(v, (z) => z * 10)) };
    const t = predict(m, x, { inverse: scalerLike, targets: ["temp"], timestamps: ["2024-01-01", "2024-01-02", "2024-01-03"] });
    assert.deepEqual(t.columnNames(), ["timestamp", "temp_h1", "temp_h2"]);
    assert.deepEqual(Array.from(t.array("temp_h1") as ArrayLike<number>), [10, 30, 50]);
    assert.deepEqual(Array.from(t.array("temp_h2") as ArrayLike<number>, (v) => v + 0), [0, -10, -20]);
    assert.throws(() => predict(m, x, { timestamps: [1, 2] }), /`timestamps` has 2 values but there are 3 predictions/);
    tf.dispose([x]);
    m.dispose();
  });

  it("names two targets' outputs after the targets for a one-step horizon", () => {
    const m = model();
    const x = tf.tensor2d([[1]]);
    assert.deepEqual(predict(m, x, { targets: ["a", "b"] }).columnNames(), ["a", "b"]);
    x.dispose();
    m.dispose();
  });

  it("evaluates a model against targets with the chosen metrics", () => {
    const m = model();
    const x = tf.tensor2d([[0], [1]]);
    // predictions [[1, 0], [3, -1]] vs targets [[1, 1], [2, -1]]: errors 0, 1, 1, 0.
    const s = evaluate(m, x, [[1, 1], [2, -1]], { metrics: ["mae", "mse", "rmse"] });
    assert.deepEqual(s, { mae: 0.5, mse: 0.5, rmse: Math.sqrt(0.5) });
    assert.throws(() => evaluate(m, x, [[1, 1], [2, -1]], { metrics: ["maa" as "mae"] }), /Unknown metric "maa"/);
    // targets [[1, 2], [3, -1]]: output 0 is exact (RMSE 0), output 1 errs by 2 then 0 (RMSE sqrt(2)),
    // so the mean of the per-output RMSEs is sqrt(2) / 2 (the pooled value would be 1).
    assert.deepEqual(evaluate(m, x, [[1, 2], [3, -1]], { metrics: ["rmse"] }), { rmse: Math.SQRT2 / 2 });
    assert.deepEqual(evaluate(m, x, [[1, 2], [3, -1]], { metrics: ["rmse"], multioutput: "pooled" }), { rmse: 1 });
    x.dispose();
    m.dispose();
  });

  it("evaluates one part of a split as the x, y form does: the errors 0, 1, 1, 0 worked above", () => {
    const m = model();
    const part = { x: tf.tensor2d([[0], [1]]), y: tf.tensor2d([[1, 1], [2, -1]]) };
    assert.deepEqual(evaluate(m, part, { metrics: ["mae", "mse"] }), { mae: 0.5, mse: 0.5 });
    assert.deepEqual(evaluate(m, part), evaluate(m, part.x, part.y));
    tf.dispose([part.x, part.y]);
    m.dispose();
  });

  it("takes what splitWindows returns straight into compareModels and evaluate, no repacking", async () => {
    // Series alternating 0, 1: persistence is off by 1 on every window, seasonal naive (season 2) exact.
    const s = Float64Array.from({ length: 30 }, (_, i) => i % 2);
    const table = aq.table({ s });
    const w = splitWindows({ train: table.slice(0, 18), val: table.slice(18, 24), test: table.slice(20) }, { features: ["s"], targets: ["s"], lookback: 4 });
    const t = await compareModels(w, {}, { season: 2, baselines: ["persistence", "seasonalNaive"], metrics: ["mae"] });
    assert.deepEqual(t.array("mae"), [1, 0]);
    const last = tf.sequential();
    last.add(tf.layers.flatten({ inputShape: [4, 1] }));
    last.add(tf.layers.dense({ units: 1, useBias: false, weights: [tf.tensor2d([[0], [0], [0], [1]])] }));
    // The last input value is persistence: off by 1 on each of the 6 test windows.
    assert.deepEqual(evaluate(last, w.test, { metrics: ["mae"] }), { mae: 1 });
    for (const part of Object.values(w)) part.dispose();
    last.dispose();
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError } from "../../src/errors.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coverage } from "../../src/eval/metrics.js";
import { predict } from "../../src/eval/predict.js";
import { buildModel } from "../../src/models/build-model.js";
import { loadModel } from "../../src/models/load-model.js";
import { saveModel } from "../../src/models/save-model.js";
import { Rng } from "../../src/rng.js";
import { gaussianNll, pinballLoss, resolveLoss } from "../../src/training/loss.js";
import { train } from "../../src/training/train.js";

const close = (a: number, b: number, tol = 1e-5, what = "") => assert.ok(Math.abs(a - b) < tol, `${what} ${a} vs ${b}`);

/** Windows of an AR(1) series s_t = 0.8 s_{t-1} + ε, ε ~ N(0, 1): given the window, the next value is N(0.8 s_last, 1). */
function ar1(n: number, lookback: number, seed: number) {
  const rng = new Rng(seed);
  const s: number[] = [0];
  for (let t = 1; t < n + lookback; t++) s.push(0.8 * (s[t - 1] as number) + rng.normal());
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < lookback; k++) xs.push(s[i + k] as number);
    ys.push(s[i + lookback] as number);
  }
  return { x: tf.tensor3d(xs, [n, lookback, 1]), y: tf.tensor2d(ys, [n, 1]), ys };
}

describe("probabilistic losses", () => {
  before(async () => {
    await ready();
  });

  it("the pinball loss matches hand-worked values", () => {
    // y = 1 and quantiles (0, 1, 2) at levels (0.1, 0.5, 0.9): errors (1, 0, -1) → (0.1, 0, 0.1), mean 0.2 / 3.
    // y = 3: errors (3, 2, 1) → (0.3, 1.0, 0.9), mean 2.2 / 3.
    const per = tf.tidy(() => Array.from(pinballLoss([0.1, 0.5, 0.9])(tf.tensor2d([[1], [3]]), tf.tensor3d([[[0, 1, 2]], [[0, 1, 2]]])).dataSync()));
    close(per[0] as number, 0.2 / 3);
    close(per[1] as number, 2.2 / 3);
  });

  it("the pinball loss averages over outputs and reads targets given as [batch]", () => {
    // Two outputs at level 0.5: |y - q| / 2 each, (0.5 + 1) / 2 = 0.75.
    const per = tf.tidy(() => Array.from(pinballLoss([0.5])(tf.tensor2d([[1, 2]]), tf.tensor3d([[[0], [4]]])).dataSync()));
    close(per[0] as number, 0.75);
    const flat = tf.tidy(() => Array.from(pinballLoss([0.5])(tf.tensor1d([1]), tf.tensor3d([[[0]]])).dataSync()));
    close(flat[0] as number, 0.5);
  });

  it("the Gaussian negative log-likelihood matches hand-worked values", () => {
    // y = μ = 1, σ = 1: ½ log 2π = 0.918939; y = 3, μ = 1, σ = 2: ½ log 2π + log 2 + ½ (2/2)² = 2.111086.
    const per = tf.tidy(() => Array.from(gaussianNll(tf.tensor2d([[1], [3]]), tf.tensor3d([[[1, 1]], [[1, 2]]])).dataSync()));
    close(per[0] as number, 0.5 * Math.log(2 * Math.PI));
    close(per[1] as number, 0.5 * Math.log(2 * Math.PI) + Math.log(2) + 0.5);
  });

  it("the pinball loss is in the one loss registry and asks for its levels when named alone", () => {
    assert.equal(resolveLoss({ name: "pinball", quantiles: [0.25, 0.75] }).name, "pinball");
    assert.equal(resolveLoss("gaussianNll").name, "gaussianNll");
    assert.throws(() => resolveLoss("pinball"), (e: Error) => e instanceof ConfigError && /quantile levels/.test(e.message));
  });
});

describe("buildModel with a probabilistic head", () => {
  before(async () => {
    await ready();
  });

  it("gives one output per step, target and quantile, in ascending order even untrained", () => {
    const m = buildModel({ inputShape: [6, 2], units: 4, outputs: 3, quantiles: [0.05, 0.5, 0.95], seed: 2 });
    assert.deepEqual(m.outputs[0]?.shape, [null, 3, 3]);
    const x = tf.randomNormal([20, 6, 2], 0, 3, "float32", 1);
    const p = (m.predict(x) as tf.Tensor).arraySync() as number[][][];
    for (const row of p) for (const q of row) assert.ok((q[0] as number) < (q[1] as number) && (q[1] as number) < (q[2] as number), `crossing: ${q}`);
    const g = buildModel({ inputShape: [6, 2], units: 4, outputs: 3, distribution: "normal", seed: 2 });
    assert.deepEqual(g.outputs[0]?.shape, [null, 3, 2]);
    const s = (g.predict(x) as tf.Tensor).arraySync() as number[][][];
    for (const row of s) for (const v of row) assert.ok((v[1] as number) > 0, `scale ${v[1]}`);
    tf.dispose([x]);
  });

  it("refuses quantiles outside (0, 1), unsorted, or with a classification task, naming the option and value", () => {
    const base = { inputShape: [5, 1] as const };
    assert.throws(() => buildModel({ ...base, quantiles: [0, 0.5] }), /`quantiles\[0\]` must be a quantile level strictly between 0 and 1, got 0/);
    assert.throws(() => buildModel({ ...base, quantiles: [0.5, 1.2] }), /`quantiles\[1\]`.*got 1.2/);
    assert.throws(() => buildModel({ ...base, quantiles: [0.9, 0.1] }), /`quantiles` must be strictly ascending, got \[0.9,0.1\]/);
    assert.throws(() => buildModel({ ...base, quantiles: [] }), /`quantiles` must be a non-empty array/);
    assert.throws(() => buildModel({ ...base, quantiles: [0.5], task: "binary" }), /needs task "regression", got task "binary"/);
    assert.throws(() => buildModel({ ...base, quantiles: [0.5], distribution: "normal" }), /not both/);
    assert.throws(() => buildModel({ ...base, distribution: "t" as "normal" }), (e: Error) => e instanceof ConfigError && /distribution/.test(e.message));
  });

  it("trains quantiles on a known-Gaussian series whose 80% interval covers 80% ± 5 points of unseen values", async () => {
    const d = ar1(4000, 4, 3);
    const m = buildModel({ inputShape: [4, 1], units: 8, quantiles: [0.1, 0.5, 0.9], seed: 1, learningRate: 0.01 });
    const h = await train(m, { x: d.x.slice(0, 3000), y: d.y.slice(0, 3000) }, { epochs: 8, batchSize: 64, seed: 1, verbose: 0 });
    // The expected pinball loss of the true N(μ, 1) quantiles is (2 φ(1.2816) + φ(0)) / 3 = 0.2500.
    close(h.metrics["loss"]?.at(-1) as number, 0.25, 0.01, "final loss");
    const test = d.x.slice(3000);
    const p = (m.predict(test) as tf.Tensor).arraySync() as number[][][];
    const yt = d.ys.slice(3000);
    let inside = 0;
    p.forEach((r, i) => {
      const q = r[0] as number[];
      if ((yt[i] as number) >= (q[0] as number) && (yt[i] as number) <= (q[2] as number)) inside++;
    });
    const coverage = (100 * inside) / p.length;
    assert.ok(Math.abs(coverage - 80) <= 5, `coverage ${coverage}%`);
    tf.dispose([d.x, d.y, test]);
  });

  it("trains a normal head by likelihood to the series' true noise scale", async () => {
    const d = ar1(4000, 4, 5);
    const g = buildModel({ inputShape: [4, 1], units: 8, distribution: "normal", seed: 1, learningRate: 0.01 });
    const h = await train(g, { x: d.x.slice(0, 3000), y: d.y.slice(0, 3000) }, { epochs: 8, batchSize: 64, seed: 1, verbose: 0 });
    // The NLL of N(μ, 1) at its own draws is ½ log 2πe = 1.4189 on average.
    close(h.metrics["loss"]?.at(-1) as number, 0.5 * Math.log(2 * Math.PI * Math.E), 0.05, "final loss");
    const test = d.x.slice(3000);
    const p = (g.predict(test) as tf.Tensor).arraySync() as number[][][];
    const meanScale = p.reduce((s, r) => s + ((r[0] as number[])[1] as number), 0) / p.length;
    close(meanScale, 1, 0.1, "mean predicted scale");
    // Its 80% interval μ ± 1.2816σ, through predict in original units (×10 + 5), covers 80% ± 5 points.
    const t = predict(g, test, { quantiles: [0.1, 0.9], inverse: (v) => v.map((y) => 10 * y + 5) });
    const actual = d.ys.slice(3000).map((y) => 10 * y + 5);
    const cov = 100 * coverage(actual, t.array("y_q10") as Float64Array, t.array("y_q90") as Float64Array);
    assert.ok(Math.abs(cov - 80) <= 5, `coverage ${cov}%`);
    tf.dispose([d.x, d.y, test]);
  });

  it("saves and loads a quantile model that predicts the same and trains with the pinball loss again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lstm-lab-quantiles-"));
    try {
      const m = buildModel({ inputShape: [4, 1], units: 3, outputs: 2, quantiles: [0.1, 0.5, 0.9], seed: 1 });
      const x = tf.randomNormal([8, 4, 1], 0, 1, "float32", 1), y = tf.randomNormal([8, 2], 0, 1, "float32", 2);
      await saveModel(m, dir);
      const { model, config } = await loadModel(dir);
      assert.deepEqual(config?.quantiles, [0.1, 0.5, 0.9]);
      assert.deepEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()), Array.from((m.predict(x) as tf.Tensor).dataSync()));
      assert.equal(((model as { loss?: unknown }).loss as { name: string }).name, "pinball");
      const h = await train(model, { x, y }, { epochs: 1, verbose: 0, seed: 1 });
      assert.ok(Number.isFinite(h.metrics["loss"]?.[0]));
      tf.dispose([x, y]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("logs train()'s point metrics on the median: val_mae is the MAE of the q50 outputs", async () => {
    const d = ar1(96, 4, 9);
    const m = buildModel({ inputShape: [4, 1], units: 4, quantiles: [0.1, 0.5, 0.9], seed: 2 });
    const val = { x: d.x.slice(64), y: d.y.slice(64) };
    const h = await train(m, { x: d.x.slice(0, 64), y: d.y.slice(0, 64) }, { epochs: 1, batchSize: 16, seed: 1, verbose: 0, metrics: ["mae"], validationData: val });
    const p = (m.predict(val.x) as tf.Tensor).arraySync() as number[][][];
    const byHand = p.reduce((s, r, i) => s + Math.abs((d.ys[64 + i] as number) - ((r[0] as number[])[1] as number)), 0) / p.length;
    close(h.metrics["val_mae"]?.[0] as number, byHand, 1e-5, "val_mae");
    const noMedian = buildModel({ inputShape: [4, 1], units: 4, quantiles: [0.1, 0.9], seed: 2 });
    await assert.rejects(train(noMedian, val, { epochs: 1, verbose: 0, metrics: ["mae"] }), (e: Error) => e instanceof ConfigError && /do not include; add 0.5/.test(e.message));
    tf.dispose([d.x, d.y, val.x, val.y]);
  });
});

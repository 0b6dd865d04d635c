import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { buildSeq2Seq } from "../../src/models/build-seq2seq.js";
import { train } from "../../src/training/train.js";
import { Rng } from "../../src/rng.js";
import { ConfigError } from "../../src/errors.js";

describe("buildSeq2Seq", () => {
  it("takes [window, future, series ids] and gives [batch, horizon × targets, levels] quantiles that never cross", async () => {
    await ready();
    const m = buildSeq2Seq({ lookback: 5, inputs: 2, horizon: 3, targets: 2, futureCovariates: 1, seriesEmbedding: { count: 3, dim: 2 }, quantiles: [0.1, 0.5, 0.9], seed: 1 });
    assert.deepEqual(m.inputs.map((i) => i.shape), [[null, 5, 2], [null, 3, 1], [null, 1]]);
    const out = tf.tidy(() => m.predict([tf.randomNormal([4, 5, 2], 0, 1, "float32", 1), tf.randomNormal([4, 3, 1], 0, 1, "float32", 2), tf.tensor2d([0, 1, 2, 1], [4, 1])]) as tf.Tensor);
    assert.deepEqual(out.shape, [4, 6, 3]);
    const q = out.arraySync() as number[][][];
    for (const row of q) for (const [lo, mid, hi] of row) assert.ok(lo! <= mid! && mid! <= hi!);
    out.dispose();
  });

  it("lets the future covariate of step h change only the forecasts of step h and later", async () => {
    await ready();
    const m = buildSeq2Seq({ lookback: 4, inputs: 1, horizon: 4, futureCovariates: 1, seed: 3 });
    const x = tf.randomNormal([1, 4, 1], 0, 1, "float32", 4);
    const f1 = tf.tensor3d([[[0], [0], [0], [0]]]);
    const f2 = tf.tensor3d([[[0], [0], [5], [0]]]); // only step 2 (0-based) differs
    const a = (m.predict([x, f1]) as tf.Tensor).arraySync() as number[][];
    const b = (m.predict([x, f2]) as tf.Tensor).arraySync() as number[][];
    assert.equal(a[0]![0], b[0]![0]);
    assert.equal(a[0]![1], b[0]![1]);
    assert.notEqual(a[0]![2], b[0]![2]);
    tf.dispose([x, f1, f2]);
  });

  it("learns a target that is the future covariate of its own step", async () => {
    await ready();
    // y[h] = 2 · f[h]: only a model that pairs step h with covariate h can fit it
    const rng = new Rng(7);
    const n = 256, H = 3;
    const f = Float32Array.from({ length: n * H }, () => rng.uniform(-1, 1));
    const x = tf.tensor3d(Float32Array.from({ length: n * 4 }, () => rng.uniform(-1, 1)), [n, 4, 1]);
    const fut = tf.tensor3d(f, [n, H, 1]);
    const y = tf.tensor2d(f.map((v) => 2 * v), [n, H]);
    const m = buildSeq2Seq({ lookback: 4, inputs: 1, horizon: H, futureCovariates: 1, units: 16, learningRate: 0.01, seed: 5 });
    await train(m, { x: [x, fut], y }, { epochs: 40, batchSize: 32, verbose: 0, seed: 5 });
    const pred = (m.predict([x, fut]) as tf.Tensor).dataSync();
    const yd = y.dataSync();
    let mae = 0;
    for (let i = 0; i < yd.length; i++) mae += Math.abs((pred[i] as number) - (yd[i] as number)) / yd.length;
    // the target's mean absolute value is 1; predicting 0 would give MAE 1
    assert.ok(mae < 0.1, `MAE ${mae}`);
    tf.dispose([x, fut, y]);
  });

  it("names a bad option and its value", () => {
    assert.throws(() => buildSeq2Seq({ lookback: 0, inputs: 1, horizon: 2 }), (e: Error) => e instanceof ConfigError && /`lookback`/.test(e.message) && /0/.test(e.message));
    assert.throws(() => buildSeq2Seq({ lookback: 3, inputs: 1, horizon: 2, quantiles: [0.9, 0.1] }), (e: Error) => e instanceof ConfigError && /`quantiles` must be strictly ascending/.test(e.message));
    assert.throws(() => buildSeq2Seq({ lookback: 3, inputs: 1, horizon: 2, seriesEmbedding: { count: 0 } }), (e: Error) => e instanceof ConfigError && /`seriesEmbedding.count`/.test(e.message));
  });
});

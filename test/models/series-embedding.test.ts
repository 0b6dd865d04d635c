import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { buildModel } from "../../src/models/build-model.js";
import { makeWindows } from "../../src/data/windows.js";
import { train } from "../../src/training/train.js";
import { ConfigError } from "../../src/errors.js";

describe("buildModel with a series embedding", () => {
  it("takes [window, seriesIds] and joins the series vector to every step", async () => {
    await ready();
    const m = buildModel({ inputShape: [5, 2], outputs: 3, units: 8, seriesEmbedding: { count: 3, dim: 2 }, seed: 1 });
    assert.deepEqual(m.inputs.map((i) => i.shape), [[null, 5, 2], [null, 1]]);
    assert.deepEqual(m.getLayer("input_and_series").outputShape, [null, 5, 4]);
    // the embedding table holds count × dim weights
    assert.deepEqual(m.getLayer("series_embedding").getWeights()[0]!.shape, [3, 2]);
  });

  it("leaves every other initial weight as it was without the embedding", async () => {
    await ready();
    const plain = buildModel({ inputShape: [5, 2], outputs: 3, units: 8, seed: 4 });
    const global = buildModel({ inputShape: [5, 2], outputs: 3, units: 8, seriesEmbedding: { count: 3 }, seed: 4 });
    // the LSTM kernel sees 2 more input columns; its recurrent kernel and the head are the same draws
    assert.deepEqual(global.getLayer("lstm_1").getWeights()[1]!.arraySync(), plain.getLayer("lstm_1").getWeights()[1]!.arraySync());
    assert.deepEqual(global.getLayer("output").getWeights()[0]!.arraySync(), plain.getLayer("output").getWeights()[0]!.arraySync());
  });

  it("learns two series' different levels from their ids alone", async () => {
    await ready();
    // A is always 1, B always -1: the window is all zeros, so only the series id can tell them apart
    const t = aq.table({ s: [...Array(20).fill("A"), ...Array(20).fill("B")], x: Array(40).fill(0), y: [...Array(20).fill(1), ...Array(20).fill(-1)] });
    const w = makeWindows(t, { features: ["x"], targets: ["y"], lookback: 3, horizon: 1, group: "s", seriesInput: true });
    const m = buildModel({ inputShape: [3, 1], outputs: 1, units: 4, seriesEmbedding: { count: 2, dim: 2 }, learningRate: 0.05, seed: 2 });
    await train(m, { x: [...w.inputs], y: w.y }, { epochs: 30, batchSize: 8, verbose: 0, seed: 2 });
    const p = (m.predict(tf.tidy(() => [tf.zeros([2, 3, 1]), tf.tensor2d([0, 1], [2, 1])])) as tf.Tensor).dataSync();
    assert.ok(Math.abs((p[0] as number) - 1) < 0.1 && Math.abs((p[1] as number) + 1) < 0.1, `predictions ${Array.from(p)}`);
    w.dispose();
  });

  it("names a series embedding without a fixed window length", () => {
    assert.throws(() => buildModel({ inputShape: [null, 2], seriesEmbedding: { count: 3 } }), (e: Error) => e instanceof ConfigError && /`seriesEmbedding` needs numeric windows of a fixed length/.test(e.message));
    assert.throws(() => buildModel({ inputShape: [5, 2], seriesEmbedding: { count: 0 } }), (e: Error) => e instanceof ConfigError && /`seriesEmbedding.count`/.test(e.message));
  });
});

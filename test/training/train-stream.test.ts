import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as aq from "arquero";
import { ready } from "../../src/backend/index.js";
import { windowDataset } from "../../src/data/window-dataset.js";
import { train } from "../../src/training/train.js";
import type { TrainBatch } from "../../src/training/batch-source.js";
import type { Callback, TrainContext } from "../../src/training/callback.js";
import { Progress } from "../../src/training/progress.js";
import { ConfigError, DataError } from "../../src/errors.js";
import { regressionData, tinyMlp, weightsOf } from "./helpers.js";

const silent = { progress: "silent" as const, seed: 3 };
const tmpDirs: string[] = [];

/** The rows of x/y as fresh batch tensors, in order, every time it is iterated (a re-iterable source). */
function batchesOf(x: tf.Tensor2D, y: tf.Tensor2D, size: number): AsyncIterable<TrainBatch> {
  const n = x.shape[0];
  return {
    async *[Symbol.asyncIterator]() {
      for (let s = 0; s < n; s += size) {
        const b = Math.min(size, n - s);
        yield { xs: x.slice([s, 0], [b, -1]), ys: y.slice([s, 0], [b, -1]) };
      }
    },
  };
}

/** Drops the wall-clock column, the only one that differs between two identical runs. */
const numbers = (h: { seconds: number[] }) => ({ ...h, seconds: [] });

describe("train on a lazy source", () => {
  before(async () => {
    await ready();
  });
  after(() => {
    for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("gives the same History and weights as the same batches in memory, with validation, clipping, layerLr and early stopping", async () => {
    const { x, y } = regressionData(90);
    const v = regressionData(20);
    const o = { ...silent, epochs: 12, batchSize: 16, shuffle: false, learningRate: 0.05, clipNorm: 0.5, layerLr: { hidden: 0.5 }, metrics: ["mae"], earlyStopping: { patience: 2 } };
    const mem = tinyMlp();
    const hMem = await train(mem, { x, y }, { ...o, validationData: v });
    const lazy = tinyMlp();
    // Validation in batches of batchSize too, as train cuts in-memory validation data: the float32 sums then agree.
    const hLazy = await train(lazy, batchesOf(x, y, 16), { ...o, validationData: batchesOf(v.x, v.y, 16) });
    assert.deepEqual(numbers(hLazy), numbers(hMem));
    assert.deepEqual(weightsOf(lazy), weightsOf(mem));
    assert.ok(hMem.stopReason?.startsWith("early stopping"), `expected an early stop, got ${hMem.stopReason}`);
  });

  it("trains from a tf.data.Dataset of {xs, ys} exactly like from the tensors", async () => {
    const { x, y } = regressionData(40);
    const mem = tinyMlp();
    const hMem = await train(mem, { x, y }, { ...silent, epochs: 3, batchSize: 8, shuffle: false });
    const ds = tf.data.zip({ xs: tf.data.array(x.arraySync()), ys: tf.data.array(y.arraySync()) }).batch(8);
    const lazy = tinyMlp();
    const hLazy = await train(lazy, ds, { ...silent, epochs: 3 });
    assert.deepEqual(hLazy.metrics["loss"], hMem.metrics["loss"]);
    assert.deepEqual(weightsOf(lazy), weightsOf(mem));
  });

  it("weights samples from the batches' own `weights` and from classWeight as in-memory sampleWeight and classWeight do", async () => {
    const { x, y } = regressionData(24);
    const sw = Array.from({ length: 24 }, (_, i) => (i % 3) + 0.5);
    const o = { ...silent, epochs: 2, batchSize: 8, shuffle: false };
    const mem = tinyMlp();
    const hMem = await train(mem, { x, y }, { ...o, sampleWeight: sw });
    const weighted: AsyncIterable<TrainBatch> = {
      async *[Symbol.asyncIterator]() {
        for (let s = 0; s < 24; s += 8) yield { xs: x.slice([s, 0], [8, -1]), ys: y.slice([s, 0], [8, -1]), weights: tf.tensor1d(sw.slice(s, s + 8)) };
      },
    };
    const lazy = tinyMlp();
    const hLazy = await train(lazy, weighted, o);
    assert.deepEqual(hLazy.metrics["loss"], hMem.metrics["loss"]);
    assert.deepEqual(weightsOf(lazy), weightsOf(mem));
    const labels = tf.tensor2d(Array.from({ length: 24 }, (_, i) => (i % 4 === 0 ? 1 : 0)), [24, 1]);
    const cls = () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ name: "p", units: 1, inputShape: [3], activation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
      return m;
    };
    const oc = { ...o, loss: "binaryCrossentropy" as const, classWeight: { 0: 1, 1: 3 } };
    const hc = await train(cls(), { x, y: labels }, oc);
    const hcLazy = await train(cls(), batchesOf(x, labels as tf.Tensor2D, 8), oc);
    assert.deepEqual(hcLazy.metrics["loss"], hc.metrics["loss"]);
    labels.dispose();
  });

  it("resumes from a checkpoint and continues the same loss curve (4 straight = 2 + 2)", async () => {
    const { x, y } = regressionData(48);
    const v = regressionData(12);
    const o = { ...silent, batchSize: 12, validationData: batchesOf(v.x, v.y, 12), earlyStopping: { patience: 10 } };
    const straight = tinyMlp();
    const h4 = await train(straight, batchesOf(x, y, 12), { ...o, epochs: 4 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-stream-"));
    tmpDirs.push(dir);
    await train(tinyMlp(), batchesOf(x, y, 12), { ...o, epochs: 2, checkpoint: { dir, save: "last" } });
    const resumed = tinyMlp(9);
    const h22 = await train(resumed, batchesOf(x, y, 12), { ...o, seed: null, epochs: 2, resumeFrom: path.join(dir, "last") });
    assert.deepEqual(numbers(h22), numbers(h4));
    assert.deepEqual(weightsOf(resumed), weightsOf(straight));
  });

  it("resumes a shuffled windowDataset run exactly: epoch e shuffles by the seed's e-th stream (3 straight = 1 + 2)", async () => {
    const load = Float64Array.from({ length: 120 }, (_, i) => Math.sin(i * 0.3));
    const table = aq.table({ load });
    const ds = () => windowDataset(table, { features: ["load"], targets: ["load"], lookback: 6, batchSize: 16, shuffle: true, seed: 5 });
    const model = () => {
      const m = tf.sequential();
      m.add(tf.layers.flatten({ inputShape: [6, 1] }));
      m.add(tf.layers.dense({ name: "out", units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
      return m;
    };
    const straight = model();
    const h3 = await train(straight, ds(), { ...silent, epochs: 3, learningRate: 0.01 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-stream-"));
    tmpDirs.push(dir);
    await train(model(), ds(), { ...silent, epochs: 1, learningRate: 0.01, checkpoint: { dir, save: "last" } });
    const resumed = model();
    const h12 = await train(resumed, ds(), { ...silent, epochs: 2, learningRate: 0.01, resumeFrom: path.join(dir, "last") });
    assert.deepEqual(numbers(h12), numbers(h3));
    assert.deepEqual(weightsOf(resumed), weightsOf(straight));
  });

  it("tells callbacks the batch count once a pass has counted it, and shows progress without a total before", async () => {
    const { x, y } = regressionData(30);
    const seen: number[] = [];
    const spy: Callback = { onEpochEnd: (ctx: TrainContext) => void seen.push(ctx.batchesPerEpoch) };
    const began: number[] = [];
    const atBegin: Callback = { onBatchEnd: (ctx: TrainContext, b: number) => void (b === 0 && began.push(ctx.batchesPerEpoch)) };
    const lines: string[] = [];
    await train(tinyMlp(), batchesOf(x, y, 8), { ...silent, epochs: 2, callbacks: [spy, atBegin, new Progress({ mode: "lines", write: (t) => lines.push(t) })] });
    assert.deepEqual(began, [0, 4]);
    assert.deepEqual(seen, [4, 4]);
    assert.equal(lines.length, 2);
    assert.match(lines[0] as string, /epoch 1\/2/);
  });

  it("names what is wrong: a one-shot generator, validationSplit, sampleWeight, a per-batch schedule of unknown length", async () => {
    const { x, y } = regressionData(16);
    async function* once() {
      yield { xs: x.clone(), ys: y.clone() };
    }
    await assert.rejects(train(tinyMlp(), once(), { ...silent, epochs: 2 }), (e: Error) => e instanceof DataError && /gave no batches/.test(e.message) && /starts over/.test(e.message));
    const src = batchesOf(x, y, 8);
    await assert.rejects(train(tinyMlp(), src, { ...silent, validationSplit: 0.2 }), (e: Error) => e instanceof ConfigError && /`validationSplit` needs the training data in memory/.test(e.message));
    await assert.rejects(train(tinyMlp(), src, { ...silent, sampleWeight: [1, 2] }), (e: Error) => e instanceof ConfigError && /`sampleWeight`/.test(e.message));
    await assert.rejects(
      train(tinyMlp(), src, { ...silent, schedule: { kind: "cosine", periodEpochs: 3, per: "batch" } }),
      (e: Error) => e instanceof ConfigError && /schedule.per/.test(e.message),
    );
  });

  it("streams a 2-million-row series with lookback 168 in bounded memory (all its windows would take 1.3 GB)", async () => {
    const n = 2_000_000;
    const load = new Float32Array(n);
    for (let i = 0; i < n; i++) load[i] = Math.sin(i * 0.01) + 0.1 * Math.sin(i * 0.37);
    const table = aq.table({ load });
    const lookback = 168;
    const windowsBytes = (n - lookback) * lookback * 4;
    assert.ok(windowsBytes > 1.3e9);
    const model = tf.sequential();
    model.add(tf.layers.flatten({ inputShape: [lookback, 1] }));
    model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.zeros() }));
    const ds = windowDataset(table, { features: ["load"], targets: ["load"], lookback, batchSize: 512 }).take(600);
    global.gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    const probe: Callback = { onBatchEnd: () => void (peak = Math.max(peak, process.memoryUsage().rss)) };
    const h = await train(model, ds, { ...silent, epochs: 2, learningRate: 1e-3, callbacks: [probe] });
    const grown = peak - start;
    assert.equal(h.epoch.length, 2);
    assert.ok((h.metrics["loss"]?.[1] as number) < (h.metrics["loss"]?.[0] as number));
    // One epoch's 600 × 512 windows would take 206 MB if held, both epochs' 413 MB; the loop holds one
    // batch (344 KB) at a time and grew by 14-18 MB here.
    assert.ok(grown < 100e6, `resident memory grew by ${(grown / 1e6).toFixed(0)} MB`);
  });
});

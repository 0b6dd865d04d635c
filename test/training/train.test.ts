import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { installKernelHost, type DisplayOptions, type MimeBundle } from "../../src/host.js";
import { train } from "../../src/training/train.js";
import type { Callback, Logs, TrainContext } from "../../src/training/callback.js";
import { ConfigError, DataError, NumericError, ShapeError } from "../../src/errors.js";
import { linear, maxAbsDiff, regressionData, tinyMlp, weightsOf } from "./helpers.js";

/** Records a copy of the weights at the end of every epoch. */
class WeightRecorder implements Callback {
  byEpoch = new Map<number, number[][]>();
  onTrainBegin(): void {
    this.byEpoch = new Map();
  }
  onEpochEnd(ctx: TrainContext, epoch: number): void {
    this.byEpoch.set(epoch, weightsOf(ctx.model));
  }
}

const silent = { progress: "silent" as const };
const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-train-"));
  tmpDirs.push(d);
  return d;
}

describe("train", () => {
  before(async () => {
    await ready();
  });
  after(() => {
    for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("records the global gradient norm of the MSE gradient worked by hand, and clipNorm bounds the step", async () => {
    // y = w·x + b, loss = mean((ŷ - y)²); dL/dw = 2/n Σ (ŷ - y)·x, dL/db = 2/n Σ (ŷ - y).
    const X = [[1, 2], [3, -1], [0.5, 4], [-2, 1]];
    const Y = [10, -5, 7, 3];
    const w = [0.5, -0.25], b = 0.1;
    const res = X.map((r, i) => (r[0] as number) * (w[0] as number) + (r[1] as number) * (w[1] as number) + b - (Y[i] as number));
    const gw = [0, 1].map((j) => (2 / 4) * res.reduce((s, e, i) => s + e * ((X[i] as number[])[j] as number), 0));
    const gb = (2 / 4) * res.reduce((s, e) => s + e, 0);
    const norm = Math.hypot(gw[0] as number, gw[1] as number, gb);
    const x = tf.tensor2d(X), y = tf.tensor2d(Y, [4, 1]);
    const m = linear(2, w, b);
    const h = await train(m, { x, y }, { epochs: 1, batchSize: 4, optimizer: "sgd", learningRate: 1, clipNorm: 1, ...silent });
    assert.ok(Math.abs((h.gradNorm[0] as number) - norm) < 1e-4 * norm, `${h.gradNorm[0]} vs ${norm}`);
    assert.ok(norm > 1, "the example must need clipping");
    // SGD with lr 1: the applied gradient is the weight change; its norm must be exactly clipNorm.
    const after = weightsOf(m);
    const step = Math.hypot(w[0]! - after[0]![0]!, w[1]! - after[0]![1]!, b - after[1]![0]!);
    assert.ok(Math.abs(step - 1) < 1e-5, `step norm ${step}`);
    // And its direction is the gradient's.
    assert.ok(Math.abs((w[0]! - after[0]![0]!) - (gw[0] as number) / norm) < 1e-5);
    tf.dispose([x, y]);
  });

  it("clips each gradient element with clipValue", async () => {
    const x = tf.tensor2d([[1, 2], [3, -1]]), y = tf.tensor2d([[40], [-30]]);
    const m = linear(2, [0, 0], 0);
    await train(m, { x, y }, { epochs: 1, batchSize: 2, optimizer: "sgd", learningRate: 1, clipValue: 0.5, ...silent });
    // Every raw gradient element here is larger than 0.5 in size, so every weight moves by exactly 0.5.
    for (const row of weightsOf(m)) for (const v of row) assert.ok(Math.abs(Math.abs(v) - 0.5) < 1e-6, `${v}`);
    tf.dispose([x, y]);
  });

  it("gives bit-identical histories for the same seed, and another shuffle for another seed", async () => {
    const { x, y } = regressionData(40);
    const run = (seed: number) => train(tinyMlp(3), { x, y }, { epochs: 3, batchSize: 8, seed, validationSplit: 0.25, metrics: ["mae"], ...silent });
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    assert.deepEqual(a.metrics, b.metrics);
    assert.deepEqual(a.gradNorm, b.gradNorm);
    assert.deepEqual(a.layerGradNorms, b.layerGradNorms);
    assert.notDeepEqual(a.metrics["loss"], c.metrics["loss"]);
    assert.equal(a.seed, 7);
    tf.dispose([x, y]);
  });

  it("takes validationSplit from the end, in time order", async () => {
    // Training rows predict exactly (y = x), the last 2 rows are off by 3: val_loss must be 9 at w = 1.
    const x = tf.tensor2d([[1], [2], [3], [4], [5], [6], [7], [8]]);
    const y = tf.tensor2d([1, 2, 3, 4, 5, 6, 10, 11], [8, 1]);
    const m = linear(1, [1], 0);
    const h = await train(m, { x, y }, { epochs: 1, batchSize: 6, optimizer: "sgd", learningRate: 0.01, validationSplit: 0.25, ...silent });
    assert.equal(h.metrics["loss"]?.[0], 0);
    assert.ok(Math.abs((h.metrics["val_loss"]?.[0] as number) - 9) < 1e-5);
    tf.dispose([x, y]);
  });

  it("stops early and restores exactly the best epoch's weights", async () => {
    // Train targets have slope 2, validation targets slope 1: w climbs from 0 past 1, so val_loss
    // falls, then rises.
    const x = tf.tensor2d([[1], [2], [-1], [0.5]]), y = tf.mul(x, 2);
    const vx = tf.tensor2d([[1], [-2]]), vy = vx.clone();
    const m = linear(1, [0], 0);
    const rec = new WeightRecorder();
    const h = await train(m, { x, y }, {
      epochs: 40, batchSize: 4, optimizer: "sgd", learningRate: 0.05, validationData: { x: vx, y: vy },
      earlyStopping: { patience: 3 }, callbacks: [rec], ...silent,
    });
    const val = h.metrics["val_loss"] as number[];
    const argmin = val.indexOf(Math.min(...val));
    assert.ok(h.epoch.length < 40 && argmin < h.epoch.length - 1, "it must stop before the end, after the best epoch");
    assert.equal(h.epoch.length - 1 - argmin, 3, "patience 3");
    assert.equal(h.bestEpoch, argmin);
    assert.match(h.stopReason ?? "", /^early stopping: no val_loss improvement/);
    assert.deepEqual(weightsOf(m), rec.byEpoch.get(argmin));
    tf.dispose([x, y, vx, vy]);
  });

  it("waits for startEpoch before watching", async () => {
    const x = tf.tensor2d([[1], [2]]), y = tf.tensor2d([[0], [0]]);
    // loss only grows (lr far too small to matter, but minDelta huge): no improvement ever after the first watched epoch.
    const h = await train(linear(1, [1], 0), { x, y }, {
      epochs: 20, batchSize: 2, optimizer: "sgd", learningRate: 1e-6, earlyStopping: { monitor: "loss", patience: 2, minDelta: 1e9, startEpoch: 4 }, ...silent,
    });
    assert.deepEqual(h.epoch, [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(h.bestEpoch, 4);
    tf.dispose([x, y]);
  });

  it("resumes from a checkpoint and continues the same loss curve (6 straight = 3 + 3)", async () => {
    const { x, y } = regressionData(24);
    const o = { batchSize: 8, seed: 5, optimizer: "adam" as const, learningRate: 0.02, validationSplit: 0.25, schedule: { kind: "cosine" as const, periodEpochs: 6 }, ...silent };
    const straight = await train(tinyMlp(11), { x, y }, { ...o, epochs: 6 });
    const dir = tmpDir();
    const first = await train(tinyMlp(11), { x, y }, { ...o, epochs: 3, checkpoint: { dir, save: "last" } });
    assert.deepEqual(first.epoch, [0, 1, 2]);
    assert.ok(fs.existsSync(path.join(dir, "last", "manifest.json")) && fs.existsSync(path.join(dir, "checkpoint.json")));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith(".")), [], "no temp files left behind");
    // A fresh model with other initial weights: everything must come from the checkpoint.
    const resumed = await train(tinyMlp(99), { x, y }, { ...o, epochs: 3, resumeFrom: dir });
    assert.deepEqual(resumed.epoch, [0, 1, 2, 3, 4, 5]);
    for (const k of ["loss", "val_loss"]) {
      const a = straight.metrics[k] as number[], b = resumed.metrics[k] as number[];
      a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) <= 1e-6, `${k}[${i}]: ${v} vs ${b[i]}`));
    }
    assert.deepEqual(resumed.lr, straight.lr);
    tf.dispose([x, y]);
  });

  it("resumes from a checkpoint in the older layout (early stopping and best counters at the top of its state)", async () => {
    const { x, y } = regressionData(24);
    const o = { batchSize: 8, seed: 5, learningRate: 0.05, validationSplit: 0.25, earlyStopping: { patience: 2 }, ...silent };
    const straight = await train(tinyMlp(11), { x, y }, { ...o, epochs: 8 });
    const dir = tmpDir();
    await train(tinyMlp(11), { x, y }, { ...o, epochs: 3, checkpoint: { dir, save: "last" } });
    const file = path.join(dir, "last", "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
    const { seed, plateau, callbacks } = manifest.state;
    manifest.state = { seed, plateau, earlyStopping: callbacks.earlyStopping, best: callbacks.checkpoint, batchSize: 8 };
    fs.writeFileSync(file, JSON.stringify(manifest));
    const resumed = await train(tinyMlp(99), { x, y }, { ...o, epochs: 5, resumeFrom: dir });
    assert.deepEqual(resumed.metrics["val_loss"], straight.metrics["val_loss"]);
    assert.equal(resumed.stopReason, straight.stopReason);
    // The best epoch (1) came before the checkpoint, which holds epoch 2's weights only: the resumed run keeps its last.
    assert.deepEqual([straight.bestEpoch, resumed.bestEpoch], [1, 3]);
    tf.dispose([x, y]);
  });

  it("keeps every N-th epoch with save: every, and the best one with save: best", async () => {
    const { x, y } = regressionData(16);
    const dir = tmpDir(), dirBest = tmpDir();
    await train(tinyMlp(2), { x, y }, { epochs: 4, batchSize: 8, seed: 1, checkpoint: { dir, save: "every", every: 2 }, ...silent });
    assert.deepEqual(fs.readdirSync(dir).sort(), ["checkpoint.json", "epoch-0001", "epoch-0003"]);
    const h = await train(tinyMlp(2), { x, y }, { epochs: 3, batchSize: 8, seed: 1, checkpoint: { dir: dirBest }, ...silent });
    const saved = JSON.parse(fs.readFileSync(path.join(dirBest, "best", "manifest.json"), "utf8")) as { epoch: number };
    const loss = h.metrics["loss"] as number[];
    assert.equal(saved.epoch, loss.indexOf(Math.min(...loss)));
    tf.dispose([x, y]);
  });

  it("stops on a NaN loss naming epoch and batch, suggesting clipping, with the weights unchanged", async () => {
    const { x } = regressionData(12);
    const yv = Array.from({ length: 12 }, (_, i) => (i === 5 ? NaN : i / 10));
    const y = tf.tensor2d(yv, [12, 1]);
    const m = tinyMlp(4);
    const before = weightsOf(m);
    await assert.rejects(
      train(m, { x, y }, { epochs: 2, batchSize: 4, shuffle: false, ...silent }),
      (e: Error) => e instanceof NumericError && /loss became NaN at epoch 0, batch 1/.test(e.message) && /clipNorm/.test(e.message) && /lower learningRate/.test(e.message),
    );
    assert.deepEqual(weightsOf(m), before);
    tf.dispose([x, y]);
  });

  it("keeps the last good epoch's weights when training diverges", async () => {
    const x = tf.tensor2d([[10], [-10]]), y = tf.tensor2d([[1], [1]]);
    const m = linear(1, [0.1], 0);
    const rec = new WeightRecorder();
    let error: Error | null = null;
    try {
      await train(m, { x, y }, { epochs: 200, batchSize: 2, optimizer: "sgd", learningRate: 1, callbacks: [rec], ...silent });
    } catch (e) {
      error = e as Error;
    }
    assert.ok(error instanceof NumericError, String(error));
    const epoch = Number(/at epoch (\d+), batch 0/.exec(error.message)?.[1]);
    assert.ok(epoch > 1, error.message);
    assert.deepEqual(weightsOf(m), rec.byEpoch.get(epoch - 1));
    tf.dispose([x, y]);
  });

  it("stops after the current batch on a kernel interrupt, restores the best weights and returns the History", async () => {
    const { x, y } = regressionData(32);
    const controller = new AbortController();
    const shown: { data: MimeBundle; o: DisplayOptions | undefined }[] = [];
    const restore = installKernelHost({ display: (data, o) => shown.push({ data, o }), interruptSignal: controller.signal, sessionFlags: new Set() });
    const rec = new WeightRecorder();
    let batchesAfterAbort = 0;
    const interrupter: Callback = {
      onBatchEnd(_ctx: TrainContext, batch: number) {
        if (controller.signal.aborted) batchesAfterAbort++;
        if (rec.byEpoch.size === 3 && batch === 1) controller.abort();
      },
    };
    const m = tinyMlp(6);
    const before = tf.memory().numTensors;
    let h;
    try {
      h = await train(m, { x, y }, { epochs: 10, batchSize: 8, seed: 2, validationSplit: 0.25, callbacks: [rec, interrupter] });
    } finally {
      restore();
    }
    assert.equal(h.interrupted, true);
    assert.deepEqual(h.epoch, [0, 1, 2]);
    assert.equal(h.stopReason, "interrupted during epoch 3 after batch 2 of 3");
    assert.equal(batchesAfterAbort, 0);
    const val = h.metrics["val_loss"] as number[];
    const best = val.indexOf(Math.min(...val));
    assert.equal(h.bestEpoch, best);
    assert.deepEqual(weightsOf(m), rec.byEpoch.get(best));
    assert.equal(tf.memory().numTensors, before);
    // The kernel got one live display, updated in place.
    assert.ok(shown.length >= 2);
    const ids = new Set(shown.map((s) => s.o?.displayId));
    assert.equal(ids.size, 1);
    assert.equal(shown[0]?.o?.update, false);
    assert.ok(shown.slice(1).every((s) => s.o?.update === true));
    assert.match(String(shown[shown.length - 1]?.data["text/plain"]), /epoch \d+\/10 .*loss .*val_loss .*lr .*ETA/);
    assert.match(String(shown[shown.length - 1]?.data["text/html"]), /<table/);
    tf.dispose([x, y]);
  });

  it("leaks no tensors over many epochs with every feature on", async () => {
    const { x, y } = regressionData(20);
    const dir = tmpDir();
    const m = tinyMlp(8);
    const before = tf.memory().numTensors;
    await train(m, { x, y }, {
      epochs: 12, batchSize: 6, seed: 3, validationSplit: 0.2, metrics: ["mae", "rmse", "mape"], clipNorm: 0.5, clipValue: 1,
      optimizer: "adamw", schedule: { kind: "reduceOnPlateau", patience: 1 }, earlyStopping: { patience: 4 },
      checkpoint: { dir, save: "best" }, sampleWeight: Array.from({ length: 20 }, (_, i) => 1 + (i % 3)), layerLr: { hidden: 0.5 }, ...silent,
    });
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
  });

  it("freezes named layers and scales each layer's step by its layerLr multiplier (exact for SGD)", async () => {
    const { x, y } = regressionData(8);
    const o = { epochs: 1, batchSize: 8, optimizer: "sgd" as const, learningRate: 0.1, shuffle: false, ...silent };
    const base = tinyMlp(21), half = tinyMlp(21), frozen = tinyMlp(21);
    const w0 = weightsOf(base);
    await train(base, { x, y }, o);
    await train(half, { x, y }, { ...o, layerLr: { out: 0.5 } });
    const h = await train(frozen, { x, y }, { ...o, freeze: ["hidden"] });
    const wb = weightsOf(base), wh = weightsOf(half), wf = weightsOf(frozen);
    // weights: [hidden kernel, hidden bias, out kernel, out bias]
    assert.deepEqual(wh.slice(0, 2), wb.slice(0, 2));
    for (const k of [2, 3]) wb[k]!.forEach((v, j) => assert.ok(Math.abs((wh[k]![j]! - w0[k]![j]!) - 0.5 * (v - w0[k]![j]!)) < 1e-6));
    assert.deepEqual(wf.slice(0, 2), w0.slice(0, 2));
    assert.ok(maxAbsDiff(wf.slice(2), w0.slice(2)) > 0);
    assert.deepEqual(Object.keys(h.layerGradNorms), ["out"]);
    tf.dispose([x, y]);
  });

  it("weights classes: classWeight {0: 1, 1: 3} gives the loss of the sample-weighted mean worked by hand", async () => {
    // A model that outputs the constant 0.5: BCE is ln 2 per sample whatever the label, so the
    // weighted loss is mean(w)·ln 2 = (1 + 3 + 3 + 1)/4 · ln 2 = 2 ln 2.
    const x = tf.tensor2d([[0], [0], [0], [0]]), y = tf.tensor2d([[0], [1], [1], [0]]);
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 1, inputShape: [1], activation: "sigmoid", kernelInitializer: "zeros" }));
    const h = await train(m, { x, y }, { epochs: 1, batchSize: 4, loss: "binaryCrossentropy", classWeight: { 0: 1, 1: 3 }, metrics: ["accuracy"], ...silent });
    assert.ok(Math.abs((h.metrics["loss"]?.[0] as number) - 2 * Math.LN2) < 1e-5);
    assert.equal(h.metrics["accuracy"]?.[0], 0.5); // 0.5 is not > 0.5: predicts 0 for all; 2 of 4 right
    tf.dispose([x, y]);
  });

  it("adds the model's L2 regularization to the loss", async () => {
    // Perfect fit (w = 2, no bias error) with l2 0.1: loss = 0.1 · w² = 0.4.
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelRegularizer: tf.regularizers.l2({ l2: 0.1 }) }));
    m.setWeights([tf.tensor2d([[2]])]);
    const x = tf.tensor2d([[1], [2]]), y = tf.tensor2d([[2], [4]]);
    const h = await train(m, { x, y }, { epochs: 1, batchSize: 2, optimizer: "sgd", learningRate: 1e-9, ...silent });
    assert.ok(Math.abs((h.metrics["loss"]?.[0] as number) - 0.4) < 1e-6);
    tf.dispose([x, y]);
  });

  it("lets a callback stop training and reuses one callback instance across runs", async () => {
    const { x, y } = regressionData(8);
    const epochsSeen: number[][] = [];
    const stopper = new (class implements Callback {
      seen: number[] = [];
      onTrainBegin() { this.seen = []; epochsSeen.push(this.seen); }
      onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs) { this.seen.push(epoch); if (epoch === 1) ctx.stop(`enough at loss ${logs["loss"]!.toFixed(2)}`); }
    })();
    const h1 = await train(tinyMlp(1), { x, y }, { epochs: 5, batchSize: 4, callbacks: [stopper], ...silent });
    const h2 = await train(tinyMlp(1), { x, y }, { epochs: 5, batchSize: 4, callbacks: [stopper], ...silent });
    assert.deepEqual(epochsSeen, [[0, 1], [0, 1]]);
    assert.match(h1.stopReason ?? "", /^enough at loss/);
    assert.deepEqual(h2.epoch, [0, 1]);
    tf.dispose([x, y]);
  });

  it("rejects bad options and data naming the option and the value, changing nothing", async () => {
    const { x, y } = regressionData(8);
    const m = tinyMlp(1);
    const w = weightsOf(m);
    const bad = async (o: Parameters<typeof train>[2], re: RegExp, cls: new (...a: never[]) => Error = ConfigError) =>
      assert.rejects(train(m, { x, y }, { ...silent, ...o }), (e: Error) => e instanceof cls && re.test(e.message));
    const tensors = tf.memory().numTensors;
    await bad({ epochs: 0 }, /`epochs` must be a positive integer, got 0./);
    await bad({ batchSize: 2.5 }, /`batchSize` must be a positive integer, got 2.5./);
    await bad({ optimizer: "adagrad" as "adam" }, /Unknown optimizer "adagrad"/);
    await bad({ freeze: ["encoder"] }, /`freeze` names layer "encoder", which the model does not have. Layers: hidden, out./);
    await bad({ earlyStopping: { patience: 2 } }, /`earlyStopping.monitor` is "val_loss", which training does not log. It needs validation data/);
    await bad({ metrics: ["auc"] }, /Unknown metric "auc"/);
    await bad({ validationSplit: 0.99 }, /leaves 0 for training/, DataError);
    await bad({ resumeFrom: tmpDir() }, /holds no checkpoint/);
    // Rejected after the validation rows were cut off: those slices are freed too.
    await bad({ validationSplit: 0.25, monitor: "val_mae" }, /`monitor` is "val_mae", which training does not log/);
    await bad({ validationSplit: 0.25, freeze: ["hidden", "out"] }, /Nothing to train/);
    assert.equal(tf.memory().numTensors, tensors);
    const y5 = tf.zeros([5, 1]);
    await assert.rejects(train(m, { x, y: y5 }, silent), (e: Error) => e instanceof ShapeError && /`data.x` has 8 samples but `data.y` has 5/.test(e.message));
    y5.dispose();
    assert.deepEqual(weightsOf(m), w);
    tf.dispose([x, y]);
  });

  it("trains a tiny tf.layers.lstm exactly like model.fit does (no shuffle, SGD and Adam)", async () => {
    const build = () => {
      const m = tf.sequential();
      m.add(tf.layers.lstm({ units: 3, inputShape: [4, 2], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }) }));
      m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
      return m;
    };
    const x = tf.tensor3d(Array.from({ length: 8 * 4 * 2 }, (_, i) => Math.sin(i * 0.9)), [8, 4, 2]);
    const y = tf.tensor2d(Array.from({ length: 8 }, (_, i) => Math.cos(i)), [8, 1]);
    for (const [ours, ref] of [["sgd", () => tf.train.sgd(0.1)], ["adam", () => tf.train.adam(0.01, 0.9, 0.999, 1e-7)]] as const) {
      const a = build(), b = build();
      const before = tf.memory().numTensors;
      const h = await train(a, { x, y }, { epochs: 2, batchSize: 4, shuffle: false, optimizer: ours, learningRate: ours === "sgd" ? 0.1 : 0.01, ...silent });
      assert.equal(tf.memory().numTensors, before);
      b.compile({ optimizer: ref(), loss: "meanSquaredError" });
      const fit = await b.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
      assert.ok(maxAbsDiff(weightsOf(a), weightsOf(b)) < 1e-5, `${ours}: weights differ by ${maxAbsDiff(weightsOf(a), weightsOf(b))}`);
      (fit.history["loss"] as number[]).forEach((l, i) => assert.ok(Math.abs(l - (h.metrics["loss"]?.[i] as number)) < 1e-5, `${ours} loss ${i}`));
      a.dispose();
      b.dispose();
    }
    tf.dispose([x, y]);
  });

  it("lets a timer's interrupt in (the loop yields to the event loop between batches)", async () => {
    const { x, y } = regressionData(16);
    const controller = new AbortController();
    const restore = installKernelHost({ display: () => {}, interruptSignal: controller.signal, sessionFlags: new Set() });
    const timer = setTimeout(() => controller.abort(), 30);
    try {
      const h = await train(tinyMlp(2), { x, y }, { epochs: 100000, batchSize: 4, ...silent });
      assert.equal(h.interrupted, true);
      assert.ok(h.epoch.length < 100000);
      assert.match(h.stopReason ?? "", /^interrupted/);
    } finally {
      clearTimeout(timer);
      restore();
      tf.dispose([x, y]);
    }
  });
});

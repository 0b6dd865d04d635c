import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { buildModel } from "../../src/models/index.js";
import { dropoutRng } from "../../src/models/dropout-key.js";
import { Rng } from "../../src/rng.js";
import { rnnEngine, setRnnEngine } from "../../src/models/wasm/index.js";
import { train, type TrainOptions } from "../../src/training/train.js";
import type { History } from "../../src/training/history.js";
import { ensureKernelBuilt, kernelsUnderTest, wave } from "../models/wasm/helpers.js";

const N = 40, T = 6, F = 3, EPOCHS = 4;
const tmpDirs: string[] = [];

function data(): { x: tf.Tensor3D; y: tf.Tensor2D } {
  return { x: tf.tensor3d(wave(N * T * F, 1), [N, T, F]), y: tf.tensor2d(wave(N, 2, 0.5), [N, 1]) };
}

/** Two stacked LSTMs with input and recurrent dropout 0.2 (B = 8 splits over 2 threads). */
const model = () => buildModel({ inputShape: [T, F], units: [8, 8], dropout: 0.2, recurrentDropout: 0.2, seed: 3, fused: true });
const options: TrainOptions = { batchSize: 8, seed: 7, learningRate: 0.01, validationSplit: 0.2, progress: "silent" };

/** The run's weights and per-epoch history as plain numbers, for bit-for-bit comparison. */
function outcome(m: tf.LayersModel, h: History): { weights: number[][]; loss: number[]; valLoss: number[]; gradNorm: number[] } {
  return {
    weights: m.getWeights().map((w) => Array.from(w.dataSync())),
    loss: h.metrics["loss"] as number[],
    valLoss: h.metrics["val_loss"] ?? [],
    gradNorm: h.gradNorm,
  };
}

/** An identity layer that records the first draw of its keyed dropout stream on every training call. */
class Probe extends tf.layers.Layer {
  static className = "DropoutKeyProbe";
  draws: number[] = [];
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const rng = kwargs["training"] === true ? dropoutRng(this, "probe") : null;
    if (rng) this.draws.push(rng.nextUint32());
    return tf.clone(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);
  }
}

function probeModel(probe: Probe): tf.LayersModel {
  const input = tf.input({ shape: [2] });
  const out = tf.layers.dense({ units: 1, kernelInitializer: "zeros" }).apply(probe.apply(input)) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function regression(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return { x: tf.tensor2d(wave(24, 3), [12, 2]), y: tf.tensor2d(wave(12, 4), [12, 1]) };
}

describe("train with dropout", () => {
  before(async () => {
    ensureKernelBuilt();
    await ready();
  });
  after(() => {
    setRnnEngine({ engine: "auto" });
    for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  // The native kernel too where it runs here (engine "auto" picks it): it is another source of the same kernel.
  const engines = [...(kernelsUnderTest().some((k) => k.name.startsWith("native")) ? (["native"] as const) : []), "wasm" as const];
  for (const engine of engines) for (const threads of [1, 2]) {
    it(`resumed from a checkpoint at any epoch equals the uninterrupted run bit for bit, on the ${engine} kernel with ${threads} thread${threads > 1 ? "s" : ""}`, async () => {
      setRnnEngine({ engine, threads });
      assert.equal(rnnEngine().threads, threads);
      const { x, y } = data();
      const m = model();
      const straight = outcome(m, await train(m, { x, y }, { ...options, epochs: EPOCHS }));
      m.dispose();
      for (let k = 1; k < EPOCHS; k++) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-dropout-"));
        tmpDirs.push(dir);
        const first = model();
        await train(first, { x, y }, { ...options, epochs: k, checkpoint: { dir, save: "last" } });
        first.dispose();
        const resumed = model();
        const r = outcome(resumed, await train(resumed, { x, y }, { ...options, epochs: EPOCHS - k, resumeFrom: dir }));
        resumed.dispose();
        assert.deepEqual(r, straight, `resumed after epoch ${k - 1} differs`);
      }
      tf.dispose([x, y]);
    });
  }

  it("resumed at every epoch equals the uninterrupted run for a stock bidirectional GRU with embedding and attention dropout", async () => {
    const ids = tf.tensor2d(Array.from({ length: N * T }, (_, i) => (i * 7 + Math.floor(i / T)) % 11), [N, T], "int32");
    const labels = tf.tensor2d(Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 : 0)), [N, 1]);
    const text = () =>
      buildModel({
        inputShape: [T], embedding: { vocabSize: 11, dim: 4, dropout: 0.2 }, cell: "gru", units: [4], bidirectional: true,
        dropout: 0.2, recurrentDropout: 0.2, attention: "additive", attentionDropout: 0.2, task: "binary", fused: false, seed: 4,
      });
    const o: TrainOptions = { ...options, validationSplit: 0 };
    const m = text();
    const straight = outcome(m, await train(m, { x: ids, y: labels }, { ...o, epochs: 3 }));
    m.dispose();
    for (let k = 1; k < 3; k++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-dropout-"));
      tmpDirs.push(dir);
      const first = text();
      await train(first, { x: ids, y: labels }, { ...o, epochs: k, checkpoint: { dir, save: "last" } });
      first.dispose();
      const resumed = text();
      const r = outcome(resumed, await train(resumed, { x: ids, y: labels }, { ...o, epochs: 3 - k, resumeFrom: dir }));
      resumed.dispose();
      assert.deepEqual(r, straight, `resumed after epoch ${k - 1} differs`);
    }
    tf.dispose([ids, labels]);
  });

  it("keys every training batch apart (epoch and batch), and a resumed run replays the same keys", async () => {
    const { x, y } = regression();
    const straight = new Probe();
    await train(probeModel(straight), { x, y }, { epochs: 3, batchSize: 4, seed: 11, progress: "silent" });
    assert.equal(straight.draws.length, 3 * 3, "one keyed draw per batch: 12 rows in batches of 4, 3 epochs");
    assert.equal(new Set(straight.draws).size, 9, "no two batches share a key");
    // The first draw is the one worked from the documented key: seed 11, epoch 0, batch 0, layer position 1.
    assert.equal(straight.draws[0], new Rng(11).fork("dropout|0|0|1|probe").nextUint32());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-dropout-"));
    tmpDirs.push(dir);
    const first = new Probe();
    await train(probeModel(first), { x, y }, { epochs: 1, batchSize: 4, seed: 11, progress: "silent", checkpoint: { dir, save: "last" } });
    const resumed = new Probe();
    await train(probeModel(resumed), { x, y }, { epochs: 2, batchSize: 4, progress: "silent", resumeFrom: dir });
    assert.deepEqual([...first.draws, ...resumed.draws], straight.draws, "the resumed run takes its seed from the checkpoint and continues the epoch count");
    tf.dispose([x, y]);
  });

  it("repeats the run for the same seed, and the masks change the run against the same model without dropout", async () => {
    setRnnEngine({ engine: "wasm", threads: 1 });
    const { x, y } = data();
    const a = model();
    const withDrop = await train(a, { x, y }, { ...options, epochs: 2 });
    const b = buildModel({ inputShape: [T, F], units: [8, 8], seed: 3, fused: true });
    const without = await train(b, { x, y }, { ...options, epochs: 2 });
    // Same initial weights (same build seed), same shuffles: only the masks differ.
    assert.notEqual(withDrop.metrics["loss"]?.[0], without.metrics["loss"]?.[0]);
    const again = model();
    const repeat = await train(again, { x, y }, { ...options, epochs: 2 });
    assert.deepEqual(repeat.metrics, withDrop.metrics, "the same seed repeats the run");
    tf.dispose([x, y]);
    [a, b, again].forEach((m) => m.dispose());
  });
});

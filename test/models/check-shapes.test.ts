/**
 * One shape check serves every entry point that feeds data to a model: train, evaluate, predict,
 * compareModels and ensembles refuse x or y that do not fit the model's declared shapes, with a
 * ShapeError naming the argument, the expected and the given shape, before they make a tensor or
 * change a weight.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError, ShapeError } from "../../src/errors.js";
import { compareModels } from "../../src/eval/compare-models.js";
import { evaluate } from "../../src/eval/evaluate.js";
import { predict } from "../../src/eval/predict.js";
import { checkShapes } from "../../src/models/check-shapes.js";
import { train } from "../../src/training/train.js";
import { ensemble } from "../../src/tuning/ensemble.js";

/** An LSTM over windows of 5 steps × 2 features with `outputs` outputs, seeded. */
function windowModel(outputs = 1, activation: "linear" | "softmax" = "linear"): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.lstm({ units: 3, inputShape: [5, 2], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }) }));
  m.add(tf.layers.dense({ units: outputs, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  return m;
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/** Asserts `run` is refused with a ShapeError whose message matches `message`, leaving no tensor behind. */
async function refused(run: () => unknown, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  await assert.rejects(async () => run(), (e: Error) => e instanceof ShapeError && message.test(e.message));
  assert.equal(tf.memory().numTensors, before, "tensors leaked by a refused call");
}

describe("checkShapes at every entry point", () => {
  before(async () => {
    await ready();
  });
  const silent = { epochs: 1, verbose: 0 as const, seed: 1 };

  it("train refuses windows of 7 steps for a model built on 5, leaving the weights as they were and no tensor behind", async () => {
    const m = windowModel();
    const x = tf.zeros([32, 7, 2]), y = tf.zeros([32, 1]);
    const w0 = weightsOf(m);
    for (let i = 0; i < 3; i++) await refused(() => train(m, { x, y }, silent), /^`data\.x` must have shape \[batch, 5, 2\] for this model, got \[32, 7, 2\]\.$/);
    assert.deepEqual(weightsOf(m), w0);
    tf.dispose([x, y]);
    m.dispose();
  });

  it("train names validationData and y, and checks that x and y have the same number of samples", async () => {
    const m = windowModel();
    const x = tf.zeros([8, 5, 2]), y = tf.zeros([8, 1]);
    const xBad = tf.zeros([4, 5, 3]), yWide = tf.zeros([8, 3]), yShort = tf.zeros([6, 1]);
    await refused(() => train(m, { x, y }, { ...silent, validationData: { x: xBad, y } }), /`validationData\.x` must have shape \[batch, 5, 2\] for this model, got \[4, 5, 3\]/);
    await refused(() => train(m, { x, y: yWide }, silent), /`data\.y` must have shape \[batch, 1\] for this model, got \[8, 3\]/);
    await refused(() => train(m, { x, y: yShort }, silent), /`data\.x` has 8 samples but `data\.y` has 6/);
    tf.dispose([x, y, xBad, yWide, yShort]);
    m.dispose();
  });

  it("train takes one class label per sample for sparse categorical cross-entropy, and refuses it for mse", async () => {
    const m = windowModel(3, "softmax");
    const x = tf.zeros([4, 5, 2]), labels = tf.tensor1d([0, 2, 1, 0]);
    const h = await train(m, { x, y: labels }, { ...silent, loss: "sparseCategoricalCrossentropy" });
    assert.equal(h.metrics["loss"]?.length, 1);
    await refused(() => train(m, { x, y: labels }, { ...silent, loss: "mse" }), /`data\.y` must have shape \[batch, 3\] for this model, got \[4\]/);
    tf.dispose([x, labels]);
    m.dispose();
  });

  it("predict and evaluate throw our ShapeError instead of TensorFlow.js' ValueError", async () => {
    const m = windowModel();
    const x7 = tf.zeros([10, 7, 2]), x = tf.zeros([10, 5, 2]);
    await refused(() => predict(m, x7), /^`x` must have shape \[batch, 5, 2\] for this model, got \[10, 7, 2\]\.$/);
    await refused(() => evaluate(m, x7, new Float32Array(10)), /`x` must have shape \[batch, 5, 2\] for this model, got \[10, 7, 2\]/);
    await refused(() => evaluate(m, x, new Float32Array(9)), /`x` has 10 samples but `y` has 9/);
    await refused(() => evaluate(m, x, Array.from({ length: 10 }, () => [0, 0])), /`y` must have shape \[batch, 1\] for this model, got \[10, 2\]/);
    tf.dispose([x7, x]);
    m.dispose();
  });

  it("evaluate takes class labels for a classifier when it scores accuracy", () => {
    const m = windowModel(3, "softmax");
    const x = tf.zeros([4, 5, 2]);
    // Zero inputs keep the LSTM's state at 0 and the biases are 0, so every row's probabilities are
    // [1/3, 1/3, 1/3]: the argmax is class 0, and the labels [0, 0, 1, 2] score 2 of 4.
    assert.deepEqual(evaluate(m, x, [0, 0, 1, 2], { metrics: ["accuracy"] }), { accuracy: 0.5 });
    x.dispose();
    m.dispose();
  });

  it("compareModels names the model whose declared input the test windows do not fit", async () => {
    const m = windowModel();
    const split = { train: { x: tf.zeros([6, 7, 2]), y: tf.zeros([6, 1]) }, test: { x: tf.zeros([4, 7, 2]), y: tf.zeros([4, 1]) } };
    await refused(() => compareModels(split, { lstm: m }), /^`split.test.x` must have shape \[batch, 5, 2\] for model "lstm", got \[4, 7, 2\]\.$/);
    const uneven = { ...split, train: { x: split.train.x, y: tf.zeros([5, 1]) } };
    await refused(() => compareModels(uneven, {}), /`split.train.x` has 6 samples but `split.train.y` has 5/);
    tf.dispose([split.train.x, split.train.y, split.test.x, split.test.y, uneven.train.y]);
    m.dispose();
  });

  it("an ensemble checks x and y against every member before any member runs", async () => {
    const a = windowModel(), b = windowModel();
    const ens = ensemble([a, b], { names: ["small", "large"] });
    const x7 = tf.zeros([3, 7, 2]), x = tf.zeros([3, 5, 2]), yWide = tf.zeros([3, 2]);
    await refused(() => ens.predict(x7), /`x` must have shape \[batch, 5, 2\] for model "small", got \[3, 7, 2\]/);
    await refused(() => ens.predictAll(x7), /for model "small"/);
    await refused(() => ens.evaluate(x, yWide), /`y` must have shape \[batch, 1\] for model "small", got \[3, 2\]/);
    tf.dispose([x7, x, yWide]);
    a.dispose();
    b.dispose();
  });
});

describe("checkShapes", () => {
  before(async () => {
    await ready();
  });

  it("returns the number of samples and lets y drop or add axes of size 1", () => {
    const m = windowModel();
    tf.tidy(() => {
      const x = tf.zeros([4, 5, 2]);
      assert.equal(checkShapes(m, x, tf.zeros([4])), 4);
      assert.equal(checkShapes(m, x, [[1], [2], [3], [4]]), 4);
      assert.equal(checkShapes(m, x, tf.zeros([4, 1, 1])), 4);
      assert.equal(checkShapes(m, x), 4);
    });
    m.dispose();
  });

  it("lets an axis the model leaves free take any length, and shows it as `any`", () => {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 2, inputShape: [null, 2] as unknown as number[] }));
    tf.tidy(() => {
      assert.equal(checkShapes(m, tf.zeros([3, 9, 2])), 3);
      assert.throws(() => checkShapes(m, tf.zeros([3, 9, 4])), (e: Error) => e instanceof ShapeError && e.message === "`x` must have shape [batch, any, 2] for this model, got [3, 9, 4].");
    });
    m.dispose();
  });

  it("counts the inputs of a model with several and names each by its index", () => {
    const a = tf.input({ shape: [5, 2] }), b = tf.input({ shape: [3] });
    const out = tf.layers.dense({ units: 1 }).apply(tf.layers.concatenate().apply([tf.layers.flatten().apply(a) as tf.SymbolicTensor, b]) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const m = tf.model({ inputs: [a, b], outputs: out });
    const xa = tf.zeros([4, 5, 2]), xb = tf.zeros([4, 3]), xb3 = tf.zeros([3, 3]), xbWide = tf.zeros([4, 4]);
    assert.equal(checkShapes(m, [xa, xb]), 4);
    assert.throws(() => checkShapes(m, xa), (e: Error) => e instanceof ShapeError && e.message === "This model takes 2 inputs, but `x` is one tensor.");
    assert.throws(() => checkShapes(m, [xa, xbWide]), (e: Error) => e instanceof ShapeError && e.message === "`x[1]` must have shape [batch, 3] for this model, got [4, 4].");
    assert.throws(() => checkShapes(m, [xa, xb3]), (e: Error) => e instanceof ShapeError && e.message === "`x[1]` has 3 samples but `x[0]` has 4.");
    tf.dispose([xa, xb, xb3, xbWide]);
    m.dispose();
  });

  it("refuses what is not a tensor, and a model with several outputs, with a ConfigError", () => {
    const m = windowModel();
    assert.throws(() => checkShapes(m, [] as tf.Tensor[]), (e: Error) => e instanceof ConfigError && /`x` must be a tensor or a non-empty array of tensors, got \[\]/.test(e.message));
    assert.throws(() => checkShapes(m, [[1, 2]] as unknown as tf.Tensor), (e: Error) => e instanceof ConfigError && /`x\[0\]` must be a tensor, got \[1,2\]/.test(e.message));
    const i = tf.input({ shape: [2] });
    const two = tf.model({ inputs: i, outputs: [tf.layers.dense({ units: 1 }).apply(i) as tf.SymbolicTensor, tf.layers.dense({ units: 1 }).apply(i) as tf.SymbolicTensor] });
    const x = tf.zeros([2, 2]);
    assert.throws(() => checkShapes(two, x), (e: Error) => e instanceof ConfigError && /has 2 outputs/.test(e.message));
    x.dispose();
    m.dispose();
    two.dispose();
  });
});

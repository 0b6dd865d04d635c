import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { compiledOptimizer } from "../../src/training/compiled-optimizer.js";
import { train } from "../../src/training/train.js";

function tinyModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  return m;
}

describe("train uses the compiled optimizer when none is named", () => {
  before(async () => {
    await ready();
  });

  it("reads the rule and settings tf.train optimizers were made with", () => {
    const cases: [tf.Optimizer, unknown][] = [
      [tf.train.adam(0.003, 0.8, 0.99), { optimizer: { name: "adam", beta1: 0.8, beta2: 0.99, epsilon: 1e-7 }, learningRate: 0.003 }],
      [tf.train.rmsprop(0.02, 0.95, 0.5), { optimizer: { name: "rmsprop", rho: 0.95, momentum: 0.5, epsilon: 1e-7 }, learningRate: 0.02 }],
      [tf.train.sgd(0.1), { optimizer: { name: "sgd" }, learningRate: 0.1 }],
      [tf.train.momentum(0.05, 0.9, true), { optimizer: { name: "sgd", momentum: 0.9, nesterov: true }, learningRate: 0.05 }],
      [tf.train.adagrad(0.2), { optimizer: null, learningRate: 0.2 }],
    ];
    for (const [opt, want] of cases) {
      const m = tinyModel();
      m.compile({ optimizer: opt, loss: "meanSquaredError" });
      assert.deepEqual(compiledOptimizer(m), want);
      m.dispose();
    }
    const bare = tinyModel();
    assert.deepEqual(compiledOptimizer(bare), { optimizer: null, learningRate: null });
    bare.dispose();
  });

  it("trains at the compiled learning rate unless one is given, and at 0.001 for an uncompiled model", async () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const y = tf.tensor2d([[1], [2], [3], [4]]);
    const compiled = tinyModel();
    compiled.compile({ optimizer: tf.train.rmsprop(0.004), loss: "meanSquaredError" });
    const h1 = await train(compiled, { x, y }, { epochs: 1, seed: 1, progress: "silent" });
    assert.deepEqual(h1.lr, [0.004]);
    const h2 = await train(compiled, { x, y }, { epochs: 1, seed: 1, progress: "silent", learningRate: 0.01 });
    assert.deepEqual(h2.lr, [0.01]);
    const bare = tinyModel();
    const h3 = await train(bare, { x, y }, { epochs: 1, seed: 1, progress: "silent" });
    assert.deepEqual(h3.lr, [0.001]);
    tf.dispose([x, y]);
    compiled.dispose();
    bare.dispose();
  });
});

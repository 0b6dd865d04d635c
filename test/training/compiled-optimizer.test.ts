import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { compiledOptimizer } from "../../src/training/compiled-optimizer.js";
import { train } from "../../src/training/train.js";
import { compileOptimizer, OPTIMIZERS } from "../../src/models/optimizer-registry.js";
import { Optimizer } from "../../src/training/optimizer.js";
import { buildModel } from "../../src/models/build-model.js";
import { buildBaseline } from "../../src/models/build-baseline.js";
import { ConfigError } from "../../src/errors.js";

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
      [tf.train.adam(0.003, 0.8, 0.99), { optimizer: { name: "adam", beta1: 0.8, beta2: 0.99, epsilon: 1e-7 }, learningRate: 0.003, unsupported: null }],
      [tf.train.rmsprop(0.02, 0.95, 0.5), { optimizer: { name: "rmsprop", rho: 0.95, momentum: 0.5, epsilon: 1e-7 }, learningRate: 0.02, unsupported: null }],
      [tf.train.sgd(0.1), { optimizer: { name: "sgd" }, learningRate: 0.1, unsupported: null }],
      [tf.train.momentum(0.05, 0.9, true), { optimizer: { name: "sgd", momentum: 0.9, nesterov: true }, learningRate: 0.05, unsupported: null }],
      [tf.train.adagrad(0.2), { optimizer: null, learningRate: 0.2, unsupported: "Adagrad" }],
      [compileOptimizer({ name: "adamw", weightDecay: 0.05 }, 0.004), { optimizer: { name: "adamw", weightDecay: 0.05 }, learningRate: 0.004, unsupported: null }],
    ];
    for (const [opt, want] of cases) {
      const m = tinyModel();
      m.compile({ optimizer: opt, loss: "meanSquaredError" });
      assert.deepEqual(compiledOptimizer(m), want);
      m.dispose();
    }
    const bare = tinyModel();
    assert.deepEqual(compiledOptimizer(bare), { optimizer: null, learningRate: null, unsupported: null });
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

  it("refuses a model compiled with an optimizer train() cannot run, naming it, unless an optimizer is given", async () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.tensor2d([[1], [2]]);
    const m = tinyModel();
    m.compile({ optimizer: tf.train.adagrad(0.1), loss: "meanSquaredError" });
    await assert.rejects(
      train(m, { x, y }, { epochs: 1, seed: 1, progress: "silent" }),
      (e: Error) => e instanceof ConfigError && /compiled with the optimizer Adagrad, which train\(\) cannot run/.test(e.message) && /adam, adamw, rmsprop, sgd/.test(e.message),
    );
    const h = await train(m, { x, y }, { epochs: 1, seed: 1, progress: "silent", optimizer: "sgd" });
    assert.deepEqual(h.lr, [0.1]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it("has one name list: every name compiles for model.fit, builds a model, and runs in train()", async () => {
    assert.deepEqual(OPTIMIZERS, ["adam", "adamw", "rmsprop", "sgd"]);
    for (const name of OPTIMIZERS) {
      const model = buildModel({ inputShape: [3, 2], units: [2], outputs: 1, optimizer: name, learningRate: 0.01, seed: 1 });
      assert.equal(compiledOptimizer(model).optimizer?.name, name);
      const base = buildBaseline({ kind: "mlp", inputShape: [3, 2], outputs: 1, optimizer: name, seed: 1 });
      assert.equal(compiledOptimizer(base).optimizer?.name, name);
      assert.equal(new Optimizer(name).options.name, name);
      model.dispose();
      base.dispose();
    }
    assert.throws(() => buildModel({ inputShape: [3, 2], optimizer: "adagrad" as "adam" }), (e: Error) => e instanceof ConfigError && /Unknown optimizer "adagrad". Choose one of: adam, adamw, rmsprop, sgd/.test(e.message));
    const withOptions = buildModel({ inputShape: [3, 2], units: [2], optimizer: { name: "sgd", momentum: 0.9, nesterov: true }, learningRate: 0.02, seed: 1 });
    assert.deepEqual(compiledOptimizer(withOptions), { optimizer: { name: "sgd", momentum: 0.9, nesterov: true }, learningRate: 0.02, unsupported: null });
    withOptions.dispose();
    assert.throws(
      () => buildBaseline({ inputShape: [3, 2], optimizer: { name: "sgd", momentum: 1.5 } }),
      (e: Error) => e instanceof ConfigError && /`optimizer.momentum` must be/.test(e.message) && /1.5/.test(e.message),
    );
  });

  it("trains an adamw model exactly as train() with optimizer adamw (no silent adam)", async () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const y = tf.tensor2d([[1], [2], [3], [4]]);
    const a = tinyModel();
    a.compile({ optimizer: compileOptimizer("adamw", 0.01), loss: "meanSquaredError" });
    const ha = await train(a, { x, y }, { epochs: 2, seed: 1, progress: "silent" });
    const b = tinyModel();
    const hb = await train(b, { x, y }, { epochs: 2, seed: 1, progress: "silent", optimizer: "adamw", learningRate: 0.01 });
    const c = tinyModel();
    const hc = await train(c, { x, y }, { epochs: 2, seed: 1, progress: "silent", optimizer: "adam", learningRate: 0.01 });
    assert.deepEqual(ha.metrics["loss"], hb.metrics["loss"]);
    assert.notDeepEqual(ha.metrics["loss"], hc.metrics["loss"]);
    tf.dispose([x, y]);
  });
});

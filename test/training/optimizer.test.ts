import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { Optimizer } from "../../src/training/optimizer.js";
import { ConfigError } from "../../src/errors.js";

// f(w) = Σ a·(w - c)², gradient 2a(w - c).
const A = [1, 3, 0.5];
const C = [0.5, -1, 2];
const W0 = [0, 0.3, -0.2];
const gradOf = (w: tf.Tensor) => tf.tidy(() => tf.mul(tf.mul(2, tf.tensor1d(A)), tf.sub(w, tf.tensor1d(C))));
const loss = (w: tf.Tensor) => tf.sum(tf.mul(tf.tensor1d(A), tf.square(tf.sub(w, tf.tensor1d(C))))) as tf.Scalar;

function runOurs(opt: Optimizer, steps: number, lr: number): number[] {
  const w = tf.variable(tf.tensor1d(W0));
  for (let i = 0; i < steps; i++) {
    const g = gradOf(w);
    opt.apply([w], [g], [lr]);
    g.dispose();
  }
  const out = Array.from(w.dataSync());
  w.dispose();
  opt.dispose();
  return out;
}

function runReference(opt: tf.Optimizer, steps: number): number[] {
  const w = tf.variable(tf.tensor1d(W0));
  for (let i = 0; i < steps; i++) opt.minimize(() => loss(w), false, [w]);
  const out = Array.from(w.dataSync());
  w.dispose();
  opt.dispose();
  return out;
}

function assertClose(a: number[], b: number[], tol: number) {
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < tol, `index ${i}: ${v} vs ${b[i]}`));
}

describe("Optimizer", () => {
  before(async () => {
    await ready();
  });

  it("matches tf.train.adam over several steps", () => {
    assertClose(runOurs(new Optimizer("adam"), 6, 0.05), runReference(tf.train.adam(0.05, 0.9, 0.999, 1e-7), 6), 1e-5);
  });

  it("matches tf.train.rmsprop with and without momentum", () => {
    assertClose(runOurs(new Optimizer({ name: "rmsprop" }), 6, 0.01), runReference(tf.train.rmsprop(0.01, 0.9, 0, 1e-7), 6), 1e-5);
    assertClose(
      runOurs(new Optimizer({ name: "rmsprop", momentum: 0.5 }), 6, 0.01),
      runReference(tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7), 6),
      1e-5,
    );
  });

  it("matches tf.train.sgd and tf.train.momentum, including nesterov", () => {
    assertClose(runOurs(new Optimizer("sgd"), 5, 0.1), runReference(tf.train.sgd(0.1), 5), 1e-6);
    assertClose(runOurs(new Optimizer({ name: "sgd", momentum: 0.9 }), 5, 0.1), runReference(tf.train.momentum(0.1, 0.9), 5), 1e-5);
    assertClose(
      runOurs(new Optimizer({ name: "sgd", momentum: 0.9, nesterov: true }), 5, 0.1),
      runReference(tf.train.momentum(0.1, 0.9, true), 5),
      1e-5,
    );
  });

  it("applies AdamW's decoupled weight decay before the adam step (one step worked by hand)", () => {
    // First adam step: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
    const lr = 0.1, wd = 0.5;
    const got = runOurs(new Optimizer({ name: "adamw", weightDecay: wd }), 1, lr);
    const want = W0.map((w, i) => w * (1 - lr * wd) - lr * Math.sign(2 * (A[i] as number) * (w - (C[i] as number))));
    assertClose(got, want, 1e-6);
  });

  it("saves and restores its state so the next step is the same", () => {
    const a = new Optimizer("adam");
    const w = tf.variable(tf.tensor1d(W0));
    for (let i = 0; i < 3; i++) tf.tidy(() => a.apply([w], [gradOf(w)], [0.05]));
    const saved = a.getState();
    const b = new Optimizer("adam");
    b.setState(saved);
    const w2 = tf.variable(w.clone());
    tf.tidy(() => a.apply([w], [gradOf(w)], [0.05]));
    tf.tidy(() => b.apply([w2], [gradOf(w2)], [0.05]));
    assert.deepEqual(Array.from(w.dataSync()), Array.from(w2.dataSync()));
    assert.equal(b.iterations, 4);
    tf.dispose([w, w2]);
    a.dispose();
    b.dispose();
  });

  it("rejects unknown names and nesterov without momentum, naming the option", () => {
    assert.throws(() => new Optimizer({ name: "adamm" as "adam" }), (e: Error) => e instanceof ConfigError && /Unknown optimizer "adamm". Choose one of: adam, adamw, rmsprop, sgd./.test(e.message));
    assert.throws(() => new Optimizer({ name: "sgd", nesterov: true }), /optimizer.nesterov/);
    assert.throws(() => new Optimizer({ name: "adam", beta1: 1 }), /`optimizer.beta1` must be in \[0, 1\), got 1./);
  });
});

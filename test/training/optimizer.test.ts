import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { Optimizer, setHostUpdates, type OptimizerOptions } from "../../src/training/optimizer.js";
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

  describe("host path (wasm, cpu) against the tf-op path", () => {
    // Three variables of different shapes; gradients from a fixed formula that changes with the step.
    const shapes = [[3, 4], [4], [2, 2, 3]];
    const start = (k: number) => Float32Array.from({ length: 12 }, (_, i) => Math.sin(1.3 * i + k));
    const grad = (k: number, step: number, n: number) => Float32Array.from({ length: n }, (_, i) => Math.cos(0.7 * i + k + 0.9 * step) * (1 + step));

    /** `steps` steps (numbered from `first`) of `opt` from `from` (default: the fixed start) under `mode`; the weights after. */
    function steps(opt: Optimizer, mode: "auto" | "never", n: number, first = 0, from?: number[][]): number[][] {
      setHostUpdates(mode);
      try {
        const vars = shapes.map((sh, k) => {
          const size = sh.reduce((x, y) => x * y, 1);
          const init = tf.tensor(from ? Float32Array.from(from[k] as number[]) : start(k).subarray(0, size), sh);
          const v = tf.variable(init);
          init.dispose(); // so the wasm backend's copy is the variable's alone (in-place updates)
          return v;
        });
        for (let s = first; s < first + n; s++) {
          const gs = vars.map((v, k) => tf.tensor(grad(k, s, v.size), v.shape));
          opt.apply(vars, gs, [0.05, 0.01, 0.002]);
          tf.dispose(gs);
        }
        const w = vars.map((v) => Array.from(v.dataSync()));
        tf.dispose(vars);
        return w;
      } finally {
        setHostUpdates("auto");
      }
    }

    function run(o: OptimizerOptions, mode: "auto" | "never", n: number): { w: number[][]; opt: Optimizer } {
      const opt = new Optimizer(o);
      return { w: steps(opt, mode, n), opt };
    }

    const cases: OptimizerOptions[] = [
      { name: "adam" },
      { name: "adamw", weightDecay: 0.1 },
      { name: "rmsprop" },
      { name: "rmsprop", momentum: 0.5 },
      { name: "sgd" },
      { name: "sgd", momentum: 0.9 },
      { name: "sgd", momentum: 0.9, nesterov: true },
    ];
    for (const o of cases) {
      it(`gives the tf-op path's weights (within 1e-6) after 7 steps for ${JSON.stringify(o)}`, () => {
        const host = run(o, "auto", 7);
        const ops = run(o, "never", 7);
        host.w.forEach((w, k) => assertClose(w, ops.w[k] as number[], 1e-6)); // the host path rounds to float32 once per value, the ops once per op
        // ... and really moved them.
        assert.ok(Math.abs((host.w[0] as number[])[0]! - start(0)[0]!) > 1e-3);
        host.opt.dispose();
        ops.opt.dispose();
      });
    }

    it("leaves a clone taken before the step alone, and the model's matMul sees the new weights (no in-place writes)", () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false })] });
      m.setWeights([tf.tensor2d([[1]])]);
      const w = m.trainableWeights[0]!.read() as tf.Variable;
      const opt = new Optimizer("sgd");
      const x = tf.tensor2d([[1]]);
      const g = tf.tensor2d([[1]]);
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        const saved = w.clone();
        opt.apply([w], [g], [0.25]);
        const p = m.predict(x) as tf.Tensor;
        out.push(p.dataSync()[0] as number, saved.dataSync()[0] as number);
        tf.dispose([p, saved]);
      }
      // predictions 0.75, 0.5, 0.25 after each step; each clone keeps the value from before its step.
      assert.deepEqual(out, [0.75, 1, 0.5, 0.75, 0.25, 0.5]);
      tf.dispose([x, g]);
      m.dispose();
    });

    it("carries its state from the host path into the tf-op path and back (a checkpoint restored on another backend)", () => {
      const straight = run({ name: "adam" }, "auto", 6);
      for (const [first, second] of [["auto", "never"], ["never", "auto"]] as const) {
        const a = new Optimizer("adam");
        const mid = steps(a, first, 3);
        const b = new Optimizer("adam");
        b.setState(a.getState());
        assert.deepEqual(b.getState().slots.map((x) => x.shape), [[3, 4], [4], [2, 2, 3], [3, 4], [4], [2, 2, 3]]);
        const end = steps(b, second, 3, 3, mid);
        end.forEach((w, k) => assertClose(w, straight.w[k] as number[], 1e-6));
        a.dispose();
        b.dispose();
      }
      straight.opt.dispose();
    });
  });
});

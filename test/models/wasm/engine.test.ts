import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../../src/backend/index.js";
import { ConfigError } from "../../../src/errors.js";
import { FusedGRU, FusedLSTM } from "../../../src/models/index.js";
import { gruSequence, packGruWeights } from "../../../src/models/gru-sequence.js";
import { lstmSequence, packLstmWeights } from "../../../src/models/lstm-sequence.js";
import type { SequenceMasks, SequenceRun } from "../../../src/models/sequence-steps.js";
import {
  RnnKernel,
  describeRnnEngine,
  rnnEngine,
  setRnnEngine,
  wasmGruFits,
  wasmGruSequence,
  wasmLstmFits,
  wasmLstmSequence,
} from "../../../src/models/wasm/index.js";
import { maxAbsDiff, maxRelDiff, rand } from "../helpers.js";
import { ensureKernelBuilt, kernelsUnderTest, wave } from "./helpers.js";

// Awkward sizes on purpose: B = 9 splits unevenly over threads (4 + 5 rows), H = 5 leaves a tail of
// one column after the 4-wide vectors, F = 3.
const ENGINE_MODULE = join(__dirname, "..", "..", "..", "src", "models", "wasm", "index.ts");

/** What engine "auto" runs here: native where the addon is built for this platform and the CPU has AVX2. */
const AUTO = kernelsUnderTest().some((k) => k.name.startsWith("native")) ? "native" : "wasm";

const B = 9;
const T = 6;
const F = 3;
const H = 5;

before(async () => {
  ensureKernelBuilt();
  await ready();
});
after(() => {
  setRnnEngine({ engine: "tf" });
});

const t2 = (n: number, m: number, seed: number, s = 0.6) => tf.tensor2d(wave(n * m, seed, s), [n, m]);
const binary = (n: number, m: number, seed: number, scale: number) =>
  tf.tensor2d(Array.from(wave(n * m, seed), (v) => (v > -0.3 ? scale : 0)), [n, m]);

interface Case {
  name: string;
  run: SequenceRun;
  masks: () => SequenceMasks;
}
const none = (): SequenceMasks => ({ mask: null, inputMask: null, recurrentMask: null });
const CASES: Case[] = [
  { name: "the last output", run: { returnSequences: false, returnCarry: false, goBackwards: false }, masks: none },
  { name: "every output and the carry", run: { returnSequences: true, returnCarry: true, goBackwards: false }, masks: none },
  { name: "walking backwards", run: { returnSequences: true, returnCarry: false, goBackwards: true }, masks: none },
  {
    name: "padding masks and both dropout masks, backwards",
    run: { returnSequences: true, returnCarry: true, goBackwards: true },
    masks: () => ({ mask: binary(B, T, 11, 1), inputMask: binary(B, F, 12, 2), recurrentMask: binary(B, H, 13, 2) }),
  },
  {
    name: "padding masks and both dropout masks, last output",
    run: { returnSequences: false, returnCarry: false, goBackwards: false },
    masks: () => ({ mask: binary(B, T, 14, 1), inputMask: binary(B, F, 15, 1.25), recurrentMask: binary(B, H, 16, 1.25) }),
  },
];

/** Value and gradients of sum(f(inputs) ∘ projection) wrt every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): [tf.Tensor, tf.Tensor[]] {
  const y = f(...inputs);
  const proj = rand(y.shape, seed);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), proj)))(inputs);
  return [y, grads];
}

function assertClose(mine: [tf.Tensor, tf.Tensor[]], ref: [tf.Tensor, tf.Tensor[]], names: string[]): void {
  assert.deepEqual(mine[0].shape, ref[0].shape);
  assert.ok(maxAbsDiff(mine[0], ref[0]) < 1e-5, `forward differs by ${maxAbsDiff(mine[0], ref[0])}`);
  ref[1].forEach((g, i) => {
    const rel = maxRelDiff(mine[1][i] as tf.Tensor, g);
    assert.ok(rel < 1e-4, `gradient of ${names[i]} differs by ${rel} relative`);
  });
}

for (const kut of kernelsUnderTest()) {
  for (const threads of [1, 2]) {
    describe(`the ${kut.name} kernel (${threads} thread${threads > 1 ? "s" : ""}) against the tf-op engine`, () => {
      const kernel = kut.load(threads);
      const x = () => tf.tensor3d(wave(B * T * F, 1, 1.2), [B, T, F]);
      for (const c of CASES) {
        it(`gives the same LSTM outputs and gradients (x, kernel, recurrent, bias, h0, c0) for ${c.name}`, () => {
          tf.tidy(() => {
            const masks = c.masks();
            const inputs = [x(), t2(F, 4 * H, 2), t2(H, 4 * H, 3), tf.tensor1d(wave(4 * H, 4, 0.5)), t2(B, H, 5), t2(B, H, 6)];
            const mine = valueAndGrads(
              (xx, k, u, b, h0, c0) =>
                wasmLstmSequence(kernel, xx as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, c0 as tf.Tensor2D, masks, c.run),
              inputs,
              7,
            );
            const ref = valueAndGrads(
              (xx, k, u, b, h0, c0) =>
                lstmSequence(xx as tf.Tensor3D, packLstmWeights(k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D), h0 as tf.Tensor2D, c0 as tf.Tensor2D, masks, c.run),
              inputs,
              7,
            );
            assertClose(mine, ref, ["x", "kernel", "recurrent", "bias", "h0", "c0"]);
          });
        });
        it(`gives the same GRU outputs and gradients (x, kernel, recurrent, bias, h0) for ${c.name}`, () => {
          tf.tidy(() => {
            const masks = c.masks();
            const run = { ...c.run, returnCarry: false };
            const inputs = [x(), t2(F, 3 * H, 2), t2(H, 3 * H, 3), tf.tensor1d(wave(3 * H, 4, 0.5)), t2(B, H, 5)];
            const mine = valueAndGrads(
              (xx, k, u, b, h0) =>
                wasmGruSequence(kernel, xx as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, masks, run),
              inputs,
              8,
            );
            const ref = valueAndGrads(
              (xx, k, u, b, h0) => {
                const [w1, w2] = packGruWeights(k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D);
                return gruSequence(xx as tf.Tensor3D, w1, w2, h0 as tf.Tensor2D, masks, run);
              },
              inputs,
              8,
            );
            assertClose(mine, ref, ["x", "kernel", "recurrent", "bias", "h0"]);
          });
        });
      }
    });
  }
}

describe("the wasm engine inside the fused layers", () => {
  for (const cell of ["lstm", "gru"] as const) {
    it(`${cell}: matches tf.layers.${cell} stacked two deep with useBias false, on 2 threads`, () => {
      setRnnEngine({ engine: "wasm", threads: 2 });
      tf.tidy(() => {
        const mk = (fused: boolean, returnSequences: boolean, inputShape?: number[]) => {
          const o = { units: H, returnSequences, useBias: false, ...(inputShape ? { inputShape } : {}) };
          if (!fused) return cell === "lstm" ? tf.layers.lstm({ ...o, recurrentActivation: "sigmoid" }) : tf.layers.gru({ ...o, recurrentActivation: "sigmoid" });
          return cell === "lstm" ? new FusedLSTM({ ...o, seed: 3 }) : new FusedGRU({ ...o, seed: 3 });
        };
        const ref = tf.sequential({ layers: [mk(false, true, [T, F]), mk(false, false), tf.layers.dense({ units: 2 })] });
        const mine = tf.sequential({ layers: [mk(true, true, [T, F]), mk(true, false), tf.layers.dense({ units: 2 })] });
        mine.setWeights(ref.getWeights());
        const xx = tf.tensor3d(wave(B * T * F, 9, 1.5), [B, T, F]);
        assert.ok(maxAbsDiff(mine.predict(xx) as tf.Tensor, ref.predict(xx) as tf.Tensor) < 1e-5);
        const proj = rand([B, 2], 10);
        const grads = (m: tf.LayersModel) => {
          const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
          const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(m.apply(xx, { training: true }) as tf.Tensor, proj)) as tf.Scalar, vars);
          return vars.map((v) => g[v.name] as tf.Tensor);
        };
        const gr = grads(ref);
        grads(mine).forEach((g, i) => assert.ok(maxRelDiff(g, gr[i] as tf.Tensor) < 1e-4, `gradient ${i}`));
      });
    });
  }

  it("recomputes the forward when more than 16 layer calls reused its saved state before the backward", () => {
    const kernel = RnnKernel.load({ threads: 1 });
    tf.tidy(() => {
      const masks = none();
      const run = { returnSequences: true, returnCarry: false, goBackwards: false };
      const inputs = [tf.tensor3d(wave(B * T * F, 1), [B, T, F]), t2(F, 4 * H, 2), t2(H, 4 * H, 3), tf.tensor1d(wave(4 * H, 4, 0.5)), t2(B, H, 5), t2(B, H, 6)];
      const f = (xx: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) => {
        const y = wasmLstmSequence(kernel, xx as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, c0 as tf.Tensor2D, masks, run);
        // 17 more calls wrap the ring of saved-state regions before the backward of `y` runs.
        for (let i = 0; i < 17; i++) {
          tf.dispose(wasmLstmSequence(kernel, tf.mul(xx, 2) as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, c0 as tf.Tensor2D, masks, run));
        }
        return y;
      };
      const ref = (xx: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) =>
        lstmSequence(xx as tf.Tensor3D, packLstmWeights(k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D), h0 as tf.Tensor2D, c0 as tf.Tensor2D, masks, run);
      assertClose(valueAndGrads(f, inputs, 3), valueAndGrads(ref, inputs, 3), ["x", "kernel", "recurrent", "bias", "h0", "c0"]);
    });
  });

  it("takes null initial states as zeros: same outputs and x/weight gradients as the tf-op engine given zeros", () => {
    const kernel = RnnKernel.load({ threads: 2 });
    tf.tidy(() => {
      const masks = none();
      const run = { returnSequences: true, returnCarry: true, goBackwards: false };
      const z = tf.zeros([B, H]) as tf.Tensor2D;
      const lstmIn = [tf.tensor3d(wave(B * T * F, 1), [B, T, F]), t2(F, 4 * H, 2), t2(H, 4 * H, 3), tf.tensor1d(wave(4 * H, 4, 0.5))];
      const mine = valueAndGrads(
        (xx, k, u, b) => wasmLstmSequence(kernel, xx as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, null, null, masks, run),
        lstmIn,
        9,
      );
      const ref = valueAndGrads(
        (xx, k, u, b) => lstmSequence(xx as tf.Tensor3D, packLstmWeights(k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D), z, z, masks, run),
        lstmIn,
        9,
      );
      assertClose(mine, ref, ["x", "kernel", "recurrent", "bias"]);
      const gruRun = { ...run, returnCarry: false };
      const gruIn = [tf.tensor3d(wave(B * T * F, 1), [B, T, F]), t2(F, 3 * H, 2), t2(H, 3 * H, 3), tf.tensor1d(wave(3 * H, 4, 0.5))];
      const mineGru = valueAndGrads(
        (xx, k, u, b) => wasmGruSequence(kernel, xx as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, null, masks, gruRun),
        gruIn,
        10,
      );
      const refGru = valueAndGrads((xx, k, u, b) => {
        const [w1, w2] = packGruWeights(k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D);
        return gruSequence(xx as tf.Tensor3D, w1, w2, z, masks, gruRun);
      }, gruIn, 10);
      assertClose(mineGru, refGru, ["x", "kernel", "recurrent", "bias"]);
    });
  });

  it("leaves calls too big for the kernel's 2 GiB memory to tf ops, and takes ordinary ones", () => {
    const kernel = RnnKernel.load({ threads: 1 });
    assert.equal(wasmLstmFits(kernel, 256, 20000, 64, 256), false);
    assert.equal(wasmGruFits(kernel, 256, 20000, 64, 256), false);
    assert.equal(wasmLstmFits(kernel, 64, 100, 4, 128), true);
    assert.equal(wasmGruFits(kernel, 64, 100, 4, 128), true);
  });

  it("leaves no tensors behind after a training step", () => {
    setRnnEngine({ engine: "wasm", threads: 2 });
    const model = tf.sequential({ layers: [new FusedLSTM({ units: H, returnSequences: true, inputShape: [T, F], seed: 1 }), new FusedGRU({ units: H, seed: 2 })] });
    const xx = tf.tensor3d(wave(B * T * F, 2), [B, T, F]);
    const opt = tf.train.sgd(0.1);
    const step = () => { const l = opt.minimize(() => tf.mean(tf.square(model.apply(xx, { training: true }) as tf.Tensor)) as tf.Scalar, true); if (l) l.dispose(); };
    step();
    const before = tf.memory().numTensors;
    step();
    step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose(xx);
    opt.dispose();
    model.dispose();
  });
});

describe("setRnnEngine and rnnEngine", () => {
  it("reports the wasm engine with its build and threads when chosen, and tf when chosen", () => {
    const w = setRnnEngine({ engine: "wasm", threads: 2, variant: "simd" });
    assert.deepEqual([w.engine, w.variant, w.threads], ["wasm", "simd", 2]);
    assert.equal(rnnEngine().engine, "wasm");
    assert.equal(describeRnnEngine(w), 'wasm kernel (simd, 2 threads; chosen (engine "wasm"))');
    const t = setRnnEngine({ engine: "tf" });
    assert.deepEqual([t.engine, t.variant, t.threads], ["tf", null, 1]);
    assert.equal(describeRnnEngine(), 'tf ops (engine "tf" (TensorFlow.js ops, the reference; engine "auto", the default, runs the native or wasm kernel))');
  });

  it(`picks the ${AUTO} engine for engine "auto" on the wasm and cpu backends (native where the addon runs, else wasm)`, () => {
    const info = setRnnEngine({ engine: "auto", threads: 1 });
    assert.ok(["wasm", "cpu"].includes(tf.getBackend()));
    assert.equal(info.engine, AUTO);
    if (AUTO === "native") assert.equal(info.reason, `engine "auto" on the ${tf.getBackend()} backend`);
    else assert.match(info.reason, /^engine "auto" on the \w+ backend; native kernel unavailable: /);
  });

  it("picks the wasm engine for engine \"auto\" when a wasm build is forced, and the native one when a native build is", () => {
    assert.equal(setRnnEngine({ engine: "auto", threads: 1, variant: "simd" }).engine, "wasm");
    if (AUTO === "native") {
      const n = setRnnEngine({ engine: "auto", threads: 1, variant: "avx2" });
      assert.deepEqual([n.engine, n.variant], ["native", "avx2"]);
    }
  });

  it("reports the native engine with its instruction set and threads when chosen, where the addon runs", () => {
    if (AUTO !== "native") {
      assert.throws(() => setRnnEngine({ engine: "native" }), (e: unknown) => e instanceof ConfigError && /engine "native" is not usable here: /.test(e.message));
      return;
    }
    const n = setRnnEngine({ engine: "native", threads: 2, variant: "avx2" });
    assert.deepEqual([n.engine, n.variant, n.threads], ["native", "avx2", 2]);
    assert.equal(describeRnnEngine(n), 'native kernel (avx2, 2 threads; chosen (engine "native"))');
  });

  it("refuses a variant of the other kernel with a ConfigError naming both", () => {
    assert.throws(
      () => setRnnEngine({ engine: "wasm", variant: "avx512" }),
      (e: unknown) => e instanceof ConfigError && e.message === 'variant "avx512" is a native build, not one of engine "wasm".',
    );
    assert.throws(
      () => setRnnEngine({ engine: "native", variant: "simd" }),
      (e: unknown) => e instanceof ConfigError && e.message === 'variant "simd" is a wasm build, not one of engine "native".',
    );
  });

  it(`defaults to the ${AUTO} kernel on the wasm/cpu backends, takes the engine and threads from LSTM_LAB_RNN_ENGINE and LSTM_LAB_RNN_THREADS, and names a bad value`, () => {
    const probe = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--eval",
          `const m = require(${JSON.stringify(ENGINE_MODULE)});
           require("@tensorflow/tfjs").ready().then(() => console.log(JSON.stringify(m.rnnEngine())));`,
        ],
        { encoding: "utf8", env: { ...process.env, LSTM_LAB_BACKEND: "cpu", ...env } },
      );
    const byDefault = probe({ LSTM_LAB_RNN_ENGINE: "" });
    assert.equal(JSON.parse(byDefault.stdout).engine, AUTO, byDefault.stderr);
    const tfRun = probe({ LSTM_LAB_RNN_ENGINE: "tf" });
    assert.equal(JSON.parse(tfRun.stdout).engine, "tf", tfRun.stderr);
    const autoRun = probe({ LSTM_LAB_RNN_ENGINE: "auto" });
    assert.equal(JSON.parse(autoRun.stdout).engine, AUTO, autoRun.stderr);
    if (AUTO === "native") {
      const nativeRun = probe({ LSTM_LAB_RNN_ENGINE: "native", LSTM_LAB_RNN_THREADS: "1" });
      assert.deepEqual([JSON.parse(nativeRun.stdout).engine, JSON.parse(nativeRun.stdout).threads], ["native", 1], nativeRun.stderr);
    }
    const wasmRun = probe({ LSTM_LAB_RNN_ENGINE: "wasm", LSTM_LAB_RNN_THREADS: "1" });
    assert.deepEqual(
      [JSON.parse(wasmRun.stdout).engine, JSON.parse(wasmRun.stdout).threads],
      ["wasm", 1],
      wasmRun.stderr,
    );
    const bad = probe({ LSTM_LAB_RNN_ENGINE: "fast" });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /Unknown LSTM_LAB_RNN_ENGINE "fast"/);
  });

  it("rejects an unknown engine and a thread count below 1 with ConfigErrors naming the option and value", () => {
    assert.throws(() => setRnnEngine({ engine: "gpu" as "tf" }), (e: unknown) => e instanceof ConfigError && /engine/.test(e.message) && /gpu/.test(e.message));
    assert.throws(() => setRnnEngine({ threads: 0 }), (e: unknown) => e instanceof ConfigError && /threads/.test(e.message) && /0/.test(e.message));
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../../src/backend/index.js";
import type { SequenceMasks, SequenceRun } from "../../../src/models/sequence-steps.js";
import { RnnKernel, WG_CHUNK, wasmGruFits, wasmGruSequence, wasmLstmFits, wasmLstmSequence } from "../../../src/models/wasm/index.js";
import { ensureKernelBuilt, kernelsUnderTest, wave } from "./helpers.js";

// The same seed must give the same run whatever the thread count: the kernel splits batch rows
// (recurrences) and weight-gradient columns (weightGrad) into parts by the thread count, and no sum
// may depend on that split or on which thread claimed which part. So each result below must be the
// same bits at 1, 2 and 3 threads (parts 1, 4 and 6 of the recurrences; 1, 2 and 3 of the weight
// gradient), not merely close.

before(async () => {
  ensureKernelBuilt();
  await ready();
});

const THREADS = [1, 2, 3];

interface Shape {
  B: number;
  T: number;
  F: number;
  H: number;
  why: string;
}
const SHAPES: Shape[] = [
  { B: 9, T: 6, F: 3, H: 5, why: "rows that split unevenly, a one-column H tail" },
  { B: 3, T: 5, F: 2, H: 8, why: "fewer rows than one 4-row unit, so most parts are empty" },
  // T·B = 2,310 rows: nine full weight-gradient chunks and a partial one; 4H = 52 columns, not a multiple of 8.
  { B: 33, T: 70, F: 4, H: 13, why: `${Math.ceil((70 * 33) / WG_CHUNK)} weight-gradient chunks, the last partial, and 52 gate columns` },
];

interface Case {
  name: string;
  run: SequenceRun;
  masks: (s: Shape) => SequenceMasks;
}

/** A padding mask for ragged lengths: row b is valid for its first 1 + (b·5 mod T) steps. */
function ragged(B: number, T: number): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: B * T }, (_, i) => (i % T < 1 + ((Math.floor(i / T) * 5) % T) ? 1 : 0)), [B, T]);
}
/** An inverted-dropout mask: 0 or 1/(1 − rate), from a fixed formula. */
const dropMask = (n: number, m: number, seed: number, rate: number) =>
  tf.tensor2d(Array.from(wave(n * m, seed), (v) => (v > 2 * rate - 1 ? 1 / (1 - rate) : 0)), [n, m]);

const CASES: Case[] = [
  { name: "the last output", run: { returnSequences: false, returnCarry: false, goBackwards: false }, masks: () => ({ mask: null, inputMask: null, recurrentMask: null }) },
  {
    name: "every output and the carry, ragged lengths",
    run: { returnSequences: true, returnCarry: true, goBackwards: false },
    masks: (s) => ({ mask: ragged(s.B, s.T), inputMask: null, recurrentMask: null }),
  },
  {
    name: "ragged lengths and input and recurrent dropout, walking backwards",
    run: { returnSequences: true, returnCarry: true, goBackwards: true },
    masks: (s) => ({ mask: ragged(s.B, s.T), inputMask: dropMask(s.B, s.F, 3, 0.25), recurrentMask: dropMask(s.B, s.H, 4, 0.25) }),
  },
];

/** The bytes of a float tensor, for a bit-for-bit comparison (NaN payloads and signed zeros included). */
const bytes = (t: tf.Tensor): Buffer => {
  const v = t.dataSync() as Float32Array;
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
};

/** Output and gradients of sum(f(inputs) ∘ projection) wrt every input, as bytes. */
function outputAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], outShape: number[]): Buffer[] {
  return tf.tidy(() => {
    const proj = tf.tensor(wave(outShape.reduce((a, b) => a * b, 1), 21, 1), outShape);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), proj)))(inputs);
    return [bytes(f(...inputs)), ...grads.map(bytes)];
  });
}

const t2 = (n: number, m: number, seed: number, s = 0.5) => tf.tensor2d(wave(n * m, seed, s), [n, m]);

function lstmResults(kernel: RnnKernel, s: Shape, c: Case): Buffer[] {
  return tf.tidy(() => {
    const masks = c.masks(s);
    const { B, T, F, H } = s;
    const nOut = (c.run.returnSequences ? T : 1) + (c.run.returnCarry ? 1 : 0);
    const inputs = [tf.tensor3d(wave(B * T * F, 1, 1.2), [B, T, F]), t2(F, 4 * H, 2), t2(H, 4 * H, 3), tf.tensor1d(wave(4 * H, 4, 0.5)), t2(B, H, 5), t2(B, H, 6)];
    const f = (x: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) =>
      wasmLstmSequence(kernel, x as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, c0 as tf.Tensor2D, masks, c.run);
    return outputAndGrads(f as (...xs: tf.Tensor[]) => tf.Tensor, inputs, [B, nOut, H]);
  });
}

function gruResults(kernel: RnnKernel, s: Shape, c: Case): Buffer[] {
  return tf.tidy(() => {
    const masks = c.masks(s);
    const run = { ...c.run, returnCarry: false };
    const { B, T, F, H } = s;
    const inputs = [tf.tensor3d(wave(B * T * F, 1, 1.2), [B, T, F]), t2(F, 3 * H, 2), t2(H, 3 * H, 3), tf.tensor1d(wave(3 * H, 4, 0.5)), t2(B, H, 5)];
    const f = (x: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor, h0: tf.Tensor) =>
      wasmGruSequence(kernel, x as tf.Tensor3D, k as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, masks, run);
    return outputAndGrads(f as (...xs: tf.Tensor[]) => tf.Tensor, inputs, [B, run.returnSequences ? T : 1, H]);
  });
}

function assertSameBits(results: Buffer[][], names: string[]): void {
  const [first, ...rest] = results as [Buffer[], ...Buffer[][]];
  rest.forEach((r, i) =>
    names.forEach((name, j) => assert.ok((r[j] as Buffer).equals(first[j] as Buffer), `${name} at ${THREADS[i + 1]} threads differs from 1 thread`)),
  );
}

for (const kut of kernelsUnderTest()) {
  describe(`the ${kut.name} kernel at 1, 2 and 3 threads`, () => {
    const kernels = THREADS.map((threads) => kut.load(threads));
    for (const s of SHAPES) {
      for (const c of CASES) {
        const shape = `B=${s.B} T=${s.T} F=${s.F} H=${s.H} (${s.why})`;
        it(`gives bit-identical LSTM outputs and gradients (x, kernel, recurrent, bias, h0, c0) for ${c.name}, ${shape}`, () => {
          assertSameBits(kernels.map((k) => lstmResults(k, s, c)), ["output", "dx", "dkernel", "drecurrent", "dbias", "dh0", "dc0"]);
        });
        it(`gives bit-identical GRU outputs and gradients (x, kernel, recurrent, bias, h0) for ${c.name}, ${shape}`, () => {
          assertSameBits(kernels.map((k) => gruResults(k, s, c)), ["output", "dx", "dkernel", "drecurrent", "dbias", "dh0"]);
        });
      }
    }
  });
}

describe("the layers' size checks", () => {
  it("take the same calls to the kernel at 1, 3 and 16 threads, up to the last sequence length that fits", () => {
    const [one, ...more] = [1, 3, 16].map((threads) => RnnKernel.load({ threads, variant: "simd" })) as [RnnKernel, ...RnnKernel[]];
    for (const [fits, B, F, H] of [[wasmLstmFits, 64, 8, 256], [wasmGruFits, 64, 8, 256]] as const) {
      // The longest T that fits on one thread, by bisection; the others must agree at it and one past it.
      let lo = 1;
      let hi = 1 << 20;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (fits(one, B, mid, F, H)) lo = mid;
        else hi = mid;
      }
      for (const k of more) assert.deepEqual([fits(k, B, lo, F, H), fits(k, B, lo + 1, F, H)], [true, false], `${fits.name} at ${k.threads} threads, T = ${lo}`);
    }
    for (const k of [one, ...more]) void k.close();
  });
});

// Run in a child per thread count (LSTM_LAB_RNN_THREADS is read once, at the engine's first use):
// a seeded train() of an LSTM and a GRU model on ragged (masked) sequences with validation data,
// printing every weight's bytes and the history without its timings.
const TRAIN_SCRIPT = `
const lab = require(${JSON.stringify(join(__dirname, "..", "..", "..", "src", "index.ts"))});
const { tf } = lab;
(async () => {
  await lab.ready();
  const n = 72, T = 12, F = 3;
  const x = new Float32Array(n * T * F), y = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const len = 4 + (b * 7) % (T - 3);
    for (let t = 0; t < len; t++) for (let f = 0; f < F; f++) x[(b * T + t) * F + f] = Math.sin(0.37 * b + 0.9 * t + 1.3 * f);
    y[b] = Math.cos(0.37 * b) * 0.5 + len / T;
  }
  const out = { engine: lab.rnnEngine(), runs: [] };
  for (const cell of ["lstm", "gru"]) {
    const model = lab.buildModel({ inputShape: [T, F], units: [16, 12], cell, outputs: 1, seed: 5, fused: true, maskValue: 0 });
    const xs = tf.tensor3d(x, [n, T, F]), ys = tf.tensor2d(y, [n, 1]);
    const h = await lab.train(model, { x: xs.slice(0, 56), y: ys.slice(0, 56) }, {
      epochs: 3, batchSize: 20, seed: 11, progress: "silent", validationData: { x: xs.slice(56), y: ys.slice(56) },
    });
    const weights = model.getWeights().map((w) => Buffer.from(w.dataSync().buffer).toString("base64"));
    const { seconds, ...history } = h;
    out.runs.push({ cell, weights, history });
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

// The native engine where this machine runs it (the addon built for it, AVX2 at least).
const TRAIN_ENGINES = kernelsUnderTest().some((k) => k.name.startsWith("native")) ? ["wasm", "native"] : ["wasm"];

describe("train() at 1, 2 and 3 threads", () => {
  for (const engine of TRAIN_ENGINES) it(`gives bit-identical weights and history on the ${engine} engine (LSTM and GRU, masked ragged sequences, validation data) whatever the thread count`, () => {
    const runs = THREADS.map((threads) => {
      const r = spawnSync(process.execPath, ["--import", "tsx", "--eval", TRAIN_SCRIPT], {
        encoding: "utf8",
        env: { ...process.env, LSTM_LAB_RNN_ENGINE: engine, LSTM_LAB_RNN_THREADS: String(threads) },
        timeout: 300_000,
      });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout.trim().split("\n").pop() as string) as {
        engine: { engine: string; threads: number };
        runs: { cell: string; weights: string[]; history: Record<string, unknown> }[];
      };
      assert.deepEqual([out.engine.engine, out.engine.threads], [engine, threads]);
      return out.runs;
    });
    const [one, ...others] = runs as [(typeof runs)[number], ...typeof runs];
    for (const [i, r] of others.entries()) {
      for (const [j, run] of r.entries()) {
        const ref = one[j] as (typeof one)[number];
        assert.equal((ref.history["metrics"] as { loss: number[] }).loss.length, 3, "three epochs ran");
        assert.deepEqual(run.history, ref.history, `${run.cell} history at ${THREADS[i + 1]} threads`);
        assert.deepEqual(run.weights, ref.weights, `${run.cell} weights at ${THREADS[i + 1]} threads`);
      }
    }
  });
});

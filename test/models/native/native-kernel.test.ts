// The native kernel runs the wasm kernel's numerical suites (test/models/wasm/kernel, engine and
// threads tests list it through kernelsUnderTest). Here: what is its own — the AVX2 and AVX-512 builds
// agree bit for bit, and loading says why it cannot run.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../../src/backend/index.js";
import { loadNativeKernel, nativeAddonFile } from "../../../src/models/native/native-kernel.js";
import type { SequenceMasks } from "../../../src/models/sequence-steps.js";
import { wasmGruSequence, wasmLstmSequence, type RnnKernel } from "../../../src/models/wasm/index.js";
import { kernelsUnderTest, wave } from "../wasm/helpers.js";

before(async () => {
  await ready();
});

const natives = kernelsUnderTest().filter((k) => k.name.startsWith("native"));

// B = 13 rows split unevenly over 3 threads, H = 21 (neither AVX2's 8 nor AVX-512's 16 divides
// 4H = 84 or K = F + H = 26, so every column block, the masked tail included, is used).
const B = 13;
const T = 7;
const F = 5;
const H = 21;

const t2 = (n: number, m: number, seed: number) => tf.tensor2d(wave(n * m, seed, 0.6), [n, m]);
const masks = (): SequenceMasks => ({
  mask: tf.tensor2d(Array.from(wave(B * T, 11), (v) => (v > -0.4 ? 1 : 0)), [B, T]),
  inputMask: tf.tensor2d(Array.from(wave(B * F, 12), (v) => (v > -0.3 ? 1.25 : 0)), [B, F]),
  recurrentMask: tf.tensor2d(Array.from(wave(B * H, 13), (v) => (v > -0.3 ? 1.25 : 0)), [B, H]),
});

/** Output and gradients of sum(f ∘ projection) for every input, as raw bytes. */
function bits(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): Buffer[] {
  const y = f(...inputs);
  const proj = tf.tensor(wave(y.size, 9), y.shape);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), proj)))(inputs);
  return [y, ...grads].map((t) => Buffer.from(t.dataSync().buffer));
}

function lstmBits(k: RnnKernel): Buffer[] {
  return tf.tidy(() => {
    const m = masks();
    const inputs = [tf.tensor3d(wave(B * T * F, 1, 1.2), [B, T, F]), t2(F, 4 * H, 2), t2(H, 4 * H, 3), tf.tensor1d(wave(4 * H, 4, 0.5)), t2(B, H, 5), t2(B, H, 6)];
    const run = { returnSequences: true, returnCarry: true, goBackwards: true };
    return bits(
      (x, w, u, b, h0, c0) =>
        wasmLstmSequence(k, x as tf.Tensor3D, w as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, c0 as tf.Tensor2D, m, run),
      inputs,
    );
  });
}

function gruBits(k: RnnKernel): Buffer[] {
  return tf.tidy(() => {
    const m = masks();
    const inputs = [tf.tensor3d(wave(B * T * F, 1, 1.2), [B, T, F]), t2(F, 3 * H, 2), t2(H, 3 * H, 3), tf.tensor1d(wave(3 * H, 4, 0.5)), t2(B, H, 5)];
    const run = { returnSequences: true, returnCarry: false, goBackwards: false };
    return bits(
      (x, w, u, b, h0) => wasmGruSequence(k, x as tf.Tensor3D, w as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, h0 as tf.Tensor2D, m, run),
      inputs,
    );
  });
}

describe("the native kernel's builds", () => {
  it("run on this machine: AVX2 at least where the addon is built for linux-x64", () => {
    if (process.platform === "linux" && process.arch === "x64") assert.ok(natives.some((k) => k.variant === "avx2"), "the avx2 build loads");
    else assert.equal(natives.length, 0);
  });

  for (const [name, of] of [["LSTM", lstmBits], ["GRU", gruBits]] as const) {
    it(`give bit-identical ${name} outputs and gradients on AVX-512 at 3 threads and AVX2 at 1 thread (each element is one FMA chain in k order)`, () => {
      const runs = natives.map((k) => of(k.load(k.variant === "avx512" ? 3 : 1)));
      const [first, ...rest] = runs;
      for (const r of rest) r.forEach((b, i) => assert.ok(b.equals((first as Buffer[])[i] as Buffer), `result ${i} differs between builds`));
    });
  }
});

describe("loadNativeKernel", () => {
  it("names the missing addon file and the platform when the addon is not there", () => {
    const file = join(tmpdir(), "no-such-addon.node");
    assert.throws(() => loadNativeKernel({ threads: 1, file }), (e: unknown) => e instanceof Error && e.message.includes(file) && e.message.includes(`${process.platform}-${process.arch}`));
  });
});

describe("the native addon's calls", () => {
  it("refuse a wrong handle, entry point or part count with the call's signature, and run nothing", (t) => {
    const isa = natives[0]?.variant;
    if (!isa) {
      assert.ok(!existsSync(nativeAddonFile()) || !(process.platform === "linux" && process.arch === "x64"), "the addon loads on linux-x64");
      return;
    }
    type Addon = {
      open(m: Uint8Array, a: Int32Array, threads: number, isa: string): object;
      call(h: unknown, fn: unknown): void;
      run(h: unknown, fn: unknown, parts?: unknown): void;
      close(h: unknown): void;
    };
    const addon = createRequire(__filename)(nativeAddonFile()) as Addon;
    const h = addon.open(new Uint8Array(65536), new Int32Array(32), 2, isa);
    t.after(() => addon.close(h));
    assert.throws(() => addon.call({}, 0), /^Error: call\(handle, fn\): bad arguments$/);
    assert.throws(() => addon.call(h, 11), /^Error: call\(handle, fn\): bad arguments$/);
    assert.throws(() => addon.call(h, "gemm"), /^Error: call\(handle, fn\): bad arguments$/);
    assert.throws(() => addon.run(h, -1, 2), /^Error: run\(handle, fn, parts\): bad arguments$/);
    assert.throws(() => addon.run(h, 0, 0), /^Error: run\(handle, fn, parts\): bad arguments$/);
    assert.throws(() => addon.run(h, 0), /^Error: run\(handle, fn, parts\): bad arguments$/);
    // Entry 0 (init) takes no part arguments: splitting it into parts is refused, calling it runs.
    assert.throws(() => addon.run(h, 0, 2), /^Error: run\(handle, fn, parts\): bad arguments$/);
    assert.throws(() => addon.close(42), /^Error: close\(handle\): bad arguments$/);
    addon.call(h, 0);
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RnnKernel, WG_CHUNK, weightGradScratch } from "../../../src/models/wasm/index.js";
import { ensureKernelBuilt, kernelsUnderTest, wave } from "./helpers.js";

before(() => ensureKernelBuilt());

/** Textbook triple loop: C = A·B (+ bias row), A [M, K], B [K, N]. */
function naiveGemm(M: number, N: number, K: number, a: Float32Array, b: Float32Array, bias: Float32Array | null): Float64Array {
  const c = new Float64Array(M * N);
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let s = bias ? (bias[n] as number) : 0;
      for (let k = 0; k < K; k++) s += (a[m * K + k] as number) * (b[k * N + n] as number);
      c[m * N + n] = s;
    }
  return c;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

for (const kut of kernelsUnderTest()) {
  describe(`the ${kut.name} kernel`, () => {
    const k = () => kut.load(1);

    it("computes tanh within 3e-7 of Math.tanh from -12 to 12, and sigmoid within 3e-7 of 1/(1+e^-x)", () => {
      const kern = k();
      const n = 4000;
      const xs = Float32Array.from({ length: n }, (_, i) => -12 + (24 * i) / (n - 1));
      const [px, pt, ps] = kern.buffers([n, n, n]) as [number, number, number];
      kern.write(px, xs);
      kern.call("tanhArray", [px, pt, n]);
      kern.call("sigmoidArray", [px, ps, n]);
      const t = kern.read(pt, n);
      const s = kern.read(ps, n);
      assert.ok(maxDiff(t, Array.from(xs, Math.tanh)) < 3e-7, `tanh off by ${maxDiff(t, Array.from(xs, Math.tanh))}`);
      const sig = Array.from(xs, (x) => 1 / (1 + Math.exp(-x)));
      assert.ok(maxDiff(s, sig) < 3e-7, `sigmoid off by ${maxDiff(s, sig)}`);
      assert.ok(t.every((v) => Math.abs(v) <= 1), "tanh stays within [-1, 1]");
      assert.ok(s.every((v) => v >= 0 && v <= 1), "sigmoid stays within [0, 1]");
    });

    it("passes NaN through tanh and sigmoid (a diverged model must not look healthy) and saturates at ±Infinity (within 3e-7)", () => {
      const kern = k();
      const xs = Float32Array.from([NaN, Infinity, -Infinity, 0, NaN, 1, -1, NaN]);
      const [px, pt, ps] = kern.buffers([8, 8, 8]) as [number, number, number];
      kern.write(px, xs);
      kern.call("tanhArray", [px, pt, 8]);
      kern.call("sigmoidArray", [px, ps, 8]);
      const t = Array.from(kern.read(pt, 8));
      const s = Array.from(kern.read(ps, 8));
      assert.deepEqual([t[0], t[4], t[7], s[0], s[4], s[7]].map(Number.isNaN), [true, true, true, true, true, true]);
      const want = [1, -1, 0, 1, 0, 0.5];
      [t[1], t[2], t[3], s[1], s[2], s[3]].forEach((v, i) => assert.ok(Math.abs((v as number) - (want[i] as number)) < 3e-7, `${v} vs ${want[i]}`));
    });

    it("multiplies matrices of awkward sizes (edges of the 4 x 8 blocks) like the textbook loop, with bias and accumulation", () => {
      const kern = k();
      for (const [M, N, K] of [[5, 13, 7], [8, 16, 3], [3, 4, 9], [9, 21, 1]] as [number, number, number][]) {
        const a = wave(M * K, 1);
        const b = wave(K * N, 2);
        const bias = wave(N, 3);
        const [pa, pb, pc, pbias] = kern.buffers([M * K, K * N, M * N, N]) as [number, number, number, number];
        kern.write(pa, a);
        kern.write(pb, b);
        kern.write(pbias, bias);
        kern.call("gemm", [M, N, K, pa, K, pb, N, pc, N, pbias, 0]);
        const withBias = naiveGemm(M, N, K, a, b, bias);
        assert.ok(maxDiff(kern.read(pc, M * N), withBias) < 1e-5, `gemm ${M}x${N}x${K} with bias`);
        kern.call("gemm", [M, N, K, pa, K, pb, N, pc, N, 0, 1]);
        const twice = naiveGemm(M, N, K, a, b, null).map((v, i) => v + (withBias[i] as number));
        assert.ok(maxDiff(kern.read(pc, M * N), twice) < 1e-5, `gemm ${M}x${N}x${K} accumulating`);
      }
    });

    it("multiplies by a packed B (ldb 0) exactly as by the same B unpacked, at sizes that use every column block (8, 4, 1) and row block (6, 4, 1)", () => {
      const kern = k();
      for (const [M, N, K] of [[17, 29, 5], [64, 68, 12], [6, 12, 1], [1, 1, 3], [10, 36, 7]] as [number, number, number][]) {
        const a = wave(M * K, 4);
        const b = wave(K * N, 5);
        const bias = wave(N, 6);
        const [pa, pb, pp, pc, pbias] = kern.buffers([M * K, K * N, K * N, M * N, N]) as [number, number, number, number, number];
        kern.write(pa, a);
        kern.write(pb, b);
        kern.write(pbias, bias);
        kern.pack(pb, K, N, pp);
        kern.call("gemm", [M, N, K, pa, K, pp, 0, pc, N, pbias, 0]);
        const want = naiveGemm(M, N, K, a, b, bias);
        assert.ok(maxDiff(kern.read(pc, M * N), want) < 1e-5, `packed gemm ${M}x${N}x${K}`);
        kern.call("gemm", [M, N, K, pa, K, pp, 0, pc, N, 0, 1]);
        const twice = naiveGemm(M, N, K, a, b, null).map((v, i) => v + (want[i] as number));
        assert.ok(maxDiff(kern.read(pc, M * N), twice) < 1e-5, `packed gemm ${M}x${N}x${K} accumulating`);
      }
    });

    it("transposes matrices whose sides are and are not multiples of 4", () => {
      const kern = k();
      for (const [rows, cols] of [[8, 12], [7, 10], [3, 2], [64, 68]] as [number, number][]) {
        const m = wave(rows * cols, 6);
        const [ps, pd] = kern.buffers([rows * cols, rows * cols]) as [number, number];
        kern.write(ps, m);
        kern.call("transpose", [ps, rows, cols, pd]);
        const want = Array.from({ length: rows * cols }, (_, i) => m[(i % rows) * cols + Math.floor(i / rows)] as number);
        assert.deepEqual(Array.from(kern.read(pd, rows * cols)), Array.from(Float32Array.from(want)), `${rows} x ${cols}`);
      }
    });

    it("sums xhᵀ·dz and the bias gradient over rows like the textbook loop, split in two parts, over three chunks of rows (the last partial)", () => {
      const kern = k();
      const [R, K, N] = [2 * WG_CHUNK + 37, 14, 20];
      const xh = wave(R * K, 4);
      const dz = wave(R * N, 5);
      const [px, pz, pw, pb, ps] = kern.buffers([R * K, R * N, K * N, N, weightGradScratch(2, K, N)]) as [number, number, number, number, number];
      kern.write(px, xh);
      kern.write(pz, dz);
      kern.call("weightGrad", [R, K, N, px, pz, pw, pb, ps, 0, 2]);
      kern.call("weightGrad", [R, K, N, px, pz, pw, pb, ps, 1, 2]);
      const want = new Float64Array(K * N);
      const wantB = new Float64Array(N);
      for (let r = 0; r < R; r++)
        for (let n = 0; n < N; n++) {
          wantB[n] = (wantB[n] as number) + (dz[r * N + n] as number);
          for (let c = 0; c < K; c++) want[c * N + n] = (want[c * N + n] as number) + (xh[r * K + c] as number) * (dz[r * N + n] as number);
        }
      assert.ok(maxDiff(kern.read(pw, K * N), want) < 1e-4);
      assert.ok(maxDiff(kern.read(pb, N), wantB) < 1e-4);
    });
  });
}

describe("RnnKernel loading", () => {
  it("explains that the kernel is not built when the folder has no .wasm files", () => {
    const empty = mkdtempSync(join(tmpdir(), "no-kernel-"));
    assert.throws(() => RnnKernel.load({ threads: 1, dir: empty }), /rnn-relaxed\.wasm not built \(run npm run build:wasm\).*rnn-simd\.wasm not built/);
  });

  it("refuses a file that is not valid WebAssembly instead of running it", () => {
    const dir = mkdtempSync(join(tmpdir(), "bad-kernel-"));
    writeFileSync(join(dir, "rnn-simd.wasm"), "not wasm");
    assert.throws(() => RnnKernel.load({ threads: 1, dir, variant: "simd" }), /simd does not validate on this runtime/);
  });
});

describe("RnnKernel memory", () => {
  it("keeps a claimed region intact across later scratch layouts and reports it stale once the ring wraps", () => {
    const kern = RnnKernel.load({ threads: 1 });
    const c = kern.claim([8]);
    const p = c.ptrs[0] as number;
    kern.write(p, [1, 2, 3, 4, 5, 6, 7, 8]);
    const [s] = kern.buffers([1 << 20]) as [number];
    kern.write(s, new Float32Array(1 << 20).fill(9));
    assert.deepEqual(Array.from(kern.read(p, 8)), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(kern.alive(c), true);
    for (let i = 0; i < 16; i++) kern.claim([4]);
    assert.equal(kern.alive(c), false);
  });
});

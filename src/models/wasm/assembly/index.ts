// The recurrent kernel of the fused LSTM/GRU layers, compiled to WebAssembly SIMD by AssemblyScript
// (npm run build:wasm: once with --enable relaxed-simd, where madd is a fused multiply-add, once
// without; the loader picks the one the runtime validates).
//
// Every buffer is owned by the TypeScript glue (src/models/wasm/rnn-kernel.ts lays them out in the
// shared memory, wasm-lstm-sequence.ts / wasm-gru-sequence.ts fill them) and passed as byte offsets;
// nothing here allocates. Sizes are element counts, leading dimensions (ld*) are in elements. Entry
// points that threads share take (part, parts) last and work on their own batch rows (the
// recurrences: rows never interact, so a whole sequence runs without synchronisation) or their own
// columns of the weight gradient; parts never write the same bytes.
//
// No sum runs across parts: each output element is computed whole by one part, in an order the problem
// fixes (a GEMM element over k in order; a weight-gradient element over its rows in WG_CHUNK chunks,
// in order), and every split gives an element the same micro-kernel arithmetic (row blocks of 6, 4
// or 1 all accumulate alike; column splits fall on multiples of 8, so the 4- and 1-wide tail columns
// stay where they are). So the results are the same bits for any parts, hence for any thread count
// and whichever thread claims which part (test/models/wasm/threads.test.ts checks it).
//
// Layouts (s = processing step, b = batch row, K = F + H, G = gates · H):
//   xh [T, B, K]  per step the inputs x_t and the (recurrent-dropped) state h_{t-1} side by side, so one
//                 GEMM against the stacked weights [kernel; recurrent] ([K, G]) gives all gates;
//   g  [T, B, G]  gate activations (kept for the backward), dz [T, B, G] their pre-activation grads.
// The recurrences take their weight matrices packed (packB; the glue packs them once per call).

// ---------------------------------------------------------------------------------------------------
// SIMD helpers

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// Rational tanh (Eigen's 13/6 minimax fit): within a few float ulps of tanh, about twice as fast as
// an exp-based one and branch-free. Its constants live in memory at CONSTS (written once by init()):
// V8 rebuilds a v128.const in a register at every use, while a memory operand costs one load.
const CONSTS: usize = 64;

@inline function put(i: usize, v: f32): void {
  v128.store(CONSTS + (i << 4), f32x4.splat(v));
}

/** Writes the constant table the activations read; call once per memory before any other entry point. */
export function init(): void {
  put(0, -7.99881172180175781);
  put(1, 7.99881172180175781);
  put(2, -2.76076847742355e-16);
  put(3, 2.00018790482477e-13);
  put(4, -8.60467152213735e-11);
  put(5, 5.12229709037114e-8);
  put(6, 1.48572235717979e-5);
  put(7, 6.37261928875436e-4);
  put(8, 4.89352455891786e-3);
  put(9, 1.19825839466702e-6);
  put(10, 1.18534705686654e-4);
  put(11, 2.268434632439e-3);
  put(12, 4.89352518554385e-3);
  put(13, 0.5);
  put(14, 1);
}

@inline function k(i: usize): v128 {
  return v128.load(CONSTS + (i << 4));
}

@inline function tanhv(v: v128): v128 {
  const x = f32x4.pmin(f32x4.pmax(v, k(0)), k(1));
  const x2 = f32x4.mul(x, x);
  let p = madd(x2, k(2), k(3));
  p = madd(x2, p, k(4));
  p = madd(x2, p, k(5));
  p = madd(x2, p, k(6));
  p = madd(x2, p, k(7));
  p = madd(x2, p, k(8));
  p = f32x4.mul(x, p);
  let q = madd(x2, k(9), k(10));
  q = madd(x2, q, k(11));
  q = madd(x2, q, k(12));
  return f32x4.div(p, q);
}

// σ(x) = (1 + tanh(x/2)) / 2
@inline function sigv(v: v128): v128 {
  return madd(k(13), tanhv(f32x4.mul(v, k(13))), k(13));
}

@inline function ld(p: usize): v128 {
  return v128.load(p);
}
@inline function st(p: usize, v: v128): void {
  v128.store(p, v);
}
@inline function ld1(p: usize): v128 {
  return v128.load32_splat(p);
}
@inline function st1(p: usize, v: v128): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
}

/** Exposed for the tests: out[i] = tanh(x[i]) by the rational approximation (n a multiple of 4). */
export function tanhArray(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) st(out + (<usize>i << 2), tanhv(ld(x + (<usize>i << 2))));
}

/** Exposed for the tests: out[i] = σ(x[i]) (n a multiple of 4). */
export function sigmoidArray(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) st(out + (<usize>i << 2), sigv(ld(x + (<usize>i << 2))));
}

// ---------------------------------------------------------------------------------------------------
// GEMM: C[M, N] (= or +=) A[M, K] · B[K, N], row-major with leading dimensions. Register-blocked 4 × 8
// micro-kernel; the outer loop walks column strips of B so a strip (K × 8 floats) stays in L1 while
// the rows of A stream past it. init: 0 zero, 1 accumulate into C, 2 start from the row vector `bias`.

@inline function start(init: i32, c: usize, bias: usize): v128 {
  if (init == 1) return ld(c);
  if (init == 2) return ld(bias);
  return f32x4.splat(0);
}

function block6x8(K: i32, a: usize, lda: usize, b: usize, ldb: usize, c: usize, ldc: usize, init: i32, bias: usize): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
  let c00 = start(init, c, bias), c01 = start(init, c + 16, bias + 16);
  let c10 = start(init, c1, bias), c11 = start(init, c1 + 16, bias + 16);
  let c20 = start(init, c2, bias), c21 = start(init, c2 + 16, bias + 16);
  let c30 = start(init, c3, bias), c31 = start(init, c3 + 16, bias + 16);
  let c40 = start(init, c4, bias), c41 = start(init, c4 + 16, bias + 16);
  let c50 = start(init, c5, bias), c51 = start(init, c5 + 16, bias + 16);
  let pb = b, pa = a;
  const end = a + (<usize>K << 2);
  const d2 = lda << 1, d3 = d2 + lda, d4 = d2 << 1, d5 = d4 + lda;
  while (pa < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const x0 = v128.load32_splat(pa);
    c00 = madd(x0, b0, c00);
    c01 = madd(x0, b1, c01);
    const x1 = v128.load32_splat(pa + lda);
    c10 = madd(x1, b0, c10);
    c11 = madd(x1, b1, c11);
    const x2 = v128.load32_splat(pa + d2);
    c20 = madd(x2, b0, c20);
    c21 = madd(x2, b1, c21);
    const x3 = v128.load32_splat(pa + d3);
    c30 = madd(x3, b0, c30);
    c31 = madd(x3, b1, c31);
    const x4 = v128.load32_splat(pa + d4);
    c40 = madd(x4, b0, c40);
    c41 = madd(x4, b1, c41);
    const x5 = v128.load32_splat(pa + d5);
    c50 = madd(x5, b0, c50);
    c51 = madd(x5, b1, c51);
    pb += ldb;
    pa += 4;
  }
  st(c, c00); st(c + 16, c01);
  st(c1, c10); st(c1 + 16, c11);
  st(c2, c20); st(c2 + 16, c21);
  st(c3, c30); st(c3 + 16, c31);
  st(c4, c40); st(c4 + 16, c41);
  st(c5, c50); st(c5 + 16, c51);
}

function block4x8(K: i32, a: usize, lda: usize, b: usize, ldb: usize, c: usize, ldc: usize, init: i32, bias: usize): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  let c00 = start(init, c, bias), c01 = start(init, c + 16, bias + 16);
  let c10 = start(init, c1, bias), c11 = start(init, c1 + 16, bias + 16);
  let c20 = start(init, c2, bias), c21 = start(init, c2 + 16, bias + 16);
  let c30 = start(init, c3, bias), c31 = start(init, c3 + 16, bias + 16);
  let pb = b, pa = a;
  const end = a + (<usize>K << 2);
  const d2 = lda << 1, d3 = d2 + lda;
  while (pa < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const x0 = v128.load32_splat(pa), x1 = v128.load32_splat(pa + lda);
    c00 = madd(x0, b0, c00);
    c01 = madd(x0, b1, c01);
    c10 = madd(x1, b0, c10);
    c11 = madd(x1, b1, c11);
    const x2 = v128.load32_splat(pa + d2), x3 = v128.load32_splat(pa + d3);
    c20 = madd(x2, b0, c20);
    c21 = madd(x2, b1, c21);
    c30 = madd(x3, b0, c30);
    c31 = madd(x3, b1, c31);
    pb += ldb;
    pa += 4;
  }
  st(c, c00); st(c + 16, c01);
  st(c1, c10); st(c1 + 16, c11);
  st(c2, c20); st(c2 + 16, c21);
  st(c3, c30); st(c3 + 16, c31);
}

function block1x8(K: i32, a: usize, b: usize, ldb: usize, c: usize, init: i32, bias: usize): void {
  let c0 = start(init, c, bias), c1 = start(init, c + 16, bias + 16);
  let pb = b;
  for (let k = 0; k < K; k++) {
    const x = ld1(a + (<usize>k << 2));
    c0 = madd(x, v128.load(pb), c0);
    c1 = madd(x, v128.load(pb, 16), c1);
    pb += ldb;
  }
  st(c, c0);
  st(c + 16, c1);
}

// 6 × 4 and 4 × 4: the N % 8 = 4 column tail (K = F + H = 68 for the input-gradient GEMM of a layer
// on 4 features), one load of B for 6 or 4 multiply-adds instead of one.
function block6x4(K: i32, a: usize, lda: usize, b: usize, ldb: usize, c: usize, ldc: usize, init: i32, bias: usize): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc;
  let c00 = start(init, c, bias), c10 = start(init, c1, bias), c20 = start(init, c2, bias);
  let c30 = start(init, c3, bias), c40 = start(init, c4, bias), c50 = start(init, c5, bias);
  let pb = b, pa = a;
  const end = a + (<usize>K << 2);
  const d2 = lda << 1, d3 = d2 + lda, d4 = d2 << 1, d5 = d4 + lda;
  while (pa < end) {
    const b0 = v128.load(pb);
    c00 = madd(v128.load32_splat(pa), b0, c00);
    c10 = madd(v128.load32_splat(pa + lda), b0, c10);
    c20 = madd(v128.load32_splat(pa + d2), b0, c20);
    c30 = madd(v128.load32_splat(pa + d3), b0, c30);
    c40 = madd(v128.load32_splat(pa + d4), b0, c40);
    c50 = madd(v128.load32_splat(pa + d5), b0, c50);
    pb += ldb;
    pa += 4;
  }
  st(c, c00); st(c1, c10); st(c2, c20); st(c3, c30); st(c4, c40); st(c5, c50);
}

function block4x4(K: i32, a: usize, lda: usize, b: usize, ldb: usize, c: usize, ldc: usize, init: i32, bias: usize): void {
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  let c00 = start(init, c, bias), c10 = start(init, c1, bias), c20 = start(init, c2, bias), c30 = start(init, c3, bias);
  let pb = b, pa = a;
  const end = a + (<usize>K << 2);
  const d2 = lda << 1, d3 = d2 + lda;
  while (pa < end) {
    const b0 = v128.load(pb);
    c00 = madd(v128.load32_splat(pa), b0, c00);
    c10 = madd(v128.load32_splat(pa + lda), b0, c10);
    c20 = madd(v128.load32_splat(pa + d2), b0, c20);
    c30 = madd(v128.load32_splat(pa + d3), b0, c30);
    pb += ldb;
    pa += 4;
  }
  st(c, c00); st(c1, c10); st(c2, c20); st(c3, c30);
}

function block1x4(K: i32, a: usize, b: usize, ldb: usize, c: usize, init: i32, bias: usize): void {
  let c0 = start(init, c, bias);
  let pb = b;
  for (let k = 0; k < K; k++) {
    c0 = madd(ld1(a + (<usize>k << 2)), v128.load(pb), c0);
    pb += ldb;
  }
  st(c, c0);
}

function block1x1(K: i32, a: usize, b: usize, ldb: usize, c: usize, init: i32, bias: usize): void {
  let s: f32 = init == 1 ? load<f32>(c) : init == 2 ? load<f32>(bias) : 0;
  let pb = b;
  for (let k = 0; k < K; k++) {
    s += load<f32>(a + (<usize>k << 2)) * load<f32>(pb);
    pb += ldb;
  }
  store<f32>(c, s);
}

/**
 * B [K, N] (row stride ldb) → packed: its column blocks of 8, then 4, then 1 (the order gemm walks
 * them), each block's K rows contiguous, the block of column n at n·K floats. A strip then streams
 * through L1 in order; unpacked, a strip's rows sit a row stride apart, which maps them onto a few
 * L1 sets (any power-of-two stride of 1 KiB or more), and they evict each other between row blocks.
 */
export function packB(b: usize, ldb: i32, K: i32, N: i32, dst: usize): void {
  const lb = <usize>ldb << 2;
  let n = 0;
  for (; n + 8 <= N; n += 8) {
    let src = b + (<usize>n << 2), out = dst + ((<usize>n * K) << 2);
    for (let k = 0; k < K; k++) {
      st(out, ld(src));
      st(out + 16, ld(src + 16));
      src += lb;
      out += 32;
    }
  }
  for (; n + 4 <= N; n += 4) {
    let src = b + (<usize>n << 2), out = dst + ((<usize>n * K) << 2);
    for (let k = 0; k < K; k++) {
      st(out, ld(src));
      src += lb;
      out += 16;
    }
  }
  for (; n < N; n++) {
    let src = b + (<usize>n << 2), out = dst + ((<usize>n * K) << 2);
    for (let k = 0; k < K; k++) {
      store<f32>(out, load<f32>(src));
      src += lb;
      out += 4;
    }
  }
}

// Where B's column block starting at column n begins: packed (ldb = 0), at n·K floats; else column n
// of the first row. The step from one of its rows to the next is ldb floats, or the block's width packed.
@inline function blockAt(b: usize, ldb: i32, n: i32, K: i32): usize {
  return ldb ? b + (<usize>n << 2) : b + ((<usize>n * K) << 2);
}

/**
 * C = A·B (+ C when acc, + the row vector bias when bias ≠ 0). ldb = 0: B is packed (packB), which
 * is the fast form for any B used by more than a few row blocks.
 */
export function gemm(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, bias: usize, acc: i32): void {
  const init = acc ? 1 : bias ? 2 : 0;
  const la = <usize>lda << 2, lc = <usize>ldc << 2, lb = <usize>ldb << 2;
  // Rows in blocks of 6, then 4: for even M as many 6s as leave a multiple of 4 (32 = 4·6 + 2·4,
  // not 5·6 + 2 single rows, which run at a third of the speed), odd M one single row at the end.
  let n6 = M / 6;
  if ((M & 1) == 0) while (n6 > 0 && (M - 6 * n6) % 4 != 0) n6--;
  const m6 = 6 * n6;
  let n = 0;
  for (; n + 8 <= N; n += 8) {
    const bn = blockAt(b, ldb, n, K), sb = lb ? lb : 32;
    const cn = c + (<usize>n << 2), biasn = bias + (<usize>n << 2);
    let m = 0;
    for (; m < m6; m += 6) block6x8(K, a + <usize>m * la, la, bn, sb, cn + <usize>m * lc, lc, init, biasn);
    for (; m + 4 <= M; m += 4) block4x8(K, a + <usize>m * la, la, bn, sb, cn + <usize>m * lc, lc, init, biasn);
    for (; m < M; m++) block1x8(K, a + <usize>m * la, bn, sb, cn + <usize>m * lc, init, biasn);
  }
  for (; n + 4 <= N; n += 4) {
    const bn = blockAt(b, ldb, n, K), sb = lb ? lb : 16;
    const cn = c + (<usize>n << 2), biasn = bias + (<usize>n << 2);
    let m = 0;
    for (; m < m6; m += 6) block6x4(K, a + <usize>m * la, la, bn, sb, cn + <usize>m * lc, lc, init, biasn);
    for (; m + 4 <= M; m += 4) block4x4(K, a + <usize>m * la, la, bn, sb, cn + <usize>m * lc, lc, init, biasn);
    for (; m < M; m++) block1x4(K, a + <usize>m * la, bn, sb, cn + <usize>m * lc, init, biasn);
  }
  for (; n < N; n++) {
    const bn = blockAt(b, ldb, n, K), sb = lb ? lb : 4;
    const cn = c + (<usize>n << 2), biasn = bias + (<usize>n << 2);
    for (let m = 0; m < M; m++) block1x1(K, a + <usize>m * la, bn, sb, cn + <usize>m * lc, init, biasn);
  }
}

// ---------------------------------------------------------------------------------------------------
// Partitions: batch rows in multiples of 4 (the micro-kernel height), weight columns in multiples of 8.

@inline function cut(total: i32, part: i32, parts: i32, unit: i32): i32 {
  if (part >= parts) return total;
  const units = (total + unit - 1) / unit;
  const u = <i32>((<i64>units * part) / parts) * unit;
  return u < total ? u : total;
}

/** dst[c, r] = src[r, c] for a [rows, cols] matrix. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  transposeBlock(src, cols, rows, cols, dst);
}

/**
 * dst[c, r] = src[r · lds + c] for r < rows, c < cols (a block of a wider matrix, row stride lds);
 * 4 × 4 blocks through shuffles, scalar edges.
 */
function transposeBlock(src: usize, lds: i32, rows: i32, cols: i32, dst: usize): void {
  const r4 = rows & ~3, c4 = cols & ~3;
  const ls = <usize>lds << 2, ldd = <usize>rows << 2;
  for (let r = 0; r < r4; r += 4) {
    for (let c = 0; c < c4; c += 4) {
      const p = src + ((<usize>r * lds + c) << 2);
      const a = ld(p), b = ld(p + ls), cc = ld(p + 2 * ls), d = ld(p + 3 * ls);
      const ab0 = i32x4.shuffle(a, b, 0, 4, 1, 5), ab1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
      const cd0 = i32x4.shuffle(cc, d, 0, 4, 1, 5), cd1 = i32x4.shuffle(cc, d, 2, 6, 3, 7);
      const q = dst + ((<usize>c * rows + r) << 2);
      st(q, i64x2.shuffle(ab0, cd0, 0, 2));
      st(q + ldd, i64x2.shuffle(ab0, cd0, 1, 3));
      st(q + 2 * ldd, i64x2.shuffle(ab1, cd1, 0, 2));
      st(q + 3 * ldd, i64x2.shuffle(ab1, cd1, 1, 3));
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = r < r4 ? c4 : 0; c < cols; c++) {
      store<f32>(dst + ((<usize>c * rows + r) << 2), load<f32>(src + ((<usize>r * lds + c) << 2)));
    }
  }
}

/**
 * Step t of x [B, T, F] for batch rows b0..b1 → the x columns of those rows of a step's xh [B, K]
 * (row b at xh + b·K), times the input-dropout mask im [B, F] when im ≠ 0. The recurrences call it
 * per step for their own rows, so the inputs are laid out in parallel and, in a forward that keeps
 * nothing, into a one-step buffer.
 */
function stepInput(x: usize, xh: usize, b0: i32, b1: i32, T: i32, t: i32, F: i32, K: i32, im: usize): void {
  for (let b = b0; b < b1; b++) {
    const src = x + ((<usize>(b * T + t) * F) << 2);
    const dst = xh + ((<usize>b * K) << 2);
    for (let f = 0; f < F; f++) {
      let v = load<f32>(src + (<usize>f << 2));
      if (im) v *= load<f32>(im + ((<usize>(b * F + f)) << 2));
      store<f32>(dst + (<usize>f << 2), v);
    }
  }
}

/**
 * The x columns of dxh [T, B, K] (plus those of dxh2 when ≠ 0) → dx [B, T, F] for batch rows b0..b1,
 * times im when ≠ 0. The backwards call it for their own rows once their steps are done.
 */
function stepGrads(dxh: usize, dxh2: usize, dx: usize, B: i32, T: i32, F: i32, K: i32, im: usize, reverse: i32, b0: i32, b1: i32): void {
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    for (let b = b0; b < b1; b++) {
      const src = <usize>(s * B + b) * K;
      const dst = dx + ((<usize>(b * T + t) * F) << 2);
      for (let f = 0; f < F; f++) {
        let v = load<f32>(dxh + ((src + f) << 2));
        if (dxh2) v += load<f32>(dxh2 + ((src + f) << 2));
        if (im) v *= load<f32>(im + ((<usize>(b * F + f)) << 2));
        store<f32>(dst + (<usize>f << 2), v);
      }
    }
  }
}

/** Rows of xh a weight-gradient pass takes at once (see weightGrad). */
export const WG_CHUNK: i32 = 256;

/**
 * Weight gradient of one part's columns of dw: dw[:, n] = Σ_r xh[r, :]ᵀ dz[r, n] over R = T·B rows for
 * n in this part's share of N, and the same columns of the bias gradient db[N] = Σ_r dz[r, :] when
 * db ≠ 0. Walks the rows in chunks of WG_CHUNK: the chunk of xh transposed and this part's columns of
 * the chunk of dz packed (packB) into its own scratch ((K + N) · WG_CHUNK floats at scratch + part ·
 * that), so the register-blocked GEMM runs on them from L1/L2. Split by columns, parts share only
 * the (smaller) transpose, not the packing.
 */
export function weightGrad(R: i32, K: i32, N: i32, xh: usize, dz: usize, dw: usize, db: usize, scratch: usize, part: i32, parts: i32): void {
  const n0 = cut(N, part, parts, 8), n1 = cut(N, part + 1, parts, 8);
  if (n1 <= n0) return;
  const xt = scratch + ((<usize>part * (K + N) * WG_CHUNK) << 2);
  const zp = xt + ((<usize>K * WG_CHUNK) << 2);
  for (let r0 = 0; r0 < R; r0 += WG_CHUNK) {
    const rows = R - r0 < WG_CHUNK ? R - r0 : WG_CHUNK;
    transposeBlock(xh + ((<usize>r0 * K) << 2), K, rows, K, xt);
    packB(dz + ((<usize>r0 * N + n0) << 2), N, rows, n1 - n0, zp);
    gemm(K, n1 - n0, rows, xt, rows, zp, 0, dw + (<usize>n0 << 2), N, 0, r0 > 0 ? 1 : 0);
  }
  if (!db) return;
  // Row by row so dz streams once and db stays in L1.
  memory.fill(db + (<usize>n0 << 2), 0, <usize>(n1 - n0) << 2);
  for (let r = 0; r < R; r++) {
    const row = dz + ((<usize>r * N) << 2);
    let n = n0;
    for (; n + 4 <= n1; n += 4) {
      const p = db + (<usize>n << 2);
      st(p, f32x4.add(ld(p), ld(row + (<usize>n << 2))));
    }
    for (; n < n1; n++) {
      const p = db + (<usize>n << 2);
      store<f32>(p, load<f32>(p) + load<f32>(row + (<usize>n << 2)));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Per-column-group cell updates. Each runs on 4 hidden units at byte offset o (full) or on one unit
// in lane 0 (the H % 4 tail); inlined with `full` constant, so neither path pays for the other.

@inline function lv(p: usize, full: bool): v128 {
  return full ? ld(p) : ld1(p);
}
@inline function sv(p: usize, v: v128, full: bool): void {
  if (full) st(p, v);
  else st1(p, v);
}

// Activations of n pre-activations at p, in place: σ (sig) or tanh. The gates of a row in passes of
// independent vectors, two at a time, so the rational's long dependency chain overlaps across lanes
// instead of stalling a cell update that waits for all four gates.
@inline function activate(p: usize, n: i32, sig: bool): void {
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const q = p + (<usize>j << 2);
    const a = ld(q), b = ld(q + 16);
    st(q, sig ? sigv(a) : tanhv(a));
    st(q + 16, sig ? sigv(b) : tanhv(b));
  }
  for (; j + 4 <= n; j += 4) {
    const q = p + (<usize>j << 2);
    st(q, sig ? sigv(ld(q)) : tanhv(ld(q)));
  }
  for (; j < n; j++) {
    const q = p + (<usize>j << 2);
    st1(q, sig ? sigv(ld1(q)) : tanhv(ld1(q)));
  }
}

// LSTM step on activated gates (i, f, g, o in g): c' = f∘c + i∘g, h' = o∘tanh(c'), carried over where
// the mask is 0; tanh(c') also goes to tp when tp ≠ 0 (kept for the backward).
@inline function lstmCell(
  gr: usize, H4: usize, cp: usize, cn: usize, hp: usize, op: usize, tp: usize, o: usize, m: v128, masked: bool, seq: bool, full: bool,
): void {
  const ip = gr + o, fp = ip + H4, gp = fp + H4, opp = gp + H4;
  const cprev = lv(cp + o, full);
  let c = madd(lv(fp, full), cprev, f32x4.mul(lv(ip, full), lv(gp, full)));
  const tc = tanhv(c);
  let hv = f32x4.mul(lv(opp, full), tc);
  if (masked) {
    const hprev = lv(hp + o, full);
    c = madd(m, f32x4.sub(c, cprev), cprev);
    hv = madd(m, f32x4.sub(hv, hprev), hprev);
  }
  if (tp) sv(tp + o, tc, full);
  sv(cn + o, c, full);
  sv(hp + o, hv, full);
  if (seq) sv(op + o, hv, full);
}

// LSTM step backward: dz of the four gates from dh, dc; dh, dc keep what skips masked steps and
// carry dc to the previous step (dh gets the recurrent part after the GEMM).
@inline function lstmCellGrad(
  gr: usize, zr: usize, H4: usize, cp: usize, tp: usize, dhp: usize, dcp: usize, yp: usize, o: usize, m: v128, seq: bool, full: bool,
): void {
  const one = k(14);
  const ip = gr + o, fp = ip + H4, gp = fp + H4, opp = gp + H4;
  const iv = lv(ip, full), fv = lv(fp, full), gv = lv(gp, full), ov = lv(opp, full);
  const cprev = lv(cp + o, full);
  const tc = lv(tp + o, full);
  let dhv = lv(dhp + o, full);
  if (seq) dhv = f32x4.add(dhv, lv(yp + o, full));
  const dcv = lv(dcp + o, full);
  const dhn = f32x4.mul(dhv, m), dcn = f32x4.mul(dcv, m);
  const dct = madd(f32x4.mul(dhn, ov), f32x4.sub(one, f32x4.mul(tc, tc)), dcn);
  sv(zr + o, f32x4.mul(f32x4.mul(dct, gv), f32x4.mul(iv, f32x4.sub(one, iv))), full);
  sv(zr + H4 + o, f32x4.mul(f32x4.mul(dct, cprev), f32x4.mul(fv, f32x4.sub(one, fv))), full);
  sv(zr + 2 * H4 + o, f32x4.mul(f32x4.mul(dct, iv), f32x4.sub(one, f32x4.mul(gv, gv))), full);
  sv(zr + 3 * H4 + o, f32x4.mul(f32x4.mul(dhn, tc), f32x4.mul(ov, f32x4.sub(one, ov))), full);
  sv(dcp + o, madd(dct, fv, f32x4.sub(dcv, dcn)), full);
  sv(dhp + o, f32x4.sub(dhv, dhn), full);
}

// GRU step after the candidate GEMM: ĥ = tanh (overwrites its pre-activation), h' = z∘h + (1 − z)∘ĥ.
@inline function gruCell(gr: usize, cr: usize, hp: usize, hn: usize, op: usize, o: usize, m: v128, masked: bool, seq: bool, full: bool): void {
  const zv = lv(gr + o, full);
  const hh = tanhv(lv(cr + o, full));
  const hprev = lv(hp + o, full);
  let hv = madd(zv, f32x4.sub(hprev, hh), hh);
  if (masked) hv = madd(m, f32x4.sub(hv, hprev), hprev);
  sv(cr + o, hh, full);
  sv(hn + o, hv, full);
  if (seq) sv(op + o, hv, full);
}

// GRU step backward, first half: dz of the candidate and the update gate; dh keeps the direct and the
// skipped parts (the rest comes through the GEMMs).
@inline function gruCellGrad(gr: usize, cr: usize, hp: usize, z1: usize, z2: usize, dhp: usize, yp: usize, o: usize, m: v128, seq: bool, full: bool): void {
  const one = k(14);
  const zv = lv(gr + o, full);
  const hh = lv(cr + o, full);
  const hprev = lv(hp + o, full);
  let dhv = lv(dhp + o, full);
  if (seq) dhv = f32x4.add(dhv, lv(yp + o, full));
  const dhn = f32x4.mul(dhv, m);
  const dhz = f32x4.mul(dhn, zv);
  sv(z2 + o, f32x4.mul(f32x4.sub(dhn, dhz), f32x4.sub(one, f32x4.mul(hh, hh))), full);
  sv(z1 + o, f32x4.mul(f32x4.mul(dhn, f32x4.sub(hprev, hh)), f32x4.mul(zv, f32x4.sub(one, zv))), full);
  sv(dhp + o, f32x4.add(dhz, f32x4.sub(dhv, dhn)), full);
}

// GRU step backward: dz of the reset gate from the gradient of r∘hin.
@inline function resetGrad(rp: usize, drh: usize, hin: usize, zp: usize, o: usize, full: bool): void {
  const r = lv(rp + o, full);
  sv(zp + o, f32x4.mul(f32x4.mul(lv(drh + o, full), lv(hin + o, full)), f32x4.mul(r, f32x4.sub(k(14), r))), full);
}

// ---------------------------------------------------------------------------------------------------
// LSTM (gates i, f, c, o as tf.layers.lstm)

/**
 * Forward over all steps for this part's batch rows, from x [B, T, F] (step t = T−1−s at step s when
 * reverse, times the input-dropout mask im [B, F] when im ≠ 0), h [B, H] = h0 and cs[0] = c0.
 * keep ≠ 0 (training): leaves each step's [x_t·im, h_{t-1}·rm] in xh [T, B, K], the gate activations
 * in g [T, B, 4H], the cell states in cs [T+1, B, H] and tanh of each new cell state in tc [T, B, H]
 * for the backward. keep = 0 (inference, tc unused):
 * xh and g hold one step ([B, K], [B, 4H]) and cs two ([2, B, H], alternating), so they stay in
 * cache. w is the stacked weights [K, 4H], packed. Writes out [B, nOut, H] (every h or the last,
 * then c_T when carry).
 */
export function lstmForward(
  B: i32, T: i32, F: i32, H: i32, x: usize, im: usize, reverse: i32, xh: usize, w: usize, bias: usize, g: usize,
  cs: usize, tc: usize, h: usize, mask: usize, rm: usize, out: usize, nOut: i32, seq: i32, carry: i32, keep: i32, part: i32, parts: i32,
): void {
  const b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const K = F + H, G = 4 * H;
  const H4 = <usize>H << 2;
  for (let s = 0; s < T; s++) {
    // Slots: step s of the saved state, or the one-step buffers (cells alternating) when not kept.
    const ss = keep ? s : 0;
    const c0 = keep ? s : s & 1, c1 = keep ? s + 1 : (s + 1) & 1;
    stepInput(x, xh + ((<usize>(ss * B) * K) << 2), b0, b1, T, reverse ? T - 1 - s : s, F, K, im);
    for (let b = b0; b < b1; b++) {
      const hp = h + <usize>b * H4;
      const dst = xh + ((<usize>(ss * B + b) * K + F) << 2);
      if (rm) {
        const rp = rm + <usize>b * H4;
        for (let j = 0; j < H; j++) store<f32>(dst + (<usize>j << 2), load<f32>(hp + (<usize>j << 2)) * load<f32>(rp + (<usize>j << 2)));
      } else memory.copy(dst, hp, H4);
    }
    const gs = g + ((<usize>(ss * B + b0) * G) << 2);
    gemm(b1 - b0, G, K, xh + ((<usize>(ss * B + b0) * K) << 2), K, w, 0, gs, G, bias, 0);
    for (let b = b0; b < b1; b++) {
      const gr = g + ((<usize>(ss * B + b) * G) << 2);
      activate(gr, 2 * H, true);
      activate(gr + 2 * H4, H, false);
      activate(gr + 3 * H4, H, true);
      const cp = cs + ((<usize>(c0 * B + b) * H) << 2);
      const tp = keep ? tc + ((<usize>(s * B + b) * H) << 2) : 0;
      const cn = cs + ((<usize>(c1 * B + b) * H) << 2);
      const hp = h + <usize>b * H4;
      const m = mask ? f32x4.splat(load<f32>(mask + ((<usize>(s * B + b)) << 2))) : f32x4.splat(1);
      const op = out + ((<usize>(b * nOut + (seq ? s : 0)) * H) << 2);
      let j = 0;
      for (; j + 4 <= H; j += 4) lstmCell(gr, H4, cp, cn, hp, op, tp, <usize>j << 2, m, mask != 0, seq != 0, true);
      for (; j < H; j++) lstmCell(gr, H4, cp, cn, hp, op, tp, <usize>j << 2, m, mask != 0, seq != 0, false); // H % 4 tail, lane 0 only
    }
  }
  for (let b = b0; b < b1; b++) {
    if (!seq) memory.copy(out + ((<usize>(b * nOut) * H) << 2), h + <usize>b * H4, H4);
    if (carry) memory.copy(out + ((<usize>(b * nOut + nOut - 1) * H) << 2), cs + ((<usize>((keep ? T : T & 1) * B + b) * H) << 2), H4);
  }
}

/**
 * Backward over all steps for this part's batch rows: dz [T, B, 4H] (pre-activation gradients),
 * dxh [T, B, K] (gradients of each step's [x, h·rm]), dx [B, T, F] (times im when ≠ 0, in input order
 * as reverse says); dh, dc [B, H] end as the gradients of h0, c0. wt is the stacked weight matrix
 * transposed, [4H, K], packed; g, cs, tc are what the forward kept; dy is the upstream gradient [B, nOut, H].
 */
export function lstmBackward(
  B: i32, T: i32, F: i32, H: i32, wt: usize, g: usize, cs: usize, tc: usize, mask: usize, rm: usize, dy: usize, nOut: i32,
  seq: i32, carry: i32, dz: usize, dxh: usize, dh: usize, dc: usize, dx: usize, im: usize, reverse: i32, part: i32, parts: i32,
): void {
  const b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const K = F + H, G = 4 * H;
  const H4 = <usize>H << 2;
  for (let b = b0; b < b1; b++) {
    const dhp = dh + <usize>b * H4, dcp = dc + <usize>b * H4;
    if (seq) memory.fill(dhp, 0, H4);
    else memory.copy(dhp, dy + ((<usize>(b * nOut) * H) << 2), H4);
    if (carry) memory.copy(dcp, dy + ((<usize>(b * nOut + nOut - 1) * H) << 2), H4);
    else memory.fill(dcp, 0, H4);
  }
  const one = f32x4.splat(1);
  for (let s = T - 1; s >= 0; s--) {
    for (let b = b0; b < b1; b++) {
      const gr = g + ((<usize>(s * B + b) * G) << 2);
      const zr = dz + ((<usize>(s * B + b) * G) << 2);
      const cp = cs + ((<usize>(s * B + b) * H) << 2);
      const tp = tc + ((<usize>(s * B + b) * H) << 2);
      const dhp = dh + <usize>b * H4, dcp = dc + <usize>b * H4;
      const yp = dy + ((<usize>(b * nOut + s) * H) << 2);
      const m = mask ? f32x4.splat(load<f32>(mask + ((<usize>(s * B + b)) << 2))) : one;
      let j = 0;
      for (; j + 4 <= H; j += 4) lstmCellGrad(gr, zr, H4, cp, tp, dhp, dcp, yp, <usize>j << 2, m, seq != 0, true);
      for (; j < H; j++) lstmCellGrad(gr, zr, H4, cp, tp, dhp, dcp, yp, <usize>j << 2, m, seq != 0, false); // H % 4 tail, lane 0 only
    }
    const rows = dxh + ((<usize>(s * B + b0) * K) << 2);
    gemm(b1 - b0, K, G, dz + ((<usize>(s * B + b0) * G) << 2), G, wt, 0, rows, K, 0, 0);
    addStateGrad(rows, K, F, H, b0, b1, dh, rm);
  }
  stepGrads(dxh, 0, dx, B, T, F, K, im, reverse, b0, b1);
}

// dh[b] += dxh[b, F:] (· rm[b] when rm ≠ 0) for this part's rows.
function addStateGrad(rows: usize, K: i32, F: i32, H: i32, b0: i32, b1: i32, dh: usize, rm: usize): void {
  const H4 = <usize>H << 2;
  for (let b = b0; b < b1; b++) {
    const src = rows + ((<usize>((b - b0) * K + F)) << 2);
    const dhp = dh + <usize>b * H4;
    const rp = rm + <usize>b * H4;
    for (let j = 0; j < H; j += 4) {
      const o = <usize>j << 2;
      if (j + 4 <= H) {
        let v = ld(src + o);
        if (rm) v = f32x4.mul(v, ld(rp + o));
        st(dhp + o, f32x4.add(ld(dhp + o), v));
      } else {
        let v = ld1(src + o);
        if (rm) v = f32x4.mul(v, ld1(rp + o));
        st1(dhp + o, f32x4.add(ld1(dhp + o), v));
        j -= 3;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// GRU (reset_after = false, gates z, r, h as tf.layers.gru):
//   z = σ([x, hin]·W1z + b), r = σ([x, hin]·W1r + b), ĥ = tanh([x, r∘hin]·W2 + b), h' = z∘h + (1 − z)∘ĥ
// with hin = h·rm (recurrent dropout) and h unmasked in the interpolation.

/**
 * Forward for this part's rows from x [B, T, F] (as lstmForward: reverse, im) and hs[0] = h0. keep ≠ 0
 * (training): fills xh1 [T, B, K] ([x, hin]), xh2 ([x, r∘hin]), g1 [T, B, 2H] (z, r), g2 [T, B, H] (ĥ)
 * and hs [T+1, B, H]; keep = 0 (inference): xh1, xh2, g1, g2 hold one step and hs two (alternating).
 * w1 [K, 2H] and w2 [K, H] are packed. Writes out.
 */
export function gruForward(
  B: i32, T: i32, F: i32, H: i32, x: usize, im: usize, reverse: i32, xh1: usize, xh2: usize, w1: usize, bias1: usize,
  w2: usize, bias2: usize, g1: usize, g2: usize, hs: usize, mask: usize, rm: usize, out: usize, nOut: i32, seq: i32, keep: i32,
  part: i32, parts: i32,
): void {
  const b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const K = F + H;
  const H4 = <usize>H << 2;
  for (let s = 0; s < T; s++) {
    const ss = keep ? s : 0;
    const h0s = keep ? s : s & 1, h1s = keep ? s + 1 : (s + 1) & 1;
    stepInput(x, xh1 + ((<usize>(ss * B) * K) << 2), b0, b1, T, reverse ? T - 1 - s : s, F, K, im);
    for (let b = b0; b < b1; b++) {
      const hp = hs + ((<usize>(h0s * B + b) * H) << 2);
      const r1 = xh1 + ((<usize>(ss * B + b) * K) << 2);
      const r2 = xh2 + ((<usize>(ss * B + b) * K) << 2);
      memory.copy(r2, r1, <usize>F << 2);
      const dst = r1 + (<usize>F << 2);
      if (rm) {
        const rp = rm + <usize>b * H4;
        for (let j = 0; j < H; j++) store<f32>(dst + (<usize>j << 2), load<f32>(hp + (<usize>j << 2)) * load<f32>(rp + (<usize>j << 2)));
      } else memory.copy(dst, hp, H4);
    }
    const rowsX1 = xh1 + ((<usize>(ss * B + b0) * K) << 2);
    const rowsX2 = xh2 + ((<usize>(ss * B + b0) * K) << 2);
    gemm(b1 - b0, 2 * H, K, rowsX1, K, w1, 0, g1 + ((<usize>(ss * B + b0) * 2 * H) << 2), 2 * H, bias1, 0);
    for (let b = b0; b < b1; b++) {
      const gr = g1 + ((<usize>(ss * B + b) * 2 * H) << 2);
      const hin = xh1 + ((<usize>(ss * B + b) * K + F) << 2);
      const rh = xh2 + ((<usize>(ss * B + b) * K + F) << 2);
      for (let j = 0; j < H; j += 4) {
        const o4 = <usize>j << 2;
        if (j + 4 <= H) {
          const zv = sigv(ld(gr + o4)), rv = sigv(ld(gr + H4 + o4));
          st(gr + o4, zv); st(gr + H4 + o4, rv);
          st(rh + o4, f32x4.mul(rv, ld(hin + o4)));
        } else {
          const zv = sigv(ld1(gr + o4)), rv = sigv(ld1(gr + H4 + o4));
          st1(gr + o4, zv); st1(gr + H4 + o4, rv);
          st1(rh + o4, f32x4.mul(rv, ld1(hin + o4)));
          j -= 3;
        }
      }
    }
    gemm(b1 - b0, H, K, rowsX2, K, w2, 0, g2 + ((<usize>(ss * B + b0) * H) << 2), H, bias2, 0);
    for (let b = b0; b < b1; b++) {
      const gr = g1 + ((<usize>(ss * B + b) * 2 * H) << 2);
      const cr = g2 + ((<usize>(ss * B + b) * H) << 2);
      const hp = hs + ((<usize>(h0s * B + b) * H) << 2);
      const hn = hs + ((<usize>(h1s * B + b) * H) << 2);
      const m = mask ? f32x4.splat(load<f32>(mask + ((<usize>(s * B + b)) << 2))) : f32x4.splat(1);
      const op = out + ((<usize>(b * nOut + (seq ? s : 0)) * H) << 2);
      let j = 0;
      for (; j + 4 <= H; j += 4) gruCell(gr, cr, hp, hn, op, <usize>j << 2, m, mask != 0, seq != 0, true);
      for (; j < H; j++) gruCell(gr, cr, hp, hn, op, <usize>j << 2, m, mask != 0, seq != 0, false); // H % 4 tail, lane 0 only
    }
  }
  if (!seq) for (let b = b0; b < b1; b++) memory.copy(out + ((<usize>(b * nOut) * H) << 2), hs + ((<usize>((keep ? T : T & 1) * B + b) * H) << 2), H4);
}

/**
 * Backward for this part's rows: dz1 [T, B, 2H], dz2 [T, B, H] (pre-activation gradients), dxh1,
 * dxh2 [T, B, K] (gradients of each step's GEMM inputs); dh [B, H] ends as the gradient of h0.
 * w1t [2H, K], w2t [H, K] are the stacked weights transposed, packed.
 */
export function gruBackward(
  B: i32, T: i32, F: i32, H: i32, xh1: usize, w1t: usize, w2t: usize, g1: usize, g2: usize, hs: usize,
  mask: usize, rm: usize, dy: usize, nOut: i32, seq: i32, dz1: usize, dz2: usize, dxh1: usize, dxh2: usize,
  dh: usize, dx: usize, im: usize, reverse: i32, part: i32, parts: i32,
): void {
  const b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const K = F + H;
  const H4 = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = b0; b < b1; b++) {
    const dhp = dh + <usize>b * H4;
    if (seq) memory.fill(dhp, 0, H4);
    else memory.copy(dhp, dy + ((<usize>(b * nOut) * H) << 2), H4);
  }
  for (let s = T - 1; s >= 0; s--) {
    for (let b = b0; b < b1; b++) {
      const gr = g1 + ((<usize>(s * B + b) * 2 * H) << 2);
      const cr = g2 + ((<usize>(s * B + b) * H) << 2);
      const hp = hs + ((<usize>(s * B + b) * H) << 2);
      const z1 = dz1 + ((<usize>(s * B + b) * 2 * H) << 2);
      const z2 = dz2 + ((<usize>(s * B + b) * H) << 2);
      const dhp = dh + <usize>b * H4;
      const yp = dy + ((<usize>(b * nOut + s) * H) << 2);
      const m = mask ? f32x4.splat(load<f32>(mask + ((<usize>(s * B + b)) << 2))) : one;
      let j = 0;
      for (; j + 4 <= H; j += 4) gruCellGrad(gr, cr, hp, z1, z2, dhp, yp, <usize>j << 2, m, seq != 0, true);
      for (; j < H; j++) gruCellGrad(gr, cr, hp, z1, z2, dhp, yp, <usize>j << 2, m, seq != 0, false); // H % 4 tail, lane 0 only
    }
    const rows2 = dxh2 + ((<usize>(s * B + b0) * K) << 2);
    gemm(b1 - b0, K, H, dz2 + ((<usize>(s * B + b0) * H) << 2), H, w2t, 0, rows2, K, 0, 0);
    for (let b = b0; b < b1; b++) {
      const gr = g1 + ((<usize>(s * B + b) * 2 * H) << 2);
      const z1 = dz1 + ((<usize>(s * B + b) * 2 * H) << 2);
      const hin = xh1 + ((<usize>(s * B + b) * K + F) << 2);
      const drh = dxh2 + ((<usize>(s * B + b) * K + F) << 2);
      let j = 0;
      for (; j + 4 <= H; j += 4) resetGrad(gr + H4, drh, hin, z1 + H4, <usize>j << 2, true);
      for (; j < H; j++) resetGrad(gr + H4, drh, hin, z1 + H4, <usize>j << 2, false); // H % 4 tail, lane 0 only
    }
    const rows1 = dxh1 + ((<usize>(s * B + b0) * K) << 2);
    gemm(b1 - b0, K, 2 * H, dz1 + ((<usize>(s * B + b0) * 2 * H) << 2), 2 * H, w1t, 0, rows1, K, 0, 0);
    // dh += (drh∘r + dhin1)·rm: fold drh∘r into dxh1's h columns first, then add as the LSTM does.
    for (let b = b0; b < b1; b++) {
      const gr = g1 + ((<usize>(s * B + b) * 2 * H) << 2);
      const drh = dxh2 + ((<usize>(s * B + b) * K + F) << 2);
      const d1 = dxh1 + ((<usize>(s * B + b) * K + F) << 2);
      for (let j = 0; j < H; j += 4) {
        const o = <usize>j << 2;
        if (j + 4 <= H) st(d1 + o, madd(ld(drh + o), ld(gr + H4 + o), ld(d1 + o)));
        else {
          st1(d1 + o, madd(ld1(drh + o), ld1(gr + H4 + o), ld1(d1 + o)));
          j -= 3;
        }
      }
    }
    addStateGrad(rows1, K, F, H, b0, b1, dh, rm);
  }
  stepGrads(dxh1, dxh2, dx, B, T, F, K, im, reverse, b0, b1);
}

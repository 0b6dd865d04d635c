// The native recurrent kernel: the same entry points, arguments, memory layout and partitions as the
// WebAssembly one (src/models/wasm/assembly/index.ts), on x86-64 AVX2 or AVX-512 FMA. Compiled twice
// by scripts/build-native.mjs, with -DLAB_AVX512 (-mavx512f) and without (-mavx2 -mfma), into the
// namespaces lab_avx512 / lab_avx2; addon.cpp picks one by CPUID when it loads.
//
// Every buffer lives in the glue's shared WebAssembly.Memory: `m` is its base address and every
// pointer argument a byte offset into it, exactly as the wasm kernel sees them, so rnn-kernel.ts and
// the sequence glue drive either kernel unchanged.
//
// Why no result depends on the thread count, nor on AVX2 against AVX-512: every GEMM output element
// is one chain c = fma(a_k, b_k, c) over k in order, whichever micro-kernel (6, 4 or 1 rows; 2, 1 or a
// masked vector of columns; a scalar fmaf) computes it, and a vector FMA is that same fmaf in each
// lane. The element-wise code (activations, cell updates) is written per element with fmaf where the
// wasm kernel uses madd and plain * and + elsewhere, compiled with -ffp-contract=off, so vectorised
// and scalar iterations round alike. So any split of rows or columns over parts gives the same bits.
#include <immintrin.h>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernel.h"

#if defined(LAB_AVX512)
#define LAB_NS lab_avx512
#else
#define LAB_NS lab_avx2
#endif

namespace LAB_NS {

typedef std::uint8_t u8;
typedef std::size_t usize;

// Vectors of 4 (SSE), 8 (AVX) and, in the AVX-512 build, 16 lanes, each with loads and stores of its
// first w lanes (masked lanes neither read nor written). The widest runs the micro-kernels; a GEMM's
// last N % VW columns run on the narrowest that holds them, so a tail of a few columns costs a few
// lanes, not a whole wide vector with masked loads (which also split cache lines at the tail's
// stride). Every lane is the same fmaf chain in k order, whichever width computes it.
struct X4 {
  typedef __m128 T;
  typedef __m128i M;
  static constexpr int W = 4;
  static M mask(int w) { return _mm_cmpgt_epi32(_mm_set1_epi32(w), _mm_setr_epi32(0, 1, 2, 3)); }
  static T load(const float* p) { return _mm_loadu_ps(p); }
  static T mload(const float* p, M k) { return _mm_maskload_ps(p, k); }
  static void store(float* p, T v) { _mm_storeu_ps(p, v); }
  static void mstore(float* p, T v, M k) { _mm_maskstore_ps(p, k, v); }
  static T set1(float x) { return _mm_set1_ps(x); }
  static T zero() { return _mm_setzero_ps(); }
  static T fma(T a, T b, T c) { return _mm_fmadd_ps(a, b, c); }
};
struct X8 {
  typedef __m256 T;
  typedef __m256i M;
  static constexpr int W = 8;
  static M mask(int w) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(w), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }
  static T load(const float* p) { return _mm256_loadu_ps(p); }
  static T mload(const float* p, M k) { return _mm256_maskload_ps(p, k); }
  static void store(float* p, T v) { _mm256_storeu_ps(p, v); }
  static void mstore(float* p, T v, M k) { _mm256_maskstore_ps(p, k, v); }
  static T set1(float x) { return _mm256_set1_ps(x); }
  static T zero() { return _mm256_setzero_ps(); }
  static T fma(T a, T b, T c) { return _mm256_fmadd_ps(a, b, c); }
};
#if defined(LAB_AVX512)
struct X16 {
  typedef __m512 T;
  typedef __mmask16 M;
  static constexpr int W = 16;
  static M mask(int w) { return (M)((1u << w) - 1u); }
  static T load(const float* p) { return _mm512_loadu_ps(p); }
  static T mload(const float* p, M k) { return _mm512_maskz_loadu_ps(k, p); }
  static void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static void mstore(float* p, T v, M k) { _mm512_mask_storeu_ps(p, k, v); }
  static T set1(float x) { return _mm512_set1_ps(x); }
  static T zero() { return _mm512_setzero_ps(); }
  static T fma(T a, T b, T c) { return _mm512_fmadd_ps(a, b, c); }
};
typedef X16 XW;
#else
typedef X8 XW;
#endif
typedef XW::T V;
constexpr int VW = XW::W;

// Columns per packed block: two vectors, then one, then one masked block of the last N % VW.
constexpr int NB = 2 * VW;

static inline float* F(u8* m, int off) { return reinterpret_cast<float*>(m + static_cast<std::uint32_t>(off)); }

// ---------------------------------------------------------------------------------------------------
// Activations: Eigen's rational tanh, as the wasm kernel (clamp, then p(x²)·x / q(x²)).

static inline float tanhr(float v) {
  // Clamped as wasm's pmax/pmin: a NaN passes through (a diverged model must not look healthy).
  constexpr float lim = 7.99881172180175781f;
  float x = v < -lim ? -lim : v;
  x = lim < x ? lim : x;
  const float x2 = x * x;
  float p = std::fmaf(x2, -2.76076847742355e-16f, 2.00018790482477e-13f);
  p = std::fmaf(x2, p, -8.60467152213735e-11f);
  p = std::fmaf(x2, p, 5.12229709037114e-8f);
  p = std::fmaf(x2, p, 1.48572235717979e-5f);
  p = std::fmaf(x2, p, 6.37261928875436e-4f);
  p = std::fmaf(x2, p, 4.89352455891786e-3f);
  p = x * p;
  float q = std::fmaf(x2, 1.19825839466702e-6f, 1.18534705686654e-4f);
  q = std::fmaf(x2, q, 2.268434632439e-3f);
  q = std::fmaf(x2, q, 4.89352518554385e-3f);
  return p / q;
}

static inline float sigr(float v) { return std::fmaf(0.5f, tanhr(v * 0.5f), 0.5f); }

void tanhArray(u8* m, int x, int out, int n) {
  const float* xp = F(m, x);
  float* op = F(m, out);
  for (int i = 0; i < n; i++) op[i] = tanhr(xp[i]);
}

void sigmoidArray(u8* m, int x, int out, int n) {
  const float* xp = F(m, x);
  float* op = F(m, out);
  for (int i = 0; i < n; i++) op[i] = sigr(xp[i]);
}

// ---------------------------------------------------------------------------------------------------
// GEMM: C[M, N] (= or +=) A[M, K] · B[K, N], B packed (ldb = 0: blocks of NB, VW, then the rest
// columns, each block's K rows contiguous, block of column n at n·K floats) or row-major (ldb floats).
// init: 0 zero, 1 accumulate into C, 2 start from the row vector bias.

// AT: A is stored transposed ([K, M] row-major, lda its row stride), so row r's k-th value is
// a[k·lda + r]: the weight gradient reads the step inputs this way instead of transposing them.
template <int MR, int NV, bool AT = false>
static inline void block(int K, const float* a, usize lda, const float* b, usize sb, float* c, usize ldc, int init, const float* bias) {
  V acc[MR][NV];
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) acc[r][v] = init == 1 ? XW::load(c + r * ldc + v * VW) : init == 2 ? XW::load(bias + v * VW) : XW::zero();
  for (int k = 0; k < K; k++) {
    V bv[NV];
    for (int v = 0; v < NV; v++) bv[v] = XW::load(b + v * VW);
    for (int r = 0; r < MR; r++) {
      const V x = XW::set1(AT ? a[r] : a[r * lda + k]);
      for (int v = 0; v < NV; v++) acc[r][v] = XW::fma(x, bv[v], acc[r][v]);
    }
    b += sb;
    if (AT) a += lda;
  }
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < NV; v++) XW::store(c + r * ldc + v * VW, acc[r][v]);
}

// MR rows of a tail of w <= X::W columns (FULL: w == X::W, plain loads and stores).
template <int MR, class X, bool FULL, bool AT>
static inline void blockTail(int K, const float* a, usize lda, const float* b, usize sb, float* c, usize ldc, int init, const float* bias,
                               typename X::M mk) {
  typename X::T acc[MR];
  for (int r = 0; r < MR; r++) {
    const float* src = init == 1 ? c + r * ldc : bias;
    acc[r] = init == 0 ? X::zero() : FULL ? X::load(src) : X::mload(src, mk);
  }
  for (int k = 0; k < K; k++) {
    const typename X::T bv = FULL ? X::load(b) : X::mload(b, mk);
    for (int r = 0; r < MR; r++) acc[r] = X::fma(X::set1(AT ? a[r] : a[r * lda + k]), bv, acc[r]);
    b += sb;
    if (AT) a += lda;
  }
  for (int r = 0; r < MR; r++) {
    if (FULL) X::store(c + r * ldc, acc[r]);
    else X::mstore(c + r * ldc, acc[r], mk);
  }
}

// Row m of A: a + m·lda, or a + m when A is stored transposed.
template <bool AT>
static inline const float* rowA(const float* a, usize lda, int m) { return AT ? a + m : a + m * lda; }

template <class X, bool FULL, bool AT>
static void rowsTail(int M, int m6, int K, const float* a, usize la, const float* b, usize sb, float* c, usize lc, int init, const float* bias, int w) {
  const typename X::M mk = X::mask(w);
  int m = 0;
  for (; m < m6; m += 6) blockTail<6, X, FULL, AT>(K, rowA<AT>(a, la, m), la, b, sb, c + m * lc, lc, init, bias, mk);
  for (; m + 4 <= M; m += 4) blockTail<4, X, FULL, AT>(K, rowA<AT>(a, la, m), la, b, sb, c + m * lc, lc, init, bias, mk);
  for (; m < M; m++) blockTail<1, X, FULL, AT>(K, rowA<AT>(a, la, m), la, b, sb, c + m * lc, lc, init, bias, mk);
}

// Rows of one column block in micro-kernels of 6, then 4, then 1 (as the wasm gemm).
template <int NV, bool AT>
static inline void rowsOf(int M, int m6, int K, const float* a, usize lda, const float* b, usize sb, float* c, usize ldc, int init, const float* bias) {
  int m = 0;
  for (; m < m6; m += 6) block<6, NV, AT>(K, rowA<AT>(a, lda, m), lda, b, sb, c + m * ldc, ldc, init, bias);
  for (; m + 4 <= M; m += 4) block<4, NV, AT>(K, rowA<AT>(a, lda, m), lda, b, sb, c + m * ldc, ldc, init, bias);
  for (; m < M; m++) block<1, NV, AT>(K, rowA<AT>(a, lda, m), lda, b, sb, c + m * ldc, ldc, init, bias);
}

// AT: A is [K, M] row-major (row stride lda) instead of [M, K].
template <bool AT = false>
static void gemmF(int M, int N, int K, const float* a, int lda, const float* b, int ldb, float* c, int ldc, const float* bias, int acc) {
  const int init = acc ? 1 : bias ? 2 : 0;
  int n6 = M / 6;
  if ((M & 1) == 0)
    while (n6 > 0 && (M - 6 * n6) % 4 != 0) n6--;
  const int m6 = 6 * n6;
  const usize la = lda, lc = ldc;
  auto at = [&](int n) { return ldb ? b + n : b + static_cast<usize>(n) * K; };
  int n = 0;
  for (; n + NB <= N; n += NB) rowsOf<2, AT>(M, m6, K, a, la, at(n), ldb ? ldb : NB, c + n, lc, init, bias ? bias + n : nullptr);
  for (; n + VW <= N; n += VW) rowsOf<1, AT>(M, m6, K, a, la, at(n), ldb ? ldb : VW, c + n, lc, init, bias ? bias + n : nullptr);
  if (n < N) {
    const int w = N - n;
    const float* bn = at(n);
    const usize sb = ldb ? ldb : w;
    const float* bi = bias ? bias + n : nullptr;
    float* cn = c + n;
    if (w <= 4) {
      if (w == 4) rowsTail<X4, true, AT>(M, m6, K, a, la, bn, sb, cn, lc, init, bi, w);
      else rowsTail<X4, false, AT>(M, m6, K, a, la, bn, sb, cn, lc, init, bi, w);
    } else if (VW > 8 && w <= 8) {
      if (w == 8) rowsTail<X8, true, AT>(M, m6, K, a, la, bn, sb, cn, lc, init, bi, w);
      else rowsTail<X8, false, AT>(M, m6, K, a, la, bn, sb, cn, lc, init, bi, w);
    } else {
      rowsTail<XW, false, AT>(M, m6, K, a, la, bn, sb, cn, lc, init, bi, w);
    }
  }
}

void gemm(u8* m, int M, int N, int K, int a, int lda, int b, int ldb, int c, int ldc, int bias, int acc) {
  gemmF(M, N, K, F(m, a), lda, F(m, b), ldb, F(m, c), ldc, bias ? F(m, bias) : nullptr, acc);
}

static void packF(const float* b, int ldb, int K, int N, float* dst) {
  int n = 0;
  auto copy = [&](int w) {
    const float* src = b + n;
    float* out = dst + static_cast<usize>(n) * K;
    for (int k = 0; k < K; k++) {
      std::memcpy(out, src, static_cast<usize>(w) * 4);
      src += ldb;
      out += w;
    }
  };
  for (; n + NB <= N; n += NB) copy(NB);
  for (; n + VW <= N; n += VW) copy(VW);
  if (n < N) copy(N - n);
}

void packB(u8* m, int b, int ldb, int K, int N, int dst) { packF(F(m, b), ldb, K, N, F(m, dst)); }

// dst[c, r] = src[r · lds + c] for r < rows, c < cols.
static void transposeF(const float* src, int lds, int rows, int cols, float* dst) {
  constexpr int T = 8;
  for (int r0 = 0; r0 < rows; r0 += T)
    for (int c0 = 0; c0 < cols; c0 += T) {
      const int r1 = r0 + T < rows ? r0 + T : rows, c1 = c0 + T < cols ? c0 + T : cols;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) dst[static_cast<usize>(c) * rows + r] = src[static_cast<usize>(r) * lds + c];
    }
}

void transpose(u8* m, int src, int rows, int cols, int dst) { transposeF(F(m, src), cols, rows, cols, F(m, dst)); }

// Partitions: batch rows in multiples of 4, weight columns in multiples of 8 (as the wasm kernel).
static inline int cut(int total, int part, int parts, int unit) {
  if (part >= parts) return total;
  const int units = (total + unit - 1) / unit;
  const int u = static_cast<int>((static_cast<std::int64_t>(units) * part) / parts) * unit;
  return u < total ? u : total;
}

static void stepInput(const float* x, float* xh, int b0, int b1, int T, int t, int Fn, int K, const float* im) {
  for (int b = b0; b < b1; b++) {
    const float* src = x + static_cast<usize>(b * T + t) * Fn;
    float* dst = xh + static_cast<usize>(b) * K;
    if (im) {
      const float* ir = im + static_cast<usize>(b) * Fn;
      for (int f = 0; f < Fn; f++) dst[f] = src[f] * ir[f];
    } else {
      std::memcpy(dst, src, static_cast<usize>(Fn) * 4);
    }
  }
}

static void stepGrads(const float* dxh, const float* dxh2, float* dx, int B, int T, int Fn, int K, const float* im, int reverse, int b0, int b1) {
  for (int s = 0; s < T; s++) {
    const int t = reverse ? T - 1 - s : s;
    for (int b = b0; b < b1; b++) {
      const usize src = static_cast<usize>(s * B + b) * K;
      float* dst = dx + static_cast<usize>(b * T + t) * Fn;
      for (int f = 0; f < Fn; f++) {
        float v = dxh[src + f];
        if (dxh2) v += dxh2[src + f];
        if (im) v *= im[static_cast<usize>(b) * Fn + f];
        dst[f] = v;
      }
    }
  }
}

constexpr int WG_CHUNK = 256;

void weightGrad(u8* m, int R, int K, int N, int xh, int dz, int dw, int db, int scratch, int part, int parts) {
  const int n0 = cut(N, part, parts, 8), n1 = cut(N, part + 1, parts, 8);
  if (n1 <= n0) return;
  // This part's packed chunk of gradients, in the scratch laid out for the wasm kernel (which first
  // transposes the chunk's step inputs into its first K · WG_CHUNK floats; this kernel reads them in place).
  float* zp = F(m, scratch) + static_cast<usize>(part) * (K + N) * WG_CHUNK + static_cast<usize>(K) * WG_CHUNK;
  const float* xhp = F(m, xh);
  const float* dzp = F(m, dz);
  float* dwp = F(m, dw);
  float* dbp = db ? F(m, db) : nullptr;
  if (dbp)
    for (int n = n0; n < n1; n++) dbp[n] = 0;
  // Chunks of rows, so the chunk's step inputs and packed gradients stay in cache; the step inputs are
  // read in place as a transposed A. The bias gradient sums the chunk's rows of dz while packing has
  // left them hot (each column's sum in row order, as each weight's chain).
  for (int r0 = 0; r0 < R; r0 += WG_CHUNK) {
    const int rows = R - r0 < WG_CHUNK ? R - r0 : WG_CHUNK;
    packF(dzp + static_cast<usize>(r0) * N + n0, N, rows, n1 - n0, zp);
    gemmF<true>(K, n1 - n0, rows, xhp + static_cast<usize>(r0) * K, K, zp, 0, dwp + n0, N, nullptr, r0 > 0 ? 1 : 0);
    if (dbp)
      for (int r = 0; r < rows; r++) {
        const float* row = dzp + static_cast<usize>(r0 + r) * N;
        for (int n = n0; n < n1; n++) dbp[n] += row[n];
      }
  }
}

// ---------------------------------------------------------------------------------------------------
// LSTM (gates i, f, c, o as tf.layers.lstm); arguments as lstmForward / lstmBackward in the wasm kernel.

static inline void activate(float* p, int n, bool sig) {
  if (sig)
    for (int j = 0; j < n; j++) p[j] = sigr(p[j]);
  else
    for (int j = 0; j < n; j++) p[j] = tanhr(p[j]);
}

// One row's LSTM step on activated gates (i, f, g, o): c' = f∘c + i∘g, h' = o∘tanh(c'), carried
// over where the mask is 0; tanh(c') also to tp when kept. Templated so each loop is branch-free and
// vectorises (conditional stores would keep it scalar).
template <bool MASKED, bool SEQ, bool KEEP>
static void lstmCell(int H, const float* __restrict gr, const float* __restrict cp, float* __restrict cn, float* __restrict hp,
                     float* __restrict op, float* __restrict tp, float mk) {
  const float* __restrict ip = gr;
  const float* __restrict fp = gr + H;
  const float* __restrict gp = gr + 2 * H;
  const float* __restrict opp = gr + 3 * H;
  for (int j = 0; j < H; j++) {
    const float cprev = cp[j];
    float c = std::fmaf(fp[j], cprev, ip[j] * gp[j]);
    const float t = tanhr(c);
    float hv = opp[j] * t;
    if (MASKED) {
      const float hprev = hp[j];
      c = std::fmaf(mk, c - cprev, cprev);
      hv = std::fmaf(mk, hv - hprev, hprev);
    }
    if (KEEP) tp[j] = t;
    cn[j] = c;
    hp[j] = hv;
    if (SEQ) op[j] = hv;
  }
}

void lstmForward(u8* m, int B, int T, int Fn, int H, int x, int im, int reverse, int xh, int w, int bias, int g, int cs, int tc,
                 int h, int mask, int rm, int out, int nOut, int seq, int carry, int keep, int part, int parts) {
  const int b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const int K = Fn + H, G = 4 * H;
  const float* xp = F(m, x);
  const float* imp = im ? F(m, im) : nullptr;
  const float* rmp = rm ? F(m, rm) : nullptr;
  const float* mp = mask ? F(m, mask) : nullptr;
  float* hbase = F(m, h);
  for (int s = 0; s < T; s++) {
    const int ss = keep ? s : 0;
    const int c0 = keep ? s : s & 1, c1 = keep ? s + 1 : (s + 1) & 1;
    float* xhs = F(m, xh) + static_cast<usize>(ss * B) * K;
    stepInput(xp, xhs, b0, b1, T, reverse ? T - 1 - s : s, Fn, K, imp);
    for (int b = b0; b < b1; b++) {
      const float* hp = hbase + static_cast<usize>(b) * H;
      float* dst = xhs + static_cast<usize>(b) * K + Fn;
      if (rmp) {
        const float* rp = rmp + static_cast<usize>(b) * H;
        for (int j = 0; j < H; j++) dst[j] = hp[j] * rp[j];
      } else {
        std::memcpy(dst, hp, static_cast<usize>(H) * 4);
      }
    }
    float* gs = F(m, g) + static_cast<usize>(ss * B) * G;
    gemmF(b1 - b0, G, K, xhs + static_cast<usize>(b0) * K, K, F(m, w), 0, gs + static_cast<usize>(b0) * G, G, F(m, bias), 0);
    for (int b = b0; b < b1; b++) {
      float* gr = gs + static_cast<usize>(b) * G;
      activate(gr, 2 * H, true);
      activate(gr + 2 * H, H, false);
      activate(gr + 3 * H, H, true);
      const float* cp = F(m, cs) + static_cast<usize>(c0 * B + b) * H;
      float* tp = keep ? F(m, tc) + static_cast<usize>(s * B + b) * H : nullptr;
      float* cn = F(m, cs) + static_cast<usize>(c1 * B + b) * H;
      float* hp = hbase + static_cast<usize>(b) * H;
      float* op = F(m, out) + static_cast<usize>(b * nOut + (seq ? s : 0)) * H;
      const float mk = mp ? mp[s * B + b] : 1.0f;
      const int how = (mp ? 1 : 0) | (seq ? 2 : 0) | (tp ? 4 : 0);
      switch (how) {
        case 0: lstmCell<false, false, false>(H, gr, cp, cn, hp, op, tp, mk); break;
        case 1: lstmCell<true, false, false>(H, gr, cp, cn, hp, op, tp, mk); break;
        case 2: lstmCell<false, true, false>(H, gr, cp, cn, hp, op, tp, mk); break;
        case 3: lstmCell<true, true, false>(H, gr, cp, cn, hp, op, tp, mk); break;
        case 4: lstmCell<false, false, true>(H, gr, cp, cn, hp, op, tp, mk); break;
        case 5: lstmCell<true, false, true>(H, gr, cp, cn, hp, op, tp, mk); break;
        case 6: lstmCell<false, true, true>(H, gr, cp, cn, hp, op, tp, mk); break;
        default: lstmCell<true, true, true>(H, gr, cp, cn, hp, op, tp, mk); break;
      }
    }
  }
  for (int b = b0; b < b1; b++) {
    if (!seq) std::memcpy(F(m, out) + static_cast<usize>(b * nOut) * H, hbase + static_cast<usize>(b) * H, static_cast<usize>(H) * 4);
    if (carry)
      std::memcpy(F(m, out) + static_cast<usize>(b * nOut + nOut - 1) * H, F(m, cs) + static_cast<usize>((keep ? T : T & 1) * B + b) * H,
                  static_cast<usize>(H) * 4);
  }
}

// dh[b] += dxh[b, F:] (· rm[b]) for this part's rows.
static void addStateGrad(const float* rows, int K, int Fn, int H, int b0, int b1, float* dh, const float* rm) {
  for (int b = b0; b < b1; b++) {
    const float* src = rows + static_cast<usize>(b - b0) * K + Fn;
    float* dhp = dh + static_cast<usize>(b) * H;
    if (rm) {
      const float* rp = rm + static_cast<usize>(b) * H;
      for (int j = 0; j < H; j++) dhp[j] += src[j] * rp[j];
    } else {
      for (int j = 0; j < H; j++) dhp[j] += src[j];
    }
  }
}

// One row's LSTM step backward: dz of the four gates from dh, dc; dh, dc keep what skips masked steps
// and carry dc to the previous step (dh gets the recurrent part after the GEMM).
template <bool SEQ>
static void lstmCellGrad(int H, const float* __restrict gr, float* __restrict zr, const float* __restrict cp, const float* __restrict tp,
                         float* __restrict dhp, float* __restrict dcp, const float* __restrict yp, float mk) {
  for (int j = 0; j < H; j++) {
    const float iv = gr[j], fv = gr[H + j], gv = gr[2 * H + j], ov = gr[3 * H + j];
    const float cprev = cp[j], t = tp[j];
    float dhv = dhp[j];
    if (SEQ) dhv = dhv + yp[j];
    const float dcv = dcp[j];
    const float dhn = dhv * mk, dcn = dcv * mk;
    const float dct = std::fmaf(dhn * ov, 1.0f - t * t, dcn);
    zr[j] = (dct * gv) * (iv * (1.0f - iv));
    zr[H + j] = (dct * cprev) * (fv * (1.0f - fv));
    zr[2 * H + j] = (dct * iv) * (1.0f - gv * gv);
    zr[3 * H + j] = (dhn * t) * (ov * (1.0f - ov));
    dcp[j] = std::fmaf(dct, fv, dcv - dcn);
    dhp[j] = dhv - dhn;
  }
}

void lstmBackward(u8* m, int B, int T, int Fn, int H, int wt, int g, int cs, int tc, int mask, int rm, int dy, int nOut, int seq,
                  int carry, int dz, int dxh, int dh, int dc, int dx, int im, int reverse, int part, int parts) {
  const int b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const int K = Fn + H, G = 4 * H;
  const usize H4 = static_cast<usize>(H) * 4;
  float* dhb = F(m, dh);
  float* dcb = F(m, dc);
  const float* dyp = F(m, dy);
  const float* mp = mask ? F(m, mask) : nullptr;
  for (int b = b0; b < b1; b++) {
    float* dhp = dhb + static_cast<usize>(b) * H;
    float* dcp = dcb + static_cast<usize>(b) * H;
    if (seq) std::memset(dhp, 0, H4);
    else std::memcpy(dhp, dyp + static_cast<usize>(b * nOut) * H, H4);
    if (carry) std::memcpy(dcp, dyp + static_cast<usize>(b * nOut + nOut - 1) * H, H4);
    else std::memset(dcp, 0, H4);
  }
  for (int s = T - 1; s >= 0; s--) {
    for (int b = b0; b < b1; b++) {
      const float* gr = F(m, g) + static_cast<usize>(s * B + b) * G;
      float* zr = F(m, dz) + static_cast<usize>(s * B + b) * G;
      const float* cp = F(m, cs) + static_cast<usize>(s * B + b) * H;
      const float* tp = F(m, tc) + static_cast<usize>(s * B + b) * H;
      float* dhp = dhb + static_cast<usize>(b) * H;
      float* dcp = dcb + static_cast<usize>(b) * H;
      const float* yp = dyp + static_cast<usize>(b * nOut + s) * H;
      const float mk = mp ? mp[s * B + b] : 1.0f;
      if (seq) lstmCellGrad<true>(H, gr, zr, cp, tp, dhp, dcp, yp, mk);
      else lstmCellGrad<false>(H, gr, zr, cp, tp, dhp, dcp, yp, mk);
    }
    float* rows = F(m, dxh) + static_cast<usize>(s * B + b0) * K;
    gemmF(b1 - b0, K, G, F(m, dz) + static_cast<usize>(s * B + b0) * G, G, F(m, wt), 0, rows, K, nullptr, 0);
    addStateGrad(rows, K, Fn, H, b0, b1, dhb, rm ? F(m, rm) : nullptr);
  }
  stepGrads(F(m, dxh), nullptr, F(m, dx), B, T, Fn, K, im ? F(m, im) : nullptr, reverse, b0, b1);
}

// ---------------------------------------------------------------------------------------------------
// GRU (reset_after = false, gates z, r, h as tf.layers.gru); arguments as in the wasm kernel.

// One row's GRU step after the candidate GEMM: ĥ = tanh (over its pre-activation), h' = z∘h + (1 − z)∘ĥ.
template <bool MASKED, bool SEQ>
static void gruCell(int H, const float* __restrict gr, float* __restrict cr, const float* __restrict hp, float* __restrict hn,
                    float* __restrict op, float mk) {
  for (int j = 0; j < H; j++) {
    const float zv = gr[j];
    const float hh = tanhr(cr[j]);
    const float hprev = hp[j];
    float hv = std::fmaf(zv, hprev - hh, hh);
    if (MASKED) hv = std::fmaf(mk, hv - hprev, hprev);
    cr[j] = hh;
    hn[j] = hv;
    if (SEQ) op[j] = hv;
  }
}

void gruForward(u8* m, int B, int T, int Fn, int H, int x, int im, int reverse, int xh1, int xh2, int w1, int bias1, int w2, int bias2,
                int g1, int g2, int hs, int mask, int rm, int out, int nOut, int seq, int keep, int part, int parts) {
  const int b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const int K = Fn + H;
  const float* rmp = rm ? F(m, rm) : nullptr;
  const float* mp = mask ? F(m, mask) : nullptr;
  for (int s = 0; s < T; s++) {
    const int ss = keep ? s : 0;
    const int h0s = keep ? s : s & 1, h1s = keep ? s + 1 : (s + 1) & 1;
    float* x1 = F(m, xh1) + static_cast<usize>(ss * B) * K;
    float* x2 = F(m, xh2) + static_cast<usize>(ss * B) * K;
    stepInput(F(m, x), x1, b0, b1, T, reverse ? T - 1 - s : s, Fn, K, im ? F(m, im) : nullptr);
    for (int b = b0; b < b1; b++) {
      const float* hp = F(m, hs) + static_cast<usize>(h0s * B + b) * H;
      float* r1 = x1 + static_cast<usize>(b) * K;
      float* r2 = x2 + static_cast<usize>(b) * K;
      std::memcpy(r2, r1, static_cast<usize>(Fn) * 4);
      float* dst = r1 + Fn;
      if (rmp) {
        const float* rp = rmp + static_cast<usize>(b) * H;
        for (int j = 0; j < H; j++) dst[j] = hp[j] * rp[j];
      } else {
        std::memcpy(dst, hp, static_cast<usize>(H) * 4);
      }
    }
    float* gs1 = F(m, g1) + static_cast<usize>(ss * B) * 2 * H;
    float* gs2 = F(m, g2) + static_cast<usize>(ss * B) * H;
    gemmF(b1 - b0, 2 * H, K, x1 + static_cast<usize>(b0) * K, K, F(m, w1), 0, gs1 + static_cast<usize>(b0) * 2 * H, 2 * H, F(m, bias1), 0);
    for (int b = b0; b < b1; b++) {
      float* gr = gs1 + static_cast<usize>(b) * 2 * H;
      const float* hin = x1 + static_cast<usize>(b) * K + Fn;
      float* rh = x2 + static_cast<usize>(b) * K + Fn;
      for (int j = 0; j < H; j++) {
        const float zv = sigr(gr[j]), rv = sigr(gr[H + j]);
        gr[j] = zv;
        gr[H + j] = rv;
        rh[j] = rv * hin[j];
      }
    }
    gemmF(b1 - b0, H, K, x2 + static_cast<usize>(b0) * K, K, F(m, w2), 0, gs2 + static_cast<usize>(b0) * H, H, F(m, bias2), 0);
    for (int b = b0; b < b1; b++) {
      const float* gr = gs1 + static_cast<usize>(b) * 2 * H;
      float* cr = gs2 + static_cast<usize>(b) * H;
      const float* hp = F(m, hs) + static_cast<usize>(h0s * B + b) * H;
      float* hn = F(m, hs) + static_cast<usize>(h1s * B + b) * H;
      float* op = F(m, out) + static_cast<usize>(b * nOut + (seq ? s : 0)) * H;
      const float mk = mp ? mp[s * B + b] : 1.0f;
      const int how = (mp ? 1 : 0) | (seq ? 2 : 0);
      switch (how) {
        case 0: gruCell<false, false>(H, gr, cr, hp, hn, op, mk); break;
        case 1: gruCell<true, false>(H, gr, cr, hp, hn, op, mk); break;
        case 2: gruCell<false, true>(H, gr, cr, hp, hn, op, mk); break;
        default: gruCell<true, true>(H, gr, cr, hp, hn, op, mk); break;
      }
    }
  }
  if (!seq)
    for (int b = b0; b < b1; b++)
      std::memcpy(F(m, out) + static_cast<usize>(b * nOut) * H, F(m, hs) + static_cast<usize>((keep ? T : T & 1) * B + b) * H,
                  static_cast<usize>(H) * 4);
}

// One row's GRU step backward, first half: dz of the candidate and the update gate; dh keeps the direct
// and the skipped parts (the rest comes through the GEMMs).
template <bool SEQ>
static void gruCellGrad(int H, const float* __restrict gr, const float* __restrict cr, const float* __restrict hp, float* __restrict z1,
                        float* __restrict z2, float* __restrict dhp, const float* __restrict yp, float mk) {
  for (int j = 0; j < H; j++) {
    const float zv = gr[j], hh = cr[j], hprev = hp[j];
    float dhv = dhp[j];
    if (SEQ) dhv = dhv + yp[j];
    const float dhn = dhv * mk;
    const float dhz = dhn * zv;
    z2[j] = (dhn - dhz) * (1.0f - hh * hh);
    z1[j] = (dhn * (hprev - hh)) * (zv * (1.0f - zv));
    dhp[j] = dhz + (dhv - dhn);
  }
}

void gruBackward(u8* m, int B, int T, int Fn, int H, int xh1, int w1t, int w2t, int g1, int g2, int hs, int mask, int rm, int dy, int nOut,
                 int seq, int dz1, int dz2, int dxh1, int dxh2, int dh, int dx, int im, int reverse, int part, int parts) {
  const int b0 = cut(B, part, parts, 4), b1 = cut(B, part + 1, parts, 4);
  if (b1 <= b0) return;
  const int K = Fn + H;
  const usize H4 = static_cast<usize>(H) * 4;
  float* dhb = F(m, dh);
  const float* dyp = F(m, dy);
  const float* mp = mask ? F(m, mask) : nullptr;
  for (int b = b0; b < b1; b++) {
    float* dhp = dhb + static_cast<usize>(b) * H;
    if (seq) std::memset(dhp, 0, H4);
    else std::memcpy(dhp, dyp + static_cast<usize>(b * nOut) * H, H4);
  }
  for (int s = T - 1; s >= 0; s--) {
    for (int b = b0; b < b1; b++) {
      const float* gr = F(m, g1) + static_cast<usize>(s * B + b) * 2 * H;
      const float* cr = F(m, g2) + static_cast<usize>(s * B + b) * H;
      const float* hp = F(m, hs) + static_cast<usize>(s * B + b) * H;
      float* z1 = F(m, dz1) + static_cast<usize>(s * B + b) * 2 * H;
      float* z2 = F(m, dz2) + static_cast<usize>(s * B + b) * H;
      float* dhp = dhb + static_cast<usize>(b) * H;
      const float* yp = dyp + static_cast<usize>(b * nOut + s) * H;
      const float mk = mp ? mp[s * B + b] : 1.0f;
      if (seq) gruCellGrad<true>(H, gr, cr, hp, z1, z2, dhp, yp, mk);
      else gruCellGrad<false>(H, gr, cr, hp, z1, z2, dhp, yp, mk);
    }
    float* rows2 = F(m, dxh2) + static_cast<usize>(s * B + b0) * K;
    gemmF(b1 - b0, K, H, F(m, dz2) + static_cast<usize>(s * B + b0) * H, H, F(m, w2t), 0, rows2, K, nullptr, 0);
    for (int b = b0; b < b1; b++) {
      const float* r = F(m, g1) + static_cast<usize>(s * B + b) * 2 * H + H;
      float* z1 = F(m, dz1) + static_cast<usize>(s * B + b) * 2 * H + H;
      const float* hin = F(m, xh1) + static_cast<usize>(s * B + b) * K + Fn;
      const float* drh = F(m, dxh2) + static_cast<usize>(s * B + b) * K + Fn;
      for (int j = 0; j < H; j++) z1[j] = (drh[j] * hin[j]) * (r[j] * (1.0f - r[j]));
    }
    float* rows1 = F(m, dxh1) + static_cast<usize>(s * B + b0) * K;
    gemmF(b1 - b0, K, 2 * H, F(m, dz1) + static_cast<usize>(s * B + b0) * 2 * H, 2 * H, F(m, w1t), 0, rows1, K, nullptr, 0);
    for (int b = b0; b < b1; b++) {
      const float* r = F(m, g1) + static_cast<usize>(s * B + b) * 2 * H + H;
      const float* drh = F(m, dxh2) + static_cast<usize>(s * B + b) * K + Fn;
      float* d1 = F(m, dxh1) + static_cast<usize>(s * B + b) * K + Fn;
      for (int j = 0; j < H; j++) d1[j] = std::fmaf(drh[j], r[j], d1[j]);
    }
    addStateGrad(rows1, K, Fn, H, b0, b1, dhb, rm ? F(m, rm) : nullptr);
  }
  stepGrads(F(m, dxh1), F(m, dxh2), F(m, dx), B, T, Fn, K, im ? F(m, im) : nullptr, reverse, b0, b1);
}

// ---------------------------------------------------------------------------------------------------

static void initK(u8*, const int*) {}
#define A(i) a[i]
static void tanhArrayK(u8* m, const int* a) { tanhArray(m, A(0), A(1), A(2)); }
static void sigmoidArrayK(u8* m, const int* a) { sigmoidArray(m, A(0), A(1), A(2)); }
static void gemmK(u8* m, const int* a) { gemm(m, A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9), A(10)); }
static void packBK(u8* m, const int* a) { packB(m, A(0), A(1), A(2), A(3), A(4)); }
static void transposeK(u8* m, const int* a) { transpose(m, A(0), A(1), A(2), A(3)); }
static void weightGradK(u8* m, const int* a) { weightGrad(m, A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9)); }
static void lstmForwardK(u8* m, const int* a) {
  lstmForward(m, A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9), A(10), A(11), A(12), A(13), A(14), A(15), A(16), A(17), A(18),
              A(19), A(20), A(21), A(22));
}
static void lstmBackwardK(u8* m, const int* a) {
  lstmBackward(m, A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9), A(10), A(11), A(12), A(13), A(14), A(15), A(16), A(17), A(18),
               A(19), A(20), A(21), A(22));
}
static void gruForwardK(u8* m, const int* a) {
  gruForward(m, A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9), A(10), A(11), A(12), A(13), A(14), A(15), A(16), A(17), A(18),
             A(19), A(20), A(21), A(22), A(23));
}
static void gruBackwardK(u8* m, const int* a) {
  gruBackward(m, A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9), A(10), A(11), A(12), A(13), A(14), A(15), A(16), A(17), A(18),
              A(19), A(20), A(21), A(22), A(23), A(24));
}
#undef A

}  // namespace LAB_NS

// The entry points in KERNEL_FUNCTIONS' order (src/models/wasm/rnn-kernel.ts), with their argument counts.
#if defined(LAB_AVX512)
extern "C" const lab::Entry lab_avx512_entries[lab::ENTRY_COUNT] = {
#else
extern "C" const lab::Entry lab_avx2_entries[lab::ENTRY_COUNT] = {
#endif
    {LAB_NS::initK, 0},          {LAB_NS::tanhArrayK, 3},    {LAB_NS::sigmoidArrayK, 3},  {LAB_NS::gemmK, 11},
    {LAB_NS::packBK, 5},         {LAB_NS::transposeK, 4},    {LAB_NS::weightGradK, 10},   {LAB_NS::lstmForwardK, 23},
    {LAB_NS::lstmBackwardK, 23}, {LAB_NS::gruForwardK, 24}, {LAB_NS::gruBackwardK, 25},
};

/**
 * A Gaussian-process regressor for Bayesian optimisation: Matérn 5/2 kernel with one length
 * scale per input dimension (ARD), a signal variance and a noise variance, all fitted by
 * maximising the log marginal likelihood (plus weak log-normal priors that keep them sane with
 * few points) with multi-start L-BFGS on the log parameters and analytic gradients.
 * Inputs are expected in [0, 1]; outputs are standardised inside.
 * The Cholesky factorisation and the triangular solves run on typed arrays, in the order of
 * ml-matrix's (JAMA's) Cholesky, so the fitted models equal the earlier ml-matrix-based ones bit for bit.
 */
import type { Rng } from "../../rng.js";
import { lbfgs } from "./lbfgs.js";

const SQRT5 = Math.sqrt(5);
const JITTER = 1e-6;
/** Log-normal priors (mean, std of the log): length scale, signal variance, noise variance. */
const PRIOR = { logLength: [Math.log(0.5), 1.0], logSignal: [0, 1.0], logNoise: [Math.log(1e-4), 2.5] } as const;
const BOUNDS = { logLength: [Math.log(5e-3), Math.log(20)], logSignal: [Math.log(1e-2), Math.log(1e2)], logNoise: [Math.log(1e-8), Math.log(1)] } as const;

/** Fitted kernel hyperparameters. */
export interface GPHyper {
  lengthScales: number[];
  signalVariance: number;
  noiseVariance: number;
}

/**
 * How `GaussianProcess.fit` searches for the hyperparameters.
 * @example
 * const rng = new Rng(1);
 * const X = [[0.1], [0.4], [0.7], [0.9]], y = X.map(([x]) => Math.sin(6 * (x ?? 0)));
 * const first = GaussianProcess.fit(X, y, rng, { restarts: 2 });
 * // one more point: a short refit from the last optimum instead of several starts
 * const next = GaussianProcess.fit([...X, [0.5]], [...y, Math.sin(3)], rng, { start: first.hyper, startOnly: true, maxIter: 5 });
 */
export interface GPFitOptions {
  /** Random starts drawn from the priors, besides the priors' centre and `start`. @default 1 */
  restarts?: number;
  /** A previous fit's hyperparameters, the first start (ignored when its dimension differs). @default null */
  start?: GPHyper | null;
  /** Fit from `start` alone, when it is given. @default false */
  startOnly?: boolean;
  /** L-BFGS iterations per start. @default 50 */
  maxIter?: number;
  /** Skip the fit and use these hyperparameters. @default null */
  fixed?: GPHyper | null;
}

const FIT_DEFAULTS: Required<GPFitOptions> = { restarts: 1, start: null, startOnly: false, maxIter: 50, fixed: null };

/**
 * Matérn 5/2 correlation at scaled distance r.
 * @example
 * matern52(0) // 1: a point is fully correlated with itself
 */
export function matern52(r: number): number {
  return (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
}

function clamp(v: number, [lo, hi]: readonly [number, number] | readonly number[]): number {
  return Math.min(hi as number, Math.max(lo as number, v));
}

/**
 * Lower Cholesky factor of a symmetric positive-definite n×n matrix (row-major), or null when it is
 * not positive definite. The loop order and summation order are JAMA's (ml-matrix's), so every
 * factor is the same bits as theirs; typed arrays make it an order of magnitude faster.
 */
function cholesky(K: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = 0;
    for (let k = 0; k < j; k++) {
      const rk = k * n;
      let s = 0;
      for (let i = 0; i < k; i++) s += (L[rk + i] as number) * (L[rj + i] as number);
      s = ((K[rj + k] as number) - s) / (L[rk + k] as number);
      L[rj + k] = s;
      d = d + s * s;
    }
    d = (K[rj + j] as number) - d;
    if (!(d > 0)) return null;
    L[rj + j] = Math.sqrt(d);
  }
  return L;
}

/**
 * Solves L·x = b in place (L lower triangular, row-major). When b[0..from) are zero, `from` skips
 * them: subtracting their zero products changes no bit of the result.
 */
function forward(L: Float64Array, n: number, b: Float64Array, from = 0): Float64Array {
  for (let i = from; i < n; i++) {
    let s = b[i] as number;
    const row = i * n;
    for (let k = from; k < i; k++) s -= (L[row + k] as number) * (b[k] as number);
    b[i] = s / (L[row + i] as number);
  }
  return b;
}

/** The transpose of an n×n row-major matrix. */
function transpose(A: Float64Array, n: number): Float64Array {
  const T = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) T[k * n + i] = A[i * n + k] as number;
  return T;
}

/**
 * Solves Lᵀ·x = b in place given U = Lᵀ (upper triangular, row-major): the same operations in the
 * same order as reading L by columns, but along rows, which is what the cache wants.
 */
function backwardT(U: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    const row = i * n;
    for (let k = i + 1; k < n; k++) s -= (U[row + k] as number) * (b[k] as number);
    b[i] = s / (U[row + i] as number);
  }
  return b;
}

/** A fitted GP: posterior mean and standard deviation of the standardised output at new points. */
export class GaussianProcess {
  readonly dim: number;
  readonly hyper: GPHyper;
  /** Mean and std used to standardise the training outputs. */
  readonly yMean: number;
  readonly yStd: number;
  readonly #X: Float64Array;
  readonly #n: number;
  readonly #L: Float64Array;
  readonly #alpha: Float64Array;
  readonly #invLen2: Float64Array;
  /** Scratch for `predict`'s kernel vector. */
  readonly #k: Float64Array;

  private constructor(X: Float64Array, n: number, dim: number, hyper: GPHyper, yMean: number, yStd: number, L: Float64Array, alpha: Float64Array) {
    this.#X = X;
    this.#n = n;
    this.dim = dim;
    this.hyper = hyper;
    this.yMean = yMean;
    this.yStd = yStd;
    this.#L = L;
    this.#alpha = alpha;
    this.#invLen2 = Float64Array.from(hyper.lengthScales, (l) => 1 / (l * l));
    this.#k = new Float64Array(n);
  }

  /**
   * Fits hyperparameters to rows `X` (each of length `dim`, values in [0, 1]) and outputs `y`:
   * L-BFGS from `start` (a previous fit), the priors' centre and `restarts` random draws from the
   * priors, keeping the best; `startOnly` refits from `start` alone (cheap when one point was
   * added); `fixed` skips the fit and uses the given hyperparameters.
   */
  static fit(X: readonly (readonly number[])[], y: readonly number[], rng: Rng, options: GPFitOptions = {}): GaussianProcess {
    const o = { ...FIT_DEFAULTS, ...options };
    const n = X.length;
    const dim = n > 0 ? (X[0] as readonly number[]).length : 0;
    const flatX = new Float64Array(n * dim);
    X.forEach((row, i) => row.forEach((v, d) => (flatX[i * dim + d] = v)));
    const yMean = y.reduce((a, b) => a + b, 0) / Math.max(1, n);
    const yVar = y.reduce((a, b) => a + (b - yMean) ** 2, 0) / Math.max(1, n);
    const yStd = yVar > 1e-300 ? Math.sqrt(yVar) : 1;
    const ys = Float64Array.from(y, (v) => (v - yMean) / yStd);

    // squared differences per dimension, per pair (i < j), computed once
    const pairs = (n * (n - 1)) / 2;
    const diff2 = new Float64Array(pairs * dim);
    let p = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++, p++) {
      for (let d = 0; d < dim; d++) {
        const t = (flatX[i * dim + d] as number) - (flatX[j * dim + d] as number);
        diff2[p * dim + d] = t * t;
      }
    }
    const objective = (theta: Float64Array) => negLogPosterior(theta, ys, diff2, n, dim);

    const starts: Float64Array[] = [];
    const encode = (h: GPHyper) => Float64Array.from([...h.lengthScales.map(Math.log), Math.log(h.signalVariance), Math.log(h.noiseVariance)]);
    const warm = o.start !== null && o.start.lengthScales.length === dim;
    if (warm) starts.push(encode(o.start as GPHyper));
    if (!(warm && o.startOnly)) starts.push(Float64Array.from([...Array<number>(dim).fill(PRIOR.logLength[0]), 0, Math.log(1e-3)]));
    for (let r = 0; r < (warm && o.startOnly ? 0 : o.restarts); r++) {
      starts.push(Float64Array.from([
        ...Array.from({ length: dim }, () => rng.normal(PRIOR.logLength[0], PRIOR.logLength[1])),
        rng.normal(0, 0.5),
        rng.normal(PRIOR.logNoise[0], 1),
      ]));
    }
    let best: { x: Float64Array; value: number } | null = o.fixed ? { x: encode(o.fixed), value: 0 } : null;
    for (const s of o.fixed ? [] : starts) {
      const r = n >= 2 ? lbfgs(objective, s, { maxIter: o.maxIter }) : { x: s, value: 0 };
      if (!best || r.value < best.value) best = r;
    }
    const theta = (best as { x: Float64Array }).x;
    const hyper: GPHyper = {
      lengthScales: Array.from({ length: dim }, (_, d) => Math.exp(clamp(theta[d] as number, BOUNDS.logLength))),
      signalVariance: Math.exp(clamp(theta[dim] as number, BOUNDS.logSignal)),
      noiseVariance: Math.exp(clamp(theta[dim + 1] as number, BOUNDS.logNoise)),
    };
    const K = buildK(flatX, n, dim, hyper);
    let L = cholesky(K, n);
    for (let extra = 1e-6; !L && extra < 1; extra *= 10) {
      for (let i = 0; i < n; i++) K[i * n + i] = (K[i * n + i] as number) + extra;
      L = cholesky(K, n);
    }
    if (!L) throw new Error("Gaussian process: kernel matrix is not positive definite even with jitter.");
    const alpha = backwardT(transpose(L, n), n, forward(L, n, Float64Array.from(ys)));
    return new GaussianProcess(flatX, n, dim, hyper, yMean, yStd, L, alpha);
  }

  /** Posterior mean and standard deviation (standardised output scale) at point `x`. */
  predict(x: ArrayLike<number>): { mean: number; std: number } {
    const n = this.#n, dim = this.dim, X = this.#X, il = this.#invLen2;
    const s2 = this.hyper.signalVariance;
    const k = this.#k;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      let r2 = 0;
      for (let d = 0; d < dim; d++) {
        const t = (x[d] as number) - (X[i * dim + d] as number);
        r2 += t * t * (il[d] as number);
      }
      const v = s2 * matern52(Math.sqrt(r2));
      k[i] = v;
      mean += v * (this.#alpha[i] as number);
    }
    forward(this.#L, n, k);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += (k[i] as number) ** 2;
    const variance = Math.max(1e-12, s2 - vv);
    return { mean, std: Math.sqrt(variance) };
  }
}

function buildK(X: Float64Array, n: number, dim: number, h: GPHyper): Float64Array {
  const K = new Float64Array(n * n);
  const il = h.lengthScales.map((l) => 1 / (l * l));
  for (let i = 0; i < n; i++) {
    K[i * n + i] = h.signalVariance + h.noiseVariance + JITTER;
    for (let j = i + 1; j < n; j++) {
      let r2 = 0;
      for (let d = 0; d < dim; d++) {
        const t = (X[i * dim + d] as number) - (X[j * dim + d] as number);
        r2 += t * t * (il[d] as number);
      }
      const v = h.signalVariance * matern52(Math.sqrt(r2));
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return K;
}

/** −(log marginal likelihood + log prior) and its gradient with respect to the log parameters. */
function negLogPosterior(theta: Float64Array, y: Float64Array, diff2: Float64Array, n: number, dim: number): { value: number; grad: Float64Array } {
  const grad = new Float64Array(dim + 2);
  // out of bounds: a steep wall the line search backs away from
  for (let d = 0; d < dim; d++) if ((theta[d] as number) < (BOUNDS.logLength[0] as number) - 1 || (theta[d] as number) > (BOUNDS.logLength[1] as number) + 1) return { value: Infinity, grad };
  if ((theta[dim + 1] as number) < (BOUNDS.logNoise[0] as number) - 1 || (theta[dim + 1] as number) > 2) return { value: Infinity, grad };
  if (Math.abs(theta[dim] as number) > 8) return { value: Infinity, grad };
  const s2 = Math.exp(theta[dim] as number);
  const sn2 = Math.exp(theta[dim + 1] as number);
  const il = new Float64Array(dim);
  for (let d = 0; d < dim; d++) il[d] = Math.exp(-2 * (theta[d] as number));
  const K = new Float64Array(n * n);
  // per pair: dk/dr² factor, to reuse for length-scale gradients
  const pairs = (n * (n - 1)) / 2;
  const dfac = new Float64Array(pairs);
  let p = 0;
  for (let i = 0; i < n; i++) {
    K[i * n + i] = s2 + sn2 + JITTER;
    for (let j = i + 1; j < n; j++, p++) {
      let r2 = 0;
      for (let d = 0; d < dim; d++) r2 += (diff2[p * dim + d] as number) * (il[d] as number);
      const r = Math.sqrt(r2);
      const e = Math.exp(-SQRT5 * r);
      const v = s2 * (1 + SQRT5 * r + (5 / 3) * r2) * e;
      K[i * n + j] = v;
      K[j * n + i] = v;
      dfac[p] = (5 / 3) * s2 * (1 + SQRT5 * r) * e; // = −2·dk/d(r²)
    }
  }
  const L = cholesky(K, n);
  if (!L) return { value: Infinity, grad };
  const U = transpose(L, n);
  const alpha = backwardT(U, n, forward(L, n, Float64Array.from(y)));
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(L[i * n + i] as number);
  let quad = 0;
  for (let i = 0; i < n; i++) quad += (y[i] as number) * (alpha[i] as number);
  const nll = 0.5 * quad + logDet + 0.5 * n * Math.log(2 * Math.PI);

  // K⁻¹ from L, a unit vector at a time; row c of KinvT is column c of K⁻¹
  const KinvT = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const e = KinvT.subarray(c * n, c * n + n);
    e[c] = 1;
    backwardT(U, n, forward(L, n, e, c));
  }
  // W = ααᵀ − K⁻¹; d(nll)/dθ = −½ tr(W dK/dθ)
  let gSignal = 0;
  let gNoise = 0;
  for (let i = 0; i < n; i++) {
    const wii = (alpha[i] as number) ** 2 - (KinvT[i * n + i] as number);
    gSignal += wii * s2;
    gNoise += wii * sn2;
  }
  p = 0;
  const gLen = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, p++) {
      const w = (alpha[i] as number) * (alpha[j] as number) - (KinvT[j * n + i] as number);
      const kij = K[i * n + j] as number;
      gSignal += 2 * w * kij;
      const f = 2 * w * (dfac[p] as number);
      for (let d = 0; d < dim; d++) gLen[d] = (gLen[d] as number) + f * (diff2[p * dim + d] as number) * (il[d] as number);
    }
  }
  let value = nll;
  for (let d = 0; d < dim; d++) {
    const z = ((theta[d] as number) - PRIOR.logLength[0]) / PRIOR.logLength[1];
    value += 0.5 * z * z;
    grad[d] = -0.5 * (gLen[d] as number) + z / PRIOR.logLength[1];
  }
  const zs = ((theta[dim] as number) - PRIOR.logSignal[0]) / PRIOR.logSignal[1];
  value += 0.5 * zs * zs;
  grad[dim] = -0.5 * gSignal + zs / PRIOR.logSignal[1];
  const zn = ((theta[dim + 1] as number) - PRIOR.logNoise[0]) / PRIOR.logNoise[1];
  value += 0.5 * zn * zn;
  grad[dim + 1] = -0.5 * gNoise + zn / PRIOR.logNoise[1];
  return { value, grad };
}

/** Exposed for tests: the negative log posterior and its gradient. */
export const _negLogPosterior = negLogPosterior;

/**
 * A small limited-memory BFGS minimiser with a backtracking (Armijo) line search, for the
 * Gaussian-process hyperparameters: a handful of smooth dimensions, analytic gradients.
 */

/** Value and gradient of the function being minimised at a point. */
export type ValueAndGradient = (x: Float64Array) => { value: number; grad: Float64Array };

export interface LbfgsOptions {
  /** Iterations at most. @default 60 */ maxIter?: number;
  /** Stored correction pairs. @default 6 */ memory?: number;
  /** Stop when the largest gradient component is below this. @default 1e-5 */ gradTol?: number;
  /** Stop when the value improves by less than this (relative) in one step. @default 1e-9 */ valueTol?: number;
}

const DEFAULTS: Required<LbfgsOptions> = { maxIter: 60, memory: 6, gradTol: 1e-5, valueTol: 1e-9 };

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Minimises `f` from `x0`; returns the best point found and its value. Non-finite values are treated as +∞. */
export function lbfgs(f: ValueAndGradient, x0: Float64Array, options: LbfgsOptions = {}): { x: Float64Array; value: number; iterations: number } {
  const o = { ...DEFAULTS, ...options };
  const n = x0.length;
  let x = Float64Array.from(x0);
  let cur = f(x);
  if (!Number.isFinite(cur.value)) return { x, value: Infinity, iterations: 0 };
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  let it = 0;
  for (; it < o.maxIter; it++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(cur.grad[i] as number));
    if (gmax < o.gradTol) break;
    // two-loop recursion: d = −H·g
    const q = Float64Array.from(cur.grad);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const s = S[k] as Float64Array, y = Y[k] as Float64Array;
      const a = dot(s, q) / dot(y, s);
      alpha[k] = a;
      for (let i = 0; i < n; i++) q[i] = (q[i] as number) - a * (y[i] as number);
    }
    let gamma = 1 / Math.max(1, Math.sqrt(dot(cur.grad, cur.grad)));
    if (S.length > 0) {
      const s = S[S.length - 1] as Float64Array, y = Y[Y.length - 1] as Float64Array;
      gamma = dot(s, y) / dot(y, y);
    }
    for (let i = 0; i < n; i++) q[i] = (q[i] as number) * gamma;
    for (let k = 0; k < S.length; k++) {
      const s = S[k] as Float64Array, y = Y[k] as Float64Array;
      const b = dot(y, q) / dot(y, s);
      for (let i = 0; i < n; i++) q[i] = (q[i] as number) + (s[i] as number) * ((alpha[k] as number) - b);
    }
    const d = q.map((v) => -v);
    let slope = dot(d, cur.grad);
    if (!(slope < 0)) {
      // not a descent direction: restart from steepest descent
      S.length = 0;
      Y.length = 0;
      for (let i = 0; i < n; i++) d[i] = -(cur.grad[i] as number) * gamma;
      slope = dot(d, cur.grad);
    }
    let step = 1;
    let next: { value: number; grad: Float64Array } | null = null;
    let xn = x;
    for (let ls = 0; ls < 30; ls++) {
      xn = x.map((v, i) => v + step * (d[i] as number));
      const trial = f(xn);
      if (Number.isFinite(trial.value) && trial.value <= cur.value + 1e-4 * step * slope) {
        next = trial;
        break;
      }
      step *= 0.5;
    }
    if (!next) break;
    const s = xn.map((v, i) => v - (x[i] as number));
    const y = next.grad.map((v, i) => v - (cur.grad[i] as number));
    if (dot(s, y) > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > o.memory) {
        S.shift();
        Y.shift();
      }
    }
    const improvement = cur.value - next.value;
    x = xn;
    cur = next;
    if (improvement < o.valueTol * Math.max(1, Math.abs(cur.value))) break;
  }
  return { x, value: cur.value, iterations: it };
}

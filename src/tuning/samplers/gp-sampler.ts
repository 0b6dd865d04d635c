/**
 * Bayesian optimisation with a Gaussian process (Optuna's GPSampler, bayes_opt, KerasTuner's
 * BayesianOptimization). After `nStartupTrials` random trials, each proposal fits a GP
 * (Matérn 5/2 ARD, hyperparameters by marginal likelihood) to the finished trials in the unit
 * cube and maximises an acquisition: Expected Improvement (default, with a small `xi`) or a
 * confidence bound (`acquisition: "ucb"`, `beta`). The acquisition is maximised over random
 * candidates plus perturbations of the best trials, then refined by local search.
 * Running trials count as "liars" at the mean observed value so parallel workers spread out.
 */
import type { Rng } from "../../rng.js";
import { ConfigError } from "../../errors.js";
import { inRange, nonNegativeInt, oneOf, positiveInt, positiveNumber, nonNegativeNumber } from "../../validate.js";
import type { SearchSpace } from "../space.js";
import type { FrozenTrial, Params } from "../frozen-trial.js";
import { GaussianProcess } from "./gaussian-process.js";
import type { GPHyper } from "./gaussian-process.js";
import { SpaceEncoding } from "./encoding.js";
import { sampleSpaceUniform } from "./random.js";
import type { Sampler, SampleContext } from "./sampler.js";

/** Options of {@link GPSampler}: acquisition, start-up trials and how often the GP refits. */
export interface GPSamplerOptions {
  /**
   * Random trials before the GP takes over. "auto" uses min(10, max(3, 2·dims, budget / 5)) capped
   * by the budget of the current `optimize` call. @default "auto"
   */
  nStartupTrials?: number | "auto";
  /** Acquisition function. @default "ei" */
  acquisition?: "ei" | "ucb";
  /** EI's exploration margin, in standardised output units (larger explores more). @default 0.001 */
  xi?: number;
  /** UCB's exploration weight: mean − √beta·std (for minimisation). @default 4 */
  beta?: number;
  /** Random candidates scored per proposal. @default 2000 */
  candidates?: number;
  /** Candidates refined by local search. @default 5 */
  refine?: number;
  /** Random restarts of the hyperparameter fit (besides the default and the previous optimum). @default 1 */
  restarts?: number;
  /**
   * Past this many points the hyperparameters are refitted from the previous proposal's alone (one
   * short L-BFGS run) instead of from several starts; with many points the likelihood's optimum
   * moves little from one trial to the next. @default 50
   */
  warmFitAfter?: number;
  /**
   * Past `warmFitAfter` points, refit the hyperparameters every this many trials and keep the last
   * ones in between (only the Cholesky factor is recomputed). @default 2
   */
  refitEvery?: number;
  /**
   * Past this many finished trials the GP is fitted to this many of them: the best half and an
   * evenly spread selection of the rest (in trial order), so a proposal's cost stops growing. @default 300
   */
  maxPoints?: number;
}

const DEFAULTS: Required<GPSamplerOptions> = {
  nStartupTrials: "auto", acquisition: "ei", xi: 0.001, beta: 4, candidates: 2000, refine: 5, restarts: 1, warmFitAfter: 50, refitEvery: 2, maxPoints: 300,
};
/** L-BFGS iterations of a refit from the previous hyperparameters. */
const WARM_FIT_ITERATIONS = 5;

/**
 * Indices of at most `max` of the points with outputs `y`: all of them when they are few, else the
 * best ⌈max/2⌉ and the rest spread evenly over the others in trial order; sorted ascending.
 * @example fitSubset([5, 1, 4, 2, 3, 0, 6, 7], 4); // [1, 2, 5, 6]: the two lowest, then two of the other six
 */
export function fitSubset(y: readonly number[], max: number): number[] {
  const n = y.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const nBest = Math.ceil(max / 2);
  const byValue = Array.from({ length: n }, (_, i) => i).sort((a, b) => (y[a] as number) - (y[b] as number) || a - b);
  const chosen = new Set(byValue.slice(0, nBest));
  const others = Array.from({ length: n }, (_, i) => i).filter((i) => !chosen.has(i));
  const nSpread = max - nBest;
  for (let k = 0; k < nSpread; k++) chosen.add(others[Math.floor(((k + 0.5) * others.length) / nSpread)] as number);
  return [...chosen].sort((a, b) => a - b);
}

const SQRT2 = Math.SQRT2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erfc with relative error < 1.2e-7 (Numerical Recipes' Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** log(z·Φ(z) + φ(z)), stable for very negative z (so EI never collapses to ties of zero). */
export function logH(z: number): number {
  if (z > -5) {
    const phi = Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    return Math.log(z * normCdf(z) + phi);
  }
  const z2 = z * z;
  return -0.5 * z2 - LOG_SQRT_2PI + Math.log(1 / z2 - 3 / (z2 * z2) + 15 / (z2 * z2 * z2));
}

/**
 * Bayesian optimisation with a Gaussian process and EI or UCB.
 * @example
 * // a long study of a cheap objective: fit to at most 500 trials, refit the hyperparameters every trial
 * const sampler = new GPSampler({ maxPoints: 500, refitEvery: 1 });
 * const study = await createStudy({ space: space({ x: floatParam(-3, 3) }), sampler, seed: 1 });
 * await study.optimize((t) => (t.params.x - 1) ** 2, { nTrials: 12 });
 */
export class GPSampler implements Sampler {
  readonly name = "gp";
  readonly options: Required<GPSamplerOptions>;
  /** Last fitted hyperparameters, a warm start for the next fit (pure speed: results do not rely on it being there). */
  #warm: { dim: number; hyper: GPHyper } | null = null;

  constructor(options: GPSamplerOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    if (o.nStartupTrials !== "auto") nonNegativeInt("nStartupTrials", o.nStartupTrials);
    oneOf("acquisition", o.acquisition, ["ei", "ucb"] as const);
    nonNegativeNumber("xi", o.xi);
    positiveNumber("beta", o.beta);
    positiveInt("candidates", o.candidates);
    nonNegativeInt("refine", o.refine);
    inRange("restarts", o.restarts, 0, 20);
    nonNegativeInt("warmFitAfter", o.warmFitAfter);
    positiveInt("refitEvery", o.refitEvery);
    if (!Number.isInteger(o.maxPoints) || o.maxPoints < 2) throw new ConfigError(`\`maxPoints\` must be an integer of at least 2, got ${String(o.maxPoints)}.`);
    this.options = o;
  }

  /** How many random trials come first for this space and budget. */
  startupTrials(space: SearchSpace, budget: number | null): number {
    if (this.options.nStartupTrials !== "auto") return this.options.nStartupTrials;
    const dims = new SpaceEncoding(space).dim;
    let n = Math.min(10, Math.max(3, 2 * dims));
    if (budget !== null) n = Math.min(n, Math.max(2, Math.ceil(budget / 5)));
    return n;
  }

  sample(space: SearchSpace, trials: readonly FrozenTrial[], rng: Rng, ctx: SampleContext): Params {
    const enc = new SpaceEncoding(space);
    const sign = ctx.direction === "maximize" ? -1 : 1;
    const X: number[][] = [];
    const y: number[] = [];
    const pending: number[][] = [];
    for (const t of trials) {
      if (t.state === "complete" && t.value !== null && Number.isFinite(t.value)) {
        const x = enc.encode(t.params);
        if (x) {
          X.push(x);
          y.push(sign * t.value);
        }
      } else if (t.state === "running" && Object.keys(t.params).length > 0) {
        const x = enc.encode(t.params);
        if (x) pending.push(x);
      }
    }
    if (X.length < Math.max(2, this.startupTrials(space, ctx.budget))) return sampleSpaceUniform(space, rng);

    const best = Math.min(...y);
    const fitRng = rng.fork("gp-fit");
    const liar = y.reduce((a, b) => a + b, 0) / y.length;
    const gp = this.#fit(X, y, pending, liar, enc.dim, fitRng);
    const bestStd = (best - gp.yMean) / gp.yStd;
    const { acquisition, xi, beta } = this.options;
    const score = (x: ArrayLike<number>): number => {
      const { mean, std } = gp.predict(x);
      if (acquisition === "ucb") return -(mean - Math.sqrt(beta) * std);
      const z = (bestStd - mean - xi) / std;
      return Math.log(std) + logH(z); // log EI: same argmax, no underflow
    };

    // candidates: uniform in the cube, plus local perturbations of the best few observed points
    const order = y.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    const cands: number[][] = [];
    const nLocal = Math.floor(this.options.candidates / 4);
    for (let c = 0; c < this.options.candidates - nLocal; c++) cands.push(enc.encode(sampleSpaceUniform(space, rng)) as number[]);
    for (let c = 0; c < nLocal; c++) {
      const base = X[order[c % Math.min(3, order.length)] as number] as number[];
      cands.push(this.#perturb(enc, base, 0.05 + 0.15 * rng.next(), rng));
    }
    const scored = cands.map((x) => ({ x, s: score(x) })).sort((a, b) => b.s - a.s);

    // local refinement of the top candidates: shrinking Gaussian steps, accept when better
    let winner = scored[0] as { x: number[]; s: number };
    for (let r = 0; r < Math.min(this.options.refine, scored.length); r++) {
      let cur = scored[r] as { x: number[]; s: number };
      let sigma = 0.1;
      for (let it = 0; it < 40; it++) {
        const x = this.#perturb(enc, cur.x, sigma, rng);
        const s = score(x);
        if (s > cur.s) cur = { x, s };
        else sigma = Math.max(0.002, sigma * 0.85);
      }
      if (cur.s > winner.s) winner = cur;
    }
    return enc.decode(winner.x);
  }

  /**
   * The GP of this proposal. Up to `warmFitAfter` points: a multi-start fit (warm-started from the
   * last one). Past it: the last proposal's hyperparameters, refitted from there by a short L-BFGS
   * run every `refitEvery` trials; a sampler without them first gets them from a multi-start fit to
   * `warmFitAfter` of the points. Past `maxPoints` finished trials, on a subset of them; running
   * trials always count, as liars.
   */
  #fit(X: number[][], y: number[], pending: number[][], liar: number, dim: number, rng: Rng): GaussianProcess {
    const { restarts, warmFitAfter, refitEvery, maxPoints } = this.options;
    const keep = fitSubset(y, maxPoints);
    const Xfit = keep.map((i) => X[i] as number[]).concat(pending);
    const yfit = keep.map((i) => y[i] as number).concat(pending.map(() => liar));
    let start = this.#warm && this.#warm.dim === dim ? this.#warm.hyper : null;
    let gp: GaussianProcess;
    if (Xfit.length <= warmFitAfter) {
      gp = GaussianProcess.fit(Xfit, yfit, rng, { restarts, start });
    } else {
      if (!start) {
        const few = fitSubset(yfit, Math.max(2, warmFitAfter));
        start = GaussianProcess.fit(few.map((i) => Xfit[i] as number[]), few.map((i) => yfit[i] as number), rng, { restarts }).hyper;
        gp = GaussianProcess.fit(Xfit, yfit, rng, { start, startOnly: true, maxIter: WARM_FIT_ITERATIONS });
      } else if ((X.length + pending.length) % refitEvery === 0) {
        gp = GaussianProcess.fit(Xfit, yfit, rng, { start, startOnly: true, maxIter: WARM_FIT_ITERATIONS });
      } else {
        gp = GaussianProcess.fit(Xfit, yfit, rng, { fixed: start });
      }
    }
    this.#warm = { dim, hyper: gp.hyper };
    return gp;
  }

  /** A feasible point near `x`: Gaussian steps on numeric columns, occasionally another category. */
  #perturb(enc: SpaceEncoding, x: readonly number[], sigma: number, rng: Rng): number[] {
    const out = x.slice();
    for (const c of enc.numericColumns) out[c] = Math.min(1, Math.max(0, (out[c] as number) + rng.normal(0, sigma)));
    for (const [offset, width] of enc.categoricalBlocks) {
      if (rng.next() < 0.2) {
        for (let k = 0; k < width; k++) out[offset + k] = 0;
        out[offset + rng.int(0, width - 1)] = 1;
      }
    }
    return enc.snap(out);
  }
}

/**
 * Exhaustive grid search over a declared space, in a seeded shuffled order (so the first few
 * trials already cover the space). Conditional parameters add grid points only where active.
 * When every point has been handed out, `exhausted()` says so and the study stops.
 */
import { Rng } from "../../rng.js";
import { ConfigError } from "../../errors.js";
import { positiveInt } from "../../validate.js";
import { snap } from "../distributions.js";
import type { SearchSpace } from "../space.js";
import type { Distribution, FrozenTrial, ParamValue, Params } from "../frozen-trial.js";
import type { Sampler, SampleContext } from "./sampler.js";

/** Options of {@link GridSampler}: the values to walk for each parameter. */
export interface GridSamplerOptions {
  /** Points per float dimension without a step (evenly spaced, in log space for log dims). @default 5 */
  floatPoints?: number;
  /** Refuse grids larger than this many points (a typo in a step can make billions). @default 1000000 */
  maxPoints?: number;
  /** Try points in declaration order instead of a seeded shuffle. @default false */
  ordered?: boolean;
}

const DEFAULTS: Required<GridSamplerOptions> = { floatPoints: 5, maxPoints: 1_000_000, ordered: false };

/**
 * The values a grid takes along one dimension.
 * @example
 * gridValues(intParam(16, 64, { step: 16 }), 5) // [16, 32, 48, 64]
 */
export function gridValues(d: Distribution, floatPoints: number): ParamValue[] {
  if (d.kind === "categorical") return d.choices.slice();
  const step = d.step ?? (d.kind === "int" ? 1 : undefined);
  if (step !== undefined) {
    const n = Math.round((d.high - d.low) / step) + 1;
    return Array.from({ length: n }, (_, k) => snap(d, d.low + k * step));
  }
  if (floatPoints === 1 || d.low === d.high) return [d.kind === "float" && d.log ? Math.sqrt(d.low * d.high) : (d.low + d.high) / 2];
  return Array.from({ length: floatPoints }, (_, k) => {
    const t = k / (floatPoints - 1);
    const v = d.log ? Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low))) : d.low + t * (d.high - d.low);
    return k === 0 ? d.low : k === floatPoints - 1 ? d.high : Math.min(d.high, Math.max(d.low, v));
  });
}

/** Key of an assignment, order-independent. */
function keyOf(p: Params): string {
  return JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
}

/**
 * Exhaustive grid search (KerasTuner's GridSearch, Optuna's GridSampler).
 * @example
 * const study = await createStudy({ space: { units: intParam(16, 64, { step: 16 }) }, sampler: new GridSampler() });
 * await study.optimize((t) => t.params.units, { nTrials: 4 });
 */
export class GridSampler implements Sampler {
  readonly name = "grid";
  readonly options: Required<GridSamplerOptions>;
  #cache: { space: SearchSpace; seed: number; points: Params[] } | null = null;

  constructor(options: GridSamplerOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    positiveInt("floatPoints", o.floatPoints);
    positiveInt("maxPoints", o.maxPoints);
    this.options = o;
  }

  /** Every point of the grid over `space`, in the order they will be tried for `seed`. */
  points(space: SearchSpace, seed: number): Params[] {
    if (this.#cache && this.#cache.space === space && this.#cache.seed === seed) return this.#cache.points;
    let partial: Params[] = [{}];
    for (const p of space.params) {
      const values = gridValues(p.distribution, this.options.floatPoints);
      const next: Params[] = [];
      for (const base of partial) {
        if (!space.isActive(p.name, base)) next.push(base);
        else for (const v of values) next.push({ ...base, [p.name]: v });
      }
      if (next.length > this.options.maxPoints) {
        throw new ConfigError(`The grid has more than \`maxPoints\` (${this.options.maxPoints}) points once ${JSON.stringify(p.name)} is added; use steps or fewer \`floatPoints\`.`);
      }
      partial = next;
    }
    const points = this.options.ordered ? partial : new Rng(seed).fork("grid").shuffled(partial);
    this.#cache = { space, seed, points };
    return points;
  }

  sample(space: SearchSpace, trials: readonly FrozenTrial[], rng: Rng, ctx: SampleContext): Params {
    const used = new Set(trials.map((t) => keyOf(t.params)));
    const next = this.points(space, ctx.seed).find((p) => !used.has(keyOf(p)));
    // An exhausted grid is normally caught by exhausted() first; repeat a random point rather than fail.
    return next ?? rng.choice(this.points(space, ctx.seed));
  }

  exhausted(space: SearchSpace, trials: readonly FrozenTrial[], ctx: SampleContext): boolean {
    const used = new Set(trials.map((t) => keyOf(t.params)));
    return this.points(space, ctx.seed).every((p) => used.has(keyOf(p)));
  }
}

/**
 * Uniform random search: floats uniform (in log space for log dimensions), ints uniform over
 * their step grid, categoricals uniform over the choices; conditional parameters only when active.
 */
import type { Rng } from "../../rng.js";
import type { SearchSpace } from "../space.js";
import type { Distribution, FrozenTrial, ParamValue, Params } from "../frozen-trial.js";
import { snap } from "../distributions.js";
import type { Sampler, SampleContext } from "./sampler.js";

/**
 * One uniform draw from `d`.
 * @example
 * sampleUniform(intParam(1, 6), new Rng(1)) // an integer in 1..6
 */
export function sampleUniform(d: Distribution, rng: Rng): ParamValue {
  if (d.kind === "categorical") return rng.choice(d.choices);
  if (d.step !== undefined || d.kind === "int") {
    const step = d.step ?? 1;
    if (d.log) {
      // log-uniform over the integers: draw in log space of [low − 0.5, high + 0.5], then round
      const x = Math.exp(rng.uniform(Math.log(d.low - 0.5 > 0 ? d.low - 0.5 : d.low * 0.5), Math.log(d.high + 0.5)));
      return snap(d, x);
    }
    const k = rng.int(0, Math.round((d.high - d.low) / step));
    return snap(d, d.low + k * step);
  }
  if (d.log) return Math.min(d.high, Math.max(d.low, Math.exp(rng.uniform(Math.log(d.low), Math.log(d.high)))));
  return rng.uniform(d.low, d.high);
}

/** Fills the active parameters of `space` in declaration order with uniform draws. */
export function sampleSpaceUniform(space: SearchSpace, rng: Rng): Params {
  const out: Params = {};
  for (const p of space.params) {
    if (space.isActive(p.name, out)) out[p.name] = sampleUniform(p.distribution, rng);
  }
  return out;
}

/**
 * Uniform random search (KerasTuner's RandomSearch, Optuna's RandomSampler).
 * @example
 * const study = await createStudy({ space: { x: floatParam(-1, 1) }, sampler: new RandomSampler(), seed: 1 });
 */
export class RandomSampler implements Sampler {
  readonly name = "random";

  sample(space: SearchSpace, _trials: readonly FrozenTrial[], rng: Rng, _ctx: SampleContext): Params {
    return sampleSpaceUniform(space, rng);
  }
}

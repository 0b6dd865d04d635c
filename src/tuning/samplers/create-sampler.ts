/** Samplers by name, for string options and worker processes. */
import { oneOf } from "../../validate.js";
import { GPSampler } from "./gp-sampler.js";
import type { GPSamplerOptions } from "./gp-sampler.js";
import { GridSampler } from "./grid.js";
import type { GridSamplerOptions } from "./grid.js";
import { RandomSampler } from "./random.js";
import type { Sampler } from "./sampler.js";

/** A sampler {@link createSampler} makes by name. */
export type SamplerName = "random" | "grid" | "gp" | "bayesian";
const NAMES: readonly SamplerName[] = ["random", "grid", "gp", "bayesian"];

/**
 * A sampler from its name ("bayesian" is the GP sampler) and options.
 * @example createSampler("gp", { acquisition: "ucb", beta: 6.6 })
 */
export function createSampler(name: SamplerName, options: GPSamplerOptions & GridSamplerOptions = {}): Sampler {
  switch (oneOf("sampler", name, NAMES)) {
    case "random":
      return new RandomSampler();
    case "grid":
      return new GridSampler(options);
    default:
      return new GPSampler(options);
  }
}

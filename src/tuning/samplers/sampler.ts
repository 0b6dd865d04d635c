/**
 * The sampler contract: given the space and the trials so far, propose the next parameters.
 * Samplers are small and hold no study state; every random draw uses the `rng` they are given.
 */
import type { Rng } from "../../rng.js";
import type { SearchSpace } from "../space.js";
import type { Direction, FrozenTrial, Params } from "../frozen-trial.js";

/** What a sampler may know about the study besides its trials. */
export interface SampleContext {
  /** Direction of optimisation. */
  direction: Direction;
  /** The study's seed (for sampler-wide choices such as a grid's order). */
  seed: number;
  /** Trials the current `optimize` call may run in total, when known (samplers may adapt to it). */
  budget: number | null;
}

/** Proposes a trial's parameters from the space and the finished trials, drawing through a seeded Rng. */
export interface Sampler {
  /** Short name for printing and for the journal ("random", "grid", "gp"). */
  readonly name: string;
  /**
   * Proposes values for the active parameters of `space`. `trials` holds every trial of the study
   * (running ones too, so a grid never hands out the same point twice).
   */
  sample(space: SearchSpace, trials: readonly FrozenTrial[], rng: Rng, ctx: SampleContext): Params;
  /** True when the sampler has nothing new to propose (a grid that has been covered). */
  exhausted?(space: SearchSpace, trials: readonly FrozenTrial[], ctx: SampleContext): boolean;
}

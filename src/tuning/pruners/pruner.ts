/**
 * The pruner contract: given a running trial's intermediate values and the other trials,
 * decide whether to stop it early.
 */
import type { Direction, FrozenTrial } from "../frozen-trial.js";

/** Decides from the intermediate values whether a running trial should stop early. */
export interface Pruner {
  /** Short name for printing ("median", "asha", "none"). */
  readonly name: string;
  /** True when `trial` (running, with its latest reports) should stop now. */
  prune(trial: FrozenTrial, trials: readonly FrozenTrial[], direction: Direction): boolean;
}

/** The steps a trial reported, ascending. */
export function reportedSteps(t: FrozenTrial): number[] {
  return Object.keys(t.intermediate).map(Number).sort((a, b) => a - b);
}

/** A pruner that never prunes (the default). */
import type { Direction, FrozenTrial } from "../trial.js";
import type { Pruner } from "./pruner.js";

/** Never prunes. */
export class NopPruner implements Pruner {
  readonly name = "none";
  prune(_trial: FrozenTrial, _trials: readonly FrozenTrial[], _direction: Direction): boolean {
    return false;
  }
}

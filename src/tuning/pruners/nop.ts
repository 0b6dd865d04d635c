/** A pruner that never prunes (the default). */
import type { Direction, FrozenTrial } from "../frozen-trial.js";
import type { Pruner } from "./pruner.js";

/**
 * Never prunes.
 * @example
 * const study = await createStudy({ space: { x: floatParam(0, 1) }, pruner: new NopPruner() }); // never prunes
 */
export class NopPruner implements Pruner {
  readonly name = "none";
  prune(_trial: FrozenTrial, _trials: readonly FrozenTrial[], _direction: Direction): boolean {
    return false;
  }
}

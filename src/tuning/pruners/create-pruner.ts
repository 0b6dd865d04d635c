/** Pruners by name, for string options and worker processes. */
import { oneOf } from "../../validate.js";
import { MedianPruner } from "./median.js";
import type { MedianPrunerOptions } from "./median.js";
import { NopPruner } from "./nop.js";
import type { Pruner } from "./pruner.js";
import { SuccessiveHalvingPruner } from "./successive-halving.js";
import type { SuccessiveHalvingPrunerOptions } from "./successive-halving.js";

/** A pruner {@link createPruner} makes by name. */
export type PrunerName = "none" | "median" | "asha" | "successive-halving";
const NAMES: readonly PrunerName[] = ["none", "median", "asha", "successive-halving"];

/**
 * A pruner from its name and options.
 * @example createPruner("asha", { minResource: 2, reductionFactor: 3 })
 */
export function createPruner(name: PrunerName, options: MedianPrunerOptions & SuccessiveHalvingPrunerOptions = {}): Pruner {
  switch (oneOf("pruner", name, NAMES)) {
    case "none":
      return new NopPruner();
    case "median":
      return new MedianPruner(options);
    default:
      return new SuccessiveHalvingPruner(options);
  }
}

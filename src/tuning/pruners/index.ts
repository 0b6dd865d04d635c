export type { Pruner } from "./pruner.js";
export { NopPruner } from "./nop.js";
export { MedianPruner } from "./median.js";
export type { MedianPrunerOptions } from "./median.js";
export { SuccessiveHalvingPruner } from "./successive-halving.js";
export type { SuccessiveHalvingPrunerOptions } from "./successive-halving.js";
export { createPruner } from "./create-pruner.js";
export type { PrunerName } from "./create-pruner.js";

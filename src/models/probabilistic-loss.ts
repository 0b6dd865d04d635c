/**
 * The loss a buildModel config's probabilistic head trains with, in one place for buildModel and
 * loadModel (tf.js cannot save a loss function in the training config, so a loaded quantile or
 * normal model is compiled again with it).
 */
import { gaussianNll, pinballLoss, type LossFn } from "../training/loss.js";
import type { ModelConfig } from "./model-config.js";

/**
 * The pinball loss at the config's quantile levels, the Gaussian NLL for `distribution: "normal"`,
 * or null for a point forecast or a classifier.
 * @example probabilisticLoss(resolveModelConfig({ inputShape: [8, 1], quantiles: [0.1, 0.9] }))?.name // "pinball"
 */
export function probabilisticLoss(config: Pick<ModelConfig, "quantiles" | "distribution">): LossFn | null {
  if (config.quantiles !== null) return pinballLoss(config.quantiles);
  if (config.distribution === "normal") return gaussianNll;
  return null;
}

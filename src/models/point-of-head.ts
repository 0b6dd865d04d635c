/**
 * Where a probabilistic model keeps its point forecast, for the point metrics (evaluate, train()'s
 * metrics): the 0.5 quantile of a quantile head, the mean of a normal head. One rule for both users,
 * read from the model's DistributionHead (buildModel's and buildSeq2Seq's alike).
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { distributionHeadOf } from "./distribution-head.js";

/**
 * The head's values per output (`size`) and the index of the point forecast among them, or null
 * for a point model. A quantile head without 0.5 (or without recorded levels) has none: ConfigError.
 * @example pointOfHead(buildModel({ inputShape: [8, 1], quantiles: [0.1, 0.5, 0.9] })) // { size: 3, index: 1 }
 */
export function pointOfHead(model: tf.LayersModel): { size: number; index: number } | null {
  const head = distributionHeadOf(model);
  if (head === null) return null;
  if (head.kind === "normal") return { size: 2, index: 0 };
  const index = head.levels?.indexOf(0.5) ?? -1;
  if (index < 0) {
    throw new ConfigError(
      `The point metrics score the median, which quantiles ${JSON.stringify(head.levels)} do not include; add 0.5, or score the quantiles with pinball, crps or coverage.`,
    );
  }
  return { size: head.size, index };
}

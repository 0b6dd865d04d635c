/**
 * Where a probabilistic head keeps its point forecast, for the point metrics (evaluate, train()'s
 * metrics): the 0.5 quantile of a quantile head, the mean of a normal head. One rule for both users.
 */
import { ConfigError } from "../errors.js";
import type { ModelConfig } from "./model-config.js";

/**
 * The head's values per output (`size`) and the index of the point forecast among them, or null
 * for a point model. A quantile head without 0.5 has no point forecast: ConfigError.
 * @example pointOfHead({ quantiles: [0.1, 0.5, 0.9], distribution: null }) // { size: 3, index: 1 }
 */
export function pointOfHead(c: Pick<ModelConfig, "quantiles" | "distribution"> | null): { size: number; index: number } | null {
  if (c === null || (c.quantiles === null && c.distribution === null)) return null;
  if (c.quantiles === null) return { size: 2, index: 0 };
  const index = c.quantiles.indexOf(0.5);
  if (index < 0) {
    throw new ConfigError(
      `The point metrics score the median, which quantiles ${JSON.stringify(c.quantiles)} do not include; add 0.5, or score the quantiles with pinball, crps or coverage.`,
    );
  }
  return { size: c.quantiles.length, index };
}

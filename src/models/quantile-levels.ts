/**
 * The one check of quantile levels, shared by buildModel's `quantiles`, the pinball loss, the
 * probabilistic metrics and predictInterval: a non-empty list of numbers strictly inside (0, 1),
 * strictly ascending, so that "the k-th output" and "the k-th level" always agree.
 */
import { ConfigError } from "../errors.js";
import { show } from "../validate.js";

/**
 * Returns `levels` when they are valid, else throws a ConfigError naming `name` and the value.
 * @example
 * quantileLevels("quantiles", [0.1, 0.5, 0.9]) // [0.1, 0.5, 0.9]
 * // quantileLevels("quantiles", [0.9, 0.1]) throws ConfigError: `quantiles` must be strictly ascending, got [0.9,0.1] ...
 */
export function quantileLevels(name: string, levels: unknown): readonly number[] {
  if (!Array.isArray(levels) || levels.length === 0) {
    throw new ConfigError(`\`${name}\` must be a non-empty array of quantile levels in (0, 1), got ${show(levels)}.`);
  }
  levels.forEach((q: unknown, i) => {
    if (typeof q !== "number" || !(q > 0 && q < 1)) {
      throw new ConfigError(`\`${name}[${i}]\` must be a quantile level strictly between 0 and 1, got ${show(q)}.`);
    }
    if (i > 0 && !(q > (levels[i - 1] as number))) {
      throw new ConfigError(`\`${name}\` must be strictly ascending, got ${show(levels)} (${show(levels[i - 1])} then ${show(q)} at index ${i}).`);
    }
  });
  return levels as number[];
}

/**
 * The errors lstm-lab throws. Every message names the option or column and the value,
 * and where it helps, what would be right.
 */

/** Base class of every error lstm-lab throws on purpose. */
export class LabError extends Error {
  override name = "LabError";
}

/** An option or argument has a wrong value: `\`lookback\` must be a positive integer, got 0.` */
export class ConfigError extends LabError {
  override name = "ConfigError";
}

/** The data itself is unusable: a missing column, NaN values, too few rows. */
export class DataError extends LabError {
  override name = "DataError";
}

/** Tensor or table shapes do not fit together. */
export class ShapeError extends LabError {
  override name = "ShapeError";
}

/** Training produced NaN or Infinity, or another numeric failure. */
export class NumericError extends LabError {
  override name = "NumericError";
}

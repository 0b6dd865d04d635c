/**
 * The point forecast of a model's outputs, for scoring with the point metrics: the outputs as they
 * are for a point model, the 0.5 quantile of a quantile model, the mean of a normal model.
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { modelConfig } from "../models/model-registry.js";
import type { Matrix } from "./values.js";

/**
 * `m` (rows × outputs, or rows × outputs × k for a probabilistic head) reduced to rows × outputs.
 * @example pointForecast(quantileModel, modelOutputs(quantileModel, x)) // the q50 column of every output
 */
export function pointForecast(model: tf.LayersModel, m: Matrix): Matrix {
  const c = modelConfig(model);
  if (c === null || (c.quantiles === null && c.distribution === null)) return m;
  let k = 2, at = 0;
  if (c.quantiles !== null) {
    k = c.quantiles.length;
    at = c.quantiles.indexOf(0.5);
    if (at < 0) {
      throw new ConfigError(
        `The point metrics score the median, which quantiles ${JSON.stringify(c.quantiles)} do not include; add 0.5, or score the quantiles with pinball, crps or coverage.`,
      );
    }
  }
  const cols = m.cols / k;
  const data = new Float64Array(m.rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = m.data[i * k + at] as number;
  return { data, rows: m.rows, cols };
}

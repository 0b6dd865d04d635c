/**
 * The point forecast of a model's outputs, for scoring with the point metrics: the outputs as they
 * are for a point model, the 0.5 quantile of a quantile model, the mean of a normal model.
 */
import type * as tf from "@tensorflow/tfjs";
import { pointOfHead } from "../models/point-of-head.js";
import type { Matrix } from "./values.js";

/**
 * `m` (rows × outputs, or rows × outputs × k for a probabilistic head) reduced to rows × outputs.
 * @example
 * declare const quantileModel: tf.LayersModel; // buildModel({ ..., outputs: 7, quantiles: [0.1, 0.5, 0.9] })
 * declare const outputs: Parameters<typeof pointForecast>[1]; // rows × 21
 * pointForecast(quantileModel, outputs).cols // 7: the q50 of every output
 */
export function pointForecast(model: tf.LayersModel, m: Matrix): Matrix {
  const head = pointOfHead(model);
  if (head === null) return m;
  const cols = m.cols / head.size;
  const data = new Float64Array(m.rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = m.data[i * head.size + head.index] as number;
  return { data, rows: m.rows, cols };
}

/**
 * Scores a trained model on held-out data with any of the metrics, optionally in original units.
 */
import * as tf from "@tensorflow/tfjs";
import type { SplitPart } from "../data/split-windows.js";
import { checkShapes } from "../models/check-shapes.js";
import { oneOf } from "../validate.js";
import { applyInverse, type Inverse } from "./inverse.js";
import { METRIC_NAMES, metrics as METRICS, type AverageOptions, type MetricName, type RegressionOptions } from "./metrics.js";
import { pointForecast } from "./point-forecast.js";
import { modelOutputs } from "./predict.js";
import { values, type Matrix, type Values } from "./values.js";

/** Options of evaluate and score. */
export interface EvaluateOptions {
  /** Metric names. @default ["mae", "rmse", "mse"] */ metrics?: readonly MetricName[];
  /** Samples per forward pass. @default 256 */ batchSize?: number;
  /** Scores in original units: y and predictions both go through it. @default null */ inverse?: Inverse | null;
  /** Target column names for the inverse. @default ["y"] */ targets?: readonly string[];
  /**
   * How the regression metrics combine several outputs: the mean of the per-output scores
   * (scikit-learn's default), a weighted mean, or "pooled" over all values. @default "uniform_average"
   */
  multioutput?: RegressionOptions["multioutput"];
}

/** Metrics that read y as class labels, so y may hold one label per sample for a model with one output per class. */
const LABEL_METRICS: readonly MetricName[] = ["accuracy", "precision", "recall", "f1"];

const asRows = (m: Matrix): number[][] =>
  Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));

/**
 * Scores predictions `yPred` against `yTrue`: one number per metric name.
 * @example
 * score([3, -0.5, 2, 7], [2.5, 0, 2, 8], { metrics: ["mae", "mse"] }) // { mae: 0.5, mse: 0.375 }
 */
export function score(yTrue: Values, yPred: Values, o: Omit<EvaluateOptions, "batchSize"> = {}): Record<string, number> {
  const targets = o.targets ?? ["y"];
  const inverse = o.inverse ?? null;
  const t = applyInverse(inverse, values("yTrue", yTrue), targets);
  const p = applyInverse(inverse, values("yPred", yPred), targets);
  const out: Record<string, number> = {};
  // The regression metrics read `multioutput`; the classification metrics have no such option.
  const options: RegressionOptions & AverageOptions = { multioutput: o.multioutput ?? "uniform_average" };
  for (const name of o.metrics ?? ["mae", "rmse", "mse"]) {
    oneOf("metric", name, METRIC_NAMES);
    const metric: (yTrue: Values, yPred: Values, options: RegressionOptions & AverageOptions) => number = METRICS[name];
    // Single-column matrices go in flat; wider ones as rows so class probabilities stay rows.
    out[name] = metric(t.cols === 1 ? t.data : asRows(t), p.cols === 1 ? p.data : asRows(p), options);
  }
  return out;
}

/** True for one part of a split (`{ x, y }` windows) rather than an input tensor or list of them. */
const isPart = (v: unknown): v is SplitPart => typeof v === "object" && v !== null && !(v instanceof tf.Tensor) && !Array.isArray(v) && "x" in v && "y" in v;

/**
 * Runs `model` on `x` and scores it against `y`; or on one part of a split (`w.test` from splitWindows).
 * @example
 * declare const model: tf.LayersModel, w: Split<"train" | "test">, scaler: Scaler, xTest: tf.Tensor, yTest: tf.Tensor;
 * evaluate(model, w.test, { metrics: ["mae", "rmse", "r2"], inverse: scaler, targets: ["temp_max"] })
 * evaluate(model, xTest, yTest, { metrics: ["mae"] })
 */
export function evaluate(model: tf.LayersModel, part: SplitPart, o?: EvaluateOptions): Record<string, number>;
export function evaluate(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], y: Values, o?: EvaluateOptions): Record<string, number>;
export function evaluate(
  model: tf.LayersModel,
  xOrPart: tf.Tensor | tf.Tensor[] | SplitPart,
  yOrOptions?: Values | EvaluateOptions,
  options: EvaluateOptions = {},
): Record<string, number> {
  if (isPart(xOrPart)) return scoreModel(model, xOrPart.x, xOrPart.y, (yOrOptions as EvaluateOptions | undefined) ?? {});
  return scoreModel(model, xOrPart, yOrOptions as Values, options);
}

function scoreModel(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], y: Values, o: EvaluateOptions): Record<string, number> {
  const labels = (o.metrics ?? []).some((name) => LABEL_METRICS.includes(name));
  checkShapes(model, x, y, { labels });
  // A quantile or normal model is scored on its point forecast (median or mean).
  const m = pointForecast(model, modelOutputs(model, x, o.batchSize ?? 256));
  return score(y, m.cols === 1 ? m.data : asRows(m), o);
}

/**
 * Metrics watched during training, computed per sample so an epoch's value is the mean over
 * all its samples (not a mean of batch means). "rmse" is the square root of the epoch's MSE.
 */
import * as tf from "@tensorflow/tfjs";
import { oneOf } from "../validate.js";
import { alignTarget, perRow } from "./loss.js";

/** Metrics `train` can log each epoch. */
export type TrainMetricName = "mse" | "rmse" | "mae" | "mape" | "accuracy";
/** Every training metric name. */
export const TRAIN_METRICS: readonly TrainMetricName[] = ["mse", "rmse", "mae", "mape", "accuracy"];

/** How accuracy reads the labels: 0/1 targets, one-hot targets, or integer class ids. */
export type AccuracyKind = "binary" | "categorical" | "sparse";

/** One training metric: per-sample values and how the epoch mean turns into the reported value. */
export interface TrainMetric {
  readonly name: TrainMetricName;
  perSample(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D;
  finish(meanOfSamples: number): number;
}

/** Picks the accuracy kind from the loss, else from the output width. */
export function accuracyKind(lossName: string, outputWidth: number): AccuracyKind {
  if (lossName === "sparseCategoricalCrossentropy") return "sparse";
  if (lossName === "categoricalCrossentropy") return "categorical";
  if (lossName === "binaryCrossentropy") return "binary";
  return outputWidth > 1 ? "categorical" : "binary";
}

/**
 * The training metric called `name` ("mse", "rmse", "mae", "mape" in percent, "accuracy").
 * @example
 * declare const yTrue: tf.Tensor;
 * declare const yPred: tf.Tensor;
 * trainMetric("accuracy", "binary").perSample(yTrue, yPred)
 */
export function trainMetric(name: string, kind: AccuracyKind): TrainMetric {
  const n = oneOf("metric", name, TRAIN_METRICS);
  const id = (v: number) => v;
  switch (n) {
    case "mse":
      return { name: n, perSample: (y, p) => perRow(tf.squaredDifference(alignTarget(y, p), p)), finish: id };
    case "rmse":
      return { name: n, perSample: (y, p) => perRow(tf.squaredDifference(alignTarget(y, p), p)), finish: Math.sqrt };
    case "mae":
      return { name: n, perSample: (y, p) => perRow(tf.abs(tf.sub(alignTarget(y, p), p))), finish: id };
    case "mape":
      return {
        name: n,
        perSample: (y, p) => {
          const t = alignTarget(y, p);
          return perRow(tf.mul(100, tf.div(tf.abs(tf.sub(t, p)), tf.maximum(tf.abs(t), 1e-7))));
        },
        finish: id,
      };
    case "accuracy":
      return { name: n, perSample: (y, p) => accuracyPerSample(y, p, kind), finish: id };
  }
}

function accuracyPerSample(y: tf.Tensor, p: tf.Tensor, kind: AccuracyKind): tf.Tensor1D {
  if (kind === "binary") {
    const hit = tf.equal(tf.greater(p, 0.5).toFloat(), alignTarget(y, p).toFloat()).toFloat();
    return perRow(hit);
  }
  const predicted = tf.argMax(p, -1);
  const truth = kind === "sparse" ? y.reshape(predicted.shape).toInt() : tf.argMax(y, -1);
  return perRow(tf.equal(predicted, truth).toFloat());
}

/**
 * Loss functions for the training loop, per sample: each returns a 1-D tensor with one loss per
 * row of the batch, so sample and class weights can be applied before averaging (as Keras does).
 * Predictions are probabilities for the cross-entropies (Keras' `from_logits=False`).
 */
import * as tf from "@tensorflow/tfjs";
import { oneOf } from "../validate.js";

/** Built-in loss names. */
export type LossName =
  | "mse"
  | "mae"
  | "huber"
  | "binaryCrossentropy"
  | "categoricalCrossentropy"
  | "sparseCategoricalCrossentropy";

/** Every built-in loss name. */
export const LOSSES: readonly LossName[] = [
  "mse",
  "mae",
  "huber",
  "binaryCrossentropy",
  "categoricalCrossentropy",
  "sparseCategoricalCrossentropy",
];

/** A per-sample loss: (yTrue, yPred) → one value per row, shape [batch]. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor1D;

/** Keras / tfjs spellings accepted as aliases. */
const ALIASES: Record<string, LossName> = {
  meanSquaredError: "mse",
  mean_squared_error: "mse",
  meanAbsoluteError: "mae",
  mean_absolute_error: "mae",
  binary_crossentropy: "binaryCrossentropy",
  categorical_crossentropy: "categoricalCrossentropy",
  sparse_categorical_crossentropy: "sparseCategoricalCrossentropy",
};

const EPS = 1e-7;

/** Mean over every axis but the first; a 1-D tensor stays as it is. */
export function perRow(t: tf.Tensor): tf.Tensor1D {
  if (t.rank === 0) return t.reshape([1]) as tf.Tensor1D;
  if (t.rank === 1) return t as tf.Tensor1D;
  const axes = Array.from({ length: t.rank - 1 }, (_, i) => i + 1);
  return t.mean(axes) as tf.Tensor1D;
}

/** yTrue reshaped to yPred's shape when only a trailing 1 differs ([b] vs [b, 1]). */
export function alignTarget(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (yTrue.size === yPred.size && yTrue.rank !== yPred.rank) return yTrue.reshape(yPred.shape);
  return yTrue;
}

const FNS: Record<LossName, LossFn> = {
  mse: (y, p) => perRow(tf.squaredDifference(alignTarget(y, p), p)),
  mae: (y, p) => perRow(tf.abs(tf.sub(alignTarget(y, p), p))),
  huber: (y, p) => {
    const err = tf.abs(tf.sub(alignTarget(y, p), p));
    const quad = tf.minimum(err, 1);
    return perRow(tf.add(tf.mul(0.5, tf.square(quad)), tf.sub(err, quad)));
  },
  binaryCrossentropy: (y, p) => {
    const q = tf.clipByValue(p, EPS, 1 - EPS);
    const t = alignTarget(y, p).toFloat();
    return perRow(tf.neg(tf.add(tf.mul(t, tf.log(q)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, q))))));
  },
  categoricalCrossentropy: (y, p) => {
    const q = tf.clipByValue(p, EPS, 1 - EPS);
    return perRow(tf.neg(tf.sum(tf.mul(y.toFloat(), tf.log(q)), -1)));
  },
  sparseCategoricalCrossentropy: (y, p) => {
    const classes = p.shape[p.shape.length - 1] ?? 1;
    const labels = y.reshape(p.shape.slice(0, -1)).toInt();
    const q = tf.clipByValue(p, EPS, 1 - EPS);
    return perRow(tf.neg(tf.sum(tf.mul(tf.oneHot(labels.flatten(), classes).reshape(p.shape), tf.log(q)), -1)));
  },
};

/**
 * The per-sample loss for a name (Keras spellings such as "mean_squared_error" work too) or a
 * function of your own.
 * @example const l = resolveLoss("huber"); const perSample = l.fn(yTrue, yPred);
 */
export function resolveLoss(loss: LossName | string | LossFn): { name: string; fn: LossFn } {
  if (typeof loss === "function") return { name: loss.name || "custom", fn: loss };
  const name = ALIASES[loss] ?? oneOf("loss", loss, LOSSES);
  return { name, fn: FNS[name] };
}

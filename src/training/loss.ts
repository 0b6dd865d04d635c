/**
 * Loss functions for the training loop, per sample: each returns a 1-D tensor with one loss per
 * row of the batch, so sample and class weights can be applied before averaging (as Keras does).
 * Predictions are probabilities for the cross-entropies (Keras' `from_logits=False`).
 * The probabilistic heads' losses read a last axis the targets do not have: "pinball" one value per
 * quantile level ([batch, outputs, levels]), "gaussianNll" a mean and a scale ([batch, outputs, 2]).
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { quantileLevels } from "../models/quantile-levels.js";
import { oneOf, show } from "../validate.js";

/** Built-in loss names. */
export type LossName =
  | "mse"
  | "mae"
  | "huber"
  | "binaryCrossentropy"
  | "categoricalCrossentropy"
  | "sparseCategoricalCrossentropy"
  | "pinball"
  | "gaussianNll";

/** Every built-in loss name. */
export const LOSSES: readonly LossName[] = [
  "mse",
  "mae",
  "huber",
  "binaryCrossentropy",
  "categoricalCrossentropy",
  "sparseCategoricalCrossentropy",
  "pinball",
  "gaussianNll",
];

/** A loss that needs parameters: the pinball loss at the given quantile levels. */
export interface PinballLossSpec {
  name: "pinball";
  /** Quantile levels in (0, 1), ascending: one per entry of the prediction's last axis. */
  quantiles: readonly number[];
}

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

/** yTrue shaped as yPred without its last (quantile or parameter) axis, with that axis kept as 1. */
function targetsFor(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return yTrue.toFloat().reshape([...yPred.shape.slice(0, -1), 1]);
}

/**
 * The pinball (quantile) loss at `levels`, per row the mean over outputs and levels of
 * max(τ(y − q), (τ − 1)(y − q)); predictions are [batch, outputs, levels].
 * @example pinballLoss([0.1, 0.5, 0.9])(tf.tensor2d([[1]]), tf.tensor3d([[[0, 1, 2]]])) // [(0.1 + 0 + 0.1) / 3]
 */
export function pinballLoss(levels: readonly number[]): LossFn {
  const taus = quantileLevels("quantiles", levels);
  const fn: LossFn = (y, p) =>
    tf.tidy(() => {
      const err = tf.sub(targetsFor(y, p), p);
      const tau = tf.tensor1d([...taus]);
      return perRow(tf.maximum(tf.mul(tau, err), tf.mul(tf.sub(tau, 1), err)));
    });
  Object.defineProperty(fn, "name", { value: "pinball" });
  return fn;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Negative log-likelihood of y under Normal(μ, σ), per row the mean over outputs of
 * ½ log 2π + log σ + (y − μ)² / 2σ²; predictions are [batch, outputs, 2] holding (μ, σ), σ > 0.
 * @example gaussianNll(tf.tensor2d([[1]]), tf.tensor3d([[[1, 1]]])) // [0.9189]: ½ log 2π
 */
export const gaussianNll: LossFn = (y, p) =>
  tf.tidy(() => {
    const [mu, sigma] = tf.split(p, 2, -1) as [tf.Tensor, tf.Tensor];
    const z = tf.div(tf.sub(targetsFor(y, p), mu), sigma);
    return perRow(tf.add(tf.add(HALF_LOG_2PI, tf.log(sigma)), tf.mul(0.5, tf.square(z))));
  });
Object.defineProperty(gaussianNll, "name", { value: "gaussianNll" });

const FNS: Record<Exclude<LossName, "pinball">, LossFn> = {
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
  gaussianNll,
};

/**
 * The per-sample loss for a name (Keras spellings such as "mean_squared_error" work too), a
 * parametrised loss (`{ name: "pinball", quantiles }`) or a function of your own.
 * @example
 * declare const yTrue: tf.Tensor, yPred: tf.Tensor;
 * const l = resolveLoss("huber"); const perSample = l.fn(yTrue, yPred);
 * resolveLoss({ name: "pinball", quantiles: [0.1, 0.5, 0.9] }).name // "pinball"
 */
export function resolveLoss(loss: LossName | string | LossFn | PinballLossSpec): { name: string; fn: LossFn } {
  if (typeof loss === "function") return { name: loss.name || "custom", fn: loss };
  if (typeof loss === "object" && loss !== null && (loss as PinballLossSpec).name === "pinball") {
    return { name: "pinball", fn: pinballLoss((loss as PinballLossSpec).quantiles) };
  }
  if (typeof loss !== "string") throw new ConfigError(`\`loss\` must be a loss name, { name: "pinball", quantiles } or a function, got ${show(loss)}.`);
  const name = ALIASES[loss] ?? oneOf("loss", loss, LOSSES);
  if (name === "pinball") {
    throw new ConfigError('`loss` "pinball" needs its quantile levels: pass { name: "pinball", quantiles: [0.1, 0.5, 0.9] } (a buildModel({ quantiles }) model trains with it by itself).');
  }
  return { name, fn: FNS[name] };
}

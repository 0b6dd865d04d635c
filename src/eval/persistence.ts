/**
 * The persistence (naive) forecast: every future step equals the last observed value. The
 * baseline any sequence model has to beat.
 */
import * as tf from "@tensorflow/tfjs";
import { ShapeError } from "../errors.js";
import { nonNegativeInt, positiveInt } from "../validate.js";

/** Which features are the targets and how many outputs to forecast. */
export interface WindowBaselineOptions {
  /** Feature index (in x's last axis) of each target, in the order of y's targets. @default [0] */
  targetIndex?: number | readonly number[];
  /** Output width: horizon × targets (y's last axis). @default the number of targets */
  outputs?: number;
}

/** Checked target indices and output width for windows `x` of shape [n, lookback, features]. */
export function windowTargets(x: tf.Tensor, o: WindowBaselineOptions): { idx: number[]; outputs: number; lookback: number; features: number } {
  if (x.rank !== 3) throw new ShapeError(`\`x\` must be windows of shape [samples, lookback, features], got [${x.shape}].`);
  const [, lookback, features] = x.shape as [number, number, number];
  const idx = typeof o.targetIndex === "number" ? [o.targetIndex] : [...(o.targetIndex ?? [0])];
  idx.forEach((i, k) => {
    nonNegativeInt(`targetIndex[${k}]`, i);
    if (i >= features) throw new ShapeError(`\`targetIndex[${k}]\` is ${i} but windows have ${features} features.`);
  });
  const outputs = o.outputs ?? idx.length;
  positiveInt("outputs", outputs);
  if (outputs % idx.length !== 0) throw new ShapeError(`\`outputs\` ${outputs} is not a multiple of the ${idx.length} targets.`);
  return { idx, outputs, lookback, features };
}

/**
 * Persistence forecasts for windows `x` `[n, lookback, features]`: rows of `outputs` values.
 * @example
 * declare const test: Windows;
 * persistence(test.x, { targetIndex: 0, outputs: 24 }) // 24-step horizon, 1 target
 */
export function persistence(x: tf.Tensor, o: WindowBaselineOptions = {}): number[][] {
  const { idx, outputs, lookback, features } = windowTargets(x, o);
  const data = x.dataSync();
  const n = x.shape[0] as number;
  return Array.from({ length: n }, (_, r) =>
    Array.from({ length: outputs }, (_, j) => data[(r * lookback + lookback - 1) * features + (idx[j % idx.length] as number)] as number),
  );
}

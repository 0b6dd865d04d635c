/**
 * Inverted-dropout masks drawn on the host from an Rng, so a mask depends on the seed alone and not on
 * the backend's generator: element i is 0 when the i-th draw `rng.next()` is below `rate`, else
 * 1 / (1 − rate), so the mask's expectation is 1 and nothing needs rescaling at inference.
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.js";

/**
 * A [d0, d1, ...] inverted-dropout mask, drawn in row-major order from `rng`.
 * @example
 * const m = dropoutMask([4, 3], 0.2, new Rng(1));   // 0 or 1.25 everywhere
 */
export function dropoutMask(shape: readonly number[], rate: number, rng: Rng): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const keep = 1 / (1 - rate);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.next() < rate ? 0 : keep;
  return tf.tensor(values, [...shape], "float32");
}

/** Per-sample loss weights from `sampleWeight` and `classWeight`. */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
import { nonNegativeNumber } from "../validate.js";

/** The two weighting options of `train`. */
export interface SampleWeightOptions {
  sampleWeight: tf.Tensor | ArrayLike<number> | null;
  classWeight: Readonly<Record<number, number>> | null;
}

/**
 * One weight per row of `y` (sampleWeight × classWeight), or null when neither is given.
 * @example
 * sampleWeights(tf.tensor1d([0, 1, 1]), 3, { sampleWeight: [1, 2, 1], classWeight: { 0: 1, 1: 3 } }) // [1, 6, 3]
 */
export function sampleWeights(y: tf.Tensor, n: number, o: SampleWeightOptions): Float32Array | null {
  if (o.sampleWeight === null && o.classWeight === null) return null;
  const w = new Float32Array(n).fill(1);
  if (o.sampleWeight !== null) {
    const given = o.sampleWeight instanceof tf.Tensor ? o.sampleWeight.dataSync() : o.sampleWeight;
    if (given.length !== n) throw new ShapeError(`\`sampleWeight\` has ${given.length} values but there are ${n} samples.`);
    for (let i = 0; i < n; i++) {
      const v = given[i] as number;
      if (!Number.isFinite(v) || v < 0) throw new ConfigError(`\`sampleWeight[${i}]\` must be a non-negative number, got ${v}.`);
      w[i] = v;
    }
  }
  if (o.classWeight !== null) applyClassWeight(w, y, n, o.classWeight);
  return w;
}

function applyClassWeight(w: Float32Array, y: tf.Tensor, n: number, classWeight: Readonly<Record<number, number>>): void {
  const width = y.rank >= 2 ? (y.shape[y.rank - 1] as number) : 1;
  const labels = tf.tidy(() => (width > 1 ? tf.argMax(y, -1) : y.reshape([n]).round()).dataSync());
  for (let i = 0; i < n; i++) {
    const cls = labels[i] as number;
    const cw = classWeight[cls];
    if (cw === undefined) {
      throw new ConfigError(`\`classWeight\` has no weight for class ${cls} (sample ${i}); give one for every class.`);
    }
    nonNegativeNumber(`classWeight[${cls}]`, cw);
    w[i] = (w[i] as number) * cw;
  }
}

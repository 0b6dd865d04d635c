/** The evaluation pass of the training loop: loss and metrics over a whole source, without dropout. */
import * as tf from "@tensorflow/tfjs";
import type { BatchSource } from "./batch-source.js";
import type { Logs } from "./callback.js";
import type { LossFn } from "./loss.js";
import type { TrainMetric } from "./train-metric.js";

/**
 * Mean loss (plus the model's regularization, as in training) and metrics over every batch of `source`.
 * @example
 * declare const model: tf.LayersModel, validationBatches: BatchSource;
 * await evaluatePass(model, resolveLoss("mse").fn, [], validationBatches) // { loss: 0.0123 }
 */
export async function evaluatePass(model: tf.LayersModel, loss: LossFn, metrics: readonly TrainMetric[], source: BatchSource): Promise<Logs> {
  const sums = new Float64Array(1 + metrics.length);
  let rows = 0;
  for await (const b of source.batches(0)) {
    const s = tf.tidy(() => {
      const p = model.apply(b.xs.length === 1 ? (b.xs[0] as tf.Tensor) : b.xs, { training: false }) as tf.Tensor;
      return tf.stack([tf.sum(loss(b.y, p)), ...metrics.map((m) => tf.sum(m.perSample(b.y, p)))]).dataSync();
    });
    tf.dispose([...b.xs, b.y, ...(b.weights ? [b.weights] : [])]);
    for (let i = 0; i < sums.length; i++) sums[i] = (sums[i] as number) + (s[i] as number);
    rows += b.size;
  }
  const reg = tf.tidy(() => {
    const ls = model.calculateLosses();
    return ls.length ? (tf.addN(ls).dataSync()[0] as number) : 0;
  });
  const out: Logs = { loss: (sums[0] as number) / rows + reg };
  metrics.forEach((m, i) => (out[m.name] = m.finish((sums[i + 1] as number) / rows)));
  return out;
}

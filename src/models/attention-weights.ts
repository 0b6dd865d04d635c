/**
 * attentionWeights: the attention a model built with `attention` pays to each time step, for a given
 * input, as plain arrays for the attention heatmap (plots/attention.ts takes them as they are).
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
import { TemporalAttention } from "./temporal-attention.js";

/** The padding mask [n, T] the model's first masking layer would compute, or null. */
function inputMask(model: tf.LayersModel, x: tf.Tensor): tf.Tensor | null {
  for (const layer of model.layers) {
    const cfg = layer.getConfig();
    if (layer.getClassName() === "Masking") {
      return tf.any(tf.notEqual(x, cfg["maskValue"] as number), -1);
    }
    if (layer.getClassName() === "Embedding" && cfg["maskZero"] === true) return tf.notEqual(x, 0);
  }
  return null;
}

/**
 * Weights α [n, T] (each row sums to 1; padded steps get 0) of the model's TemporalAttention layer.
 * @example
 * declare const model: tf.LayersModel;
 * declare const xTest: tf.Tensor;
 * const w = attentionWeights(model, xTest.slice(0, 8)); plotAttention(w)
 */
export function attentionWeights(model: tf.LayersModel, x: tf.Tensor): number[][] {
  const att = model.layers.find((l): l is TemporalAttention => l instanceof TemporalAttention);
  if (!att) {
    throw new ConfigError(`Model "${model.name}" has no attention layer; build it with \`attention: "additive"\` or "dot".`);
  }
  const want = model.inputs[0]?.shape ?? [];
  if (x.rank !== want.length || want.some((d, i) => d !== null && d !== x.shape[i])) {
    throw new ShapeError(`Input shape ${JSON.stringify(x.shape)} does not fit the model's input ${JSON.stringify(want)}.`);
  }
  return tf.tidy(() => {
    const upTo = tf.model({ inputs: model.inputs, outputs: att.input as tf.SymbolicTensor });
    const seq = upTo.predict(x) as tf.Tensor3D;
    return att.scores(seq, inputMask(model, x)).arraySync();
  });
}

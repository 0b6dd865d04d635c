/** Shared helpers for the models tests: comparisons against stock tf.layers. */
import * as tf from "@tensorflow/tfjs";

/** max |a − b| */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/** max |a − b| / max |b| (b is the reference). */
export function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const scale = Math.max(tf.max(tf.abs(b)).dataSync()[0] as number, 1e-6);
    return maxAbsDiff(a, b) / scale;
  });
}

/** Deterministic pseudo-random tensor (tf's seeded generator), values in [-s, s]. */
export function rand(shape: number[], seed: number, s = 1): tf.Tensor {
  return tf.randomUniform(shape, -s, s, "float32", seed);
}

/** The tf.Variables behind a model's trainable weights, in order. */
export function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Gradients of sum(model(x) ∘ projection) wrt the model's trainable weights, then x (if withInput). */
export function gradsOf(model: tf.LayersModel, x: tf.Tensor, projection: tf.Tensor, withInput = true): tf.Tensor[] {
  const vars = variablesOf(model);
  const f = (xx: tf.Tensor) => tf.sum(tf.mul(model.apply(xx, { training: true }) as tf.Tensor, projection)) as tf.Scalar;
  const { grads } = tf.variableGrads(() => f(x), vars);
  const out = vars.map((v) => grads[v.name] as tf.Tensor);
  if (withInput) out.push(tf.grad(f)(x));
  return out;
}

/** Copies a model's weights onto another model with the same weight shapes. */
export function copyWeights(from: tf.LayersModel, to: tf.LayersModel): void {
  to.setWeights(from.getWeights());
}

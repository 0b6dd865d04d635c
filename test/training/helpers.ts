/** Tiny deterministic models and data for the training tests. */
import * as tf from "@tensorflow/tfjs";

/** A dense 3 → 4 (tanh) → 1 network with seeded initializers. */
export function tinyMlp(seed = 1, names: [string, string] = ["hidden", "out"]): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ name: names[0], units: 4, inputShape: [3], activation: "tanh", kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  m.add(tf.layers.dense({ name: names[1], units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return m;
}

/** y = x·w + b with the given weights (one Dense unit, no activation). */
export function linear(inputs: number, w: number[], b = 0, name = "lin"): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ name, units: 1, inputShape: [inputs], useBias: true }));
  m.setWeights([tf.tensor2d(w, [inputs, 1]), tf.tensor1d([b])]);
  return m;
}

/** Deterministic regression data: x in a fixed pattern, y = sum of x with a little curvature. */
export function regressionData(n: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 1.3), b = Math.cos(i * 0.7), c = ((i * 37) % 11) / 11 - 0.5;
    xs.push(a, b, c);
    ys.push(a + 0.5 * b - c + 0.3 * a * b);
  }
  return { x: tf.tensor2d(xs, [n, 3]), y: tf.tensor2d(ys, [n, 1]) };
}

/** A copy of every weight of `model` as plain arrays. */
export function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

export function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - (b[i]?.[j] ?? NaN))))));
  return m;
}

/**
 * measureFusedSpeedup: how much faster our fused LSTM trains than stock tf.layers.lstm on the active
 * backend, from a short side-by-side run on a small model. buildModel's `fused: "auto"` uses it on
 * tfjs-node (where native kernels shrink the per-op overhead the fused layers remove, so the answer
 * is not known in advance); on wasm and cpu the fused layers are known to win (bench/models.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { positiveInt } from "../validate.js";
import { FusedLSTM } from "./fused-lstm.js";

export interface SpeedupOptions {
  /** @default 20 */ steps?: number;
  /** @default 32 */ units?: number;
  /** @default 32 */ batch?: number;
  /** Timed training batches per side (after one warm-up). @default 2 */ batches?: number;
}

function tinyModel(fused: boolean, o: Required<SpeedupOptions>): tf.LayersModel {
  const args = { units: o.units, inputShape: [o.steps, 4] };
  const rnn = fused ? new FusedLSTM({ ...args, seed: 1 }) : tf.layers.lstm({ ...args, recurrentActivation: "sigmoid" });
  return tf.sequential({ layers: [rnn, tf.layers.dense({ units: 1 })] });
}

/**
 * Training-speed ratio fused / stock (> 1: fused is faster). Takes a fraction of a second.
 * @example measureFusedSpeedup() // ≈ 5 on wasm
 */
export function measureFusedSpeedup(options: SpeedupOptions = {}): number {
  const o: Required<SpeedupOptions> = { steps: 20, units: 32, batch: 32, batches: 2, ...options };
  positiveInt("steps", o.steps);
  positiveInt("units", o.units);
  positiveInt("batch", o.batch);
  positiveInt("batches", o.batches);
  const x = tf.randomUniform([o.batch, o.steps, 4], -1, 1, "float32", 1);
  const y = tf.randomUniform([o.batch, 1], -1, 1, "float32", 2);
  const seconds = [true, false].map((fused) => {
    const model = tinyModel(fused, o);
    const opt = tf.train.sgd(0.01);
    const step = () => {
      const loss = opt.minimize(
        () => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
        model.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      if (loss) loss.dispose();
    };
    step();
    const t0 = performance.now();
    for (let i = 0; i < o.batches; i++) step();
    const s = (performance.now() - t0) / 1000;
    opt.dispose();
    model.dispose();
    return s;
  });
  tf.dispose([x, y]);
  return (seconds[1] as number) / Math.max(seconds[0] as number, 1e-9);
}

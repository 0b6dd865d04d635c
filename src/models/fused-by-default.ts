/**
 * What buildModel's and loadModel's `fused: "auto"` choose: our fused LSTM/GRU layers always on wasm
 * and cpu (5x and more, bench/models.ts), and on tfjs-node whichever trains faster there, found once
 * per process by a short side-by-side probe (native kernels shrink the per-op overhead the fused
 * layers remove, so the answer is not known in advance). The benchmark itself is bench/models.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { positiveInt } from "../validate.js";
import { FusedLSTM } from "./fused-lstm.js";

/** Sizes of the probe's tiny model and how many batches each side trains. */
export interface FusedProbeOptions {
  /** @default 20 */ steps?: number;
  /** @default 32 */ units?: number;
  /** @default 32 */ batch?: number;
  /** Timed training batches per side (after one warm-up). @default 2 */ batches?: number;
}

function tinyModel(fused: boolean, o: Required<FusedProbeOptions>): tf.LayersModel {
  const args = { units: o.units, inputShape: [o.steps, 4] };
  const rnn = fused ? new FusedLSTM({ ...args, seed: 1 }) : tf.layers.lstm({ ...args, recurrentActivation: "sigmoid" });
  return tf.sequential({ layers: [rnn, tf.layers.dense({ units: 1 })] });
}

/** Seconds for `o.batches` SGD steps of the tiny model, after one warm-up step. */
function stepSeconds(fused: boolean, o: Required<FusedProbeOptions>, x: tf.Tensor, y: tf.Tensor): number {
  const model = tinyModel(fused, o);
  const opt = tf.train.sgd(0.01);
  const step = () => {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true, vars)?.dispose();
  };
  step();
  const t0 = performance.now();
  for (let i = 0; i < o.batches; i++) step();
  const s = (performance.now() - t0) / 1000;
  opt.dispose();
  model.dispose();
  return s;
}

/**
 * True when the fused LSTM trains faster than stock tf.layers.lstm on the active backend, by a probe
 * that takes a fraction of a second.
 * @example fusedTrainsFaster({ steps: 4, units: 4, batch: 4, batches: 1 }) // true on wasm
 */
export function fusedTrainsFaster(options: FusedProbeOptions = {}): boolean {
  const o: Required<FusedProbeOptions> = { steps: 20, units: 32, batch: 32, batches: 2, ...options };
  positiveInt("steps", o.steps);
  positiveInt("units", o.units);
  positiveInt("batch", o.batch);
  positiveInt("batches", o.batches);
  const x = tf.randomUniform([o.batch, o.steps, 4], -1, 1, "float32", 1);
  const y = tf.randomUniform([o.batch, 1], -1, 1, "float32", 2);
  try {
    return stepSeconds(false, o, x, y) > stepSeconds(true, o, x, y);
  } finally {
    tf.dispose([x, y]);
  }
}

let measuredOnNative: boolean | null = null;

/**
 * Whether `fused: "auto"` picks our fused layers on the active backend: always on wasm and cpu; on
 * tfjs-node whichever trains faster, probed once per process.
 * @example fusedByDefault() // true on wasm
 */
export function fusedByDefault(): boolean {
  if (tf.getBackend() !== "tensorflow") return true;
  measuredOnNative ??= fusedTrainsFaster();
  return measuredOnNative;
}

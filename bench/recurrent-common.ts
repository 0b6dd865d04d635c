/**
 * What the two recurrent-layer benchmarks (bench/models.ts: fused vs stock; bench/wasm.ts: engines vs
 * PyTorch) share: the command-line flags, the batch and feature sizes of the issues' model, the
 * shape of a case, and one Adam/MSE training step.
 */
import * as tf from "@tensorflow/tfjs";
import type { Optimizer } from "../src/training/optimizer.js";

export const BATCH = 64;
export const F = 4;

const argv = process.argv.slice(2);

/** The value after `--name` on the command line, or `dflt`. */
export function flag(name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? dflt) : dflt;
}

/** One benchmarked model: 2 × cell(h) on [t, F], timed over `batches` batches per round. */
export interface RecurrentCase {
  cell: "lstm" | "gru";
  t: number;
  h: number;
  batches: number;
}

/**
 * One Adam step (learning rate 1e-3) of MSE on (x, y) with the training loop's optimizer (what
 * `train` runs; on wasm/cpu one pass per variable instead of about twelve tf ops); returns the loss
 * (read back, so the step has finished).
 */
export function trainStep(model: tf.LayersModel, opt: Optimizer, x: tf.Tensor, y: tf.Tensor, lr = 1e-3): number {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    vars,
  );
  opt.apply(vars, vars.map((v) => grads[v.name] as tf.Tensor), vars.map(() => lr));
  const loss = value.dataSync()[0] as number;
  tf.dispose([value, grads]);
  return loss;
}

/**
 * The MLP baseline fitted: buildBaseline's one-hidden-layer MLP (models/build-baseline.ts) trained
 * with our own `train` (seeded, early stopping on the last 20% of the training windows). The "is the
 * LSTM worth it?" baseline of compareModels.
 */
import * as tf from "@tensorflow/tfjs";
import { buildBaseline } from "../models/build-baseline.js";
import { positiveInt, positiveNumber } from "../validate.js";
import { train } from "../training/train.js";

/** Options of fitMlp. */
export interface MlpBaselineOptions {
  /** Hidden units. @default 32 */ hidden?: number;
  /** Most epochs (early stopping usually ends sooner). @default 100 */ epochs?: number;
  /** @default 32 */ batchSize?: number;
  /** @default 0.003 */ learningRate?: number;
  /** Seed for initialisation and shuffling. @default 0 */ seed?: number;
}

/** A fitted MLP baseline; call `dispose()` when done to free its weights. */
export interface MlpBaseline {
  readonly model: tf.LayersModel;
  predict(x: tf.Tensor): number[][];
  dispose(): void;
}

/**
 * Fits buildBaseline's MLP with one hidden layer from flattened windows to the outputs (Adam at
 * `learningRate`, the model's compiled optimizer).
 * @example
 * declare const train: Windows;
 * declare const test: Windows;
 * const mlp = await fitMlp(train.x, train.y, { hidden: 16 }); mlp.predict(test.x); mlp.dispose();
 */
export async function fitMlp(x: tf.Tensor, y: tf.Tensor, o: MlpBaselineOptions = {}): Promise<MlpBaseline> {
  const hidden = positiveInt("hidden", o.hidden ?? 32);
  const learningRate = positiveNumber("learningRate", o.learningRate ?? 0.003);
  const seed = o.seed ?? 0;
  const outputs = y.size / (y.shape[0] as number);
  const model = buildBaseline({ kind: "mlp", inputShape: x.shape.slice(1), outputs, hidden: [hidden], learningRate, seed });
  const y2 = y.reshape([y.shape[0] as number, outputs]);
  try {
    await train(model, { x, y: y2 }, {
      epochs: o.epochs ?? 100,
      batchSize: o.batchSize ?? 32,
      seed,
      validationSplit: 0.2,
      earlyStopping: { patience: 10 },
      progress: "silent",
    });
  } finally {
    y2.dispose();
  }
  return {
    model,
    predict(xNew: tf.Tensor): number[][] {
      return tf.tidy(() => (model.predict(xNew) as tf.Tensor).arraySync() as number[][]);
    },
    dispose() {
      // The compiled tf.train optimizer was handed in, so the model does not own (and free) it.
      model.optimizer?.dispose();
      model.dispose();
    },
  };
}

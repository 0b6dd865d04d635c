/**
 * A small multilayer perceptron on the flattened window, trained with our own `train` (seeded,
 * early stopping on the last 20% of the training windows). The "is the LSTM worth it?" baseline.
 */
import * as tf from "@tensorflow/tfjs";
import { positiveInt } from "../validate.js";
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
 * Fits a one-hidden-layer MLP from flattened windows to the outputs.
 * @example const mlp = await fitMlp(train.x, train.y, { hidden: 16 }); mlp.predict(test.x); mlp.dispose();
 */
export async function fitMlp(x: tf.Tensor, y: tf.Tensor, o: MlpBaselineOptions = {}): Promise<MlpBaseline> {
  const hidden = positiveInt("hidden", o.hidden ?? 32);
  const seed = o.seed ?? 0;
  const outputs = y.size / (y.shape[0] as number);
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: x.shape.slice(1) }));
  model.add(tf.layers.dense({ units: hidden, activation: "relu", kernelInitializer: tf.initializers.heNormal({ seed }) }));
  model.add(tf.layers.dense({ units: outputs, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  const y2 = y.reshape([y.shape[0] as number, outputs]);
  try {
    await train(model, { x, y: y2 }, {
      epochs: o.epochs ?? 100,
      batchSize: o.batchSize ?? 32,
      learningRate: o.learningRate ?? 0.003,
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
      model.dispose();
    },
  };
}

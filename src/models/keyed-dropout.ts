/**
 * KeyedDropout: tf.layers.dropout's job (inverted dropout, identity at inference) with masks that are
 * dropout, not a fixed pattern. A seeded tf.layers.dropout draws the same mask for every batch; this
 * layer draws a fresh one per batch, keyed by (seed, epoch, batch, layer) inside train() (see
 * dropout-key.ts), from its own seeded stream elsewhere. Saved models keep it as "KeyedDropout";
 * `saveModel(..., { portable: true })` writes it as a stock Dropout.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { inRange } from "../validate.js";
import { dropoutRng } from "./dropout-key.js";
import { dropoutMask } from "./dropout-mask.js";
import { freshSeed } from "./fresh-seed.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options of KeyedDropout (plus the usual layer options: name, inputShape, ...). */
export interface KeyedDropoutArgs extends LayerArgs {
  /** Fraction of the inputs set to 0 during training (the rest scaled by 1 / (1 − rate)). */
  rate: number;
  /** Dimensions of the mask, with 1 where the mask is shared (Keras' noise_shape); null: the input's shape. @default null */
  noiseShape?: readonly (number | null)[] | null;
  /** Seed of the masks drawn outside train(); null draws a fresh one. @default null */
  seed?: number | null;
}

/**
 * A dropout layer whose masks come from `train`'s dropout key (seed, epoch, batch), so runs repeat and resume bit for bit.
 * @example
 * const input = tf.input({ shape: [8] });
 * const h = tf.layers.dense({ units: 64, activation: "relu" }).apply(input) as tf.SymbolicTensor;
 * const dropped = new KeyedDropout({ rate: 0.2, seed: 1 }).apply(h);
 */
export class KeyedDropout extends tf.layers.Layer {
  static className = "KeyedDropout";
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number;
  readonly #ownRng: Rng;

  constructor(args: KeyedDropoutArgs) {
    super(args);
    this.rate = inRange("rate", args.rate, 0, 1, { highOpen: true });
    this.noiseShape = args.noiseShape ?? null;
    this.seed = args.seed ?? freshSeed();
    this.#ownRng = new Rng(this.seed).fork("dropout");
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      if (kwargs["training"] !== true || this.rate === 0) return tf.clone(x);
      const shape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? (x.shape[i] as number)) : x.shape;
      const rng = dropoutRng(this, "output") ?? new Rng(this.#ownRng.nextSeed());
      return tf.mul(x, dropoutMask(shape, this.rate, rng));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { rate: this.rate, noiseShape: this.noiseShape ? [...this.noiseShape] : null, seed: this.seed, ...super.getConfig() };
  }
}
tf.serialization.registerClass(KeyedDropout);

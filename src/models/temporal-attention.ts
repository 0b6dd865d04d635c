/**
 * TemporalAttention: pools a recurrent layer's sequence output [B, T, H] into one context vector [B, H]
 * as a weighted sum over the time steps, with weights you can read back (attentionWeights) to see
 * which steps the model looked at.
 *
 * - "additive" (Bahdanau): e_t = vᵀ tanh(h_t·W + b), a learned scorer of each step;
 * - "dot" (Luong): e_t = h_t · h_T / √H, each step scored by its similarity to the last state.
 * α = softmax over the steps (padded steps, from masking, get weight 0); context = Σ α_t h_t.
 * With `dropout`, training drops weights of α (as Keras' Attention layer drops attention scores),
 * with a fresh mask per batch keyed like every dropout in lstm-lab (dropout-key.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { inRange, oneOf, positiveInt } from "../validate.js";
import { ShapeError } from "../errors.js";
import { initialValues } from "./initial-values.js";
import { dropoutRng } from "./dropout-key.js";
import { dropoutMask } from "./dropout-mask.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** The scoring functions TemporalAttention offers: Bahdanau's additive or Luong's dot product. */
export const ATTENTION_KINDS = ["additive", "dot"] as const;
/** One of {@link ATTENTION_KINDS}. */
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

/** Options of {@link TemporalAttention}. */
export interface TemporalAttentionArgs extends LayerArgs {
  /** @default "additive" */
  kind?: AttentionKind;
  /** Hidden size of the additive scorer; null means the input's H. @default null */
  units?: number | null;
  /** Fraction of the attention weights α dropped during training (the rest scaled by 1 / (1 − dropout)). @default 0 */
  dropout?: number;
  /** Seed of the scorer's initial weights, and of the dropout masks outside train(). @default 0 */
  seed?: number;
}

/**
 * Attention over the time steps of a recurrent layer's sequence output: a weighted sum of the steps.
 * @example
 * const input = tf.input({ shape: [24, 3] });
 * const seq = new FusedLSTM({ units: 32, returnSequences: true }).apply(input) as tf.SymbolicTensor;
 * const context = new TemporalAttention({ kind: "dot" }).apply(seq);
 */
export class TemporalAttention extends tf.layers.Layer {
  static className = "TemporalAttention";
  readonly kind: AttentionKind;
  readonly units: number | null;
  readonly seed: number;
  readonly dropout: number;
  readonly #dropRng: Rng;
  w: tf.LayerVariable | null = null;
  b: tf.LayerVariable | null = null;
  v: tf.LayerVariable | null = null;

  constructor(args: TemporalAttentionArgs = {}) {
    super(args);
    this.kind = oneOf("attention", args.kind ?? "additive", ATTENTION_KINDS);
    this.units = args.units ?? null;
    if (this.units !== null) positiveInt("attention units", this.units);
    this.seed = args.seed ?? 0;
    this.dropout = inRange("dropout", args.dropout ?? 0, 0, 1, { highOpen: true });
    this.#dropRng = new Rng(this.seed).fork("attention-dropout");
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 3) {
      throw new ShapeError(
        `Attention needs a sequence [batch, steps, features] (a recurrent layer with returnSequences: true), got shape ${JSON.stringify(shape)}.`,
      );
    }
    if (this.kind === "additive") {
      const h = shape[2] as number;
      const a = this.units ?? h;
      const rng = new Rng(this.seed).fork("attention");
      const zeros = tf.initializers.zeros();
      this.w = this.addWeight("kernel", [h, a], "float32", zeros);
      this.b = this.addWeight("bias", [a], "float32", zeros);
      this.v = this.addWeight("score", [a, 1], "float32", zeros);
      tf.tidy(() => {
        this.w?.write(tf.tensor2d(initialValues("glorotUniform", h, a, rng.fork("kernel")), [h, a]));
        this.v?.write(tf.tensor2d(initialValues("glorotUniform", a, 1, rng.fork("score")), [a, 1]));
      });
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, shape[2] ?? null];
  }

  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor;
  }

  /** The attention weights α [B, T] for a sequence [B, T, H] and an optional mask [B, T]. */
  scores(seq: tf.Tensor3D, mask: tf.Tensor | null = null): tf.Tensor2D {
    return tf.tidy(() => {
      const [bsz, t, h] = seq.shape;
      let e: tf.Tensor2D;
      if (this.kind === "additive") {
        const hidden = tf.tanh(
          tf.add(tf.matMul(tf.reshape(seq, [bsz * t, h]), (this.w as tf.LayerVariable).read() as tf.Tensor2D), (this.b as tf.LayerVariable).read()),
        );
        e = tf.reshape(tf.matMul(hidden, (this.v as tf.LayerVariable).read() as tf.Tensor2D), [bsz, t]);
      } else {
        const last = tf.slice(seq, [0, t - 1, 0], [bsz, 1, h]);
        e = tf.div(tf.sum(tf.mul(seq, last), 2), Math.sqrt(h));
      }
      if (mask) e = tf.add(e, tf.mul(tf.sub(1, tf.reshape(tf.cast(mask, "float32"), [bsz, t])), -1e9));
      return tf.softmax(e, 1);
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const seq = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const raw = kwargs["mask"] as tf.Tensor | tf.Tensor[] | undefined | null;
      const mask = (Array.isArray(raw) ? raw[0] : raw) ?? null;
      let alpha = this.scores(seq, mask);
      if (kwargs["training"] === true && this.dropout > 0) {
        const rng = dropoutRng(this, "weights") ?? new Rng(this.#dropRng.nextSeed());
        alpha = tf.mul(alpha, dropoutMask(alpha.shape, this.dropout, rng));
      }
      const [bsz, , h] = seq.shape;
      return tf.reshape(tf.matMul(tf.expandDims(alpha, 1), seq), [bsz, h]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { kind: this.kind, units: this.units, dropout: this.dropout, seed: this.seed, ...super.getConfig() };
  }
}
tf.serialization.registerClass(TemporalAttention);

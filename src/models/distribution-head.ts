/**
 * DistributionHead: turns the last Dense layer's outputs × k values into a forecast distribution,
 * [batch, outputs, k]. For quantiles (k levels) the first level is the raw value and each next one
 * adds softplus of its raw value, so the quantiles ascend and never cross. For a normal
 * distribution (k = 2) the pair is (μ, σ) with σ = softplus(raw) + 1e-4, positive. It has no weights
 * of its own; saved models keep it as "DistributionHead".
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { oneOf, positiveInt, show } from "../validate.js";
import { quantileLevels } from "./quantile-levels.js";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** The forecast distributions a head can give. */
export const DISTRIBUTIONS = ["quantile", "normal"] as const;
/** One of {@link DISTRIBUTIONS}. */
export type DistributionKind = (typeof DISTRIBUTIONS)[number];

/** Options of DistributionHead (plus the usual layer options). */
export interface DistributionHeadArgs extends LayerArgs {
  /** "quantile": ascending quantiles; "normal": (mean, scale). */ kind: DistributionKind;
  /** Forecast values per sample (horizon × targets). */ outputs: number;
  /** Values per forecast value: the number of quantile levels, or 2 for "normal". */ size: number;
  /**
   * The quantile levels (kind "quantile"), kept in the layer so predict, evaluate and loadModel read
   * them from the model itself. @default null
   */
  levels?: readonly number[] | null;
}

/** Smallest scale a normal head predicts, so the likelihood stays finite. */
const MIN_SCALE = 1e-4;

/**
 * The output layer of a probabilistic model: ordered quantiles, or a normal's mean and positive std.
 * @example
 * declare const last: tf.SymbolicTensor; // the last recurrent layer's output
 * const raw = tf.layers.dense({ units: 7 * 3 }).apply(last) as tf.SymbolicTensor;
 * const q = new DistributionHead({ kind: "quantile", outputs: 7, size: 3 }).apply(raw); // [batch, 7, 3]
 */
export class DistributionHead extends tf.layers.Layer {
  static className = "DistributionHead";
  readonly kind: DistributionKind;
  readonly outputs: number;
  readonly size: number;
  readonly levels: readonly number[] | null;

  constructor(args: DistributionHeadArgs) {
    super(args);
    this.kind = oneOf("kind", args.kind, DISTRIBUTIONS);
    this.outputs = positiveInt("outputs", args.outputs);
    this.size = positiveInt("size", args.size);
    this.levels = args.levels === undefined || args.levels === null ? null : [...quantileLevels("levels", args.levels)];
    if (this.levels !== null && (this.kind !== "quantile" || this.levels.length !== this.size)) {
      throw new ConfigError(`\`levels\` ${show(this.levels)} must be one level per value (size ${this.size}) of a "quantile" head, got kind ${show(this.kind)}.`);
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0] ?? null, this.outputs, this.size];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      const raw = x.reshape([-1, this.outputs, this.size]);
      if (this.kind === "normal") {
        const [mu, s] = tf.split(raw, 2, -1) as [tf.Tensor, tf.Tensor];
        return tf.concat([mu, tf.add(tf.softplus(s), MIN_SCALE)], -1);
      }
      if (this.size === 1) return raw;
      const [first, rest] = tf.split(raw, [1, this.size - 1], -1) as [tf.Tensor, tf.Tensor];
      return tf.cumsum(tf.concat([first, tf.softplus(rest)], -1), 2);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { kind: this.kind, outputs: this.outputs, size: this.size, levels: this.levels ? [...this.levels] : null, ...super.getConfig() };
  }
}
tf.serialization.registerClass(DistributionHead);

/**
 * The DistributionHead that gives `model`'s output, or null for a point model.
 * @example distributionHeadOf(buildModel({ inputShape: [8, 1], quantiles: [0.1, 0.9] }))?.levels // [0.1, 0.9]
 */
export function distributionHeadOf(model: tf.LayersModel): DistributionHead | null {
  const layer = model.outputs?.[0]?.sourceLayer;
  return layer instanceof DistributionHead ? layer : null;
}

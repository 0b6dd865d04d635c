/**
 * The one shape check every entry point that feeds data to a model runs first (train, evaluate,
 * predict, compareModels, ensembles): x against the model's declared inputs, y against its
 * declared output, and x and y against each other in their number of samples. It reads only
 * shapes, so a refused call has made no tensor and changed no weight.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
import { show } from "../validate.js";
import type { Values } from "../eval/values.js";
import { DistributionHead } from "./distribution-head.js";

/** Options of checkShapes. */
export interface CheckShapesOptions {
  /** The name of x in messages, e.g. "data.x". @default "x" */ xName?: string;
  /** The name of y in messages, e.g. "data.y". @default "y" */ yName?: string;
  /**
   * y may also hold one class label per sample where the model outputs one probability per class
   * (sparse categorical targets, or labels scored by accuracy). @default false
   */
  labels?: boolean;
  /** The model's name in messages ("for model \"lstm\""), where several are checked. @default null: "for this model" */
  modelName?: string | null;
}
const DEFAULTS: Required<CheckShapesOptions> = { xName: "x", yName: "y", labels: false, modelName: null };

type Dims = readonly (number | null)[];

/** `[batch, 5, 2]`; a free axis other than the batch shows as `any`. */
const expected = (dims: Dims): string => `[${["batch", ...dims.slice(1).map((d) => d ?? "any")].join(", ")}]`;
const given = (dims: readonly number[]): string => `[${dims.join(", ")}]`;

/** Each declared axis after the batch is free (null) or equal. */
const fits = (want: Dims, got: readonly number[]): boolean =>
  want.length === got.length && want.every((d, i) => i === 0 || d === null || d === got[i]);

/** The axes after the batch, without those of size 1: [n, 12, 1] and [n, 12] hold the same targets. */
const squeezed = <T extends number | null>(dims: readonly T[]): T[] => dims.slice(1).filter((d) => d !== 1);

/** The shape of y as given: a tensor's, [n] for a flat array, [n, k] for rows of k numbers. */
function shapeOf(name: string, y: Values): number[] {
  if (y instanceof tf.Tensor) return [...y.shape];
  if (Array.isArray(y) && y.length > 0 && Array.isArray(y[0])) {
    const rows = y as readonly (readonly number[])[];
    const k = rows[0]?.length ?? 0;
    rows.forEach((r, i) => {
      if (r.length !== k) throw new ShapeError(`\`${name}\` row ${i} has ${r.length} values but row 0 has ${k}.`);
    });
    return [rows.length, k];
  }
  if (typeof y === "object" && y !== null && typeof (y as ArrayLike<number>).length === "number") return [(y as ArrayLike<number>).length];
  throw new ConfigError(`\`${name}\` must be a tensor or an array of numbers, got ${show(y)}.`);
}

/**
 * Checks `x` (and `y`, when given) against `model`'s declared input and output shapes and against
 * each other, throwing a ShapeError that names the argument, the expected and the given shape.
 * Axes the model leaves free (null) take any size; y may drop or add axes of size 1 ([n] for an
 * output of [batch, 1]). Returns the number of samples.
 * @example
 * declare const model: tf.LayersModel;
 * declare const x: tf.Tensor;
 * declare const y: tf.Tensor;
 * checkShapes(model, x, y, { xName: "data.x", yName: "data.y" });
 * // ShapeError: `data.x` must have shape [batch, 5, 2] for this model, got [32, 7, 2].
 */
export function checkShapes(
  model: tf.LayersModel,
  x: tf.Tensor | readonly tf.Tensor[],
  y: Values | null = null,
  options: CheckShapesOptions = {},
): number {
  const o = { ...DEFAULTS, ...options };
  const theModel = o.modelName === null ? "this model" : `model ${show(o.modelName)}`;
  const TheModel = theModel[0]!.toUpperCase() + theModel.slice(1);
  const many = Array.isArray(x);
  const xs: readonly unknown[] = many ? x : [x];
  if (xs.length === 0) throw new ConfigError(`\`${o.xName}\` must be a tensor or a non-empty array of tensors, got [].`);
  const xNames = xs.map((_, i) => (many ? `${o.xName}[${i}]` : o.xName));
  xs.forEach((t, i) => {
    if (!(t instanceof tf.Tensor)) throw new ConfigError(`\`${xNames[i]}\` must be a tensor, got ${show(t)}.`);
  });
  const tensors = xs as readonly tf.Tensor[];

  // A model not built yet (a Sequential without an input shape) declares nothing to check against.
  const inputs = model.inputs ?? [];
  if (inputs.length > 0) {
    if (inputs.length !== tensors.length) {
      throw new ShapeError(
        `${TheModel} takes ${inputs.length} input${inputs.length === 1 ? "" : "s"}, but \`${o.xName}\` is ` +
          `${many ? `an array of ${tensors.length} tensors` : "one tensor"}.`,
      );
    }
    tensors.forEach((t, i) => {
      const want = (inputs[i] as tf.SymbolicTensor).shape;
      if (!fits(want, t.shape)) {
        throw new ShapeError(`\`${xNames[i]}\` must have shape ${expected(want)} for ${theModel}, got ${given(t.shape)}.`);
      }
    });
  }
  const n = tensors[0]!.shape[0] ?? 1;
  tensors.forEach((t, i) => {
    if (i > 0 && t.shape[0] !== n) throw new ShapeError(`\`${xNames[i]}\` has ${t.shape[0]} samples but \`${xNames[0]}\` has ${n}.`);
  });

  const outputs = model.outputs ?? [];
  if (outputs.length > 1) {
    throw new ConfigError(`${TheModel} has ${outputs.length} outputs; lstm-lab's train, evaluate and predict handle single-output models.`);
  }
  if (y === null) return n;
  const yShape = shapeOf(o.yName, y);
  if (yShape[0] !== n) throw new ShapeError(`\`${xNames[0]}\` has ${n} samples but \`${o.yName}\` has ${yShape[0] ?? 1}.`);
  const out = outputs[0];
  if (out === undefined) return n;
  // A probabilistic head (quantiles, or mean and scale) adds a last axis the targets do not have.
  const declared = out.sourceLayer instanceof DistributionHead ? out.shape.slice(0, -1) : out.shape;
  const want = squeezed(declared), got = squeezed(yShape);
  const label = o.labels && got.length === 0;
  if (!label && !fits([null, ...want], [n, ...got])) {
    const asLabels = o.labels ? ` (or [batch] of class labels)` : "";
    throw new ShapeError(`\`${o.yName}\` must have shape ${expected(declared)}${asLabels} for ${theModel}, got ${given(yShape)}.`);
  }
  return n;
}

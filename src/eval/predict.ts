/**
 * Predictions as a table: optional timestamps, one column per output, in original units when
 * given an inverse (a Scaler or a function). A model with a probabilistic head gives its
 * distribution: one column per (output, quantile level) for `quantiles`, the mean and standard
 * deviation for `distribution: "normal"` (or quantiles of it when asked).
 */
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
import { checkShapes } from "../models/check-shapes.js";
import { distributionHeadOf } from "../models/distribution-head.js";
import { quantileLevels } from "../models/quantile-levels.js";
import { positiveInt } from "../validate.js";
import { applyInverse, outputNames, type Inverse } from "./inverse.js";
import { normalQuantile } from "./normal-quantile.js";
import { quantileColumns } from "./quantile-table.js";
import { values, type Matrix } from "./values.js";

type ColumnTable = ReturnType<typeof aq.table>;

/** Options of predict. */
export interface PredictOptions {
  /** Samples per forward pass. @default 256 */ batchSize?: number;
  /** Maps outputs back to original units (a Scaler from src/data, or a function). @default null */ inverse?: Inverse | null;
  /** Target column names; the last output axis cycles through them (horizon × targets). @default ["y"] */ targets?: readonly string[];
  /** One timestamp per sample (the time of its first predicted step), put in a "timestamp" column. @default null */
  timestamps?: ArrayLike<number | string | Date> | null;
  /**
   * For a `distribution: "normal"` model: give these quantile levels (μ + σ·z, then inverse-scaled)
   * instead of the mean and standard deviation. @default null
   */
  quantiles?: readonly number[] | null;
}

/**
 * Runs `model` on `x` in batches and returns the outputs as a matrix (tensors disposed). Callers
 * check `x` with checkShapes first.
 */
export function modelOutputs(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], batchSize = 256): Matrix {
  positiveInt("batchSize", batchSize);
  const out = model.predict(x, { batchSize }) as tf.Tensor;
  const m = values("prediction", out);
  out.dispose();
  return m;
}

/**
 * Predicts and returns a table with `timestamp` (if given) and one column per output.
 * @example
 * declare const model: tf.LayersModel;
 * declare const w: { x: tf.Tensor; times: string[] };
 * declare const scaler: Scaler;
 * const t = predict(model, w.x, { inverse: scaler, targets: ["temp_max"], timestamps: w.times });
 * // columns: timestamp, temp_max (or temp_max_h1, temp_max_h2, ... for a longer horizon)
 * // a buildModel({ quantiles: [0.1, 0.5, 0.9] }) model: temp_max_q10, temp_max_q50, temp_max_q90
 * // a distribution: "normal" model: temp_max_mean, temp_max_std; with { quantiles: [0.1, 0.9] }: temp_max_q10, temp_max_q90
 */
export function predict(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], options: PredictOptions = {}): ColumnTable {
  checkShapes(model, x);
  const targets = options.targets ?? ["y"];
  if (targets.length === 0) throw new ConfigError("`targets` must name at least one column, got [].");
  const head = distributionHeadOf(model);
  const asked = options.quantiles ?? null;
  if (asked !== null) quantileLevels("quantiles", asked);
  if (asked !== null && head?.kind !== "normal") {
    throw new ConfigError(
      `\`quantiles\` ${JSON.stringify(asked)} applies to a distribution: "normal" model; ` +
        (head ? `this one predicts its own quantiles ${JSON.stringify(head.levels)}.` : "use predictInterval for MC-dropout quantiles of a point model."),
    );
  }
  if (head?.kind === "quantile" && head.levels === null) {
    throw new ConfigError("This model's quantile head does not record its levels; build its DistributionHead with `levels` so predict can name the columns.");
  }
  const raw = modelOutputs(model, x, options.batchSize ?? 256);
  const inverse = options.inverse ?? null;
  const cols: Record<string, unknown[] | Float64Array> = {};
  const ts = options.timestamps ?? null;
  if (ts !== null) {
    if (ts.length !== raw.rows) throw new ShapeError(`\`timestamps\` has ${ts.length} values but there are ${raw.rows} predictions.`);
    cols["timestamp"] = Array.from(ts);
  }
  if (head?.levels) return aq.table({ ...cols, ...quantileColumns(raw, head.levels, targets, inverse) });
  if (head?.kind === "normal") return aq.table({ ...cols, ...normalColumns(raw, asked, targets, inverse) });
  const m = applyInverse(inverse, raw, targets);
  outputNames(m.cols, targets).forEach((name, j) => {
    const col = new Float64Array(m.rows);
    for (let r = 0; r < m.rows; r++) col[r] = m.data[r * m.cols + j] as number;
    cols[name] = col;
  });
  return aq.table(cols);
}

/**
 * A normal head's (μ, σ) pairs as columns in original units: quantiles μ + σ·z(τ) at `levels`, or
 * `<output>_mean` and `<output>_std` with σ mapped as inverse(μ + σ) − inverse(μ) (exact for the
 * affine scalers of src/data).
 */
function normalColumns(raw: Matrix, levels: readonly number[] | null, targets: readonly string[], inverse: Inverse | null): Record<string, Float64Array> {
  const outputs = raw.cols / 2;
  const at = (r: number, c: number, part: 0 | 1) => raw.data[(r * outputs + c) * 2 + part] as number;
  if (levels !== null) {
    const z = levels.map(normalQuantile);
    const data = new Float64Array(raw.rows * outputs * levels.length);
    for (let r = 0; r < raw.rows; r++) {
      for (let c = 0; c < outputs; c++) z.forEach((zj, j) => (data[(r * outputs + c) * levels.length + j] = at(r, c, 0) + at(r, c, 1) * zj));
    }
    return quantileColumns({ data, rows: raw.rows, cols: outputs * levels.length }, levels, targets, inverse);
  }
  const mu = new Float64Array(raw.rows * outputs), upper = new Float64Array(raw.rows * outputs);
  for (let r = 0; r < raw.rows; r++) {
    for (let c = 0; c < outputs; c++) {
      mu[r * outputs + c] = at(r, c, 0);
      upper[r * outputs + c] = at(r, c, 0) + at(r, c, 1);
    }
  }
  const m = applyInverse(inverse, { data: mu, rows: raw.rows, cols: outputs }, targets);
  const u = applyInverse(inverse, { data: upper, rows: raw.rows, cols: outputs }, targets);
  const cols: Record<string, Float64Array> = {};
  outputNames(outputs, targets).forEach((name, c) => {
    cols[`${name}_mean`] = Float64Array.from({ length: raw.rows }, (_, r) => m.data[r * outputs + c] as number);
    cols[`${name}_std`] = Float64Array.from({ length: raw.rows }, (_, r) => Math.abs((u.data[r * outputs + c] as number) - (m.data[r * outputs + c] as number)));
  });
  return cols;
}

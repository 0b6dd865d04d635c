/**
 * Predictions as a table: optional timestamps, one column per output, in original units when
 * given an inverse (a Scaler or a function).
 */
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
import { checkShapes } from "../models/check-shapes.js";
import { positiveInt } from "../validate.js";
import { applyInverse, outputNames, type Inverse } from "./inverse.js";
import { values, type Matrix } from "./values.js";

type ColumnTable = ReturnType<typeof aq.table>;

/** Options of predict. */
export interface PredictOptions {
  /** Samples per forward pass. @default 256 */ batchSize?: number;
  /** Maps outputs back to original units (a Scaler from src/data, or a function). @default null */ inverse?: Inverse | null;
  /** Target column names; the last output axis cycles through them (horizon × targets). @default ["y"] */ targets?: readonly string[];
  /** One timestamp per sample (the time of its first predicted step), put in a "timestamp" column. @default null */
  timestamps?: ArrayLike<number | string | Date> | null;
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
 * const t = predict(model, w.x, { inverse: scaler, targets: ["temp_max"], timestamps: w.times });
 * // columns: timestamp, temp_max (or temp_max_h1, temp_max_h2, ... for a longer horizon)
 */
export function predict(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], options: PredictOptions = {}): ColumnTable {
  checkShapes(model, x);
  const targets = options.targets ?? ["y"];
  if (targets.length === 0) throw new ConfigError("`targets` must name at least one column, got [].");
  const m = applyInverse(options.inverse ?? null, modelOutputs(model, x, options.batchSize ?? 256), targets);
  const cols: Record<string, unknown[] | Float64Array> = {};
  const ts = options.timestamps ?? null;
  if (ts !== null) {
    if (ts.length !== m.rows) throw new ShapeError(`\`timestamps\` has ${ts.length} values but there are ${m.rows} predictions.`);
    cols["timestamp"] = Array.from(ts);
  }
  outputNames(m.cols, targets).forEach((name, j) => {
    const col = new Float64Array(m.rows);
    for (let r = 0; r < m.rows; r++) col[r] = m.data[r * m.cols + j] as number;
    cols[name] = col;
  });
  return aq.table(cols);
}

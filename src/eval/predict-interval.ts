/**
 * predictInterval: Monte Carlo dropout (Gal & Ghahramani) quantiles for any point model with
 * dropout. Each of `samples` forward passes runs with dropout on, under its own dropout key
 * (seed, sample, batch), so every pass draws different masks and the whole set repeats for the same
 * seed. The quantiles of the passes' outputs, per sample and output, come back in original units.
 */
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
import { checkShapes } from "../models/check-shapes.js";
import { withDropoutKey } from "../models/dropout-key.js";
import { freshSeed } from "../models/fresh-seed.js";
import { distributionHeadOf } from "../models/distribution-head.js";
import { quantileLevels } from "../models/quantile-levels.js";
import { positiveInt } from "../validate.js";
import { applyInverse, type Inverse } from "./inverse.js";
import { quantileColumns } from "./quantile-table.js";

type ColumnTable = ReturnType<typeof aq.table>;

/** Options of predictInterval. */
export interface PredictIntervalOptions {
  /** Forward passes with dropout on. @default 100 */ samples?: number;
  /** Quantile levels to report, ascending in (0, 1). @default [0.1, 0.5, 0.9] */ quantiles?: readonly number[];
  /** Seed of the dropout masks; the same seed gives the same table. null draws one. @default null */ seed?: number | null;
  /** Samples per forward pass. @default 256 */ batchSize?: number;
  /** Maps outputs back to original units (a Scaler or a function), applied to every pass. @default null */ inverse?: Inverse | null;
  /** Target column names; the last output axis cycles through them. @default ["y"] */ targets?: readonly string[];
  /** One timestamp per sample, put in a "timestamp" column. @default null */ timestamps?: ArrayLike<number | string | Date> | null;
}

/** The `level` quantile of sorted values, interpolating linearly between order statistics (numpy's default). */
function quantileOfSorted(sorted: Float64Array, level: number): number {
  const pos = level * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * MC-dropout quantiles of a point model's forecasts, as a table like predict's for a quantile model.
 * @example
 * declare const model: tf.LayersModel;
 * declare const w: { test: { x: tf.Tensor } };
 * declare const scaler: Scaler;
 * const t = predictInterval(model, w.test.x, { samples: 200, quantiles: [0.1, 0.5, 0.9], seed: 1, inverse: scaler, targets: ["temp_max"] });
 * // columns: temp_max_q10, temp_max_q50, temp_max_q90 (temp_max_h1_q10, ... for a longer horizon)
 */
export function predictInterval(model: tf.LayersModel, x: tf.Tensor, options: PredictIntervalOptions = {}): ColumnTable {
  checkShapes(model, x);
  const samples = positiveInt("samples", options.samples ?? 100);
  if (samples < 2) throw new ConfigError(`\`samples\` must be at least 2 for an interval, got ${samples}.`);
  const levels = quantileLevels("quantiles", options.quantiles ?? [0.1, 0.5, 0.9]);
  const batchSize = positiveInt("batchSize", options.batchSize ?? 256);
  const targets = options.targets ?? ["y"];
  if (targets.length === 0) throw new ConfigError("`targets` must name at least one column, got [].");
  if (distributionHeadOf(model) !== null) {
    throw new ConfigError("predictInterval samples a point model; this model has a probabilistic head already: use predict(), which gives its quantiles.");
  }
  const seed = options.seed ?? freshSeed();
  const rows = x.shape[0] as number;
  const draws: Float64Array[] = [];
  let cols = 0;
  for (let s = 0; s < samples; s++) {
    const parts: Float32Array[] = [];
    for (let b = 0, start = 0; start < rows; b++, start += batchSize) {
      const size = Math.min(batchSize, rows - start);
      const out = tf.tidy(() => {
        const xb = tf.slice(x, [start, ...x.shape.slice(1).map(() => 0)], [size, ...x.shape.slice(1).map(() => -1)]);
        return withDropoutKey(model, { seed, epoch: s, batch: b }, () => model.apply(xb, { training: true }) as tf.Tensor);
      });
      parts.push(out.dataSync() as Float32Array);
      out.dispose();
    }
    const data = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (data.set(p, at), at + p.length), 0);
    cols = data.length / rows;
    draws.push(applyInverse(options.inverse ?? null, { data, rows, cols }, targets).data);
    if (s === 1 && draws[0]!.every((v, i) => v === draws[1]![i])) {
      throw new ConfigError("MC dropout needs dropout: two passes with different masks gave the same outputs. Build the model with `dropout` or `recurrentDropout` above 0.");
    }
  }
  const q = new Float64Array(rows * cols * levels.length);
  const column = new Float64Array(samples);
  for (let i = 0; i < rows * cols; i++) {
    draws.forEach((d, s) => (column[s] = d[i] as number));
    column.sort();
    levels.forEach((level, j) => (q[i * levels.length + j] = quantileOfSorted(column, level)));
  }
  const table: Record<string, unknown[] | Float64Array> = {};
  const ts = options.timestamps ?? null;
  if (ts !== null) {
    if (ts.length !== rows) throw new ShapeError(`\`timestamps\` has ${ts.length} values but there are ${rows} predictions.`);
    table["timestamp"] = Array.from(ts);
  }
  return aq.table({ ...table, ...quantileColumns({ data: q, rows, cols: cols * levels.length }, levels, targets, null) });
}

/**
 * Sliding windows as a lazy tf.data.Dataset of batches, like Keras' timeseries_dataset_from_array:
 * the table is copied once into a compact float32 buffer and each batch is cut from it on demand,
 * so a long series never needs all its windows in memory at once.
 */
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { Rng } from "../rng.js";
import { bool, positiveInt } from "../validate.js";
import { copyWindows, planWindows, type WindowOptions } from "./windows.js";

/**
 * Key of the function on a windowDataset that sets which epoch's shuffle the next pass uses; `train`
 * calls it before each epoch, so epoch e of a run resumed from a checkpoint shuffles as epoch e of
 * the straight run. Without it (model.fitDataset) passes count 0, 1, 2, ...
 */
export const WINDOW_DATASET_EPOCH: unique symbol = Symbol.for("lstm-lab.window-dataset.epoch");

/** Options of windowDataset: the window options plus batching. */
export interface WindowDatasetOptions extends WindowOptions {
  /** Windows per batch. @default 128 */
  batchSize?: number;
  /** Shuffle window order each epoch (seeded; epoch e uses the seed's e-th stream). @default false */
  shuffle?: boolean;
  /** Seed for the shuffle. @default 0 */
  seed?: number;
}

/** A batch: `xs` `[b, lookback, features]`, `ys` `[b, horizon × targets]`. */
export interface WindowBatch extends tf.TensorContainerObject {
  xs: tf.Tensor3D;
  ys: tf.Tensor2D;
}

/** A batch with future covariates or series ids: `xs` is makeWindows' `inputs` (`[x, future, seriesIds]`, those present). */
export interface ForecastBatch extends tf.TensorContainerObject {
  xs: tf.Tensor3D | tf.Tensor[];
  ys: tf.Tensor2D;
}

/** Options with neither future covariates nor series ids: every batch's `xs` is one tensor. */
type PlainOptions = WindowDatasetOptions & { futureCovariates?: readonly []; seriesInput?: false };

/**
 * A dataset of window batches for `model.fitDataset` or train(). Same windows as {@link makeWindows}
 * (groups and covariates too); checks happen here, before training starts.
 *
 * @example
 * import type { ColumnTable } from "arquero";
 * declare const table: ColumnTable;
 * declare const model: tf.LayersModel;
 * const ds = windowDataset(table, { features: ["load", "temp"], targets: ["load"], lookback: 168, horizon: 24, batchSize: 64, shuffle: true, seed: 1 });
 * await model.fitDataset(ds, { epochs: 10 });
 */
export function windowDataset(table: ColumnTable, options: PlainOptions): tf.data.Dataset<WindowBatch>;
export function windowDataset(table: ColumnTable, options: WindowDatasetOptions): tf.data.Dataset<ForecastBatch>;
export function windowDataset(table: ColumnTable, options: WindowDatasetOptions): tf.data.Dataset<ForecastBatch> {
  const { batchSize = 128, shuffle = false, seed = 0, ...windowOptions } = options;
  positiveInt("batchSize", batchSize);
  bool("shuffle", shuffle);
  const p = planWindows(table, windowOptions);
  const { o } = p;
  const F = p.inputColumns.length;
  const T = o.targets.length;
  const C = o.futureCovariates.length;
  const n = p.first.length;
  const rng = new Rng(seed);
  let epoch = 0;
  const ds = tf.data.generator(function* () {
    const order = shuffle ? rng.fork(`epoch ${epoch++}`).permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    for (let b0 = 0; b0 < n; b0 += batchSize) {
      const b = Math.min(batchSize, n - b0);
      const index = order.subarray(b0, b0 + b);
      const x = new Float32Array(b * o.lookback * F);
      const y = new Float32Array(b * o.horizon * T);
      const future = p.fut ? new Float32Array(b * o.horizon * C) : null;
      copyWindows(p, index, x, y, future);
      const xs = tf.tensor3d(x, [b, o.lookback, F]);
      const extra: tf.Tensor[] = [];
      if (future) extra.push(tf.tensor3d(future, [b, o.horizon, C]));
      if (o.seriesInput) extra.push(tf.tensor2d(Float32Array.from(index, (i) => p.series[i] as number), [b, 1]));
      yield { xs: extra.length > 0 ? [xs, ...extra] : xs, ys: tf.tensor2d(y, [b, o.horizon * T]) };
    }
  });
  Object.defineProperty(ds, WINDOW_DATASET_EPOCH, { value: (e: number) => void (epoch = e) });
  return ds;
}

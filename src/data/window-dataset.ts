/**
 * Sliding windows as a lazy tf.data.Dataset of batches, like Keras' timeseries_dataset_from_array:
 * the table is copied once into a compact float32 buffer and each batch is cut from it on demand,
 * so a long series never needs all its windows in memory at once.
 */
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { Rng } from "../rng.js";
import { bool, positiveInt } from "../validate.js";
import { requireSorted, timeColumn as readTime } from "./columns.js";
import { interleave, resolveWindowOptions, windowCount, type WindowOptions } from "./windows.js";

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

/**
 * A dataset of window batches for `model.fitDataset`. Same windows as {@link makeWindows}; checks
 * happen here, before training starts.
 *
 * @example
 * const ds = windowDataset(train, { features, targets: ["load"], lookback: 168, horizon: 24, batchSize: 64, shuffle: true, seed: 1 });
 * await model.fitDataset(ds, { epochs: 10 });
 */
export function windowDataset(table: ColumnTable, options: WindowDatasetOptions): tf.data.Dataset<WindowBatch> {
  const { batchSize = 128, shuffle = false, seed = 0, ...windowOptions } = options;
  positiveInt("batchSize", batchSize);
  bool("shuffle", shuffle);
  const o = resolveWindowOptions(table, windowOptions);
  if (o.timeColumn !== null) requireSorted(o.timeColumn, readTime(table, o.timeColumn), true);
  const src = interleave(table, o.features);
  const tgt = interleave(table, o.targets);
  const F = o.features.length;
  const T = o.targets.length;
  const n = windowCount(table.numRows(), o);
  const xLen = o.lookback * F;
  const yLen = o.horizon * T;
  const rng = new Rng(seed);
  let epoch = 0;
  return tf.data.generator(function* () {
    const order = shuffle ? rng.fork(`epoch ${epoch++}`).permutation(n) : null;
    for (let b0 = 0; b0 < n; b0 += batchSize) {
      const b = Math.min(batchSize, n - b0);
      const x = new Float32Array(b * xLen);
      const y = new Float32Array(b * yLen);
      for (let k = 0; k < b; k++) {
        const i = order ? (order[b0 + k] as number) : b0 + k;
        const s = i * o.stride;
        const ts = s + o.lookback + o.gap;
        x.set(src.subarray(s * F, s * F + xLen), k * xLen);
        y.set(tgt.subarray(ts * T, ts * T + yLen), k * yLen);
      }
      yield { xs: tf.tensor3d(x, [b, o.lookback, F]), ys: tf.tensor2d(y, [b, yLen]) };
    }
  });
}

/**
 * The epoch/batch iterator of the training loop: what `train` reads batches from. In-memory tensors
 * are cut into seeded, shuffled batches (TensorBatches); a lazy source (a `windowDataset(...)`, any
 * `tf.data.Dataset` of `{xs, ys}`, or an async iterable of such batches) is read batch by batch and
 * never held whole (LazyBatches).
 */
import * as tf from "@tensorflow/tfjs";

/** One batch of a lazy source: inputs, targets and optionally one loss weight per sample. */
export interface TrainBatch {
  xs: tf.Tensor | readonly tf.Tensor[];
  ys: tf.Tensor;
  weights?: tf.Tensor | null;
}

/**
 * A lazy source of training batches: a `tf.data.Dataset` (e.g. `windowDataset(...)`) or an async
 * iterable that starts over each time it is iterated (one pass per epoch).
 */
export type TrainSource = tf.data.Dataset<tf.TensorContainer> | AsyncIterable<TrainBatch>;

/** A batch as the train step takes it; the loop disposes its tensors after the step. */
export interface StepBatch {
  /** Batch number within the epoch, from 0. */
  index: number;
  xs: tf.Tensor[];
  y: tf.Tensor;
  weights: tf.Tensor | null;
  size: number;
}

/** Hands out an epoch's batches; state that a resume needs is keyed by (seed, epoch), so there is none to save. */
export interface BatchSource {
  /** Batches in one epoch, or 0 while unknown (a lazy source before its first full pass). */
  readonly batchesPerEpoch: number;
  /** The batches of `epoch`, in training order. */
  batches(epoch: number): AsyncGenerator<StepBatch>;
  /** Frees what the source owns. */
  dispose(): void;
}

/** True when `data` is a lazy source rather than `{ x, y }` tensors. */
export function isTrainSource(data: unknown): data is TrainSource {
  if (data === null || typeof data !== "object") return false;
  return data instanceof tf.data.Dataset || Symbol.asyncIterator in data;
}

/** `[start, start + size)` along the first axis. */
export function rowsSlice(t: tf.Tensor, start: number, size: number): tf.Tensor {
  return tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1).map(() => -1)]);
}

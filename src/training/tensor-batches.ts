/** Batches cut from tensors in memory: seeded shuffling per epoch, sample weights alongside. */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../rng.js";
import { rowsSlice, type BatchSource, type StepBatch } from "./batch-source.js";

/** How TensorBatches cuts its rows. */
export interface TensorBatchesOptions {
  batchSize: number;
  /** Shuffle with `rng.fork("shuffle:<epoch>")` each epoch; null keeps row order. */
  shuffle: Rng | null;
  /** One loss weight per row, or null. */
  weights: Float32Array | null;
  /** Tensors the source may dispose when done (slices it was handed). */
  owned: readonly tf.Tensor[];
}

/**
 * Batches of `xs`/`y` rows: epoch e is shuffled by its own forked stream, so epoch e of a resumed run
 * is the same as epoch e of the straight run.
 * @example
 * declare const x: tf.Tensor;
 * declare const y: tf.Tensor;
 * const src = new TensorBatches([x], y, { batchSize: 32, shuffle: new Rng(1), weights: null, owned: [] });
 * for await (const b of src.batches(0)) console.log(b.index, b.size);
 */
export class TensorBatches implements BatchSource {
  readonly rows: number;
  readonly batchesPerEpoch: number;
  readonly #weights: tf.Tensor1D | null;

  constructor(
    readonly xs: readonly tf.Tensor[],
    readonly y: tf.Tensor,
    readonly o: TensorBatchesOptions,
  ) {
    this.rows = y.shape[0] as number;
    this.batchesPerEpoch = Math.ceil(this.rows / o.batchSize);
    this.#weights = o.weights ? tf.tensor1d(o.weights) : null;
  }

  async *batches(epoch: number): AsyncGenerator<StepBatch> {
    const { batchSize, shuffle } = this.o;
    const order = shuffle ? shuffle.fork(`shuffle:${epoch}`).permutation(this.rows) : null;
    for (let b = 0; b < this.batchesPerEpoch; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, this.rows - start);
      const idx = order ? tf.tensor1d(order.subarray(start, start + size), "int32") : null;
      const cut = (t: tf.Tensor) => (idx ? tf.gather(t, idx) : rowsSlice(t, start, size));
      const batch: StepBatch = { index: b, xs: this.xs.map(cut), y: cut(this.y), weights: this.#weights ? cut(this.#weights) : null, size };
      idx?.dispose();
      yield batch;
    }
  }

  dispose(): void {
    this.#weights?.dispose();
    tf.dispose([...this.o.owned]);
  }
}

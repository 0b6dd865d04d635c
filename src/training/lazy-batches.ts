/** Batches read one at a time from a tf.data.Dataset or an async iterable, never held whole. */
import * as tf from "@tensorflow/tfjs";
import { WINDOW_DATASET_EPOCH } from "../data/window-dataset.js";
import { ConfigError, DataError, ShapeError } from "../errors.js";
import { show } from "../validate.js";
import type { BatchSource, StepBatch, TrainBatch, TrainSource } from "./batch-source.js";
import { sampleWeights, type SampleWeightOptions } from "./sample-weights.js";

/** Checks one batch the source yielded and turns it into a step batch. */
function stepBatch(name: string, raw: unknown, index: number, weighting: SampleWeightOptions): StepBatch {
  const b = raw as Partial<TrainBatch> | null;
  const where = `${name} batch ${index}`;
  if (b === null || typeof b !== "object" || !(b.ys instanceof tf.Tensor)) {
    throw new DataError(`${where} must be an object { xs, ys } of tensors, got ${show(raw)}.`);
  }
  const xs = Array.isArray(b.xs) ? [...(b.xs as tf.Tensor[])] : [b.xs as tf.Tensor];
  const size = b.ys.shape[0] ?? 0;
  xs.forEach((x, i) => {
    if (!(x instanceof tf.Tensor)) throw new DataError(`${where}: \`xs${xs.length > 1 ? `[${i}]` : ""}\` must be a tensor, got ${show(x)}.`);
    if (x.shape[0] !== size) throw new ShapeError(`${where}: \`xs\` has ${x.shape[0]} samples but \`ys\` has ${size}.`);
  });
  let weights = b.weights instanceof tf.Tensor ? b.weights : null;
  if (weighting.classWeight !== null) {
    const w = sampleWeights(b.ys, size, { sampleWeight: weights ? weights.dataSync() : null, classWeight: weighting.classWeight });
    weights?.dispose();
    weights = tf.tensor1d(w as Float32Array);
  }
  return { index, xs, y: b.ys, weights, size };
}

/**
 * A lazy source as the loop reads it: one pass per epoch, batches checked as they come, the number of
 * batches learnt from the first full pass (or the dataset's `size` when it has one).
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * declare const features: string[];
 * declare const targets: string[];
 * const src = new LazyBatches("data", windowDataset(table, { features, targets, lookback: 168, batchSize: 64 }), { sampleWeight: null, classWeight: null });
 */
export class LazyBatches implements BatchSource {
  #batches: number;

  constructor(
    readonly name: string,
    readonly source: TrainSource,
    readonly weighting: SampleWeightOptions,
  ) {
    const size = source instanceof tf.data.Dataset ? source.size : null;
    this.#batches = typeof size === "number" && Number.isFinite(size) ? size : 0;
  }

  get batchesPerEpoch(): number {
    return this.#batches;
  }

  async *batches(epoch: number): AsyncGenerator<StepBatch> {
    let index = 0;
    // A windowDataset shuffles pass e by its seed's e-th stream: make that the epoch, also after a resume.
    (this.source as { [WINDOW_DATASET_EPOCH]?: (e: number) => void })[WINDOW_DATASET_EPOCH]?.(epoch);
    if (this.source instanceof tf.data.Dataset) {
      const it = await this.source.iterator();
      for (let r = await it.next(); !r.done; r = await it.next()) yield stepBatch(this.name, r.value, index++, this.weighting);
    } else {
      for await (const raw of this.source) yield stepBatch(this.name, raw, index++, this.weighting);
    }
    if (index === 0) {
      throw new DataError(
        `\`${this.name}\` gave no batches. A lazy source is read once per epoch: pass a tf.data.Dataset or an ` +
          `iterable whose [Symbol.asyncIterator]() starts over, not a one-shot generator.`,
      );
    }
    this.#batches = index;
  }

  dispose(): void {}
}

/** The error for options that need the rows in memory. */
export function needsInMemory(option: string, value: unknown): ConfigError {
  return new ConfigError(
    `\`${option}\` needs the training data in memory ({ x, y } tensors), got ${show(value)} with a lazy source; ` +
      `pass validationData (a lazy source too) or give each batch its own \`weights\`.`,
  );
}

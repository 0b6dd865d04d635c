/**
 * Turns `train`'s data and options into what the loop reads: the training and validation batch
 * sources, the loss and the metrics, checked against the model before anything changes.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, DataError, ShapeError } from "../errors.js";
import { checkShapes } from "../models/check-shapes.js";
import { pointOfHead } from "../models/point-of-head.js";
import { Rng } from "../rng.js";
import { show } from "../validate.js";
import { isTrainSource, rowsSlice, type BatchSource, type TrainSource } from "./batch-source.js";
import { LazyBatches, needsInMemory } from "./lazy-batches.js";
import { resolveLoss } from "./loss.js";
import { sampleWeights } from "./sample-weights.js";
import { TensorBatches } from "./tensor-batches.js";
import { accuracyKind, trainMetric, type TrainMetric } from "./train-metric.js";
import type { ResolvedTrainOptions, TrainData } from "./train-options.js";

/** The loop's data side. */
export interface TrainSources {
  train: BatchSource;
  validation: BatchSource | null;
  loss: ReturnType<typeof resolveLoss>;
  metrics: TrainMetric[];
  /** True for lazy training data, whose first batch is checked against the model when it comes. */
  checkFirstBatch: boolean;
}

const asList = (x: tf.Tensor | readonly tf.Tensor[]): tf.Tensor[] => (Array.isArray(x) ? [...x] : [x as tf.Tensor]);

function rowsOf(name: string, d: TrainData): number {
  const xs = asList(d.x);
  if (xs.length === 0) throw new ConfigError(`\`${name}.x\` must be a tensor or a non-empty array of tensors, got [].`);
  if (!(d.y instanceof tf.Tensor)) throw new ConfigError(`\`${name}.y\` must be a tensor, got ${show(d.y)}.`);
  const n = d.y.shape[0] ?? 0;
  xs.forEach((x, i) => {
    if (!(x instanceof tf.Tensor)) throw new ConfigError(`\`${name}.x[${i}]\` must be a tensor, got ${show(x)}.`);
    if (x.shape[0] !== n) {
      throw new ShapeError(`\`${name}.x${xs.length > 1 ? `[${i}]` : ""}\` has ${x.shape[0]} samples but \`${name}.y\` has ${n}.`);
    }
  });
  if (n === 0) throw new DataError(`\`${name}\` has no samples.`);
  return n;
}

/** In-memory training data, with `validationSplit` rows taken from the end (time order kept). */
function tensorSources(data: TrainData, r: ResolvedTrainOptions, seed: number): { train: BatchSource; validation: BatchSource | null } {
  const nAll = rowsOf("data", data);
  const weights = sampleWeights(data.y, nAll, r);
  const shuffle = r.shuffle ? new Rng(seed) : null;
  if (r.validationSplit === 0) {
    return { train: new TensorBatches(asList(data.x), data.y, { batchSize: r.batchSize, shuffle, weights, owned: [] }), validation: null };
  }
  const n = Math.floor(nAll * (1 - r.validationSplit));
  const nVal = nAll - n;
  if (n === 0 || nVal === 0) {
    throw new DataError(`\`validationSplit\` ${r.validationSplit} of ${nAll} samples leaves ${n} for training and ${nVal} for validation.`);
  }
  const xVal = asList(data.x).map((x) => rowsSlice(x, n, nVal));
  const yVal = rowsSlice(data.y, n, nVal);
  const xTrain = asList(data.x).map((x) => rowsSlice(x, 0, n));
  const yTrain = rowsSlice(data.y, 0, n);
  const part = weights ? weights.slice(0, n) : null;
  return {
    train: new TensorBatches(xTrain, yTrain, { batchSize: r.batchSize, shuffle, weights: part, owned: [...xTrain, yTrain] }),
    validation: new TensorBatches(xVal, yVal, { batchSize: r.batchSize, shuffle: null, weights: null, owned: [...xVal, yVal] }),
  };
}

function validationSource(r: ResolvedTrainOptions): BatchSource | null {
  const v = r.validationData;
  if (v === null) return null;
  if (isTrainSource(v)) return new LazyBatches("validationData", v, { sampleWeight: null, classWeight: null });
  rowsOf("validationData", v);
  return new TensorBatches(asList(v.x), v.y, { batchSize: r.batchSize, shuffle: null, weights: null, owned: [] });
}

/** A metric of a probabilistic model reads its point forecast (the median or mean along the head's last axis). */
function onPoint(metric: TrainMetric, model: tf.LayersModel): TrainMetric {
  const head = pointOfHead(model);
  if (head === null) return metric;
  return { ...metric, perSample: (y, p) => metric.perSample(y, tf.gather(p, head.index, p.rank - 1)) };
}

/**
 * The batch sources, loss and metrics of a run; in-memory data is checked against the model here.
 * @example
 * declare const model: tf.LayersModel;
 * declare const x: tf.Tensor;
 * declare const y: tf.Tensor;
 * const s = trainSources(model, { x, y }, resolveTrainOptions({ validationSplit: 0.2 }), 1);
 * s.train.batchesPerEpoch // ceil(0.8 n / 32)
 */
export function trainSources(model: tf.LayersModel, data: TrainData | TrainSource, r: ResolvedTrainOptions, seed: number): TrainSources {
  const compiledLoss = (model as { loss?: unknown }).loss;
  // buildModel compiles a probabilistic head with our own per-sample function (pinball, gaussianNll): use it as it is.
  const loss = resolveLoss(r.loss ?? (typeof compiledLoss === "string" || typeof compiledLoss === "function" ? (compiledLoss as string) : "mse"));
  const labels = loss.name === "sparseCategoricalCrossentropy";
  const lazy = isTrainSource(data);
  if (!lazy) checkShapes(model, data.x, data.y, { xName: "data.x", yName: "data.y", labels });
  const v = r.validationData;
  if (v && !isTrainSource(v)) checkShapes(model, v.x, v.y, { xName: "validationData.x", yName: "validationData.y", labels });
  const outWidth = model.outputs[0]?.shape[model.outputs[0].shape.length - 1] ?? 1;
  let sets: { train: BatchSource; validation: BatchSource | null };
  if (lazy) {
    if (r.validationSplit > 0) throw needsInMemory("validationSplit", r.validationSplit);
    if (r.sampleWeight !== null) throw needsInMemory("sampleWeight", r.sampleWeight);
    sets = { train: new LazyBatches("data", data, r), validation: validationSource(r) };
  } else {
    sets = tensorSources(data, r, seed);
    if (!sets.validation) sets.validation = validationSource(r);
  }
  const metrics = r.metrics.map((m) => onPoint(trainMetric(m, accuracyKind(loss.name, outWidth)), model));
  return { ...sets, loss, metrics, checkFirstBatch: lazy };
}

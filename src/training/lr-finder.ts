/**
 * findLearningRate: fastai's learning-rate range test (`lr_find`, after Leslie Smith). The learning
 * rate grows exponentially from `min` to `max`, one batch per rate; the loss is smoothed as fastai
 * smooths it (exponential moving average with bias correction, β = 0.98) and the sweep stops once
 * the smoothed loss passes 4 times its best. Two suggestions come back: the rate of steepest descent
 * of the smoothed loss against log(lr), and the rate of the lowest loss divided by 10. The sweep
 * trains the model's own variables with a fresh optimizer and writes every weight back afterwards,
 * bit for bit, so the model is as it was (its compiled optimizer is not touched).
 *
 * It is built from train()'s parts: the batch source and loss of trainSources, and a TrainStep.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { freshSeed } from "../models/fresh-seed.js";
import { finiteNumber, positiveInt, positiveNumber, show } from "../validate.js";
import type { TrainSource } from "./batch-source.js";
import { compiledOptimizer } from "./compiled-optimizer.js";
import type { LossFn, LossName } from "./loss.js";
import { Optimizer } from "./optimizer.js";
import { trainSources } from "./train-sources.js";
import { resolveTrainOptions, type TrainData, type TrainOptions } from "./train-options.js";
import { TrainStep } from "./train-step.js";

/** Options of findLearningRate. */
export interface LrFinderOptions {
  /** First learning rate of the sweep. @default 1e-7 */ min?: number;
  /** Last learning rate of the sweep. @default 10 */ max?: number;
  /** Number of rates (one batch each; the data is cycled through as often as needed). @default 100 */ steps?: number;
  /** Samples per batch. @default 32 */ batchSize?: number;
  /** Shuffling and dropout seed; null draws one. @default null */ seed?: number | null;
  /** Stop once the smoothed loss exceeds this many times its best so far (fastai: 4). @default 4 */ divergeFactor?: number;
  /** Weight of the past in the loss's moving average (fastai: 0.98). @default 0.98 */ smoothing?: number;
  /** Optimizer rule; omitted: the model's compiled one, else "adam". @default null */ optimizer?: TrainOptions["optimizer"] | null;
  /** Loss; omitted: the model's compiled loss, as train() picks it. @default null */ loss?: LossName | LossFn | null;
}

const DEFAULTS: Required<LrFinderOptions> = { min: 1e-7, max: 10, steps: 100, batchSize: 32, seed: null, divergeFactor: 4, smoothing: 0.98, optimizer: null, loss: null };

/** The sweep: one entry per batch run, and the suggested rates. */
export interface LrFinderResult {
  /** The learning rate of each batch. */ lr: number[];
  /** The raw batch loss. */ loss: number[];
  /** The bias-corrected moving average of the loss (what fastai plots). */ smoothed: number[];
  /** The suggested rate: `steepest` (fastai's "steep"), or `minimum` where the curve has too few points to take a slope. */
  suggested: number;
  /** Rate where the smoothed loss falls fastest against log(lr), the first tenth and the last 5 points left out (fastai's "steep"). */
  steepest: number | null;
  /** Rate of the lowest smoothed loss, in the same window, divided by 10 (fastai's "minimum"). */ minimum: number;
  /** Why the sweep ended: "max" reached, or "diverged" (loss above divergeFactor × best, or not finite). */
  stoppedBy: "max" | "diverged";
}

/**
 * The two suggestions from a (lr, smoothed loss) curve, both read, as fastai reads them, between the
 * first tenth and the last 5 points (the start is noise the average has not settled on, the end is
 * divergence); a curve too short for that window is read whole.
 * @example suggestRates([1e-4, 1e-3, 1e-2, 1e-1], [1, 0.9, 0.5, 2]) // { steepest: 1e-3, minimum: 1e-3 }
 */
export function suggestRates(lr: readonly number[], smoothed: readonly number[]): { steepest: number | null; minimum: number } {
  let from = Math.floor(lr.length / 10), to = lr.length - 5;
  if (to - from < 2) [from, to] = [0, lr.length];
  let best = from;
  for (let i = from; i < to; i++) if ((smoothed[i] as number) < (smoothed[best] as number)) best = i;
  const minimum = (lr[best] as number) / 10;
  let steepest: number | null = null, slope = Infinity;
  for (let i = from; i + 1 < to; i++) {
    const g = ((smoothed[i + 1] as number) - (smoothed[i] as number)) / (Math.log(lr[i + 1] as number) - Math.log(lr[i] as number));
    if (g < slope) {
      slope = g;
      steepest = lr[i] as number;
    }
  }
  return { steepest, minimum };
}

/**
 * Runs the learning-rate range test on `data` and restores the model afterwards.
 * @example
 * declare const model: tf.LayersModel;
 * declare const w: { train: { x: tf.Tensor; y: tf.Tensor } };
 * const r = await findLearningRate(model, w.train, { min: 1e-6, max: 1, steps: 80, seed: 1 });
 * r.suggested   // e.g. 3.2e-3: pass it to train(model, data, { learningRate: r.suggested })
 * plotLrFinder(r);
 */
export async function findLearningRate(model: tf.LayersModel, data: TrainData | TrainSource, options: LrFinderOptions = {}): Promise<LrFinderResult> {
  const o = { ...DEFAULTS, ...options };
  positiveNumber("min", o.min);
  positiveNumber("max", o.max);
  if (!(o.max > o.min)) throw new ConfigError(`\`max\` must be above \`min\`, got min ${show(o.min)} and max ${show(o.max)}.`);
  const steps = positiveInt("steps", o.steps);
  if (steps < 2) throw new ConfigError(`\`steps\` must be at least 2, got ${steps}.`);
  if (!(finiteNumber("divergeFactor", o.divergeFactor) > 1)) throw new ConfigError(`\`divergeFactor\` must be above 1, got ${o.divergeFactor}.`);
  const beta = finiteNumber("smoothing", o.smoothing);
  if (!(beta >= 0 && beta < 1)) throw new ConfigError(`\`smoothing\` must be in [0, 1), got ${beta}.`);
  const seed = o.seed ?? freshSeed();
  const optimizer = o.optimizer ?? compiledOptimizer(model).optimizer ?? "adam";
  const r = resolveTrainOptions({ batchSize: o.batchSize, seed, loss: o.loss, optimizer, verbose: 0 });
  const sources = trainSources(model, data, r, seed);
  const saved = model.weights.map((w) => tf.clone(w.read()));
  const step = new TrainStep(model, { loss: sources.loss.fn, metrics: [], optimizer: new Optimizer(r.optimizer), freeze: [], layerLr: {}, clipNorm: null, clipValue: null });
  const out: LrFinderResult = { lr: [], loss: [], smoothed: [], suggested: NaN, steepest: null, minimum: NaN, stoppedBy: "max" };
  try {
    let avg = 0, best = Infinity;
    for (let epoch = 0; out.lr.length < steps && out.stoppedBy === "max"; epoch++) {
      let seen = 0;
      for await (const b of sources.train.batches(epoch)) {
        seen++;
        const i = out.lr.length;
        const lr = o.min * (o.max / o.min) ** (i / (steps - 1));
        const res = step.run(b, lr, { seed, epoch, batch: b.index });
        tf.dispose([...b.xs, b.y, ...(b.weights ? [b.weights] : [])]);
        avg = beta * avg + (1 - beta) * res.loss;
        const smooth = avg / (1 - beta ** (i + 1));
        out.lr.push(lr);
        out.loss.push(res.loss);
        out.smoothed.push(smooth);
        if (!Number.isFinite(smooth) || smooth > o.divergeFactor * best) out.stoppedBy = "diverged";
        best = Math.min(best, smooth);
        if (out.lr.length >= steps || out.stoppedBy === "diverged") break;
      }
      if (seen === 0) throw new ConfigError("`data` gave no batches to sweep the learning rate over.");
    }
  } finally {
    model.weights.forEach((w, i) => w.write(saved[i] as tf.Tensor));
    tf.dispose(saved);
    step.dispose();
    sources.train.dispose();
    sources.validation?.dispose();
  }
  const finite = out.smoothed.map((v) => (Number.isFinite(v) ? v : Infinity));
  const s = suggestRates(out.lr, finite);
  return { ...out, ...s, suggested: s.steepest ?? s.minimum };
}

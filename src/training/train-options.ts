/**
 * The options of `train`, defaulted once and validated at the edge with messages that name the
 * option and the value.
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { bool, inRange, nonNegativeNumber, oneOf, positiveInt, positiveNumber, show } from "../validate.js";
import type { Callback } from "./callback.js";
import type { EarlyStoppingOptions } from "./early-stopping.js";
import type { LossFn, LossName } from "./loss.js";
import type { OptimizerName, OptimizerOptions } from "./optimizer.js";
import type { ProgressMode } from "./progress.js";
import { validateSchedule, type ScheduleConfig } from "./schedule.js";
import type { TrainSource } from "./batch-source.js";

/** Where and when `train` saves checkpoints. */
export interface CheckpointOptions {
  /** Folder to write checkpoints into (created if missing). */
  dir: string;
  /** "best": when the monitored value improves (folder `best`); "last": overwrite `last`; "every": keep `epoch-0007`, ... @default "best" */
  save?: "best" | "last" | "every";
  /** For "last" and "every": save every N epochs (and at the final epoch). @default 1 */
  every?: number;
}

/** Options of `train`; every one is optional, with Keras-like defaults. */
export interface TrainOptions {
  /** Epochs to run (after a resume: epochs more). @default 10 */ epochs?: number;
  /** Samples per gradient step (a lazy source brings its own batches). @default 32 */ batchSize?: number;
  /** Shuffle the training samples each epoch (seeded; a lazy source is read in its own order). @default true */ shuffle?: boolean;
  /** Seed for shuffling and the dropout masks; omitted: a fresh one, recorded in `history.seed`. */ seed?: number | null;
  /** Loss name or per-sample function; omitted: the model's compiled loss if it is one we know, else "mse". */
  loss?: LossName | LossFn | null;
  /** Metrics computed on training and validation data each epoch: mse, rmse, mae, mape, accuracy. @default [] */
  metrics?: readonly string[];
  /** Optimizer name or options. @default the model's compiled optimizer (see OPTIMIZERS), else "adam" */
  optimizer?: OptimizerName | OptimizerOptions;
  /** Base learning rate. @default the compiled optimizer's learning rate, else 0.001 */ learningRate?: number;
  /** Learning-rate schedule. @default { kind: "constant" } */ schedule?: ScheduleConfig;
  /** Rescale the gradients so their global L2 norm is at most this. @default null */ clipNorm?: number | null;
  /** Clip each gradient element to [-clipValue, clipValue] (before clipNorm). @default null */ clipValue?: number | null;
  /** Learning-rate multiplier per layer name, e.g. `{ encoder_lstm: 0.1 }`. @default {} */ layerLr?: Readonly<Record<string, number>>;
  /** Layer names to keep fixed in this run (layers with `trainable = false` are always fixed). @default [] */
  freeze?: readonly string[];
  /** Stop when the monitored value stops improving; see EarlyStopping. @default null */
  earlyStopping?: EarlyStoppingOptions | null;
  /** Key for the best epoch (checkpoints, restore); defaults to early stopping's, else val_loss / loss. */
  monitor?: string | null;
  /** After an interrupt or a callback's stop, put back the best epoch's weights. @default true */
  restoreBest?: boolean;
  /** Save checkpoints while training. @default null */ checkpoint?: CheckpointOptions | null;
  /** Resume from a checkpoint folder (weights, optimizer state, history, counters). @default null */
  resumeFrom?: string | null;
  /** Validation inputs and targets, in memory or a lazy source. @default null */ validationData?: TrainData | TrainSource | null;
  /** Fraction of samples taken from the END (time order kept) for validation; in-memory data only. @default 0 */ validationSplit?: number;
  /** One weight per sample (multiplies its loss); in-memory data only (a lazy batch may carry `weights`). @default null */
  sampleWeight?: tf.Tensor | ArrayLike<number> | null;
  /** Weight per class id, e.g. `{ 0: 1, 1: 9 }` for a 1:9 imbalance. @default null */
  classWeight?: Readonly<Record<number, number>> | null;
  /** Extra callbacks (live plots, your own logging). @default [] */ callbacks?: readonly Callback[];
  /** Progress display; overrides `verbose`. @default "auto" */ progress?: ProgressMode | null;
  /** Keras-style: 0 silent, 1 auto (kernel display or bar), 2 one line per epoch. @default 1 */ verbose?: 0 | 1 | 2;
}

/** Inputs and targets in memory; the first dimension is the sample. */
export interface TrainData {
  x: tf.Tensor | readonly tf.Tensor[];
  y: tf.Tensor;
}

/** TrainOptions with every default filled in. */
export type ResolvedTrainOptions = Required<TrainOptions>;

const DEFAULTS: ResolvedTrainOptions = {
  epochs: 10,
  batchSize: 32,
  shuffle: true,
  seed: null,
  loss: null,
  metrics: [],
  optimizer: "adam",
  learningRate: 0.001,
  schedule: { kind: "constant" },
  clipNorm: null,
  clipValue: null,
  layerLr: {},
  freeze: [],
  earlyStopping: null,
  monitor: null,
  restoreBest: true,
  checkpoint: null,
  resumeFrom: null,
  validationData: null,
  validationSplit: 0,
  sampleWeight: null,
  classWeight: null,
  callbacks: [],
  progress: null,
  verbose: 1,
};

/** Fills in the defaults of `train`'s options (undefined counts as not given) and checks every value. */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const r: ResolvedTrainOptions = { ...DEFAULTS };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  positiveInt("epochs", r.epochs);
  positiveInt("batchSize", r.batchSize);
  bool("shuffle", r.shuffle);
  if (r.seed !== null && !Number.isInteger(r.seed)) throw new ConfigError(`\`seed\` must be an integer, got ${show(r.seed)}.`);
  positiveNumber("learningRate", r.learningRate);
  validateSchedule(r.schedule);
  if (r.clipNorm !== null) positiveNumber("clipNorm", r.clipNorm);
  if (r.clipValue !== null) positiveNumber("clipValue", r.clipValue);
  for (const [k, v] of Object.entries(r.layerLr)) nonNegativeNumber(`layerLr.${k}`, v);
  inRange("validationSplit", r.validationSplit, 0, 1, { highOpen: true });
  if (r.validationSplit > 0 && r.validationData) {
    throw new ConfigError("Pass either `validationData` or `validationSplit`, not both.");
  }
  bool("restoreBest", r.restoreBest);
  if (r.progress !== null) oneOf("progress", r.progress, ["auto", "bar", "lines", "silent"]);
  oneOf("verbose", String(r.verbose), ["0", "1", "2"]);
  if (r.checkpoint) {
    if (typeof r.checkpoint.dir !== "string" || r.checkpoint.dir === "") {
      throw new ConfigError(`\`checkpoint.dir\` must be a folder path, got ${show(r.checkpoint.dir)}.`);
    }
    oneOf("checkpoint.save", r.checkpoint.save ?? "best", ["best", "last", "every"]);
    positiveInt("checkpoint.every", r.checkpoint.every ?? 1);
  }
  return r;
}

/**
 * The training loop: our own, not model.fit, so that shuffling is seeded, the learning rate
 * follows a schedule exactly, gradients can be clipped and are measured per layer, layers can be
 * frozen or get their own learning rate, the best epoch's weights come back, checkpoints resume
 * the same curve, NaN stops with a clear error, and a kernel interrupt returns the History so far.
 * Data can be tensors in memory or a lazy source (a `windowDataset(...)`, a `tf.data.Dataset` of
 * `{xs, ys}`, an async iterable of batches) that is never held whole.
 *
 * `train` only builds the parts and hands them to a Trainer (trainer.ts): the batch source
 * (tensor-batches.ts, lazy-batches.ts), the train step (train-step.ts), the evaluation pass
 * (evaluate-pass.ts), the learning rate (learning-rate.ts) and the callbacks (HistoryRecorder,
 * EarlyStopping or BestWeights, yours, Progress, ModelCheckpoint).
 *
 * Reproducibility: with the same `seed`, on the same backend, two runs of the same model (with
 * seeded initializers) give bit-identical histories. Shuffling uses `Rng` (one forked stream per
 * epoch, so a resumed run shuffles exactly like a straight one). Dropout is keyed the same way: each
 * batch's forward pass runs under the dropout key (seed, epoch, batch) (models/dropout-key.ts), and
 * every dropout in lstm-lab (fused input and recurrent dropout, KeyedDropout, the layers buildModel and
 * buildBaseline add) draws a fresh mask from (seed, epoch, batch, layer). So masks differ from batch to
 * batch, repeat for the same seed, and a run resumed from a checkpoint at any epoch draws the masks the
 * uninterrupted run drew: it equals that run bit for bit. A stock tf.layers.dropout you add yourself
 * still draws from TensorFlow.js' generator (with a `seed`, the same mask every batch); use
 * KeyedDropout instead. A lazy source is read in its own order (windowDataset shuffles by its own seed).
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { freshSeed } from "../models/fresh-seed.js";
import type { TrainSource } from "./batch-source.js";
import { BestWeights } from "./best-weights.js";
import type { Callback, Watch } from "./callback.js";
import { CallbackList } from "./callback-list.js";
import { loadCheckpoint, writeModelWeights, type CheckpointData } from "./checkpoint.js";
import { compiledOptimizer } from "./compiled-optimizer.js";
import { EarlyStopping } from "./early-stopping.js";
import { emptyHistory, type History } from "./history.js";
import { HistoryRecorder } from "./history-recorder.js";
import { LearningRate } from "./learning-rate.js";
import { ModelCheckpoint } from "./model-checkpoint.js";
import { Optimizer, OPTIMIZERS } from "./optimizer.js";
import { Progress, type ProgressMode } from "./progress.js";
import { autoMode } from "./reduce-on-plateau.js";
import { trainSources, type TrainSources } from "./train-sources.js";
import { resolveTrainOptions, type ResolvedTrainOptions, type TrainData, type TrainOptions } from "./train-options.js";
import { TrainStep } from "./train-step.js";
import { Trainer, type LoopState } from "./trainer.js";

export type { TrainData, TrainOptions, CheckpointOptions } from "./train-options.js";

/** The keys an epoch logs, and the checker that names a missing one. */
function loggedKeys(data: TrainSources, metricNames: readonly string[]) {
  const keys = ["loss", ...metricNames];
  const hasVal = data.validation !== null;
  const all = [...keys, ...(hasVal ? keys.map((k) => `val_${k}`) : []), "lr"];
  const need = (what: string, key: string) => {
    if (all.includes(key)) return;
    const hint = key.startsWith("val_") && !hasVal ? " It needs validation data: pass validationData or validationSplit." : "";
    throw new ConfigError(`\`${what}\` is ${JSON.stringify(key)}, which training does not log.${hint} Logged keys: ${all.join(", ")}.`);
  };
  return { all, need, fallback: hasVal ? "val_loss" : "loss" };
}

/** What the run watches for its best epoch: the first callback that watches one (EarlyStopping), else `monitor`. */
function watchOf(r: ResolvedTrainOptions, user: readonly Callback[], fallback: string): { watch: Watch; owner: boolean } {
  const owner = user.find((c) => c.watch !== undefined)?.watch;
  if (owner) return { watch: owner, owner: true };
  const monitor = r.monitor ?? fallback;
  return { watch: { monitor, mode: autoMode(monitor, "auto"), minDelta: 0, startEpoch: 0 }, owner: false };
}

/** The callback list: History first, then yours and early stopping, best-weight restore, progress, checkpoints last. */
function callbackList(r: ResolvedTrainOptions, recorder: HistoryRecorder, user: readonly Callback[], w: { watch: Watch; owner: boolean }, trainer: () => Trainer): CallbackList {
  const list: Callback[] = [recorder, ...user];
  if (!w.owner && r.restoreBest) list.push(new BestWeights(w.watch));
  const mode: ProgressMode = r.progress ?? (r.verbose === 0 ? "silent" : r.verbose === 2 ? "lines" : "auto");
  if (mode !== "silent") list.push(new Progress({ mode }));
  if (r.checkpoint) list.push(new ModelCheckpoint(r.checkpoint, w.watch, (epoch) => trainer().checkpoint(epoch)));
  return new CallbackList(list);
}

/** The state of the checkpoint to resume from, in the current layout (older checkpoints kept `best` and `earlyStopping` apart). */
function loopState(ck: CheckpointData): Partial<LoopState> {
  const st = ck.state as Partial<LoopState> & { best?: unknown; earlyStopping?: unknown };
  const callbacks = st.callbacks ?? { best: st.best, checkpoint: st.best, earlyStopping: st.earlyStopping };
  return { ...st, callbacks };
}

/** The options with the compiled optimizer and learning rate where the caller named none (as Keras' fit). */
function withCompiled(model: tf.LayersModel, options: TrainOptions): TrainOptions {
  const compiled = compiledOptimizer(model);
  if (compiled.unsupported !== null && options.optimizer === undefined) {
    throw new ConfigError(
      `The model is compiled with the optimizer ${compiled.unsupported}, which train() cannot run; pass \`optimizer\` ` +
        `(one of: ${OPTIMIZERS.join(", ")}) or compile with one of those.`,
    );
  }
  return { ...options, optimizer: options.optimizer ?? compiled.optimizer ?? undefined, learningRate: options.learningRate ?? compiled.learningRate ?? undefined };
}

/**
 * Trains `model` on `data` (tensors, or a lazy source of batches) and returns the History (also when interrupted).
 * @example
 * declare const model: tf.LayersModel;
 * declare const x: tf.Tensor;
 * declare const y: tf.Tensor;
 * declare const table: ReturnType<typeof dataset>;
 * declare const features: string[];
 * declare const targets: string[];
 * const h = await train(model, { x, y }, {
 *   epochs: 50, batchSize: 64, seed: 1, optimizer: "adamw", learningRate: 3e-3,
 *   schedule: { kind: "cosine", periodEpochs: 50, warmupEpochs: 3 }, clipNorm: 1,
 *   validationSplit: 0.2, earlyStopping: { patience: 5 }, metrics: ["mae"],
 * });
 * // streaming: windows cut batch by batch, never all in memory
 * await train(model, windowDataset(table, { features, targets, lookback: 168, batchSize: 64 }), { epochs: 3 });
 */
export async function train(model: tf.LayersModel, data: TrainData | TrainSource, options: TrainOptions = {}): Promise<History> {
  const r = resolveTrainOptions(withCompiled(model, options));
  const ck = r.resumeFrom !== null ? loadCheckpoint(r.resumeFrom) : null;
  const resumed = ck ? loopState(ck) : null;
  const seed = r.seed ?? resumed?.seed ?? freshSeed();
  const sources = trainSources(model, data, r, seed);
  let trainer: Trainer;
  try {
    trainer = buildTrainer(model, r, sources, ck, seed);
  } catch (e) {
    sources.train.dispose();
    sources.validation?.dispose();
    throw e;
  }
  try {
    return await trainer.fit();
  } finally {
    trainer.dispose();
  }
}

/** The Trainer of a run: its step, learning rate and callbacks, with a checkpoint's states put back. */
function buildTrainer(model: tf.LayersModel, r: ResolvedTrainOptions, sources: TrainSources, ck: CheckpointData | null, seed: number): Trainer {
  const keys = loggedKeys(sources, sources.metrics.map((m) => m.name));
  const step = new TrainStep(model, { ...r, loss: sources.loss.fn, metrics: sources.metrics, optimizer: new Optimizer(r.optimizer) });
  const user = [...r.callbacks, ...(r.earlyStopping ? [new EarlyStopping(r.earlyStopping)] : [])];
  const w = watchOf(r, user, keys.fallback);
  keys.need(w.owner ? "earlyStopping.monitor" : "monitor", w.watch.monitor);
  const lr = new LearningRate(r.schedule, r.learningRate, keys.fallback);
  if (lr.plateau) keys.need("schedule.monitor", lr.plateau.monitor);
  if (lr.perBatch && sources.train.batchesPerEpoch === 0) {
    throw new ConfigError('`schedule.per` "batch" needs the number of batches per epoch, which this lazy source does not tell; use per "epoch" or a tf.data.Dataset with a known size.');
  }
  if (ck) {
    writeModelWeights(model, ck.weights);
    step.setState(ck.optimizer);
  }
  const history = resumedHistory(ck);
  history.seed = seed;
  history.monitor = w.watch.monitor;
  const recorder = new HistoryRecorder(history, keys.all.filter((k) => k !== "lr"));
  let trainer: Trainer | null = null;
  const callbacks = callbackList(r, recorder, user, w, () => trainer as Trainer);
  const initialEpoch = ck ? ck.epoch + 1 : 0;
  trainer = new Trainer(model, { ...sources, loss: sources.loss.fn, step, lr, callbacks, history, seed, epochs: r.epochs, initialEpoch, source: sources.train });
  if (ck) {
    const st = loopState(ck);
    trainer.resumeWith({ seed, plateau: st.plateau ?? null, callbacks: st.callbacks ?? {} });
  }
  return trainer;
}

function resumedHistory(ck: CheckpointData | null): History {
  if (!ck) return emptyHistory();
  const h = structuredClone(ck.history);
  h.stopReason = null;
  h.interrupted = false;
  return h;
}

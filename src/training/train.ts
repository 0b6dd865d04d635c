/**
 * The training loop: our own, not model.fit, so that shuffling is seeded, the learning rate
 * follows a schedule exactly, gradients can be clipped and are measured per layer, layers can be
 * frozen or get their own learning rate, the best epoch's weights come back, checkpoints resume
 * the same curve, NaN stops with a clear error, and a kernel interrupt returns the History so far.
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
 * KeyedDropout instead.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, DataError, NumericError, ShapeError } from "../errors.js";
import { checkShapes } from "../models/check-shapes.js";
import { interruptRequested } from "../host.js";
import { Rng } from "../rng.js";
import { withDropoutKey } from "../models/dropout-key.js";
import { bool, inRange, nonNegativeNumber, oneOf, positiveInt, positiveNumber, show } from "../validate.js";
import type { Callback, Logs, TrainContext } from "./callback.js";
import { loadCheckpoint, readModelWeights, saveCheckpoint, writeModelWeights } from "./checkpoint.js";
import { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from "./early-stopping.js";
import { emptyHistory, type History } from "./history.js";
import { resolveLoss, type LossFn, type LossName } from "./loss.js";
import { compiledOptimizer } from "./compiled-optimizer.js";
import { Optimizer, type OptimizerName, type OptimizerOptions } from "./optimizer.js";
import { Progress, type ProgressMode } from "./progress.js";
import { autoMode, ReduceOnPlateau, type ReduceOnPlateauState } from "./reduce-on-plateau.js";
import { schedule as scheduledLr, validateSchedule, type ScheduleConfig } from "./schedule.js";
import { accuracyKind, trainMetric, type TrainMetric } from "./train-metric.js";

/** Inputs and targets; the first dimension is the sample. */
export interface TrainData {
  x: tf.Tensor | readonly tf.Tensor[];
  y: tf.Tensor;
}

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
  /** Samples per gradient step. @default 32 */ batchSize?: number;
  /** Shuffle the training samples each epoch (seeded). @default true */ shuffle?: boolean;
  /** Seed for shuffling and the dropout masks; omitted: a fresh one, recorded in `history.seed`. */ seed?: number | null;
  /** Loss name or per-sample function; omitted: the model's compiled loss if it is one we know, else "mse". */
  loss?: LossName | LossFn | null;
  /** Metrics computed on training and validation data each epoch: mse, rmse, mae, mape, accuracy. @default [] */
  metrics?: readonly string[];
  /** Optimizer name or options. @default the model's compiled optimizer (adam, rmsprop, sgd, momentum), else "adam" */
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
  /** Validation inputs and targets. @default null */ validationData?: TrainData | null;
  /** Fraction of samples taken from the END (time order kept) for validation. @default 0 */ validationSplit?: number;
  /** One weight per sample (multiplies its loss). @default null */ sampleWeight?: tf.Tensor | ArrayLike<number> | null;
  /** Weight per class id, e.g. `{ 0: 1, 1: 9 }` for a 1:9 imbalance. @default null */
  classWeight?: Readonly<Record<number, number>> | null;
  /** Extra callbacks (live plots, your own logging). @default [] */ callbacks?: readonly Callback[];
  /** Progress display; overrides `verbose`. @default "auto" */ progress?: ProgressMode | null;
  /** Keras-style: 0 silent, 1 auto (kernel display or bar), 2 one line per epoch. @default 1 */ verbose?: 0 | 1 | 2;
}

type Resolved = Required<TrainOptions>;

const DEFAULTS: Resolved = {
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

function resolve(o: TrainOptions): Resolved {
  const r: Resolved = { ...DEFAULTS };
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

interface Group {
  layer: string;
  vars: tf.Variable[];
  multiplier: number;
}

function trainableGroups(model: tf.LayersModel, r: Resolved): Group[] {
  const names = model.layers.map((l) => l.name);
  const check = (opt: string, name: string) => {
    if (!names.includes(name)) {
      throw new ConfigError(`\`${opt}\` names layer ${JSON.stringify(name)}, which the model does not have. Layers: ${names.join(", ")}.`);
    }
  };
  r.freeze.forEach((n) => check("freeze", n));
  Object.keys(r.layerLr).forEach((n) => check("layerLr", n));
  const groups: Group[] = [];
  for (const layer of model.layers) {
    if (r.freeze.includes(layer.name) || !layer.trainable) continue;
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    if (vars.length === 0) continue;
    groups.push({ layer: layer.name, vars, multiplier: r.layerLr[layer.name] ?? 1 });
  }
  if (groups.length === 0) throw new ConfigError("Nothing to train: every layer is frozen or has no trainable weights.");
  return groups;
}

/** Sample weights for all rows (sampleWeight × classWeight), or null when neither is given. */
function sampleWeights(y: tf.Tensor, n: number, r: Resolved): Float32Array | null {
  if (r.sampleWeight === null && r.classWeight === null) return null;
  const w = new Float32Array(n).fill(1);
  if (r.sampleWeight !== null) {
    const given = r.sampleWeight instanceof tf.Tensor ? r.sampleWeight.dataSync() : r.sampleWeight;
    if (given.length !== n) throw new ShapeError(`\`sampleWeight\` has ${given.length} values but there are ${n} samples.`);
    for (let i = 0; i < n; i++) {
      const v = given[i] as number;
      if (!Number.isFinite(v) || v < 0) throw new ConfigError(`\`sampleWeight[${i}]\` must be a non-negative number, got ${v}.`);
      w[i] = v;
    }
  }
  if (r.classWeight !== null) {
    const width = y.rank >= 2 ? (y.shape[y.rank - 1] as number) : 1;
    const labels = tf.tidy(() => (width > 1 ? tf.argMax(y, -1) : y.reshape([n]).round()).dataSync());
    for (let i = 0; i < n; i++) {
      const cls = labels[i] as number;
      const cw = r.classWeight[cls];
      if (cw === undefined) {
        throw new ConfigError(`\`classWeight\` has no weight for class ${cls} (sample ${i}); give one for every class.`);
      }
      nonNegativeNumber(`classWeight[${cls}]`, cw);
      w[i] = (w[i] as number) * cw;
    }
  }
  return w;
}

function rowsSlice(t: tf.Tensor, start: number, size: number): tf.Tensor {
  return tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1).map(() => -1)]);
}

/** The best epoch so far by the monitored key, with a copy of its weights. */
class BestWeights {
  value: number | null = null;
  epoch: number | null = null;
  weights: tf.Tensor[] | null = null;
  constructor(readonly monitor: string, readonly mode: "min" | "max", readonly minDelta: number, readonly startEpoch: number) {}
  update(model: tf.LayersModel, epoch: number, logs: Logs): boolean {
    const v = logs[this.monitor];
    if (v === undefined || epoch < this.startEpoch || Number.isNaN(v)) return false;
    const better = this.value === null || (this.mode === "min" ? v < this.value - this.minDelta : v > this.value + this.minDelta);
    if (!better) return false;
    this.value = v;
    this.epoch = epoch;
    if (this.weights) tf.dispose(this.weights);
    this.weights = model.weights.map((w) => tf.clone(w.read()));
    return true;
  }
  dispose(): void {
    if (this.weights) tf.dispose(this.weights);
    this.weights = null;
  }
}

function snapshot(model: tf.LayersModel): tf.Tensor[] {
  return model.weights.map((w) => tf.clone(w.read()));
}

const tick = () => new Promise<void>((resolveTick) => setImmediate(resolveTick));

/**
 * Trains `model` on `data` and returns the History (also when interrupted).
 * @example
 * const h = await train(model, { x, y }, {
 *   epochs: 50, batchSize: 64, seed: 1, optimizer: "adamw", learningRate: 3e-3,
 *   schedule: { kind: "cosine", periodEpochs: 50, warmupEpochs: 3 }, clipNorm: 1,
 *   validationSplit: 0.2, earlyStopping: { patience: 5 }, metrics: ["mae"],
 * });
 */
export async function train(model: tf.LayersModel, data: TrainData, options: TrainOptions = {}): Promise<History> {
  const compiled = compiledOptimizer(model);
  const r = resolve({
    ...options,
    optimizer: options.optimizer ?? compiled.optimizer ?? undefined,
    learningRate: options.learningRate ?? compiled.learningRate ?? undefined,
  });
  const compiledLoss = (model as { loss?: unknown }).loss;
  const loss = resolveLoss(r.loss ?? (typeof compiledLoss === "string" ? compiledLoss : "mse"));
  const labels = loss.name === "sparseCategoricalCrossentropy";
  checkShapes(model, data.x, data.y, { xName: "data.x", yName: "data.y", labels });
  if (r.validationData) checkShapes(model, r.validationData.x, r.validationData.y, { xName: "validationData.x", yName: "validationData.y", labels });
  const nAll = rowsOf("data", data);
  const owned: tf.Tensor[] = [];

  // Split off validation rows from the end, time order kept.
  let xTrain = asList(data.x);
  let yTrain = data.y;
  let xVal: tf.Tensor[] | null = null;
  let yVal: tf.Tensor | null = null;
  let n = nAll;
  let weightsAll = sampleWeights(data.y, nAll, r);
  if (r.validationSplit > 0) {
    n = Math.floor(nAll * (1 - r.validationSplit));
    const nVal = nAll - n;
    if (n === 0 || nVal === 0) {
      throw new DataError(`\`validationSplit\` ${r.validationSplit} of ${nAll} samples leaves ${n} for training and ${nVal} for validation.`);
    }
    xVal = xTrain.map((x) => rowsSlice(x, n, nVal));
    yVal = rowsSlice(yTrain, n, nVal);
    xTrain = xTrain.map((x) => rowsSlice(x, 0, n));
    yTrain = rowsSlice(yTrain, 0, n);
    owned.push(...xVal, yVal, ...xTrain, yTrain);
    if (weightsAll) weightsAll = weightsAll.slice(0, n);
  } else if (r.validationData) {
    rowsOf("validationData", r.validationData);
    xVal = asList(r.validationData.x);
    yVal = r.validationData.y;
  }
  const hasVal = xVal !== null;

  const groups = trainableGroups(model, r);
  const vars = groups.flatMap((g) => g.vars);
  const varGroup = groups.flatMap((g, gi) => g.vars.map(() => gi));
  const outWidth = model.outputs[0]?.shape[model.outputs[0].shape.length - 1] ?? 1;
  const metrics: TrainMetric[] = r.metrics.map((m) => trainMetric(m, accuracyKind(loss.name, outWidth)));

  const callbacks: Callback[] = [...r.callbacks];
  if (r.earlyStopping) callbacks.push(new EarlyStopping(r.earlyStopping));
  const es = callbacks.find((c): c is EarlyStopping => c instanceof EarlyStopping) ?? null;
  const keys = ["loss", ...metrics.map((m) => m.name)];
  const allKeys = [...keys, ...(hasVal ? keys.map((k) => `val_${k}`) : []), "lr"];
  const monitor = es?.options.monitor ?? r.monitor ?? (hasVal ? "val_loss" : "loss");
  const needKey = (what: string, key: string) => {
    if (!allKeys.includes(key)) {
      const hint = key.startsWith("val_") && !hasVal ? " It needs validation data: pass validationData or validationSplit." : "";
      throw new ConfigError(`\`${what}\` is ${JSON.stringify(key)}, which training does not log.${hint} Logged keys: ${allKeys.join(", ")}.`);
    }
  };
  needKey(es ? "earlyStopping.monitor" : "monitor", monitor);
  const best = new BestWeights(monitor, es ? es.mode : autoMode(monitor, "auto"), es?.options.minDelta ?? 0, es?.options.startEpoch ?? 0);
  const plateau =
    r.schedule.kind === "reduceOnPlateau" ? new ReduceOnPlateau(r.schedule, r.schedule.monitor ?? (hasVal ? "val_loss" : "loss")) : null;
  if (plateau) needKey("schedule.monitor", plateau.monitor);

  const progressMode: ProgressMode = r.progress ?? (r.verbose === 0 ? "silent" : r.verbose === 2 ? "lines" : "auto");
  if (progressMode !== "silent") callbacks.push(new Progress({ mode: progressMode }));

  const optimizer = new Optimizer(r.optimizer);
  let history: History = emptyHistory();
  let initialEpoch = 0;
  let seed = r.seed;
  let esState: EarlyStoppingState | null = null;
  if (r.resumeFrom !== null) {
    const ck = loadCheckpoint(r.resumeFrom);
    writeModelWeights(model, ck.weights);
    optimizer.setState(ck.optimizer);
    history = structuredClone(ck.history);
    history.stopReason = null;
    history.interrupted = false;
    initialEpoch = ck.epoch + 1;
    const st = ck.state as {
      seed?: number;
      plateau?: ReduceOnPlateauState;
      earlyStopping?: EarlyStoppingState;
      best?: { value: number | null; epoch: number | null };
    };
    seed ??= st.seed ?? null;
    if (plateau && st.plateau) plateau.state = { ...st.plateau };
    esState = st.earlyStopping ?? null;
    if (st.best) {
      best.value = st.best.value;
      best.epoch = st.best.epoch;
    }
  }
  if (seed === null) seed = (Date.now() ^ (process.pid << 8)) & 0x7fffffff;
  history.seed = seed;
  history.monitor = monitor;
  // Every logged key has its array from the start: an interrupt in epoch 0 leaves `loss: []`, not no `loss`.
  for (const k of allKeys) if (k !== "lr") history.metrics[k] ??= [];
  const rng = new Rng(seed);

  const batches = Math.ceil(n / r.batchSize);
  let stopReason: string | null = null;
  const ctx: TrainContext = {
    model,
    history,
    epochs: r.epochs,
    initialEpoch,
    batchesPerEpoch: batches,
    stop(reason: string) {
      stopReason ??= reason;
    },
    get stopRequested() {
      return stopReason !== null;
    },
  };

  const weightTensor = weightsAll ? tf.tensor1d(weightsAll) : null;
  if (weightTensor) owned.push(weightTensor);
  let lastGood = snapshot(model);
  let interrupted = false;
  let interruptNote = "";

  const lrAt = (t: number) => {
    const s = scheduledLr(r.schedule, r.learningRate, t);
    return plateau ? plateau.lr(s) : s;
  };

  const evaluateSet = (xs: tf.Tensor[], y: tf.Tensor): Logs => {
    const rows = y.shape[0] as number;
    const sums = new Float64Array(1 + metrics.length);
    for (let start = 0; start < rows; start += r.batchSize) {
      const size = Math.min(r.batchSize, rows - start);
      const s = tf.tidy(() => {
        const xb = xs.map((x) => rowsSlice(x, start, size));
        const yb = rowsSlice(y, start, size);
        const p = model.apply(xb.length === 1 ? (xb[0] as tf.Tensor) : xb, { training: false }) as tf.Tensor;
        return tf.stack([tf.sum(loss.fn(yb, p)), ...metrics.map((m) => tf.sum(m.perSample(yb, p)))]).dataSync();
      });
      for (let i = 0; i < sums.length; i++) sums[i] = (sums[i] as number) + (s[i] as number);
    }
    const reg = tf.tidy(() => {
      const ls = model.calculateLosses();
      return ls.length ? (tf.addN(ls).dataSync()[0] as number) : 0;
    });
    const out: Logs = { loss: (sums[0] as number) / rows + reg };
    metrics.forEach((m, i) => (out[m.name] = m.finish((sums[i + 1] as number) / rows)));
    return out;
  };

  const saveCk = (epoch: number, name: string) => {
    if (!r.checkpoint) return;
    saveCheckpoint(r.checkpoint.dir, name, {
      epoch,
      weights: readModelWeights(model),
      optimizer: optimizer.getState(),
      history,
      state: {
        seed,
        plateau: plateau?.state ?? null,
        earlyStopping: es?.state ?? null,
        best: { value: best.value, epoch: best.epoch },
        batchSize: r.batchSize,
      },
    });
  };

  try {
    for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
    if (es && esState) es.state = { ...esState };
    const lastEpoch = initialEpoch + r.epochs - 1;
    for (let epoch = initialEpoch; epoch <= lastEpoch && stopReason === null && !interrupted; epoch++) {
      const t0 = Date.now();
      const epochLr = lrAt(epoch);
      for (const cb of callbacks) await cb.onEpochBegin?.(ctx, epoch);
      const order = r.shuffle ? rng.fork(`shuffle:${epoch}`).permutation(n) : null;
      let lossSum = 0;
      const metricSums = new Float64Array(metrics.length);
      let normSum = 0;
      const layerNormSums = new Float64Array(groups.length);
      let done = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * r.batchSize;
        const size = Math.min(r.batchSize, n - start);
        const lr = r.schedule.per === "batch" ? lrAt(epoch + b / batches) : epochLr;
        const idx = order ? tf.tensor1d(order.subarray(start, start + size), "int32") : null;
        const xb = xTrain.map((x) => (idx ? tf.gather(x, idx) : rowsSlice(x, start, size)));
        const yb = idx ? tf.gather(yTrain, idx) : rowsSlice(yTrain, start, size);
        const wb = weightTensor ? (idx ? tf.gather(weightTensor, idx) : rowsSlice(weightTensor, start, size)) : null;
        let pred: tf.Tensor | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const input = xb.length === 1 ? (xb[0] as tf.Tensor) : xb;
          const p = withDropoutKey(model, { seed, epoch, batch: b }, () => model.apply(input, { training: true }) as tf.Tensor);
          pred = tf.keep(p);
          const per = loss.fn(yb, p);
          let l: tf.Tensor = wb ? tf.mean(tf.mul(per, wb)) : tf.mean(per);
          for (const reg of model.calculateLosses()) l = tf.add(l, reg);
          return l as tf.Scalar;
        }, vars);
        const gradList = vars.map((v) => grads[v.name] as tf.Tensor);
        const stats = tf.tidy(() => {
          const sq = gradList.map((g) => tf.sum(tf.square(g)));
          const perLayer = groups.map((_, gi) => tf.addN(sq.filter((_, i) => varGroup[i] === gi)));
          const p = pred as unknown as tf.Tensor;
          return tf.stack([value, ...perLayer, ...metrics.map((m) => tf.sum(m.perSample(yb, p)))]).dataSync();
        });
        tf.dispose([...xb, yb, value]);
        for (const t of [wb, idx, pred as tf.Tensor | null]) t?.dispose();
        const batchLoss = stats[0] as number;
        let normSq = 0;
        for (let gi = 0; gi < groups.length; gi++) normSq += stats[1 + gi] as number;
        const norm = Math.sqrt(normSq);
        if (!Number.isFinite(batchLoss) || !Number.isFinite(norm)) {
          tf.dispose(gradList);
          model.setWeights(lastGood);
          const what = !Number.isFinite(batchLoss) ? `loss became ${batchLoss}` : `gradient norm became ${norm}`;
          throw new NumericError(
            `Training stopped: ${what} at epoch ${epoch}, batch ${b} (learning rate ${lr}). ` +
              `Try gradient clipping (clipNorm: 1) or a lower learningRate, and check the data for NaN or extreme values. ` +
              `The model keeps the weights from ${epoch > initialEpoch ? `the end of epoch ${epoch - 1}` : "before this run"}.`,
          );
        }
        tf.tidy(() => {
          let g: tf.Tensor[] = gradList;
          if (r.clipValue !== null) {
            const cv = r.clipValue;
            g = g.map((t) => tf.clipByValue(t, -cv, cv));
          }
          if (r.clipNorm !== null) {
            if (r.clipValue === null) {
              if (norm > r.clipNorm) g = g.map((t) => tf.mul(t, r.clipNorm! / norm));
            } else {
              const cn = r.clipNorm;
              const nrm = tf.sqrt(tf.addN(g.map((t) => tf.sum(tf.square(t)))));
              const scale = tf.minimum(1, tf.div(cn, tf.maximum(nrm, 1e-12)));
              g = g.map((t) => tf.mul(t, scale));
            }
          }
          optimizer.apply(vars, g, varGroup.map((gi) => lr * (groups[gi] as Group).multiplier));
        });
        tf.dispose(gradList);
        lossSum += batchLoss * size;
        metrics.forEach((_, i) => (metricSums[i] = (metricSums[i] as number) + (stats[1 + groups.length + i] as number)));
        normSum += norm;
        for (let gi = 0; gi < groups.length; gi++) layerNormSums[gi] = (layerNormSums[gi] as number) + Math.sqrt(stats[1 + gi] as number);
        done++;
        for (const cb of callbacks) await cb.onBatchEnd?.(ctx, b, { loss: batchLoss, lr, size });
        await tick();
        if (interruptRequested()) {
          interrupted = true;
          if (b < batches - 1) interruptNote = `interrupted during epoch ${epoch} after batch ${b + 1} of ${batches}`;
          break;
        }
        if (stopReason !== null && b < batches - 1) break;
      }
      if (done < batches) break; // a partial epoch is not recorded
      const seen = Math.min(n, done * r.batchSize);
      const logs: Logs = { loss: lossSum / seen };
      metrics.forEach((m, i) => (logs[m.name] = m.finish((metricSums[i] as number) / seen)));
      if (xVal && yVal) {
        const v = evaluateSet(xVal, yVal);
        for (const [k, val] of Object.entries(v)) logs[`val_${k}`] = val;
      }
      logs["lr"] = epochLr;
      history.epoch.push(epoch);
      for (const k of allKeys) {
        if (k === "lr") continue;
        (history.metrics[k] ??= []).push(logs[k] as number);
      }
      history.lr.push(epochLr);
      history.seconds.push((Date.now() - t0) / 1000);
      history.gradNorm.push(normSum / done);
      groups.forEach((g, gi) => (history.layerGradNorms[g.layer] ??= []).push((layerNormSums[gi] as number) / done));
      if (plateau) plateau.update(logs[plateau.monitor] as number);
      const improved = best.update(model, epoch, logs);
      for (const cb of callbacks) await cb.onEpochEnd?.(ctx, epoch, logs);
      tf.dispose(lastGood);
      lastGood = snapshot(model);
      if (r.checkpoint) {
        const save = r.checkpoint.save ?? "best";
        const every = r.checkpoint.every ?? 1;
        const due = (epoch - initialEpoch + 1) % every === 0 || epoch === lastEpoch || stopReason !== null || interrupted;
        if (save === "best" && improved) saveCk(epoch, "best");
        else if (save === "last" && due) saveCk(epoch, "last");
        else if (save === "every" && due) saveCk(epoch, `epoch-${String(epoch).padStart(4, "0")}`);
      }
    }

    const last = history.epoch.length ? (history.epoch[history.epoch.length - 1] as number) : null;
    const endedEarly = interrupted || stopReason !== null;
    const restore = es ? es.options.restoreBest : endedEarly && r.restoreBest;
    if (restore && best.weights) {
      model.setWeights(best.weights);
      history.bestEpoch = best.epoch;
    } else {
      history.bestEpoch = interruptNote ? null : last;
    }
    history.interrupted = interrupted;
    history.stopReason = interrupted ? interruptNote || "interrupted" : stopReason;
    for (const cb of callbacks) await cb.onTrainEnd?.(ctx);
    return history;
  } finally {
    tf.dispose(lastGood);
    best.dispose();
    optimizer.dispose();
    tf.dispose(owned);
  }
}

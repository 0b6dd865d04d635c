/**
 * The loop of `train`, composed of its parts: a batch source (the epoch/batch iterator), a train
 * step, an evaluation pass, the learning rate, and a callback list that owns the rest (History,
 * best-weight restore, early stopping, checkpoints, progress). A checkpoint is the sum of the parts'
 * states; a resume hands each part its own back.
 */
import * as tf from "@tensorflow/tfjs";
import { NumericError } from "../errors.js";
import { checkShapes } from "../models/check-shapes.js";
import { interruptRequested } from "../host.js";
import type { BatchSource, StepBatch } from "./batch-source.js";
import type { EpochGradNorms, Logs, TrainContext } from "./callback.js";
import type { CallbackList } from "./callback-list.js";
import { readModelWeights, type CheckpointData } from "./checkpoint.js";
import { evaluatePass } from "./evaluate-pass.js";
import type { History } from "./history.js";
import type { LearningRate } from "./learning-rate.js";
import type { ReduceOnPlateauState } from "./reduce-on-plateau.js";
import type { StepResult, TrainStep } from "./train-step.js";
import type { TrainMetric } from "./train-metric.js";

/** The parts a Trainer composes. */
export interface TrainerParts {
  source: BatchSource;
  validation: BatchSource | null;
  step: TrainStep;
  lr: LearningRate;
  callbacks: CallbackList;
  history: History;
  loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor1D;
  metrics: readonly TrainMetric[];
  /** Keys dropout masks (with epoch and batch) and shuffling. */ seed: number;
  epochs: number;
  initialEpoch: number;
  /** Check the first lazy batch against the model (in-memory data is checked before). */ checkFirstBatch: boolean;
}

/** The loop state a checkpoint keeps besides weights, optimizer and history. */
export interface LoopState {
  seed: number;
  plateau: ReduceOnPlateauState | null;
  callbacks: Record<string, unknown>;
}

/** Running sums of an epoch's batches. */
class EpochSums {
  loss = 0;
  rows = 0;
  batches = 0;
  norm = 0;
  readonly layerNorms: Float64Array;
  readonly metrics: Float64Array;
  constructor(groups: number, metrics: number) {
    this.layerNorms = new Float64Array(groups);
    this.metrics = new Float64Array(metrics);
  }
  add(r: StepResult, size: number): void {
    this.loss += r.loss * size;
    r.metricSums.forEach((v, i) => (this.metrics[i] = (this.metrics[i] as number) + v));
    this.norm += r.norm;
    r.layerNorms.forEach((v, i) => (this.layerNorms[i] = (this.layerNorms[i] as number) + v));
    this.rows += size;
    this.batches++;
  }
}

const tick = () => new Promise<void>((resolveTick) => setImmediate(resolveTick));
const disposeBatch = (b: StepBatch) => tf.dispose([...b.xs, b.y, ...(b.weights ? [b.weights] : [])]);

/**
 * Runs epochs of a model's training from its parts; `train` builds the parts from its options.
 * @example
 * declare const model: tf.LayersModel, parts: TrainerParts;
 * let history: History;
 * const trainer = new Trainer(model, parts);
 * try { history = await trainer.fit(); } finally { trainer.dispose(); }
 */
export class Trainer {
  readonly ctx: TrainContext;
  #stopReason: string | null = null;
  #interrupted = false;
  #interruptNote = "";
  #gradNorms: EpochGradNorms | null = null;
  #lastGood: tf.Tensor[];
  #resume: LoopState | null = null;
  #checkNext: boolean;

  constructor(
    readonly model: tf.LayersModel,
    readonly parts: TrainerParts,
  ) {
    this.#lastGood = this.#snapshot();
    this.#checkNext = parts.checkFirstBatch;
    this.ctx = this.#context();
  }

  /** Gives the callbacks and the learning rate their saved states once training begins. */
  resumeWith(state: LoopState): void {
    this.#resume = state;
  }

  /** Trains `epochs` epochs (fewer when stopped or interrupted) and returns the History. */
  async fit(): Promise<History> {
    const { callbacks, initialEpoch, epochs } = this.parts;
    await callbacks.trainBegin(this.ctx);
    if (this.#resume) {
      callbacks.setState(this.#resume.callbacks);
      this.parts.lr.setState(this.#resume.plateau);
    }
    for (let epoch = initialEpoch; epoch < initialEpoch + epochs && !this.ctx.stopRequested; epoch++) {
      const logs = await this.#epoch(epoch);
      if (logs === null) break; // a partial epoch is not recorded
      this.parts.lr.update(logs);
      await callbacks.epochEnd(this.ctx, epoch, logs);
      tf.dispose(this.#lastGood);
      this.#lastGood = this.#snapshot();
    }
    await callbacks.trainEnd(this.ctx);
    return this.parts.history;
  }

  /** Everything a checkpoint at the end of `epoch` holds: the sum of the parts' states. */
  checkpoint(epoch: number): CheckpointData {
    const state: LoopState = { seed: this.parts.seed, plateau: this.parts.lr.getState(), callbacks: this.parts.callbacks.getState() };
    return { epoch, weights: readModelWeights(this.model), optimizer: this.parts.step.getState(), history: this.parts.history, state: { ...state } };
  }

  /** Frees what the parts hold: the last good weights, callbacks' copies, the sources' tensors, the optimizer state. */
  dispose(): void {
    tf.dispose(this.#lastGood);
    this.parts.step.dispose();
    this.parts.callbacks.dispose();
    this.parts.source.dispose();
    this.parts.validation?.dispose();
  }

  /** One epoch's batches, then its logs; null when it ended early. */
  async #epoch(epoch: number): Promise<Logs | null> {
    const { source, lr, callbacks, step } = this.parts;
    const epochLr = lr.at(epoch);
    await callbacks.epochBegin(this.ctx, epoch);
    const sums = new EpochSums(step.groups.length, this.parts.metrics.length);
    let complete = true;
    for await (const b of source.batches(epoch)) {
      const known = source.batchesPerEpoch;
      const rate = lr.perBatch ? lr.at(epoch + b.index / known) : epochLr;
      const r = this.#step(b, rate, epoch);
      sums.add(r, b.size);
      await callbacks.batchEnd(this.ctx, b.index, { loss: r.loss, lr: rate, size: b.size });
      await tick();
      const more = known === 0 || b.index < known - 1;
      if (interruptRequested()) {
        this.#interrupted = true;
        if (more) this.#interruptNote = `interrupted during epoch ${epoch} after batch ${b.index + 1}${known ? ` of ${known}` : ""}`;
        complete = !more;
        break;
      }
      if (this.#stopReason !== null && more) {
        complete = false;
        break;
      }
    }
    if (!complete) return null;
    return this.#logs(sums, epochLr);
  }

  #step(b: StepBatch, lr: number, epoch: number): StepResult {
    if (this.#checkNext) {
      this.#checkNext = false;
      checkShapes(this.model, b.xs.length === 1 ? (b.xs[0] as tf.Tensor) : b.xs, b.y, { xName: "batch xs", yName: "batch ys" });
    }
    let r: StepResult;
    try {
      r = this.parts.step.run(b, lr, { seed: this.parts.seed, epoch, batch: b.index });
    } finally {
      disposeBatch(b);
    }
    if (!r.finite) {
      this.model.setWeights(this.#lastGood);
      const what = !Number.isFinite(r.loss) ? `loss became ${r.loss}` : `gradient norm became ${r.norm}`;
      const first = this.parts.initialEpoch;
      throw new NumericError(
        `Training stopped: ${what} at epoch ${epoch}, batch ${b.index} (learning rate ${lr}). ` +
          `Try gradient clipping (clipNorm: 1) or a lower learningRate, and check the data for NaN or extreme values. ` +
          `The model keeps the weights from ${epoch > first ? `the end of epoch ${epoch - 1}` : "before this run"}.`,
      );
    }
    return r;
  }

  async #logs(sums: EpochSums, epochLr: number): Promise<Logs> {
    const { metrics, validation, step } = this.parts;
    const logs: Logs = { loss: sums.loss / sums.rows };
    metrics.forEach((m, i) => (logs[m.name] = m.finish((sums.metrics[i] as number) / sums.rows)));
    if (validation) {
      const v = await evaluatePass(this.model, this.parts.loss, metrics, validation);
      for (const [k, val] of Object.entries(v)) logs[`val_${k}`] = val;
    }
    logs["lr"] = epochLr;
    const layers = Object.fromEntries(step.groups.map((g, gi) => [g.layer, (sums.layerNorms[gi] as number) / sums.batches]));
    this.#gradNorms = { global: sums.norm / sums.batches, layers };
    return logs;
  }

  #snapshot(): tf.Tensor[] {
    return this.model.weights.map((w) => tf.clone(w.read()));
  }

  #context(): TrainContext {
    const self = this;
    const p = this.parts;
    return {
      model: this.model,
      history: p.history,
      epochs: p.epochs,
      initialEpoch: p.initialEpoch,
      get batchesPerEpoch() { return p.source.batchesPerEpoch; },
      get gradNorms() { return self.#gradNorms; },
      stop(reason: string) { self.#stopReason ??= reason; },
      get stopRequested() { return self.#stopReason !== null || self.#interrupted; },
      get interrupted() { return self.#interrupted; },
      get stopReason() { return self.#interrupted ? self.#interruptNote || "interrupted" : self.#stopReason; },
    };
  }
}

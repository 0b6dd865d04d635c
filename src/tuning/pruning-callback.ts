/**
 * Pruning from inside training (Optuna's TFKerasPruningCallback): after each epoch, report the
 * watched log value to the trial and, when the pruner says so, ask training to stop. The
 * objective then calls `throwIfPruned()` so the study records the trial as pruned.
 */
import { ConfigError } from "../errors.js";
import type { Callback, Logs, TrainContext } from "../training/callback.js";
import type { Trial } from "./trial.js";
import { TrialPruned } from "./trial-pruned.js";

/** Options of {@link PruningCallback}. */
export interface PruningCallbackOptions {
  /** Log key to report. @default "val_loss" */ monitor?: string;
  /** Added to the epoch number to make the reported step (e.g. fold · epochs for CV). @default 0 */ stepOffset?: number;
}

const DEFAULTS: Required<PruningCallbackOptions> = { monitor: "val_loss", stepOffset: 0 };

/**
 * A training callback that reports to a trial and stops pruned runs.
 * @example
 * declare const trial: Trial;
 * declare const model: tf.LayersModel;
 * declare const data: TrainData;
 * const cb = new PruningCallback(trial);
 * await train(model, data, { callbacks: [cb] });
 * cb.throwIfPruned();
 */
export class PruningCallback implements Callback {
  readonly trial: Trial;
  readonly options: Required<PruningCallbackOptions>;
  /** Epoch at which training was pruned, or null. */
  prunedAt: number | null = null;

  constructor(trial: Trial, options: PruningCallbackOptions = {}) {
    this.trial = trial;
    this.options = { ...DEFAULTS, ...options };
  }

  onTrainBegin(): void {
    this.prunedAt = null;
  }

  /** Reports `logs[monitor]` and decides; returns true when training should stop. Usable from any loop. */
  step(epoch: number, logs: Logs): boolean {
    const v = logs[this.options.monitor];
    if (v === undefined) {
      throw new ConfigError(`PruningCallback: log key ${JSON.stringify(this.options.monitor)} is not in the epoch logs (keys: ${Object.keys(logs).join(", ")}).`);
    }
    this.trial.report(this.options.stepOffset + epoch, v);
    if (this.trial.shouldPrune()) {
      this.prunedAt = epoch;
      return true;
    }
    return false;
  }

  onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs): void {
    if (this.step(epoch, logs)) ctx.stop(`pruned by the study's pruner at epoch ${epoch} (${this.options.monitor} = ${logs[this.options.monitor]})`);
  }

  /** Throws {@link TrialPruned} if training was pruned. */
  throwIfPruned(): void {
    if (this.prunedAt !== null) throw new TrialPruned(`Pruned at epoch ${this.prunedAt}.`);
  }

  /**
   * The same for plain `model.fit` of TensorFlow.js: `model.fit(x, y, { callbacks: cb.forTfFit(model) })`.
   * Sets `model.stopTraining` when pruned.
   */
  forTfFit(model: { stopTraining: boolean }): { onEpochEnd: (epoch: number, logs?: Record<string, unknown>) => void } {
    this.prunedAt = null;
    return {
      onEpochEnd: (epoch: number, logs?: Record<string, unknown>) => {
        const numeric: Logs = {};
        for (const [k, v] of Object.entries(logs ?? {})) if (typeof v === "number") numeric[k] = v;
        if (this.step(epoch, numeric)) model.stopTraining = true;
      },
    };
  }
}

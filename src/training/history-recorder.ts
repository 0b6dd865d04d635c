/** The callback that writes the History: one row per finished epoch, and how the run ended. */
import type { Callback, Logs, TrainContext } from "./callback.js";
import type { History } from "./history.js";

/**
 * Appends every finished epoch to `history` (logs, learning rate, seconds, gradient norms) and, at
 * the end, records whether the run was interrupted or stopped. The epoch whose weights the model
 * holds defaults to the last finished one (none when an interrupt cut an epoch short); a callback
 * that restores other weights (EarlyStopping, BestWeights) overwrites it in its own `onTrainEnd`.
 * @example
 * const rec = new HistoryRecorder(emptyHistory(), ["loss", "val_loss"]);
 */
export class HistoryRecorder implements Callback {
  #t0 = 0;
  #pending = false;

  constructor(
    readonly history: History,
    /** Log keys with a column in `history.metrics` from the start ("lr" excluded). */
    readonly keys: readonly string[],
  ) {
    // Every logged key has its array from the start: an interrupt in epoch 0 leaves `loss: []`, not no `loss`.
    for (const k of keys) history.metrics[k] ??= [];
  }

  onEpochBegin(): void {
    this.#t0 = Date.now();
    this.#pending = true;
  }

  onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs): void {
    const h = this.history;
    h.epoch.push(epoch);
    for (const k of this.keys) (h.metrics[k] ??= []).push(logs[k] as number);
    h.lr.push(logs["lr"] as number);
    h.seconds.push((Date.now() - this.#t0) / 1000);
    const norms = ctx.gradNorms;
    if (norms) {
      h.gradNorm.push(norms.global);
      for (const [layer, v] of Object.entries(norms.layers)) (h.layerGradNorms[layer] ??= []).push(v);
    }
    this.#pending = false;
  }

  onTrainEnd(ctx: TrainContext): void {
    const h = this.history;
    const last = h.epoch.length ? (h.epoch[h.epoch.length - 1] as number) : null;
    h.bestEpoch = ctx.interrupted && this.#pending ? null : last;
    h.interrupted = ctx.interrupted;
    h.stopReason = ctx.stopReason;
  }
}

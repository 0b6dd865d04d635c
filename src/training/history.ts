/**
 * What a training run leaves behind: one value per epoch for every log key, the learning rate
 * actually used, timings and gradient norms. Plain JSON data, so it can be saved, plotted and
 * compared; `train()` returns it.
 */

export interface History {
  /** Epoch numbers actually run, 0-based (continues across a resume from a checkpoint). */
  epoch: number[];
  /** One value per epoch for each log key: "loss", "val_loss", "mae", "val_mae", ... */
  metrics: Record<string, number[]>;
  /** Learning rate used in each epoch (for per-batch schedules, the value at the epoch's start). */
  lr: number[];
  /** Wall-clock seconds of each epoch. */
  seconds: number[];
  /** Global L2 norm of the gradient, averaged over the epoch's batches (before clipping). */
  gradNorm: number[];
  /** Per-layer gradient L2 norm (averaged over the epoch's batches, before clipping), by layer name. */
  layerGradNorms: Record<string, number[]>;
  /** The log key early stopping / checkpoints watched, if any. */
  monitor: string | null;
  /** Epoch whose weights the model holds at the end (best epoch when restored), if known. */
  bestEpoch: number | null;
  /** Why training ended early, if it did ("early stopping: no val_loss improvement for 5 epochs"). */
  stopReason: string | null;
  /** True when the kernel was interrupted and training stopped after the current batch. */
  interrupted: boolean;
  /** The seed that made shuffling and the dropout masks deterministic (pass it back as `seed` to repeat the run). */
  seed?: number;
}

/**
 * An empty History, ready to be appended to.
 * @example
 * const h = emptyHistory(); h.epoch.length // 0
 */
export function emptyHistory(): History {
  return {
    epoch: [],
    metrics: {},
    lr: [],
    seconds: [],
    gradNorm: [],
    layerGradNorms: {},
    monitor: null,
    bestEpoch: null,
    stopReason: null,
    interrupted: false,
  };
}

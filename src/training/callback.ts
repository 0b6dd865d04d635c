/**
 * Training hooks. A callback gets a context that can ask training to stop (never by throwing).
 * Reset per-run state in `onTrainBegin` so one instance can serve many runs.
 */
import type * as tf from "@tensorflow/tfjs";
import type { History } from "./history.js";

/** Numeric logs of an epoch or batch: "loss", "val_loss", metric names, "lr". */
export type Logs = Record<string, number>;

/** What a callback sees during `train`: the model, the options, and `stop()` to end the run. */
export interface TrainContext {
  /** The model being trained. */
  readonly model: tf.LayersModel;
  /** The history so far (grows after each epoch). */
  readonly history: History;
  /** Total epochs requested (the last epoch number is `initialEpoch + epochs - 1`). */
  readonly epochs: number;
  /** First epoch number of this run (0, or the epoch after a checkpoint it resumed from). */
  readonly initialEpoch: number;
  /** Batches per epoch; 0 while a lazy source has not yet told (before its first full pass). */
  readonly batchesPerEpoch: number;
  /** Mean gradient norms of the epoch that just ended (set before `onEpochEnd`), null before the first. */
  readonly gradNorms: EpochGradNorms | null;
  /** Asks training to stop after the current batch; the reason ends up in `history.stopReason`. */
  stop(reason: string): void;
  /** True once someone asked to stop, or the kernel interrupted the run. */
  readonly stopRequested: boolean;
  /** True when the kernel interrupted the run. */
  readonly interrupted: boolean;
  /** Why the run is ending early ("interrupted", a callback's reason), or null. */
  readonly stopReason: string | null;
}

/** An epoch's gradient L2 norms (before clipping), averaged over its batches. */
export interface EpochGradNorms {
  global: number;
  /** By layer name. */
  layers: Record<string, number>;
}

/**
 * What a callback that picks a best epoch watches. The training loop follows the first callback that
 * has one (History.monitor, checkpoints' "best"), and leaves restoring the best weights to it.
 */
export interface Watch {
  monitor: string;
  mode: "min" | "max";
  minDelta: number;
  startEpoch: number;
}

/** A training callback: hooks `train` calls with a context, stopping by `ctx.stop()`, never by throwing. */
export interface Callback {
  /** Set by callbacks that pick a best epoch and restore its weights themselves (EarlyStopping). */
  readonly watch?: Watch;
  /** Key of this callback's state in a checkpoint; callbacks without one are not saved. */
  readonly stateKey?: string;
  /** Plain-JSON state a checkpoint saves (after `onEpochEnd`). */
  getState?(): unknown;
  /** Restores saved state on resume (called after `onTrainBegin`). */
  setState?(state: unknown): void;
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(ctx: TrainContext, epoch: number): void | Promise<void>;
  onBatchEnd?(ctx: TrainContext, batch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(ctx: TrainContext, epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
  /** Frees tensors the callback holds; called after every run, also one that ended by an error. */
  dispose?(): void;
}

/**
 * Training hooks. A callback gets a context that can ask training to stop (never by throwing).
 * Reset per-run state in `onTrainBegin` so one instance can serve many runs.
 */
import type * as tf from "@tensorflow/tfjs";
import type { History } from "./history.js";

/** Numeric logs of an epoch or batch: "loss", "val_loss", metric names, "lr". */
export type Logs = Record<string, number>;

export interface TrainContext {
  /** The model being trained. */
  readonly model: tf.LayersModel;
  /** The history so far (grows after each epoch). */
  readonly history: History;
  /** Total epochs requested (the last epoch number is `initialEpoch + epochs - 1`). */
  readonly epochs: number;
  /** First epoch number of this run (0, or the epoch after a checkpoint it resumed from). */
  readonly initialEpoch: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** Asks training to stop after the current batch; the reason ends up in `history.stopReason`. */
  stop(reason: string): void;
  /** True once someone asked to stop. */
  readonly stopRequested: boolean;
}

export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(ctx: TrainContext, epoch: number): void | Promise<void>;
  onBatchEnd?(ctx: TrainContext, batch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(ctx: TrainContext, epoch: number, logs: Logs): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
}

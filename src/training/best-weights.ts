/** Keeps the best epoch's weights and puts them back when a run ends early (an interrupt or a stop). */
import * as tf from "@tensorflow/tfjs";
import type { Callback, Logs, TrainContext, Watch } from "./callback.js";

/** The best value so far of a watched key: null before the first. */
export interface BestState {
  value: number | null;
  epoch: number | null;
}

/** True when `value` counts as an improvement on `best` under `w` (NaN never does). */
export function improves(w: Watch, epoch: number, value: number | undefined, best: number | null): value is number {
  if (value === undefined || epoch < w.startEpoch || Number.isNaN(value)) return false;
  if (best === null) return true;
  return w.mode === "min" ? value < best - w.minDelta : value > best + w.minDelta;
}

/**
 * `train`'s `restoreBest`: when no EarlyStopping watches the run, an interrupted or stopped run ends
 * with the weights of its best epoch by `target.monitor`.
 * @example
 * declare const model: tf.LayersModel;
 * declare const data: TrainData;
 * train(model, data, { callbacks: [new BestWeights({ monitor: "val_loss", mode: "min", minDelta: 0, startEpoch: 0 })] })
 */
export class BestWeights implements Callback {
  readonly stateKey = "best";
  #best: BestState = { value: null, epoch: null };
  #weights: tf.Tensor[] | null = null;

  constructor(readonly target: Watch) {}

  onTrainBegin(): void {
    this.#best = { value: null, epoch: null };
    this.dispose();
  }

  onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs): void {
    const v = logs[this.target.monitor];
    if (!improves(this.target, epoch, v, this.#best.value)) return;
    this.#best = { value: v, epoch };
    this.dispose();
    this.#weights = ctx.model.weights.map((w) => tf.clone(w.read()));
  }

  onTrainEnd(ctx: TrainContext): void {
    if (!ctx.stopRequested || !this.#weights) return;
    ctx.model.setWeights(this.#weights);
    ctx.history.bestEpoch = this.#best.epoch;
  }

  getState(): BestState {
    return { ...this.#best };
  }

  setState(state: unknown): void {
    this.#best = { ...(state as BestState) };
  }

  dispose(): void {
    if (this.#weights) tf.dispose(this.#weights);
    this.#weights = null;
  }
}

/**
 * Early stopping (as Keras' EarlyStopping): stop when the monitored value has not improved by
 * `minDelta` for `patience` epochs. With `restoreBest` (default on) it keeps a copy of the best
 * epoch's weights and puts them back at the end of the run, whatever ended it. Its `watch` tells the
 * training loop which key it follows, so History.monitor and "best" checkpoints follow it too.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { bool, nonNegativeInt, nonNegativeNumber, oneOf } from "../validate.js";
import { improves } from "./best-weights.js";
import type { Callback, Logs, TrainContext, Watch } from "./callback.js";
import { autoMode } from "./reduce-on-plateau.js";

/** Options of EarlyStopping (and of train's `earlyStopping`). */
export interface EarlyStoppingOptions {
  /** Log key to watch. @default "val_loss" */ monitor?: string;
  /** "min", "max" or "auto" (max for accuracy-like keys). @default "auto" */ mode?: "min" | "max" | "auto";
  /** Epochs without improvement before stopping. @default 5 */ patience?: number;
  /** Smallest change that counts as improvement. @default 0 */ minDelta?: number;
  /** End with the best epoch's weights. @default true */ restoreBest?: boolean;
  /** Epochs (counted from 0) to train before watching starts. @default 0 */ startEpoch?: number;
}

const DEFAULTS: Required<EarlyStoppingOptions> = {
  monitor: "val_loss",
  mode: "auto",
  patience: 5,
  minDelta: 0,
  restoreBest: true,
  startEpoch: 0,
};

/** Checks early-stopping options and fills in the defaults. */
export function resolveEarlyStopping(o: EarlyStoppingOptions = {}): Required<EarlyStoppingOptions> {
  const r = { ...DEFAULTS, ...o };
  if (typeof r.monitor !== "string" || r.monitor === "") {
    throw new ConfigError(`\`earlyStopping.monitor\` must be a log key such as "val_loss", got ${JSON.stringify(r.monitor)}.`);
  }
  oneOf("earlyStopping.mode", r.mode, ["min", "max", "auto"]);
  nonNegativeInt("earlyStopping.patience", r.patience);
  nonNegativeNumber("earlyStopping.minDelta", r.minDelta);
  bool("earlyStopping.restoreBest", r.restoreBest);
  nonNegativeInt("earlyStopping.startEpoch", r.startEpoch);
  return r;
}

/** Counters of a run, plain data so a checkpoint can carry them. */
export interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number | null;
  wait: number;
}

/**
 * Stops training when `monitor` stops improving.
 * @example
 * declare const model: tf.LayersModel;
 * declare const data: TrainData;
 * train(model, data, { callbacks: [new EarlyStopping({ patience: 3 })] })
 * // or simply: train(model, data, { earlyStopping: { patience: 3 } })
 */
export class EarlyStopping implements Callback {
  readonly options: Required<EarlyStoppingOptions>;
  readonly stateKey = "earlyStopping";
  state: EarlyStoppingState = { best: null, bestEpoch: null, wait: 0 };
  #weights: tf.Tensor[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    this.options = resolveEarlyStopping(options);
  }

  /** "min" or "max" after resolving "auto" against the monitor name. */
  get mode(): "min" | "max" {
    return autoMode(this.options.monitor, this.options.mode);
  }

  /** The key, direction and thresholds this callback watches. */
  get watch(): Watch {
    const o = this.options;
    return { monitor: o.monitor, mode: this.mode, minDelta: o.minDelta, startEpoch: o.startEpoch };
  }

  /** True when `value` beats `best` by more than minDelta in the watched direction (NaN never does). */
  improves(value: number, best: number | null): boolean {
    return improves(this.watch, this.options.startEpoch, value, best);
  }

  onTrainBegin(): void {
    this.state = { best: null, bestEpoch: null, wait: 0 };
    this.dispose();
  }

  onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs): void {
    const o = this.options;
    if (epoch < o.startEpoch) return;
    const value = logs[o.monitor];
    if (value === undefined) return;
    if (this.improves(value, this.state.best)) {
      this.state = { best: value, bestEpoch: epoch, wait: 0 };
      if (o.restoreBest) this.#keep(ctx.model);
      return;
    }
    this.state.wait++;
    if (this.state.wait >= o.patience) {
      ctx.stop(
        `early stopping: no ${o.monitor} improvement of more than ${o.minDelta} for ${o.patience} epochs ` +
          `(best ${this.state.best} at epoch ${this.state.bestEpoch})`,
      );
    }
  }

  /** With restoreBest, puts back the best epoch's weights (of this run or the one it resumed). */
  onTrainEnd(ctx: TrainContext): void {
    if (!this.options.restoreBest || !this.#weights) return;
    ctx.model.setWeights(this.#weights);
    ctx.history.bestEpoch = this.state.bestEpoch;
  }

  getState(): EarlyStoppingState {
    return { ...this.state };
  }

  setState(state: unknown): void {
    this.state = { ...(state as EarlyStoppingState) };
  }

  dispose(): void {
    if (this.#weights) tf.dispose(this.#weights);
    this.#weights = null;
  }

  #keep(model: tf.LayersModel): void {
    this.dispose();
    this.#weights = model.weights.map((w) => tf.clone(w.read()));
  }
}

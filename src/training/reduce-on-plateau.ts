/**
 * Reduce-on-plateau (as Keras' ReduceLROnPlateau): when the monitored value has not improved by
 * `minDelta` for `patience` epochs, multiply the learning rate by `factor` (never below `minLr`),
 * then wait `cooldown` epochs before counting again. State is plain data so checkpoints keep it.
 */
import { inRange, nonNegativeInt, nonNegativeNumber, oneOf } from "../validate.js";

/** Options of reduce-on-plateau (as `schedule: { kind: "reduceOnPlateau", ... }`). */
export interface ReduceOnPlateauOptions {
  /** Log key to watch. @default "val_loss" (or "loss" without validation data) */ monitor?: string;
  /** "min", "max", or "auto" (max for accuracy-like keys). @default "auto" */ mode?: "min" | "max" | "auto";
  /** Multiplier applied at each reduction. @default 0.1 */ factor?: number;
  /** Epochs without improvement before reducing. @default 10 */ patience?: number;
  /** Smallest change that counts as improvement. @default 1e-4 */ minDelta?: number;
  /** Epochs to wait after a reduction before counting again. @default 0 */ cooldown?: number;
  /** Lower bound on the learning rate. @default 0 */ minLr?: number;
}

/** The resolved options; `monitor` null means "val_loss if there is validation data, else loss". */
export type ResolvedReduceOnPlateau = Required<Omit<ReduceOnPlateauOptions, "monitor">> & { monitor: string | null };

/** Checks reduce-on-plateau options and fills in the defaults. */
export function resolveReduceOnPlateau(o: ReduceOnPlateauOptions): ResolvedReduceOnPlateau {
  const r = {
    monitor: o.monitor ?? null,
    mode: o.mode ?? "auto",
    factor: o.factor ?? 0.1,
    patience: o.patience ?? 10,
    minDelta: o.minDelta ?? 1e-4,
    cooldown: o.cooldown ?? 0,
    minLr: o.minLr ?? 0,
  };
  oneOf("schedule.mode", r.mode, ["min", "max", "auto"]);
  inRange("schedule.factor", r.factor, 0, 1, { lowOpen: true, highOpen: true });
  nonNegativeInt("schedule.patience", r.patience);
  nonNegativeNumber("schedule.minDelta", r.minDelta);
  nonNegativeInt("schedule.cooldown", r.cooldown);
  nonNegativeNumber("schedule.minLr", r.minLr);
  return r;
}

/** "max" for keys that grow when better (accuracy, auc, f1, r2, precision, recall), else "min". */
export function autoMode(monitor: string, mode: "min" | "max" | "auto"): "min" | "max" {
  if (mode !== "auto") return mode;
  return /(acc|accuracy|auc|f1|r2|precision|recall)$/.test(monitor) ? "max" : "min";
}

/** The state a checkpoint saves of {@link ReduceOnPlateau}. */
export interface ReduceOnPlateauState {
  /** Product of the reductions so far (the rate is max(minLr, scheduled · scale)). */
  scale: number;
  best: number | null;
  wait: number;
  cooldownLeft: number;
}

/**
 * The plateau state machine; `update` is called once per finished epoch with the monitored value.
 * @example
 * const p = new ReduceOnPlateau({ patience: 2, factor: 0.5 }, "val_loss");
 * p.update(0.9); p.update(0.95); p.update(0.97); p.lr(0.01) // 0.005
 */
export class ReduceOnPlateau {
  readonly options: ResolvedReduceOnPlateau;
  readonly monitor: string;
  readonly mode: "min" | "max";
  state: ReduceOnPlateauState = { scale: 1, best: null, wait: 0, cooldownLeft: 0 };

  constructor(options: ReduceOnPlateauOptions, monitor: string) {
    this.options = resolveReduceOnPlateau(options);
    this.monitor = monitor;
    this.mode = autoMode(monitor, this.options.mode);
  }

  /** The learning rate for a scheduled rate `scheduled`. */
  lr(scheduled: number): number {
    return Math.max(this.options.minLr, scheduled * this.state.scale);
  }

  /** Records one epoch's monitored value; returns true when the rate was reduced. */
  update(value: number): boolean {
    const s = this.state;
    const o = this.options;
    const better =
      s.best === null || (this.mode === "min" ? value < s.best - o.minDelta : value > s.best + o.minDelta);
    if (s.cooldownLeft > 0) {
      s.cooldownLeft--;
      s.wait = 0;
    }
    if (better) {
      s.best = value;
      s.wait = 0;
      return false;
    }
    if (s.cooldownLeft > 0) return false;
    s.wait++;
    if (s.wait >= o.patience) {
      s.scale *= o.factor;
      s.wait = 0;
      s.cooldownLeft = o.cooldown;
      return true;
    }
    return false;
  }
}

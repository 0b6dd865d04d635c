/** The learning rate of each step: the schedule, times ReduceOnPlateau's reductions when it is the schedule. */
import { ReduceOnPlateau, type ReduceOnPlateauState } from "./reduce-on-plateau.js";
import { schedule as scheduledLr, type ScheduleConfig } from "./schedule.js";
import type { Logs } from "./callback.js";

/**
 * The rate at fractional epoch `t`; its state (the plateau counters) goes into checkpoints.
 * @example
 * const lr = new LearningRate({ kind: "step", stepEpochs: 10, gamma: 0.5 }, 1e-3, "val_loss");
 * lr.at(12) // 5e-4
 */
export class LearningRate {
  readonly plateau: ReduceOnPlateau | null;

  constructor(
    readonly config: ScheduleConfig,
    readonly base: number,
    /** The key ReduceOnPlateau watches when `config.monitor` names none. */ defaultMonitor: string,
  ) {
    this.plateau = config.kind === "reduceOnPlateau" ? new ReduceOnPlateau(config, config.monitor ?? defaultMonitor) : null;
  }

  /** True when the rate changes within an epoch (`per: "batch"`). */
  get perBatch(): boolean {
    return this.config.per === "batch";
  }

  at(t: number): number {
    const s = scheduledLr(this.config, this.base, t);
    return this.plateau ? this.plateau.lr(s) : s;
  }

  /** Records a finished epoch's logs (ReduceOnPlateau's monitored value). */
  update(logs: Logs): void {
    if (this.plateau) this.plateau.update(logs[this.plateau.monitor] as number);
  }

  getState(): ReduceOnPlateauState | null {
    return this.plateau ? { ...this.plateau.state } : null;
  }

  setState(state: ReduceOnPlateauState | null | undefined): void {
    if (this.plateau && state) this.plateau.state = { ...state };
  }
}

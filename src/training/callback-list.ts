/** Callbacks called in order, with their states gathered for a checkpoint. */
import type { Callback, Logs, TrainContext } from "./callback.js";

/**
 * The callback list of a run. States are keyed by each callback's `stateKey` (a second callback with
 * the same key gets `key#2`), so a checkpoint holds every part's state and a resume gives it back.
 * @example
 * const list = new CallbackList([new EarlyStopping({ patience: 3 })]);
 * list.getState() // { earlyStopping: { best: null, bestEpoch: null, wait: 0 } }
 */
export class CallbackList {
  constructor(readonly callbacks: readonly Callback[]) {}

  async trainBegin(ctx: TrainContext): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainBegin?.(ctx);
  }

  async epochBegin(ctx: TrainContext, epoch: number): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochBegin?.(ctx, epoch);
  }

  async batchEnd(ctx: TrainContext, batch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onBatchEnd?.(ctx, batch, logs);
  }

  async epochEnd(ctx: TrainContext, epoch: number, logs: Logs): Promise<void> {
    for (const cb of this.callbacks) await cb.onEpochEnd?.(ctx, epoch, logs);
  }

  async trainEnd(ctx: TrainContext): Promise<void> {
    for (const cb of this.callbacks) await cb.onTrainEnd?.(ctx);
  }

  getState(): Record<string, unknown> {
    return Object.fromEntries(this.#keyed().map(([k, cb]) => [k, cb.getState?.()]));
  }

  setState(state: Readonly<Record<string, unknown>>): void {
    for (const [k, cb] of this.#keyed()) if (state[k] !== undefined && state[k] !== null) cb.setState?.(state[k]);
  }

  dispose(): void {
    for (const cb of this.callbacks) cb.dispose?.();
  }

  #keyed(): [string, Callback][] {
    const seen = new Map<string, number>();
    const out: [string, Callback][] = [];
    for (const cb of this.callbacks) {
      if (!cb.stateKey || !cb.getState) continue;
      const n = (seen.get(cb.stateKey) ?? 0) + 1;
      seen.set(cb.stateKey, n);
      out.push([n === 1 ? cb.stateKey : `${cb.stateKey}#${n}`, cb]);
    }
    return out;
  }
}

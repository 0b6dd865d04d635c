/** The callback that saves checkpoints while training (as Keras' ModelCheckpoint). */
import { saveCheckpoint, type CheckpointData } from "./checkpoint.js";
import { improves, type BestState } from "./best-weights.js";
import type { Callback, Logs, TrainContext, Watch } from "./callback.js";
import type { CheckpointOptions } from "./train-options.js";

/**
 * Saves `snapshot(epoch)` (the sum of the training parts' states) into `options.dir`: "best" when the
 * watched key improves, "last" (overwritten) or "every" (`epoch-0007`, ...) every N epochs, at the last
 * epoch and when the run stops early. Put it last in the list so every other callback's state for the
 * epoch is in.
 * @example
 * declare const watch: ConstructorParameters<typeof ModelCheckpoint>[1], trainer: Trainer;
 * new ModelCheckpoint({ dir: "ck", save: "last" }, watch, (epoch) => trainer.checkpoint(epoch))
 */
export class ModelCheckpoint implements Callback {
  readonly stateKey = "checkpoint";
  #best: BestState = { value: null, epoch: null };

  constructor(
    readonly options: CheckpointOptions,
    readonly target: Watch,
    readonly snapshot: (epoch: number) => CheckpointData,
  ) {}

  onTrainBegin(): void {
    this.#best = { value: null, epoch: null };
  }

  onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs): void {
    const v = logs[this.target.monitor];
    const improved = improves(this.target, epoch, v, this.#best.value);
    if (improved) this.#best = { value: v, epoch };
    const save = this.options.save ?? "best";
    const every = this.options.every ?? 1;
    const lastEpoch = ctx.initialEpoch + ctx.epochs - 1;
    const due = (epoch - ctx.initialEpoch + 1) % every === 0 || epoch === lastEpoch || ctx.stopRequested;
    if (save === "best" && improved) this.#save(epoch, "best");
    else if (save === "last" && due) this.#save(epoch, "last");
    else if (save === "every" && due) this.#save(epoch, `epoch-${String(epoch).padStart(4, "0")}`);
  }

  getState(): BestState {
    return { ...this.#best };
  }

  setState(state: unknown): void {
    this.#best = { ...(state as BestState) };
  }

  #save(epoch: number, name: string): void {
    saveCheckpoint(this.options.dir, name, this.snapshot(epoch));
  }
}

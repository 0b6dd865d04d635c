/**
 * The live trial an objective receives: its parameters (drawn from the declared space, or
 * suggested define-by-run like Optuna's `trial.suggestFloat`), `report(step, value)` for
 * pruning, `shouldPrune()`, and user attributes. These calls answer at once; their writes go
 * to the storage in order in the background, and the study waits for them (`flush`) before it
 * records how the trial ended, so a storage error still ends `optimize`.
 */
import { ConfigError } from "../errors.js";
import type { Rng } from "../rng.js";
import { show } from "../validate.js";
import { categoricalParam, checkDistribution, describeDistribution, floatParam, intParam, sameDistribution } from "./distributions.js";
import type { FloatParamOptions, IntParamOptions } from "./distributions.js";
import type { Pruner } from "./pruners/pruner.js";
import { sampleUniform } from "./samplers/random.js";
import type { SearchSpace } from "./space.js";
import type { Storage } from "./storage/storage.js";
import type { Direction, Distribution, DistributionValue, FrozenTrial, ParamValue, Params } from "./frozen-trial.js";

/** What a trial needs from its study. */
export interface TrialHost {
  readonly storage: Storage;
  readonly studyName: string;
  readonly direction: Direction;
  readonly pruner: Pruner;
  /** The declared space, or null for define-by-run studies. */
  readonly space: SearchSpace | null;
}

/**
 * A running trial, handed to the objective. `P` is the type of its declared parameters, taken
 * from the study's space: with `space({ optimizer: categoricalParam(["adam", "rmsprop"]) })`,
 * `trial.params.optimizer` is `"adam" | "rmsprop"`, with no cast.
 * @example
 * const study = await createStudy({ space: space({ units: intParam(8, 64), optimizer: categoricalParam(["adam", "rmsprop"]) }) });
 * await study.optimize((trial) => trial.params.units / 64 + (trial.params.optimizer === "adam" ? 0 : 1), { nTrials: 10 });
 */
export class Trial<P extends Params = Params> {
  /** 0-based number within the study. */
  readonly number: number;
  readonly #host: TrialHost;
  readonly #rng: Rng;
  /** Values the sampler proposed up front (declared space, or the space seen in earlier trials). */
  readonly #proposed: Params;
  readonly #proposedDists: Record<string, Distribution>;
  readonly #params: Params;
  readonly #dists: Record<string, Distribution>;
  readonly #intermediate: Record<number, number> = {};
  /** The chain of this trial's storage writes, in the order they were made. */
  #writes: Promise<void> = Promise.resolve();
  #writeError: { error: unknown } | null = null;

  /** Made by the study. */
  constructor(host: TrialHost, frozen: FrozenTrial, proposed: { params: Params; distributions: Record<string, Distribution> }, rng: Rng) {
    this.#host = host;
    this.number = frozen.number;
    this.#rng = rng;
    this.#proposed = proposed.params;
    this.#proposedDists = proposed.distributions;
    this.#params = { ...frozen.params };
    this.#dists = { ...frozen.distributions };
  }

  /** The parameters of this trial so far (all active declared ones from the start). */
  get params(): Readonly<P> {
    // the declared ones were drawn from the space P was taken from; define-by-run ones only add names
    return { ...this.#params } as P;
  }

  /** The intermediate values reported so far, by step. */
  get intermediate(): Readonly<Record<number, number>> {
    return { ...this.#intermediate };
  }

  /**
   * The value of parameter `name` drawn from `distribution`. A declared parameter returns its
   * value (the distribution must match the declaration); a new name is sampled and recorded.
   */
  suggest<D extends Distribution>(name: string, distribution: D): DistributionValue<D>;
  suggest(name: string, distribution: Distribution): ParamValue {
    if (typeof name !== "string" || name.length === 0) throw new ConfigError(`Parameter name must be a non-empty string, got ${show(name)}.`);
    checkDistribution(name, distribution);
    const space = this.#host.space;
    const declared = space?.get(name);
    if (declared) {
      if (!sameDistribution(declared.distribution, distribution)) {
        throw new ConfigError(`Parameter ${show(name)} is declared as ${describeDistribution(declared.distribution)} but suggested as ${describeDistribution(distribution)}.`);
      }
      const v = this.#params[name];
      if (v === undefined) throw new ConfigError(`Parameter ${show(name)} is not active in this trial (its condition is not met by ${show(this.#params)}).`);
      return v;
    }
    const known = this.#dists[name];
    if (known) {
      if (!sameDistribution(known, distribution)) {
        throw new ConfigError(`Parameter ${show(name)} was already suggested as ${describeDistribution(known)}, now as ${describeDistribution(distribution)}.`);
      }
      return this.#params[name] as ParamValue;
    }
    const pd = this.#proposedDists[name];
    const value = pd && sameDistribution(pd, distribution) && this.#proposed[name] !== undefined ? (this.#proposed[name] as ParamValue) : sampleUniform(distribution, this.#rng.fork(`param:${name}`));
    this.#write(() => this.#host.storage.setParam(this.#host.studyName, this.number, name, value, distribution));
    this.#params[name] = value;
    this.#dists[name] = distribution;
    return value;
  }

  /**
   * A float in [low, high].
   * @example
   * declare const trial: Trial;
   * const lr = trial.suggestFloat("lr", 1e-4, 1e-1, { log: true });
   */
  suggestFloat(name: string, low: number, high: number, o: FloatParamOptions = {}): number {
    return this.suggest(name, floatParam(low, high, o));
  }

  /** An integer in [low, high]. */
  suggestInt(name: string, low: number, high: number, o: IntParamOptions = {}): number {
    return this.suggest(name, intParam(low, high, o));
  }

  /**
   * One of `choices`; its type is the union of the choices as written (no `as const` needed).
   * @example
   * declare const trial: Trial;
   * const opt = trial.suggestCategorical("optimizer", ["adam", "rmsprop"]); // "adam" | "rmsprop"
   */
  suggestCategorical<const T extends ParamValue>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalParam(choices));
  }

  /** Records an intermediate objective value (e.g. validation loss after an epoch) for pruning. */
  report(step: number, value: number): void {
    if (typeof step !== "number" || !Number.isInteger(step) || step < 0) throw new ConfigError(`\`step\` must be a non-negative integer, got ${show(step)}.`);
    if (typeof value !== "number") throw new ConfigError(`Reported value at step ${step} must be a number, got ${show(value)}.`);
    if (this.#intermediate[step] !== undefined) return; // like Optuna: the first report of a step wins
    this.#intermediate[step] = value;
    this.#write(() => this.#host.storage.report(this.#host.studyName, this.number, step, value));
  }

  /**
   * True when the study's pruner says this trial should stop now (throw {@link TrialPruned} then).
   * Judged on this trial's own reports and the other trials as last read (each report reads them again).
   */
  shouldPrune(): boolean {
    const trials = this.#host.storage.cachedTrials(this.#host.studyName).slice();
    const stored = trials[this.number];
    if (!stored) return false;
    const me = { ...stored, intermediate: { ...stored.intermediate, ...this.#intermediate } };
    trials[this.number] = me;
    return this.#host.pruner.prune(me, trials, this.#host.direction);
  }

  /** Attaches a JSON-able value to the trial (shown in the trials table as `user_<key>`). */
  setUserAttr(key: string, value: unknown): void {
    const copy = structuredClone(value);
    this.#write(() => this.#host.storage.setUserAttr(this.#host.studyName, this.number, key, copy));
  }

  /** Records a heartbeat (the study does this every `heartbeatInterval` while the objective runs). */
  heartbeat(): void {
    this.#write(() => this.#host.storage.heartbeat(this.#host.studyName, this.number));
  }

  /** Waits for this trial's writes; rejects with the first one that failed. */
  async flush(): Promise<void> {
    await this.#writes;
    if (this.#writeError) throw this.#writeError.error;
  }

  /** Queues a write after the previous ones; after a failure the rest are skipped. */
  #write(fn: () => Promise<void>): void {
    this.#writes = this.#writes.then(async () => {
      if (this.#writeError) return;
      try {
        await fn();
      } catch (e) {
        this.#writeError = { error: e };
      }
    });
  }

  /** A seeded random stream for this trial (model initialisation, data shuffling): same study seed, same stream. */
  get rng(): Rng {
    this.#objectiveRng ??= this.#rng.fork("objective");
    return this.#objectiveRng;
  }
  #objectiveRng: Rng | null = null;
}

/**
 * A study: a space, a sampler, a pruner and a storage, driven by `optimize(objective)`.
 * Modelled on Optuna: `createStudy({...})`, `study.optimize(objective, { nTrials, timeoutSeconds })`,
 * `study.bestTrial`, `study.bestParams`, `study.trialsTable()`.
 */
import * as os from "node:os";
import * as aq from "arquero";
import { ConfigError, LabError } from "../errors.js";
import { interruptRequested } from "../host.js";
import { Rng } from "../rng.js";
import { nonNegativeNumber, oneOf, positiveInt, show } from "../validate.js";
import { createPruner } from "./pruners/create-pruner.js";
import type { PrunerName } from "./pruners/create-pruner.js";
import type { Pruner } from "./pruners/pruner.js";
import { createSampler } from "./samplers/create-sampler.js";
import type { SamplerName } from "./samplers/create-sampler.js";
import type { Sampler, SampleContext } from "./samplers/sampler.js";
import { SearchSpace, space as buildSpace } from "./space.js";
import type { SpaceEntry } from "./space.js";
import { processAlive } from "./storage/file-lock.js";
import { InMemoryStorage } from "./storage/in-memory.js";
import { JournalFileStorage } from "./storage/journal-file.js";
import type { Storage } from "./storage/storage.js";
import { sameDistribution } from "./distributions.js";
import { Trial } from "./trial-handle.js";
import type { TrialHost } from "./trial-handle.js";
import { TrialPruned } from "./trial-pruned.js";
import type { Direction, Distribution, FrozenTrial, Params, StudyData, WorkerInfo } from "./trial.js";

/** What an objective is: trial in, score out (lower is better for "minimize"). */
export type Objective = (trial: Trial) => number | Promise<number>;

export interface StudyOptions {
  /** Study name; several studies can share one storage. @default "study" */
  name?: string;
  /** @default "minimize" */
  direction?: Direction;
  /** A declared space (see `space()`); omit for define-by-run objectives using `trial.suggest*`. */
  space?: SearchSpace | Record<string, SpaceEntry> | null;
  /** A sampler or its name ("gp" = Bayesian optimisation, "random", "grid"). @default "gp" */
  sampler?: Sampler | SamplerName;
  /** A pruner or its name. @default "none" */
  pruner?: Pruner | PrunerName;
  /** A storage, or a path for a {@link JournalFileStorage}. @default in memory */
  storage?: Storage | string;
  /** Seed of every random draw in the study (trial k always gets the same stream). @default 0 */
  seed?: number;
}

export interface OptimizeOptions {
  /** Trials this call runs at most. @default unlimited (then `timeoutSeconds` is required) */
  nTrials?: number;
  /** Stop starting new trials after this many seconds. @default unlimited */
  timeoutSeconds?: number;
  /** Stop when the study holds this many trials in total, counting other workers' (for shared journals). */
  maxTotalTrials?: number;
  /** Called after each trial ends with its final record. */
  onTrialEnd?: (trial: FrozenTrial, study: Study) => void | Promise<void>;
  /** Print one line per finished trial. @default false */
  verbose?: boolean;
  /** Stop starting new trials once this signal is aborted (the kernel's interrupt is always honoured). */
  signal?: AbortSignal;
}

/** Why `optimize` returned. */
export type StopReason = "nTrials" | "timeout" | "maxTotalTrials" | "exhausted" | "interrupted";

export interface OptimizeResult {
  stopReason: StopReason;
  /** Human-readable reason ("the grid is exhausted: all 12 points were tried"). */
  message: string;
  /** Numbers of the trials this call ran. */
  trialNumbers: number[];
}

/** This process, for trial ownership. */
export function thisWorker(): WorkerInfo {
  return { pid: process.pid, host: os.hostname() };
}

/** The intersection of the distributions of completed trials: the space define-by-run objectives have shown. */
function observedSpace(trials: readonly FrozenTrial[]): SearchSpace | null {
  let common: Map<string, Distribution> | null = null;
  for (const t of trials) {
    if (t.state !== "complete") continue;
    if (common === null) {
      common = new Map(Object.entries(t.distributions));
      continue;
    }
    for (const [k, d] of common) {
      const other = t.distributions[k];
      if (!other || !sameDistribution(d, other)) common.delete(k);
    }
  }
  if (!common || common.size === 0) return null;
  return new SearchSpace([...common].map(([name, distribution]) => ({ name, distribution, when: null })));
}

const DIRECTIONS: readonly Direction[] = ["minimize", "maximize"];

/** A study; create with {@link createStudy}. */
export class Study implements TrialHost, StudyData {
  readonly name: string;
  readonly direction: Direction;
  readonly space: SearchSpace | null;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: Storage;
  readonly seed: number;
  readonly #rng: Rng;

  /** Use {@link createStudy}. */
  constructor(o: { name: string; direction: Direction; space: SearchSpace | null; sampler: Sampler; pruner: Pruner; storage: Storage; seed: number }) {
    this.name = o.name;
    this.direction = o.direction;
    this.space = o.space;
    this.sampler = o.sampler;
    this.pruner = o.pruner;
    this.storage = o.storage;
    this.seed = o.seed;
    this.#rng = new Rng(o.seed);
  }

  /** The study's name, for TrialHost. */
  get studyName(): string {
    return this.name;
  }

  /** Every trial so far (copies). */
  get trials(): readonly FrozenTrial[] {
    return this.storage.trials(this.name);
  }

  /** Completed trials with a finite value, best first. */
  completedTrials(): FrozenTrial[] {
    const sign = this.direction === "minimize" ? 1 : -1;
    return this.trials
      .filter((t) => t.state === "complete" && t.value !== null && Number.isFinite(t.value))
      .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
  }

  /** The `k` best completed trials, best first (for ensembles and refits). */
  topTrials(k: number): FrozenTrial[] {
    positiveInt("k", k);
    return this.completedTrials().slice(0, k);
  }

  /** The best completed trial. Throws while no trial has completed. */
  get bestTrial(): FrozenTrial {
    const best = this.completedTrials()[0];
    if (!best) throw new LabError(`Study ${show(this.name)} has no completed trial yet (${this.trials.length} trials in total).`);
    return best;
  }

  /** Parameters of the best trial. */
  get bestParams(): Params {
    return { ...this.bestTrial.params };
  }

  /** Objective value of the best trial. */
  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  /**
   * Marks trials left "running" by processes that no longer exist (a crash or kill -9) as
   * failed, so they are neither lost nor counted as finished. Returns their numbers.
   * Only trials started on this machine can be judged.
   */
  failStaleTrials(): number[] {
    const me = thisWorker();
    const stale = this.trials.filter((t) => t.state === "running" && t.worker && t.worker.host === me.host && t.worker.pid !== me.pid && !processAlive(t.worker.pid));
    for (const t of stale) {
      this.storage.finishTrial(this.name, t.number, "fail", null, `The worker process (pid ${t.worker?.pid}) ended while this trial was running.`);
    }
    return stale.map((t) => t.number);
  }

  /**
   * Runs trials until `nTrials` have run, `timeoutSeconds` have passed, the grid is exhausted
   * or the kernel is interrupted (the running trial finishes first). A trial whose objective
   * throws or returns NaN is recorded as failed with the message, and the study goes on.
   * @example
   * const study = createStudy({ space: space({ x: floatParam(-5, 5) }), seed: 1 });
   * await study.optimize((t) => (t.params.x as number) ** 2, { nTrials: 20 });
   * study.bestParams; // { x: ≈0 }
   */
  async optimize(objective: Objective, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    if (typeof objective !== "function") throw new ConfigError(`\`objective\` must be a function (trial) => number, got ${show(objective)}.`);
    const { nTrials, timeoutSeconds, maxTotalTrials } = options;
    if (nTrials !== undefined) positiveInt("nTrials", nTrials);
    if (timeoutSeconds !== undefined) nonNegativeNumber("timeoutSeconds", timeoutSeconds);
    if (maxTotalTrials !== undefined) positiveInt("maxTotalTrials", maxTotalTrials);
    if (nTrials === undefined && timeoutSeconds === undefined && maxTotalTrials === undefined) {
      throw new ConfigError("`optimize` needs a budget: give `nTrials`, `timeoutSeconds` or `maxTotalTrials`.");
    }
    if (this.sampler.name === "grid" && !this.space) {
      throw new ConfigError("The grid sampler needs a declared space: createStudy({ space: space({...}), sampler: \"grid\" }).");
    }
    this.failStaleTrials();
    const t0 = Date.now();
    const ran: number[] = [];
    const budget = nTrials ?? maxTotalTrials ?? null;
    const ctx: SampleContext = { direction: this.direction, seed: this.seed, budget };
    const stop = (stopReason: StopReason, message: string): OptimizeResult => {
      if (options.verbose || stopReason === "exhausted") console.log(`[study ${this.name}] ${message}`);
      return { stopReason, message, trialNumbers: ran };
    };
    for (;;) {
      if (interruptRequested() || options.signal?.aborted) return stop("interrupted", `Interrupted after ${ran.length} trials; the study is kept.`);
      if (nTrials !== undefined && ran.length >= nTrials) return stop("nTrials", `Ran ${ran.length} trials.`);
      if (timeoutSeconds !== undefined && (Date.now() - t0) / 1000 >= timeoutSeconds) {
        return stop("timeout", `Time budget of ${timeoutSeconds} s used after ${ran.length} trials.`);
      }
      let why: "total" | "exhausted" | null = null;
      let proposal: { params: Params; distributions: Record<string, Distribution> } = { params: {}, distributions: {} };
      const frozen = this.storage.createTrial(
        this.name,
        (trials) => {
          if (maxTotalTrials !== undefined && trials.length >= maxTotalTrials) {
            why = "total";
            return null;
          }
          const rng = this.#rng.fork(`trial:${trials.length}`);
          const sp = this.space ?? observedSpace(trials);
          if (sp && this.sampler.exhausted?.(sp, trials, ctx)) {
            why = "exhausted";
            return null;
          }
          if (!sp) return { params: {}, distributions: {} };
          const params = this.sampler.sample(sp, trials, rng.fork("sampler"), ctx);
          proposal = { params, distributions: sp.distributionsOf(params) };
          // declared spaces are recorded in full up front; observed ones only once suggest() asks
          return this.space ? proposal : { params: {}, distributions: {} };
        },
        thisWorker(),
      );
      if (!frozen) {
        if (why === "exhausted") {
          const n = this.space ? this.trials.length : 0;
          return stop("exhausted", `The grid is exhausted: all points were tried (${n} trials in the study).`);
        }
        return stop("maxTotalTrials", `The study has reached ${maxTotalTrials} trials.`);
      }
      ran.push(frozen.number);
      await this.#run(objective, frozen, proposal, options);
    }
  }

  async #run(objective: Objective, frozen: FrozenTrial, proposed: { params: Params; distributions: Record<string, Distribution> }, options: OptimizeOptions): Promise<void> {
    const rng = this.#rng.fork(`trial:${frozen.number}`);
    const trial = new Trial(this, frozen, proposed, rng);
    let state: "complete" | "pruned" | "fail" = "complete";
    let value: number | null = null;
    let error: string | null = null;
    try {
      const v: unknown = await objective(trial);
      if (typeof v !== "number" || Number.isNaN(v)) {
        state = "fail";
        error = `The objective returned ${show(v)} instead of a number.`;
      } else {
        value = v;
      }
    } catch (e) {
      if (e instanceof TrialPruned) {
        state = "pruned";
        const steps = Object.keys(trial.intermediate).map(Number).sort((a, b) => a - b);
        const last = steps[steps.length - 1];
        value = last === undefined ? null : (trial.intermediate[last] as number);
        if (value !== null && Number.isNaN(value)) value = null;
      } else {
        state = "fail";
        error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
    }
    this.storage.finishTrial(this.name, frozen.number, state, value, error);
    const done = this.trials[frozen.number] as FrozenTrial;
    if (state === "fail") console.warn(`[study ${this.name}] trial ${frozen.number} failed: ${error}`);
    if (options.verbose) {
      const what = state === "complete" ? `value ${value}` : state === "pruned" ? `pruned (last value ${value})` : `failed: ${error}`;
      console.log(`[study ${this.name}] trial ${frozen.number} ${what}, params ${show(done.params)}`);
    }
    if (options.onTrialEnd) await options.onTrialEnd(done, this);
  }

  /**
   * One row per trial: number, state, value, one `param_<name>` column per parameter, duration
   * in seconds, error, and `user_<key>` for scalar user attributes.
   */
  trialsTable(): aq.ColumnTable {
    const trials = this.trials;
    const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
    const attrNames = [...new Set(trials.flatMap((t) => Object.keys(t.userAttrs).filter((k) => isScalar(t.userAttrs[k]))))];
    const cols: Record<string, unknown[]> = { number: [], state: [], value: [] };
    for (const p of paramNames) cols[`param_${p}`] = [];
    cols.duration_s = [];
    cols.error = [];
    for (const a of attrNames) cols[`user_${a}`] = [];
    for (const t of trials) {
      (cols.number as unknown[]).push(t.number);
      (cols.state as unknown[]).push(t.state);
      (cols.value as unknown[]).push(t.value);
      for (const p of paramNames) (cols[`param_${p}`] as unknown[]).push(t.params[p] ?? null);
      (cols.duration_s as unknown[]).push(t.end ? (Date.parse(t.end) - Date.parse(t.start)) / 1000 : null);
      (cols.error as unknown[]).push(t.error);
      for (const a of attrNames) (cols[`user_${a}`] as unknown[]).push(isScalar(t.userAttrs[a]) ? t.userAttrs[a] : null);
    }
    return aq.table(cols);
  }

  /** Plain data for plots and reports. */
  toJSON(): StudyData {
    return { name: this.name, direction: this.direction, trials: this.trials };
  }

  /** A few lines: name, direction, sampler, pruner, storage, counts by state, best. */
  toString(): string {
    const trials = this.trials;
    const count = (s: string) => trials.filter((t) => t.state === s).length;
    const best = this.completedTrials()[0];
    return [
      `Study ${show(this.name)} (${this.direction}, sampler ${this.sampler.name}, pruner ${this.pruner.name}, ${this.storage.description})`,
      `  trials: ${trials.length} (${count("complete")} complete, ${count("pruned")} pruned, ${count("fail")} failed, ${count("running")} running)`,
      best ? `  best: trial ${best.number}, value ${best.value}, params ${show(best.params)}` : "  best: none yet",
    ].join("\n");
  }
}

function isScalar(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

/**
 * Creates a study, or opens the one of that name already in the storage (resuming it).
 * @example
 * const study = createStudy({
 *   space: space({ lr: floatParam(1e-4, 1e-1, { log: true }), units: intParam(16, 128, { step: 16 }) }),
 *   sampler: "gp", pruner: "median", storage: "runs/tuning.jsonl", seed: 42, name: "lstm",
 * });
 */
export function createStudy(options: StudyOptions = {}): Study {
  const name = options.name ?? "study";
  if (typeof name !== "string" || name.length === 0) throw new ConfigError(`\`name\` must be a non-empty string, got ${show(name)}.`);
  const direction = oneOf("direction", options.direction ?? "minimize", DIRECTIONS);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new ConfigError(`\`seed\` must be an integer, got ${show(seed)}.`);
  const sp = options.space === undefined || options.space === null ? null : buildSpace(options.space);
  const samplerOpt = options.sampler ?? "gp";
  const sampler = typeof samplerOpt === "string" ? createSampler(samplerOpt) : checkHas("sampler", samplerOpt, "sample");
  const prunerOpt = options.pruner ?? "none";
  const pruner = typeof prunerOpt === "string" ? createPruner(prunerOpt) : checkHas("pruner", prunerOpt, "prune");
  const storage = options.storage === undefined ? new InMemoryStorage() : typeof options.storage === "string" ? new JournalFileStorage(options.storage) : checkHas("storage", options.storage, "createTrial");
  const record = storage.openStudy(name, direction);
  if (record.direction !== direction && options.direction !== undefined) {
    throw new ConfigError(`Study ${show(name)} already exists in ${storage.description} with direction "${record.direction}", not "${direction}".`);
  }
  return new Study({ name, direction: record.direction, space: sp, sampler, pruner, storage, seed });
}

function checkHas<T extends object>(what: string, v: T, method: string): T {
  if (v === null || typeof v !== "object" || typeof (v as Record<string, unknown>)[method] !== "function") {
    throw new ConfigError(`\`${what}\` must be a name or an object with a ${method}() method, got ${show(v)}.`);
  }
  return v;
}

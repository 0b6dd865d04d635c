/**
 * A study: a space, a sampler, a pruner and a storage, driven by `optimize(objective)`.
 * Modelled on Optuna: `await createStudy({...})`, `study.optimize(objective, { nTrials, timeoutSeconds })`,
 * `study.bestTrial`, `study.bestParams`, `study.trialsTable()`.
 */
import * as os from "node:os";
import * as aq from "arquero";
import { ConfigError, LabError, NumericError } from "../errors.js";
import { interruptSignal } from "../host.js";
import { Rng } from "../rng.js";
import { nonNegativeNumber, oneOf, positiveInt, show } from "../validate.js";
import { createPruner } from "./pruners/create-pruner.js";
import type { PrunerName } from "./pruners/create-pruner.js";
import type { Pruner } from "./pruners/pruner.js";
import { createSampler } from "./samplers/create-sampler.js";
import type { SamplerName } from "./samplers/create-sampler.js";
import type { Sampler, SampleContext } from "./samplers/sampler.js";
import { SearchSpace, space as buildSpace } from "./space.js";
import type { ParamsOf, SpaceEntry } from "./space.js";
import { processAlive } from "./storage/file-lock.js";
import { openStorage } from "./storage/open-storage.js";
import type { Storage } from "./storage/storage.js";
import { sameDistribution } from "./distributions.js";
import { Trial } from "./trial.js";
import type { TrialHost } from "./trial.js";
import { TrialPruned } from "./trial-pruned.js";
import type { Direction, Distribution, FrozenTrial, Params, StudyData, WorkerInfo } from "./frozen-trial.js";

/**
 * What an objective is: trial in, score out (lower is better for "minimize"). `P` is the type of
 * the trial's parameters, taken from the study's space.
 */
export type Objective<P extends Params = Params> = (trial: Trial<P>) => number | Promise<number>;

/** A declared space, or the object of distributions `space()` takes. */
export type SpaceInput = SearchSpace | Record<string, SpaceEntry>;

/** An error class, as listed in `optimize({ catch })`. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Options of {@link createStudy}: direction, space, sampler, pruner, storage and seed. */
export interface StudyOptions<S extends SpaceInput | null = SpaceInput | null> {
  /** Study name; several studies can share one storage. @default "study" */
  name?: string;
  /** @default "minimize" */
  direction?: Direction;
  /**
   * A declared space (see `space()`); omit for define-by-run objectives using `trial.suggest*`.
   * The study's trials get their parameters' types from it (see `ParamsOf`).
   */
  space?: S;
  /** A sampler or its name ("gp" = Bayesian optimisation, "random", "grid"). @default "gp" */
  sampler?: Sampler | SamplerName;
  /** A pruner or its name. @default "none" */
  pruner?: Pruner | PrunerName;
  /**
   * A storage, or a string: a `postgresql://user:password@host:port/db` URL for a
   * {@link PostgresStorage} (several hosts), else a path for a {@link JournalFileStorage}. @default in memory
   */
  storage?: Storage | string;
  /** Seed of every random draw in the study (trial k always gets the same stream). @default 0 */
  seed?: number;
  /** Seconds between the heartbeats a running trial records. @default 30 */
  heartbeatInterval?: number;
  /**
   * A running trial whose last heartbeat is older than this many seconds is failed (its worker is
   * taken for dead) by the next worker that starts a trial. Use the same value on every worker.
   * Heartbeats run on the event loop: an objective that blocks it for longer (a long synchronous
   * loop; `train()` yields between batches) looks dead. @default 2 × heartbeatInterval
   */
  gracePeriod?: number;
  /** How many times a trial failed that way is run again with the same parameters, as a new trial. @default 0 */
  retryFailedTrials?: number;
}

/** The study settings that are not storage, sampler or space, resolved. */
interface Liveness {
  heartbeatInterval: number;
  gracePeriod: number;
  retryFailedTrials: number;
}

/** Options of `study.optimize`: how many trials or how long, and which errors only fail a trial. */
export interface OptimizeOptions<P extends Params = Params> {
  /** Trials this call runs at most. @default unlimited (then `timeoutSeconds` is required) */
  nTrials?: number;
  /** Stop starting new trials after this many seconds. @default unlimited */
  timeoutSeconds?: number;
  /** Stop when the study holds this many trials in total, counting other workers' (for shared journals). */
  maxTotalTrials?: number;
  /**
   * Errors that only fail their trial, after which the study goes on (Optuna's `catch`): error
   * classes (matched with `instanceof`) or error names (matched against the error's class and
   * its parents, for worker configs, which are JSON). Any other error the objective throws fails
   * its trial and is re-thrown by `optimize`; train()'s NumericError (a diverged run) always
   * goes on, as a returned NaN does. @default []
   */
  catch?: readonly (ErrorClass | string)[];
  /** Called after each trial that ends without stopping `optimize`, with its final record. */
  onTrialEnd?: (trial: FrozenTrial<P>, study: Study<P>) => void | Promise<void>;
  /** Print one line per finished trial. @default false */
  verbose?: boolean;
  /**
   * Aborting it acts like the kernel's interrupt (which is always honoured): the running trial
   * fails as interrupted and `optimize` returns with stopReason "interrupted". To let the
   * running trial finish and count, call `study.stop()` instead.
   */
  signal?: AbortSignal;
}

/** Why `optimize` returned. */
export type StopReason = "nTrials" | "timeout" | "maxTotalTrials" | "exhausted" | "stopped" | "interrupted";

/** What `study.optimize` returns: the trials it ran and why it stopped. */
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

/** How a trial ended, and whether `optimize` has to stop with an error. */
interface Ending {
  state: "complete" | "pruned" | "fail";
  value: number | null;
  error: string | null;
  /** Set when `optimize` re-throws the objective's error after recording the trial. */
  rethrow: { error: unknown } | null;
  /** The kernel interrupt (or `signal`) came while the trial ran: `optimize` stops after recording it. */
  interrupted: boolean;
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** True when `e` is an instance of one of the classes, or has one of the names in its class chain. */
function listed(e: unknown, list: readonly (ErrorClass | string)[]): boolean {
  if (e === null || typeof e !== "object") return false;
  for (const c of list) {
    if (typeof c === "function" && e instanceof c) return true;
    if (typeof c === "string") {
      if ((e as { name?: unknown }).name === c) return true;
      for (let proto: unknown = Object.getPrototypeOf(e); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
        if ((proto as { constructor?: { name?: unknown } }).constructor?.name === c) return true;
      }
    }
  }
  return false;
}

function checkCatch(list: unknown): readonly (ErrorClass | string)[] {
  if (!Array.isArray(list)) throw new ConfigError(`\`catch\` must be an array of error classes, got ${show(list)}.`);
  list.forEach((c: unknown, i) => {
    if (typeof c !== "function" && (typeof c !== "string" || c.length === 0)) {
      throw new ConfigError(`\`catch[${i}]\` must be an error class (such as RangeError) or an error name, got ${show(c)}.`);
    }
  });
  return list as readonly (ErrorClass | string)[];
}

/**
 * A study; create with {@link createStudy}. `P` is the type of its trials' parameters, taken from
 * its declared space (any `Params` for define-by-run studies).
 * @example
 * const study = await createStudy({ space: { x: floatParam(-2, 2) }, seed: 1 });
 * await study.optimize((t) => t.params.x ** 2, { nTrials: 10 });
 * study.bestTrial.params.x; study.trialsTable().print();
 */
export class Study<P extends Params = Params> implements TrialHost, StudyData {
  readonly name: string;
  readonly direction: Direction;
  readonly space: SearchSpace<P> | null;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: Storage;
  readonly seed: number;
  /** Heartbeat interval, grace period (seconds) and retries of trials whose worker died. */
  readonly liveness: Readonly<Liveness>;
  readonly #rng: Rng;
  /** Number of `optimize` calls running (several may run at once on one study). */
  #running = 0;
  #stopRequested = false;

  /** Use {@link createStudy}. */
  constructor(o: { name: string; direction: Direction; space: SearchSpace<P> | null; sampler: Sampler; pruner: Pruner; storage: Storage; seed: number; liveness: Liveness }) {
    this.name = o.name;
    this.direction = o.direction;
    this.space = o.space;
    this.sampler = o.sampler;
    this.pruner = o.pruner;
    this.storage = o.storage;
    this.seed = o.seed;
    this.liveness = { ...o.liveness };
    this.#rng = new Rng(o.seed);
  }

  /** The study's name, for TrialHost. */
  get studyName(): string {
    return this.name;
  }

  /**
   * Every trial as this process last read or wrote them (copies), without I/O. A journal file is
   * read again on each access; for a study other hosts run on PostgreSQL, `await study.refresh()`
   * first (or follow it with `watchStudy`).
   */
  get trials(): readonly FrozenTrial<P>[] {
    // the declared parameters were drawn from this study's space, the one P was taken from
    return this.storage.cachedTrials(this.name) as FrozenTrial<P>[];
  }

  /**
   * Reads the trials from the storage now (other workers' too) and returns them.
   * @example
   * declare const study: Study;
   * await study.refresh(); study.trialsTable();
   */
  async refresh(): Promise<readonly FrozenTrial<P>[]> {
    return (await this.storage.trials(this.name)) as FrozenTrial<P>[];
  }

  /** Completed trials with a finite value, best first. Failed trials (errors, NaN, interrupts) never count. */
  completedTrials(): FrozenTrial<P>[] {
    const sign = this.direction === "minimize" ? 1 : -1;
    return this.trials
      .filter((t) => t.state === "complete" && t.value !== null && Number.isFinite(t.value))
      .sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
  }

  /** The `k` best completed trials, best first (for ensembles and refits). */
  topTrials(k: number): FrozenTrial<P>[] {
    positiveInt("k", k);
    return this.completedTrials().slice(0, k);
  }

  /** The best completed trial. Throws while no trial has completed. */
  get bestTrial(): FrozenTrial<P> {
    const best = this.completedTrials()[0];
    if (!best) throw new LabError(`Study ${show(this.name)} has no completed trial yet (${this.trials.length} trials in total).`);
    return best;
  }

  /** Parameters of the best trial. */
  get bestParams(): P {
    return { ...this.bestTrial.params };
  }

  /** Objective value of the best trial. */
  get bestValue(): number {
    return this.bestTrial.value as number;
  }

  /**
   * Marks trials whose worker is gone as failed, so they are neither lost nor counted as
   * finished: running trials of processes on this machine that no longer exist (a crash or
   * kill -9), and running trials on any host with no heartbeat for longer than `gracePeriod`.
   * Returns their numbers. `optimize` calls it before each trial.
   */
  async failStaleTrials(): Promise<number[]> {
    const me = thisWorker();
    const graceMs = this.liveness.gracePeriod * 1000;
    const why = (t: FrozenTrial): string | null => {
      if (t.state !== "running" || !t.worker || (t.worker.host === me.host && t.worker.pid === me.pid)) return null;
      if (t.worker.host === me.host && !processAlive(t.worker.pid)) return `The worker process (pid ${t.worker.pid}) ended while this trial was running.`;
      const last = Date.parse(t.heartbeat ?? t.start);
      const age = Date.now() - last;
      if (age > graceMs) return `No heartbeat from its worker (pid ${t.worker.pid} on ${t.worker.host}) for ${(age / 1000).toFixed(1)} s, more than the grace period of ${this.liveness.gracePeriod} s.`;
      return null;
    };
    const failed: number[] = [];
    for (const t of await this.storage.trials(this.name)) {
      const reason = why(t);
      if (reason === null) continue;
      // judged again under the storage's lock: a heartbeat may have come meanwhile
      if (await this.storage.finishTrial(this.name, t.number, { state: "fail", value: null, error: reason, stale: true }, (latest) => why(latest) !== null)) failed.push(t.number);
    }
    return failed;
  }

  /** A trial failed as stale that may still be retried, or null: the oldest first. */
  #retryable(trials: readonly FrozenTrial[]): FrozenTrial | null {
    const n = this.liveness.retryFailedTrials;
    if (n === 0) return null;
    const retried = new Set(trials.flatMap((t) => (t.retryOf !== undefined ? [t.retryOf] : [])));
    for (const t of trials) {
      if (t.state !== "fail" || !t.stale || retried.has(t.number)) continue;
      let depth = 0;
      for (let u: FrozenTrial | undefined = t; u?.retryOf !== undefined; u = trials[u.retryOf]) depth++;
      if (depth < n) return t;
    }
    return null;
  }

  /**
   * Asks the running `optimize` to start no new trial (Optuna's `study.stop()`): the running
   * trial finishes and counts, then `optimize` returns with stopReason "stopped". Call it from
   * the objective or from `onTrialEnd`.
   * @example
   * declare const study: Study;
   * declare const objective: Objective;
   * await study.optimize(objective, { nTrials: 100, onTrialEnd: (t, s) => { if ((t.value ?? Infinity) < 0.01) s.stop(); } });
   */
  stop(): void {
    if (this.#running === 0) throw new LabError(`Study ${show(this.name)} is not running optimize; stop() only ends a running optimize.`);
    this.#stopRequested = true;
  }

  /**
   * Runs trials until `nTrials` have run, `timeoutSeconds` have passed, the study holds
   * `maxTotalTrials`, the grid is exhausted or `study.stop()` is called. How a trial ends
   * follows Optuna's defaults:
   * - it returns a number: "complete";
   * - it throws {@link TrialPruned}: "pruned", with its last reported value;
   * - it returns NaN or no number, or its training diverges (train()'s NumericError): "fail",
   *   and the study goes on;
   * - it throws any other error: "fail" with the error recorded, and `optimize` re-throws the
   *   error, so a bug in the objective shows at once. List error classes in `catch` to fail only
   *   the trial and go on;
   * - the kernel is interrupted (or `signal` aborted) while it runs: "fail" with an error saying
   *   it was interrupted, whatever the objective returned (its training was cut short), and
   *   `optimize` stops, returning stopReason "interrupted" and printing what it did; the kernel
   *   then ends the cell with KeyboardInterrupt, as Optuna's Ctrl-C does. (It returns rather than
   *   throws, as `train()` does, so an interrupt in plain Node is not an error either.) Earlier
   *   trials are kept, `bestTrial` never comes from an interrupted trial, and a later `optimize`
   *   call continues the study.
   * @example
   * const study = await createStudy({ space: space({ x: floatParam(-5, 5) }), seed: 1 });
   * await study.optimize((t) => t.params.x ** 2, { nTrials: 20 });
   * study.bestParams; // { x: ≈0 }
   */
  async optimize(objective: Objective<P>, options: OptimizeOptions<P> = {}): Promise<OptimizeResult> {
    if (typeof objective !== "function") throw new ConfigError(`\`objective\` must be a function (trial) => number, got ${show(objective)}.`);
    const { nTrials, timeoutSeconds, maxTotalTrials } = options;
    if (nTrials !== undefined) positiveInt("nTrials", nTrials);
    if (timeoutSeconds !== undefined) nonNegativeNumber("timeoutSeconds", timeoutSeconds);
    if (maxTotalTrials !== undefined) positiveInt("maxTotalTrials", maxTotalTrials);
    if (nTrials === undefined && timeoutSeconds === undefined && maxTotalTrials === undefined) {
      throw new ConfigError("`optimize` needs a budget: give `nTrials`, `timeoutSeconds` or `maxTotalTrials`.");
    }
    const catchList = checkCatch(options.catch ?? []);
    if (this.sampler.name === "grid" && !this.space) {
      throw new ConfigError("The grid sampler needs a declared space: createStudy({ space: space({...}), sampler: \"grid\" }).");
    }
    // the kernel gives each cell a fresh signal: this call answers to the one of the cell it runs in
    const kernel = interruptSignal();
    const aborted = (): string | null => (kernel?.aborted ? "the kernel was interrupted" : options.signal?.aborted ? `the \`signal\` option was aborted: ${describeError(options.signal.reason)}` : null);
    this.#running++;
    if (this.#running === 1) this.#stopRequested = false;
    try {
      const t0 = Date.now();
      const ran: number[] = [];
      const budget = nTrials ?? maxTotalTrials ?? null;
      const ctx: SampleContext = { direction: this.direction, seed: this.seed, budget };
      const stop = (stopReason: StopReason, message: string): OptimizeResult => {
        if (options.verbose || stopReason === "exhausted" || stopReason === "interrupted") console.log(`[study ${this.name}] ${message}`);
        return { stopReason, message, trialNumbers: ran };
      };
      for (;;) {
        const interrupt = aborted();
        if (interrupt) return stop("interrupted", `Interrupted (${interrupt}) after ${ran.length} trials; the study is kept.`);
        if (this.#stopRequested) return stop("stopped", `Stopped by study.stop() after ${ran.length} trials.`);
        if (nTrials !== undefined && ran.length >= nTrials) return stop("nTrials", `Ran ${ran.length} trials.`);
        if (timeoutSeconds !== undefined && (Date.now() - t0) / 1000 >= timeoutSeconds) {
          return stop("timeout", `Time budget of ${timeoutSeconds} s used after ${ran.length} trials.`);
        }
        await this.failStaleTrials();
        let why: "total" | "exhausted" | null = null;
        let proposal: { params: Params; distributions: Record<string, Distribution> } = { params: {}, distributions: {} };
        const frozen = await this.storage.createTrial(
          this.name,
          (trials) => {
            if (maxTotalTrials !== undefined && trials.length >= maxTotalTrials) {
              why = "total";
              return null;
            }
            const retry = this.#retryable(trials);
            if (retry) {
              proposal = { params: { ...retry.params }, distributions: { ...retry.distributions } };
              return { ...proposal, retryOf: retry.number };
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
        const ending = await this.#run(objective, frozen, proposal, catchList, aborted);
        const done = (this.trials[frozen.number] ?? frozen) as FrozenTrial<P>;
        if (ending.state === "fail" && !ending.interrupted) {
          const then = ending.rethrow ? ", and optimize re-throws its error (list the class in `catch` to go on instead)" : "";
          console.warn(`[study ${this.name}] trial ${frozen.number} failed${then}: ${ending.error}`);
        }
        if (options.verbose) {
          const what = ending.state === "complete" ? `value ${ending.value}` : ending.state === "pruned" ? `pruned (last value ${ending.value})` : `failed: ${ending.error}`;
          console.log(`[study ${this.name}] trial ${frozen.number} ${what}, params ${show(done.params)}`);
        }
        if (ending.rethrow) throw ending.rethrow.error;
        if (ending.interrupted) {
          return stop("interrupted", `Interrupted while trial ${frozen.number} was running: it is stored as failed (cut short), the ${ran.length - 1} trials before it in this call are kept.`);
        }
        if (options.onTrialEnd) await options.onTrialEnd(done, this);
      }
    } finally {
      this.#running--;
    }
  }

  /** Runs the objective on one trial and records how it ended. */
  async #run(
    objective: Objective<P>,
    frozen: FrozenTrial,
    proposed: { params: Params; distributions: Record<string, Distribution> },
    catchList: readonly (ErrorClass | string)[],
    aborted: () => string | null,
  ): Promise<Ending> {
    // a retry runs the same random streams as the trial it retries
    const rng = this.#rng.fork(`trial:${frozen.retryOf ?? frozen.number}`);
    const trial = new Trial<P>(this, frozen, proposed, rng);
    let returned: unknown = undefined;
    let thrown: { error: unknown } | null = null;
    const beat = setInterval(() => trial.heartbeat(), this.liveness.heartbeatInterval * 1000);
    beat.unref?.();
    try {
      returned = await objective(trial);
    } catch (e) {
      thrown = { error: e };
    } finally {
      clearInterval(beat);
    }
    const ending = this.#judge(trial, returned, thrown, catchList, aborted());
    let writeError: { error: unknown } | null = null;
    try {
      await trial.flush();
    } catch (e) {
      writeError = { error: e };
    }
    const stored = await this.storage.finishTrial(this.name, frozen.number, ending, (t) => t.state === "running");
    if (!stored) {
      const now = (await this.storage.trials(this.name))[frozen.number];
      console.warn(`[study ${this.name}] trial ${frozen.number} was ended by another worker (${now?.error ?? now?.state}); this worker's result is not stored.`);
    } else if (writeError) {
      throw writeError.error;
    }
    return ending;
  }

  /** What the objective's result means for the trial; see {@link Study.optimize}. */
  #judge(trial: Trial<P>, returned: unknown, thrown: { error: unknown } | null, catchList: readonly (ErrorClass | string)[], interrupt: string | null): Ending {
    if (interrupt !== null) {
      const result = thrown ? `error (${describeError(thrown.error)})` : `result (${show(returned)})`;
      const error = `Interrupted while running (${interrupt}); the objective's ${result} is not used, since its training may have been cut short.`;
      return { state: "fail", value: null, error, rethrow: null, interrupted: true };
    }
    if (thrown && thrown.error instanceof TrialPruned) {
      const steps = Object.keys(trial.intermediate).map(Number).sort((a, b) => a - b);
      const last = steps[steps.length - 1];
      const value = last === undefined ? null : (trial.intermediate[last] as number);
      return { state: "pruned", value: value !== null && Number.isNaN(value) ? null : value, error: null, rethrow: null, interrupted: false };
    }
    if (thrown) {
      const goesOn = thrown.error instanceof NumericError || listed(thrown.error, catchList);
      return { state: "fail", value: null, error: describeError(thrown.error), rethrow: goesOn ? null : thrown, interrupted: false };
    }
    if (typeof returned !== "number" || Number.isNaN(returned)) {
      return { state: "fail", value: null, error: `The objective returned ${show(returned)} instead of a number.`, rethrow: null, interrupted: false };
    }
    return { state: "complete", value: returned, error: null, rethrow: null, interrupted: false };
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
 * const study = await createStudy({
 *   space: space({ lr: floatParam(1e-4, 1e-1, { log: true }), units: intParam(16, 128, { step: 16 }) }),
 *   sampler: "gp", pruner: "median", storage: "runs/tuning.jsonl", seed: 42, name: "lstm",
 * });
 */
export async function createStudy<const S extends SpaceInput | null = null>(options: StudyOptions<S> = {}): Promise<Study<ParamsOf<S>>> {
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
  const liveness = resolveLiveness(options);
  const storage = typeof options.storage === "object" && options.storage !== null ? checkHas("storage", options.storage, "createTrial") : openStorage(options.storage);
  const record = await storage.openStudy(name, direction);
  if (record.direction !== direction && options.direction !== undefined) {
    throw new ConfigError(`Study ${show(name)} already exists in ${storage.description} with direction "${record.direction}", not "${direction}".`);
  }
  // buildSpace checked the declaration; ParamsOf<S> is the type it describes
  return new Study<ParamsOf<S>>({ name, direction: record.direction, space: sp as SearchSpace<ParamsOf<S>> | null, sampler, pruner, storage, seed, liveness });
}

/**
 * Opens a study that already exists in `storage` (a {@link createStudy} that refuses to create
 * one): its direction comes from the storage. Throws, naming the studies there, when it is missing.
 * @example
 * // not run: needs a PostgreSQL server
 * const study = await loadStudy({ storage: "postgresql://lab@db.local:5432/tuning", name: "lstm" });
 * study.bestParams;
 */
export async function loadStudy<const S extends SpaceInput | null = null>(options: Omit<StudyOptions<S>, "direction"> & { name: string; storage: Storage | string }): Promise<Study<ParamsOf<S>>> {
  const storage = typeof options.storage === "object" && options.storage !== null ? checkHas("storage", options.storage, "createTrial") : openStorage(options.storage);
  const record = await storage.getStudy(options.name);
  if (!record) {
    const names = await storage.studyNames();
    throw new ConfigError(`No study named ${show(options.name)} in ${storage.description}; it holds ${names.length === 0 ? "no study" : names.map((n) => show(n)).join(", ")}.`);
  }
  return createStudy({ ...options, storage, direction: record.direction });
}

const LIVENESS_DEFAULTS = { heartbeatInterval: 30, retryFailedTrials: 0 };

function resolveLiveness(o: StudyOptions<SpaceInput | null>): Liveness {
  const heartbeatInterval = o.heartbeatInterval ?? LIVENESS_DEFAULTS.heartbeatInterval;
  if (typeof heartbeatInterval !== "number" || !(heartbeatInterval > 0) || !Number.isFinite(heartbeatInterval)) {
    throw new ConfigError(`\`heartbeatInterval\` must be a positive number of seconds, got ${show(heartbeatInterval)}.`);
  }
  const gracePeriod = o.gracePeriod ?? 2 * heartbeatInterval;
  if (typeof gracePeriod !== "number" || !(gracePeriod > heartbeatInterval) || !Number.isFinite(gracePeriod)) {
    throw new ConfigError(`\`gracePeriod\` must be a number of seconds greater than \`heartbeatInterval\` (${heartbeatInterval}), got ${show(gracePeriod)}.`);
  }
  const retryFailedTrials = o.retryFailedTrials ?? LIVENESS_DEFAULTS.retryFailedTrials;
  if (!Number.isInteger(retryFailedTrials) || retryFailedTrials < 0) throw new ConfigError(`\`retryFailedTrials\` must be a non-negative integer, got ${show(retryFailedTrials)}.`);
  return { heartbeatInterval, gracePeriod, retryFailedTrials };
}

function checkHas<T extends object>(what: string, v: T, method: string): T {
  if (v === null || typeof v !== "object" || typeof (v as Record<string, unknown>)[method] !== "function") {
    throw new ConfigError(`\`${what}\` must be a name or an object with a ${method}() method, got ${show(v)}.`);
  }
  return v;
}

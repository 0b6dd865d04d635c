/**
 * What every storage shares: the {@link Storage} contract written once over an operation log.
 * A subclass says how to read operations appended by others (`pull`) and how to append one
 * atomically (`append`: under the storage's lock, catch up, build the operation from the fresh
 * state, check it, persist it). The reducer is {@link StudyState}, the same for every storage.
 */
import type { Direction, Distribution, FrozenTrial, ParamValue, WorkerInfo } from "../frozen-trial.js";
import type { Storage, StorageOp, StudyRecord, TrialEnding, TrialProposal } from "./storage.js";
import { StudyState } from "./study-state.js";

/** Builds the operation to append from the state read under the lock; null appends nothing. */
export type OpBuilder = (state: StudyState) => StorageOp | null;

const now = (): string => new Date().toISOString();

/**
 * The base of every storage; a new backend implements `pull`, `append` and `close`.
 * @example
 * declare function readNewOps(study: string | null): Promise<StorageOp[]>;
 * declare function withLock<T>(study: string, f: () => Promise<T>): Promise<T>;
 * declare function persist(op: StorageOp): Promise<void>;
 * class MyStorage extends OpLogStorage {
 *   readonly description = "my store";
 *   protected async pull(study: string | null) { for (const op of await readNewOps(study)) this.state.apply(op); }
 *   protected async append(study: string, build: OpBuilder) {
 *     return withLock(study, async () => { await this.pull(study); const op = build(this.state); if (op) { this.state.check(op); await persist(op); this.state.apply(op); } return op; });
 *   }
 *   async close() {}
 * }
 */
export abstract class OpLogStorage implements Storage {
  abstract readonly description: string;
  /** The replica every read answers from. */
  protected readonly state = new StudyState();

  /** Reads the operations on `study` (or on every study, for `null`) appended since the last pull. */
  protected abstract pull(study: string | null): Promise<void>;
  /**
   * Under the lock that serialises writers of `study`: pull, `build` the op from the fresh
   * state, `state.check` it, persist it, apply it. Returns the op written, or null.
   */
  protected abstract append(study: string, build: OpBuilder): Promise<StorageOp | null>;
  abstract close(): Promise<void>;

  async openStudy(name: string, direction: Direction): Promise<StudyRecord> {
    await this.pull(name);
    const existing = this.state.record(name);
    if (existing) return existing;
    await this.append(name, (s) => (s.record(name) ? null : { op: "create_study", study: name, direction, time: now() }));
    return this.state.record(name) as StudyRecord;
  }

  async getStudy(name: string): Promise<StudyRecord | null> {
    await this.pull(name);
    return this.state.record(name);
  }

  async studyNames(): Promise<string[]> {
    await this.pull(null);
    return this.state.names();
  }

  async trials(study: string): Promise<readonly FrozenTrial[]> {
    await this.pull(study);
    return this.state.trials(study);
  }

  cachedTrials(study: string): readonly FrozenTrial[] {
    return this.state.trials(study);
  }

  async createTrial(study: string, propose: (trials: readonly FrozenTrial[]) => TrialProposal | null, worker: WorkerInfo): Promise<FrozenTrial | null> {
    const op = await this.append(study, (s) => {
      const p = propose(s.trials(study));
      if (!p) return null;
      return {
        op: "create_trial",
        study,
        number: s.nextNumber(study),
        params: p.params,
        distributions: p.distributions,
        time: now(),
        worker,
        ...(p.retryOf !== undefined ? { retryOf: p.retryOf } : {}),
      };
    });
    if (!op || op.op !== "create_trial") return null;
    return this.state.trials(study)[op.number] as FrozenTrial;
  }

  async setParam(study: string, number: number, name: string, value: ParamValue, distribution: Distribution): Promise<void> {
    await this.append(study, () => ({ op: "set_param", study, number, name, value, distribution }));
  }

  async report(study: string, number: number, step: number, value: number): Promise<void> {
    await this.append(study, () => ({ op: "report", study, number, step, value }));
  }

  async setUserAttr(study: string, number: number, key: string, value: unknown): Promise<void> {
    await this.append(study, () => ({ op: "set_user_attr", study, number, key, value: structuredClone(value) }));
  }

  async heartbeat(study: string, number: number): Promise<void> {
    // a trial another worker has already ended needs no heartbeat: write nothing rather than fail
    await this.append(study, (s) => (s.trial(study, number)?.state === "running" ? { op: "heartbeat", study, number, time: now() } : null));
  }

  async finishTrial(study: string, number: number, ending: TrialEnding, onlyIf?: (trial: FrozenTrial) => boolean): Promise<boolean> {
    const op = await this.append(study, (s) => {
      if (onlyIf) {
        const t = s.trial(study, number);
        if (!t || !onlyIf(t)) return null;
      }
      return { op: "finish", study, number, state: ending.state, value: ending.value, error: ending.error, time: now(), ...(ending.stale ? { stale: true } : {}) };
    });
    return op !== null;
  }
}

/**
 * The storage contract: where a study's trials live. Every storage is an append-only log of
 * operations (the in-memory list, the lines of a journal file, the rows of a PostgreSQL table)
 * replayed through one reducer, {@link StudyState}; they differ only in how an operation is
 * appended atomically and how other writers' operations are read back.
 *
 * The contract is async, since a database is on the other end of a connection. Each storage
 * also keeps the state it read last, so `cachedTrials` answers at once without I/O (this is what
 * `study.trials` returns; `await study.refresh()` reads the storage again).
 */
import type { Direction, Distribution, FrozenTrial, ParamValue, TrialState, WorkerInfo } from "../frozen-trial.js";

/** A study as storage knows it. */
export interface StudyRecord {
  name: string;
  direction: Direction;
  /** ISO time of creation. */
  created: string;
}

/** One change to a study: a line of the journal, a row of the PostgreSQL log. */
export type StorageOp =
  | { op: "create_study"; study: string; direction: Direction; time: string }
  | {
      op: "create_trial";
      study: string;
      number: number;
      params: Record<string, ParamValue>;
      distributions: Record<string, Distribution>;
      time: string;
      /** The process that claimed it; absent for trials another program (Optuna) created. */
      worker?: WorkerInfo;
      /** The number of the failed trial whose parameters this one runs again. */
      retryOf?: number;
    }
  | { op: "set_param"; study: string; number: number; name: string; value: ParamValue; distribution: Distribution }
  | { op: "report"; study: string; number: number; step: number; value: number }
  | { op: "set_user_attr"; study: string; number: number; key: string; value: unknown }
  | { op: "heartbeat"; study: string; number: number; time: string }
  | {
      op: "finish";
      study: string;
      number: number;
      state: Exclude<TrialState, "running">;
      value: number | null;
      error: string | null;
      time: string;
      /** Set when another worker failed the trial because its heartbeat stopped. */
      stale?: boolean;
    };

/** What a new trial starts with: the parameters proposed by the sampler (possibly none yet). */
export interface TrialProposal {
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  /** The failed trial this one retries, if it is a retry. */
  retryOf?: number;
}

/** How a trial ends, for {@link Storage.finishTrial}. */
export interface TrialEnding {
  state: Exclude<TrialState, "running">;
  value: number | null;
  error: string | null;
  /** The trial was failed by another worker because its heartbeat stopped. */
  stale?: boolean;
}

/** Where a study's trials live (memory, a journal file, PostgreSQL); workers share one. */
export interface Storage {
  /** Short description for printing ("in-memory", "journal /tmp/x.jsonl", "postgresql://lab@db:5432/tune"); never a password. */
  readonly description: string;
  /** Creates the study if new; returns the stored record (its direction wins if it existed). */
  openStudy(name: string, direction: Direction): Promise<StudyRecord>;
  /** The study, or null if it does not exist. */
  getStudy(name: string): Promise<StudyRecord | null>;
  /** Names of every study in this storage. */
  studyNames(): Promise<string[]>;
  /** Every trial of the study, in number order, read from the storage now. */
  trials(study: string): Promise<readonly FrozenTrial[]>;
  /** The trials as this object last read or wrote them, without I/O. */
  cachedTrials(study: string): readonly FrozenTrial[];
  /**
   * Atomically reads the latest trials, asks `propose` for the new trial's parameters (null means
   * "create nothing": budget reached or grid exhausted), and records the new running trial with
   * the next number: two workers never get the same number and no number is skipped.
   */
  createTrial(study: string, propose: (trials: readonly FrozenTrial[]) => TrialProposal | null, worker: WorkerInfo): Promise<FrozenTrial | null>;
  /** Records one more parameter of a running trial (define-by-run). */
  setParam(study: string, number: number, name: string, value: ParamValue, distribution: Distribution): Promise<void>;
  /** Records an intermediate value. */
  report(study: string, number: number, step: number, value: number): Promise<void>;
  /** Attaches a JSON-able value to a trial. */
  setUserAttr(study: string, number: number, key: string, value: unknown): Promise<void>;
  /** Records that the worker running the trial is alive. */
  heartbeat(study: string, number: number): Promise<void>;
  /**
   * Ends a running trial. With `onlyIf`, the trial is ended only if `onlyIf` holds for its latest
   * state (read under the same lock as the write); returns whether it was ended.
   */
  finishTrial(study: string, number: number, ending: TrialEnding, onlyIf?: (trial: FrozenTrial) => boolean): Promise<boolean>;
  /**
   * Calls `listener` when other writers may have changed the study (PostgreSQL's NOTIFY), for
   * live views; returns the function that stops listening. Storages that cannot push omit it.
   */
  subscribe?(study: string, listener: () => void): Promise<() => Promise<void>>;
  /** Releases connections and timers; the object cannot be used afterwards. */
  close(): Promise<void>;
}

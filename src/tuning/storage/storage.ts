/**
 * The storage contract: where a study's trials live. Every change is one operation (the same
 * operations the journal file writes as JSON lines), so in-memory and file storages replay them
 * through one reducer, {@link StudyState}.
 */
import type { Direction, Distribution, FrozenTrial, ParamValue, TrialState, WorkerInfo } from "../trial.js";

/** A study as storage knows it. */
export interface StudyRecord {
  name: string;
  direction: Direction;
  /** ISO time of creation. */
  created: string;
}

/** One change to a study: a line of the journal. */
export type StorageOp =
  | { op: "create_study"; study: string; direction: Direction; time: string }
  | { op: "create_trial"; study: string; number: number; params: Record<string, ParamValue>; distributions: Record<string, Distribution>; time: string; worker: WorkerInfo }
  | { op: "set_param"; study: string; number: number; name: string; value: ParamValue; distribution: Distribution }
  | { op: "report"; study: string; number: number; step: number; value: number }
  | { op: "set_user_attr"; study: string; number: number; key: string; value: unknown }
  | { op: "finish"; study: string; number: number; state: Exclude<TrialState, "running">; value: number | null; error: string | null; time: string };

/** What a new trial starts with: the parameters proposed by the sampler (possibly none yet). */
export interface TrialProposal {
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
}

export interface Storage {
  /** Short description for printing ("in-memory", "journal /tmp/x.jsonl"). */
  readonly description: string;
  /** Creates the study if new; returns the stored record (its direction wins if it existed). */
  openStudy(name: string, direction: Direction): StudyRecord;
  /** The study, or null if it does not exist. */
  getStudy(name: string): StudyRecord | null;
  /** Names of every study in this storage. */
  studyNames(): string[];
  /** Every trial of the study, in number order, as of now. */
  trials(study: string): readonly FrozenTrial[];
  /**
   * Atomically reads the latest trials, asks `propose` for the new trial's parameters (null means
   * "create nothing": budget reached or grid exhausted), and records the new running trial.
   */
  createTrial(study: string, propose: (trials: readonly FrozenTrial[]) => TrialProposal | null, worker: WorkerInfo): FrozenTrial | null;
  /** Records one more parameter of a running trial (define-by-run). */
  setParam(study: string, number: number, name: string, value: ParamValue, distribution: Distribution): void;
  /** Records an intermediate value. */
  report(study: string, number: number, step: number, value: number): void;
  /** Attaches a JSON-able value to a trial. */
  setUserAttr(study: string, number: number, key: string, value: unknown): void;
  /** Ends a trial. */
  finishTrial(study: string, number: number, state: Exclude<TrialState, "running">, value: number | null, error: string | null): void;
}

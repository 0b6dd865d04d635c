/**
 * The data a study is made of: parameter distributions, parameter values and finished trials.
 * Plain JSON, so storages can write it and plots can read it.
 */

/** A search dimension. Conditional parameters are handled by the space, not the distribution. */
export type Distribution =
  | { kind: "float"; low: number; high: number; log?: boolean; step?: number }
  | { kind: "int"; low: number; high: number; step?: number; log?: boolean }
  | { kind: "categorical"; choices: readonly (string | number | boolean)[] };

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

export type Direction = "minimize" | "maximize";

export type TrialState = "running" | "complete" | "pruned" | "fail";

/** A trial as stored: what was tried and what came out. */
export interface FrozenTrial {
  /** 0-based, in order of creation within the study. */
  number: number;
  state: TrialState;
  /** The parameters this trial used (only the active ones for conditional spaces). */
  params: Params;
  /** The distribution each parameter was drawn from. */
  distributions: Record<string, Distribution>;
  /** Objective value for complete trials; the last reported value for pruned ones; null otherwise. */
  value: number | null;
  /** Intermediate values reported with `trial.report(step, value)`, by step. */
  intermediate: Record<number, number>;
  /** ISO timestamps. */
  start: string;
  end: string | null;
  /** Failure message for failed trials. */
  error: string | null;
  /** Free-form values the objective attached (e.g. cv fold scores). */
  userAttrs: Record<string, unknown>;
  /** The process that ran the trial, so a crashed worker's trial can be told from a live one. */
  worker?: WorkerInfo;
}

/** Identifies the process running a trial. */
export interface WorkerInfo {
  pid: number;
  host: string;
}

/** What plots and reports need from a study. */
export interface StudyData {
  name: string;
  direction: Direction;
  trials: readonly FrozenTrial[];
}

/**
 * The data a study is made of: parameter distributions, parameter values and finished trials.
 * Plain JSON, so storages can write it and plots can read it.
 */

export type ParamValue = string | number | boolean;
/** A trial's parameters by name. */
export type Params = Record<string, ParamValue>;

/** A float dimension in [low, high]. */
export interface FloatDistribution {
  kind: "float";
  low: number;
  high: number;
  log?: boolean;
  step?: number;
}

/** An integer dimension in [low, high], both included. */
export interface IntDistribution {
  kind: "int";
  low: number;
  high: number;
  step?: number;
  log?: boolean;
}

/** One of a list of choices; `T` is the union of the choices when they are literals. */
export interface CategoricalDistribution<T extends ParamValue = ParamValue> {
  kind: "categorical";
  choices: readonly T[];
}

/** A search dimension. Conditional parameters are handled by the space, not the distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/**
 * The type of the values a distribution yields: `number` for float and int, the union of the
 * choices for a categorical one.
 * const opt = categoricalParam(["adam", "rmsprop"]);
 * type Opt = DistributionValue<typeof opt>; // "adam" | "rmsprop"
 */
export type DistributionValue<D> = D extends CategoricalDistribution<infer T> ? T : D extends FloatDistribution | IntDistribution ? number : ParamValue;

/** Whether a study minimizes or maximizes its objective. */
export type Direction = "minimize" | "maximize";

/** Where a trial stands: running, or finished as complete, pruned or failed. */
export type TrialState = "running" | "complete" | "pruned" | "fail";

/**
 * A trial as stored: what was tried and what came out. `P` is the parameters' type when the
 * study declared a space (see `ParamsOf`), else any `Params`.
 */
export interface FrozenTrial<P extends Params = Params> {
  /** 0-based, in order of creation within the study. */
  number: number;
  /**
   * "complete": the objective returned a number; "pruned": it threw TrialPruned; "fail": it threw,
   * returned NaN or a non-number, or the kernel was interrupted while it ran (`error` says which);
   * "running": not finished (or its process died; see `Study.failStaleTrials`).
   */
  state: TrialState;
  /** The parameters this trial used (only the active ones for conditional spaces). */
  params: P;
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
  /** ISO time of the running trial's last heartbeat (see `StudyOptions.heartbeatInterval`). */
  heartbeat?: string;
  /** The failed trial whose parameters this trial runs again (see `StudyOptions.retryFailedTrials`). */
  retryOf?: number;
  /** True when another worker failed this trial because its heartbeat stopped (its worker died). */
  stale?: boolean;
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

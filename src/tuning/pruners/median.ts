/**
 * Median stopping (Optuna's MedianPruner): at a step, prune when the trial's best value so far
 * is worse than the median of the completed trials' values at that same step.
 */
import { nonNegativeInt, positiveInt } from "../../validate.js";
import type { Direction, FrozenTrial } from "../frozen-trial.js";
import type { Pruner } from "./pruner.js";
import { reportedSteps } from "./pruner.js";

/** Options of {@link MedianPruner}, as Optuna's MedianPruner. */
export interface MedianPrunerOptions {
  /** No pruning until this many trials have completed. @default 5 */ nStartupTrials?: number;
  /** No pruning of a trial before this step. @default 0 */ nWarmupSteps?: number;
  /** Consider pruning only every this many steps (from the warm-up on). @default 1 */ intervalSteps?: number;
  /** Minimum completed trials that reported at the step for the median to count. @default 1 */ nMinTrials?: number;
}

const DEFAULTS: Required<MedianPrunerOptions> = { nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1 };

/** The median of a non-empty list. */
function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Prunes trials worse than the median of completed trials at the same step.
 * @example
 * const study = await createStudy({ space: { x: floatParam(0, 1) }, pruner: new MedianPruner({ nStartupTrials: 5, nWarmupSteps: 2 }) });
 */
export class MedianPruner implements Pruner {
  readonly name = "median";
  readonly options: Required<MedianPrunerOptions>;

  constructor(options: MedianPrunerOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    nonNegativeInt("nStartupTrials", o.nStartupTrials);
    nonNegativeInt("nWarmupSteps", o.nWarmupSteps);
    positiveInt("intervalSteps", o.intervalSteps);
    positiveInt("nMinTrials", o.nMinTrials);
    this.options = o;
  }

  prune(trial: FrozenTrial, trials: readonly FrozenTrial[], direction: Direction): boolean {
    const steps = reportedSteps(trial);
    if (steps.length === 0) return false;
    const step = steps[steps.length - 1] as number;
    const { nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials } = this.options;
    if (step < nWarmupSteps) return false;
    if ((step - nWarmupSteps) % intervalSteps !== 0) return false;
    const completed = trials.filter((t) => t.state === "complete" && t.number !== trial.number);
    if (completed.length < nStartupTrials) return false;
    const current = steps.map((s) => trial.intermediate[s] as number);
    if (current.some((v) => Number.isNaN(v))) return true;
    const best = direction === "minimize" ? Math.min(...current) : Math.max(...current);
    const atStep = completed.map((t) => t.intermediate[step]).filter((v): v is number => typeof v === "number" && !Number.isNaN(v));
    if (atStep.length < nMinTrials) return false;
    const m = median(atStep);
    return direction === "minimize" ? best > m : best < m;
  }
}

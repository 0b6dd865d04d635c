/** Reading a study for plots: finished trials, parameter names, and parameter values as numbers. */
import { ConfigError, DataError } from "../errors.js";
import type { Distribution, FrozenTrial, ParamValue, StudyData } from "../tuning/frozen-trial.js";

/** Complete trials with a finite value, in trial order. */
export function completeTrials(study: StudyData): FrozenTrial[] {
  return study.trials.filter((t) => t.state === "complete" && t.value !== null && Number.isFinite(t.value)).sort((a, b) => a.number - b.number);
}

/** Complete trials, or a DataError naming the study when there are none. */
export function requireCompleteTrials(study: StudyData, min = 1): FrozenTrial[] {
  const done = completeTrials(study);
  if (done.length < min) {
    throw new DataError(`Study ${JSON.stringify(study.name)} has ${done.length} complete trial${done.length === 1 ? "" : "s"} (of ${study.trials.length}); need at least ${min}.`);
  }
  return done;
}

/** Parameter names used by `trials` (first-seen order), checked against `wanted` when given. */
export function paramNames(trials: readonly FrozenTrial[], wanted?: readonly string[]): string[] {
  const seen: string[] = [];
  for (const t of trials) for (const k of Object.keys(t.params)) if (!seen.includes(k)) seen.push(k);
  if (!wanted) return seen;
  for (const w of wanted) if (!seen.includes(w)) throw new ConfigError(`Unknown parameter ${JSON.stringify(w)}; the study's parameters are: ${seen.join(", ") || "(none)"}.`);
  return [...wanted];
}

/** The distribution of `name` (from the first trial that has it). */
export function distributionOf(trials: readonly FrozenTrial[], name: string): Distribution | undefined {
  for (const t of trials) if (t.distributions[name]) return t.distributions[name];
  return undefined;
}

/** True for distributions whose values are categories rather than numbers. */
export function isCategorical(d: Distribution | undefined, values: readonly ParamValue[]): boolean {
  return d?.kind === "categorical" || values.some((v) => typeof v !== "number");
}

/** Category labels of a categorical parameter, in the distribution's order (then first seen). */
export function categories(d: Distribution | undefined, values: readonly (ParamValue | undefined)[]): string[] {
  const out = d?.kind === "categorical" ? d.choices.map(String) : [];
  for (const v of values) if (v !== undefined && !out.includes(String(v))) out.push(String(v));
  return out;
}

/** True when the optimisation direction is maximize. */
export const maximizes = (study: StudyData): boolean => study.direction === "maximize";

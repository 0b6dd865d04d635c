/**
 * Asynchronous successive halving (ASHA, Optuna's SuccessiveHalvingPruner). Rung k sits at step
 * minResource · reductionFactor^(minEarlyStoppingRate + k). When a trial first reaches a rung,
 * its value there is compared with every trial that reached that rung: it goes on only if it is
 * in the top 1/reductionFactor (or, while fewer than reductionFactor trials are there, the best).
 * Rung values are read from the reported intermediate values, so no extra state is stored.
 */
import { nonNegativeInt, positiveInt } from "../../validate.js";
import { ConfigError } from "../../errors.js";
import type { Direction, FrozenTrial } from "../frozen-trial.js";
import type { Pruner } from "./pruner.js";
import { reportedSteps } from "./pruner.js";

/** Options of {@link SuccessiveHalvingPruner} (ASHA), as Optuna's SuccessiveHalvingPruner. */
export interface SuccessiveHalvingPrunerOptions {
  /** Steps every trial gets before its first comparison. @default 1 */ minResource?: number;
  /** Keep the best 1/reductionFactor at each rung. @default 4 */ reductionFactor?: number;
  /** Shifts the first rung up by this many powers of the reduction factor. @default 0 */ minEarlyStoppingRate?: number;
}

const DEFAULTS: Required<SuccessiveHalvingPrunerOptions> = { minResource: 1, reductionFactor: 4, minEarlyStoppingRate: 0 };

/** Value of `t` at rung step `r`: the first reported step ≥ r, with that step. */
function rungEntry(t: FrozenTrial, steps: number[], r: number): { step: number; value: number } | null {
  const s = steps.find((x) => x >= r);
  return s === undefined ? null : { step: s, value: t.intermediate[s] as number };
}

/**
 * ASHA pruning on reported intermediate values.
 * @example
 * const study = await createStudy({ space: { x: floatParam(0, 1) }, pruner: new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 3 }) });
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = "asha";
  readonly options: Required<SuccessiveHalvingPrunerOptions>;

  constructor(options: SuccessiveHalvingPrunerOptions = {}) {
    const o = { ...DEFAULTS, ...options };
    positiveInt("minResource", o.minResource);
    positiveInt("reductionFactor", o.reductionFactor);
    if (o.reductionFactor < 2) throw new ConfigError(`\`reductionFactor\` must be at least 2, got ${o.reductionFactor}.`);
    nonNegativeInt("minEarlyStoppingRate", o.minEarlyStoppingRate);
    this.options = o;
  }

  /** The step of rung `k`. */
  rungStep(k: number): number {
    const { minResource, reductionFactor, minEarlyStoppingRate } = this.options;
    return minResource * reductionFactor ** (minEarlyStoppingRate + k);
  }

  prune(trial: FrozenTrial, trials: readonly FrozenTrial[], direction: Direction): boolean {
    const steps = reportedSteps(trial);
    if (steps.length === 0) return false;
    const last = steps[steps.length - 1] as number;
    if (Number.isNaN(trial.intermediate[last] as number)) return true;
    const others = trials.filter((t) => t.number !== trial.number).map((t) => ({ t, steps: reportedSteps(t) }));
    for (let k = 0; this.rungStep(k) <= last; k++) {
      const r = this.rungStep(k);
      const mine = rungEntry(trial, steps, r) as { step: number; value: number };
      if (mine.step !== last) continue; // this rung was judged at an earlier report
      const competing = [mine.value];
      for (const o of others) {
        const e = rungEntry(o.t, o.steps, r);
        if (e && !Number.isNaN(e.value)) competing.push(e.value);
      }
      let idx = Math.floor(competing.length / this.options.reductionFactor) - 1;
      if (idx < 0) idx = 0;
      competing.sort((a, b) => a - b);
      const promotable = direction === "minimize" ? mine.value <= (competing[idx] as number) : mine.value >= (competing[competing.length - 1 - idx] as number);
      if (!promotable) return true;
    }
    return false;
  }
}

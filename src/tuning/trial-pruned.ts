/** Thrown by an objective to say "this trial was pruned" (Optuna's TrialPruned). */
import { LabError } from "../errors.js";

/**
 * Throw from an objective when `trial.shouldPrune()` says so; the study records the trial as
 * pruned (with its last reported value) and goes on.
 * @example
 * declare const trial: Trial, epoch: number, valLoss: number;
 * trial.report(epoch, valLoss);
 * if (trial.shouldPrune()) throw new TrialPruned(`pruned at epoch ${epoch}`);
 */
export class TrialPruned extends LabError {
  override name = "TrialPruned";
  constructor(message = "Trial was pruned.") {
    super(message);
  }
}

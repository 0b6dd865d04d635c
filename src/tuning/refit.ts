/**
 * Refit the winner: train the best parameters once more, on training and validation data
 * together, for the final model (KerasTuner's "retrain the best hyperparameters on all data").
 */
import { ConfigError } from "../errors.js";
import { show } from "../validate.js";
import type { Study } from "./study.js";
import type { FrozenTrial, Params } from "./frozen-trial.js";

/** What `refit` returns: the model and the parameters it was trained with. */
export interface RefitResult<M, P extends Params = Params> {
  params: P;
  /** The trial the parameters came from, when known. */
  trial: FrozenTrial<P> | null;
  model: M;
}

/**
 * Trains `params` (or a study's best trial, or a given trial) with `train`, which should fit on
 * train + validation. The function gets a copy of the parameters.
 * @example
 * declare const study: Study, buildAndTrain: (params: Params) => Promise<tf.LayersModel>;
 * const { model } = await refit(study, (p) => buildAndTrain(p));
 */
export async function refit<M, P extends Params = Params>(source: Study<P> | FrozenTrial<P> | P, train: (params: P) => M | Promise<M>): Promise<RefitResult<M, P>> {
  if (typeof train !== "function") throw new ConfigError(`\`train\` must be a function (params) => model, got ${show(train)}.`);
  const obj = source as unknown as Record<string, unknown>;
  let trial: FrozenTrial<P> | null = null;
  if (obj !== null && typeof obj === "object" && "bestTrial" in obj && typeof obj.optimize === "function") trial = (source as Study<P>).bestTrial;
  else if (obj !== null && typeof obj === "object" && "state" in obj && typeof obj.params === "object" && typeof obj.number === "number") trial = source as FrozenTrial<P>;
  if (trial && trial.state !== "complete") throw new ConfigError(`Trial ${trial.number} is ${trial.state}; refit a completed trial.`);
  const params: P = { ...(trial ? trial.params : (source as P)) };
  const model = await train({ ...params });
  return { params, trial, model };
}

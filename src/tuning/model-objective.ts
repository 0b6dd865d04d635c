/**
 * A ready objective for model tuning: build → train → validate, optionally over several
 * cross-validation folds (mean ± std kept in the trial's user attributes). It takes the
 * build and fit steps as functions, so it works with our model factories and training loop,
 * with plain tf.layers models, or with anything else that yields a score.
 */
import { ConfigError, NumericError } from "../errors.js";
import { positiveInt, show } from "../validate.js";
import type { Fold } from "../data/folds.js";
import type { Objective } from "./study.js";
import type { Trial } from "./trial.js";
import type { Params } from "./frozen-trial.js";

/** What `build` and `fit` are told about the current fold. */
export interface FoldContext<P extends Params = Params> {
  params: P;
  trial: Trial<P>;
  /** 0-based fold index. */
  fold: number;
  /** Number of folds. */
  nFolds: number;
  /** The fold's row indices when `splits` were given, else null. */
  split: Fold | null;
}

/** Options of {@link modelObjective}: build a model from the params, fit it, and the folds to score it on. */
export interface ModelObjectiveOptions<M, P extends Params = Params> {
  /** Makes a fresh model from the trial's parameters. Type `params` with `ParamsOf<typeof yourSpace>`. */
  build: (params: P, ctx: FoldContext<P>) => M | Promise<M>;
  /**
   * Trains `model` and returns its validation score (what the study minimises or maximises).
   * NaN fails the trial and the study goes on (as a diverged run does); a non-number is a bug and stops it.
   */
  fit: (model: M, ctx: FoldContext<P>) => number | Promise<number>;
  /** Number of folds when `splits` is not given. @default 1 */
  folds?: number;
  /** Explicit folds (from `timeSeriesFolds`, `kFold` or `stratifiedKFold`), passed to build and fit as `ctx.split`. */
  splits?: readonly Fold[];
  /** Frees a model after its fold. @default `model.dispose()` and `model.optimizer.dispose()` when present */
  dispose?: (model: M) => void;
}

/** Disposes a tf.LayersModel and the optimizer it was compiled with (which model.dispose() keeps when given as an object). */
function defaultDispose(model: unknown): void {
  const m = model as { dispose?: unknown; optimizer?: { dispose?: unknown } } | null;
  const opt = m?.optimizer;
  if (typeof m?.dispose === "function") m.dispose();
  if (opt && typeof opt.dispose === "function") opt.dispose();
}

/**
 * An objective that builds, trains and validates a model per fold and returns the mean score.
 * Stores `cv_scores` (per fold), `cv_mean` and `cv_std` (sample standard deviation) as user attributes.
 * Typing `build`'s parameters with the space's {@link ParamsOf} types `params` in both functions.
 * @example
 * declare const data: TrainData;
 * declare const nRows: number;
 * const sp = space({ units: intParam(8, 64, { step: 8 }), lr: floatParam(1e-3, 1e-1, { log: true }) });
 * const objective = modelObjective({
 *   build: (p: ParamsOf<typeof sp>) => buildModel({ inputShape: [7, 2], units: [p.units] }),
 *   fit: async (model, { params, trial }) => Math.min(...(await train(model, data, { learningRate: params.lr, callbacks: [new PruningCallback(trial)] })).metrics.val_loss!),
 *   splits: timeSeriesFolds(nRows, { folds: 3 }),
 * });
 * const study = await createStudy({ space: sp });
 * await study.optimize(objective, { nTrials: 30 });
 */
export function modelObjective<M, P extends Params = Params>(options: ModelObjectiveOptions<M, P>): Objective<P> {
  if (typeof options?.build !== "function") throw new ConfigError(`\`build\` must be a function (params) => model, got ${show(options?.build)}.`);
  if (typeof options.fit !== "function") throw new ConfigError(`\`fit\` must be a function (model, ctx) => score, got ${show(options.fit)}.`);
  const splits = options.splits ?? null;
  if (splits !== null && (!Array.isArray(splits) || splits.length === 0)) throw new ConfigError(`\`splits\` must be a non-empty array of folds, got ${show(splits)}.`);
  const nFolds = splits ? splits.length : positiveInt("folds", options.folds ?? 1);
  const dispose = options.dispose ?? defaultDispose;
  return async (trial: Trial<P>) => {
    const params: P = { ...trial.params };
    const scores: number[] = [];
    for (let fold = 0; fold < nFolds; fold++) {
      const ctx: FoldContext<P> = { params: { ...params }, trial, fold, nFolds, split: splits ? (splits[fold] as Fold) : null };
      const model = await options.build({ ...params }, ctx);
      try {
        const s = await options.fit(model, ctx);
        if (typeof s !== "number") throw new ConfigError(`\`fit\` returned ${show(s)} for fold ${fold} instead of a number.`);
        // a diverged fold is a result of these parameters, not a bug: the trial fails, the study goes on
        if (Number.isNaN(s)) throw new NumericError(`\`fit\` returned NaN for fold ${fold} (scores so far: ${show(scores)}).`);
        scores.push(s);
      } finally {
        dispose(model);
      }
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    const std = scores.length > 1 ? Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / (scores.length - 1)) : 0;
    trial.setUserAttr("cv_scores", scores);
    trial.setUserAttr("cv_mean", mean);
    trial.setUserAttr("cv_std", std);
    return mean;
  };
}

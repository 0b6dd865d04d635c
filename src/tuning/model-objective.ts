/**
 * A ready objective for model tuning: build → train → validate, optionally over several
 * cross-validation folds (mean ± std kept in the trial's user attributes). It takes the
 * build and fit steps as functions, so it works with our model factories and training loop,
 * with plain tf.layers models, or with anything else that yields a score.
 */
import { ConfigError } from "../errors.js";
import { positiveInt, show } from "../validate.js";
import type { Fold } from "./cv-folds.js";
import type { Objective } from "./study.js";
import type { Trial } from "./trial-handle.js";
import type { Params } from "./trial.js";

/** What `build` and `fit` are told about the current fold. */
export interface FoldContext {
  params: Params;
  trial: Trial;
  /** 0-based fold index. */
  fold: number;
  /** Number of folds. */
  nFolds: number;
  /** The fold's row indices when `splits` were given, else null. */
  split: Fold | null;
}

export interface ModelObjectiveOptions<M> {
  /** Makes a fresh model from the trial's parameters. */
  build: (params: Params, ctx: FoldContext) => M | Promise<M>;
  /** Trains `model` and returns its validation score (what the study minimises or maximises). */
  fit: (model: M, ctx: FoldContext) => number | Promise<number>;
  /** Number of folds when `splits` is not given. @default 1 */
  folds?: number;
  /** Explicit folds (from `cvFolds`), passed to build and fit as `ctx.split`. */
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
 * @example
 * const objective = modelObjective({
 *   build: (p) => buildLstm({ units: p.units as number, layers: p.layers as number }),
 *   fit: async (model, { params, trial }) => (await train(model, data, { lr: params.lr as number, callbacks: [new PruningCallback(trial)] })).metrics.val_loss.at(-1)!,
 *   splits: cvFolds(nRows, { k: 3 }),
 * });
 * await study.optimize(objective, { nTrials: 30 });
 */
export function modelObjective<M>(options: ModelObjectiveOptions<M>): Objective {
  if (typeof options?.build !== "function") throw new ConfigError(`\`build\` must be a function (params) => model, got ${show(options?.build)}.`);
  if (typeof options.fit !== "function") throw new ConfigError(`\`fit\` must be a function (model, ctx) => score, got ${show(options.fit)}.`);
  const splits = options.splits ?? null;
  if (splits !== null && (!Array.isArray(splits) || splits.length === 0)) throw new ConfigError(`\`splits\` must be a non-empty array of folds, got ${show(splits)}.`);
  const nFolds = splits ? splits.length : positiveInt("folds", options.folds ?? 1);
  const dispose = options.dispose ?? defaultDispose;
  return async (trial: Trial) => {
    const params = trial.params;
    const scores: number[] = [];
    for (let fold = 0; fold < nFolds; fold++) {
      const ctx: FoldContext = { params: { ...params }, trial, fold, nFolds, split: splits ? (splits[fold] as Fold) : null };
      const model = await options.build({ ...params }, ctx);
      try {
        const s = await options.fit(model, ctx);
        if (typeof s !== "number" || Number.isNaN(s)) throw new ConfigError(`\`fit\` returned ${show(s)} for fold ${fold} instead of a number.`);
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

/**
 * Ensembles of several models (the top-k trials, refitted): the (weighted) mean prediction,
 * with the spread across members (std, min, max) for a forecast band, and an evaluation of every
 * member against the ensemble.
 */
import * as tf from "@tensorflow/tfjs";
import * as aq from "arquero";
import { ConfigError, ShapeError } from "../errors.js";
import { metrics } from "../eval/metrics.js";
import { checkShapes } from "../models/check-shapes.js";
import { nonEmptyArray, oneOf, show } from "../validate.js";

/** A model with `predict` (a tf.LayersModel fits), or a function from inputs to predictions. */
export type EnsembleMember = { predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] } | ((x: tf.Tensor) => tf.Tensor);

/** Options of {@link ensemble}: how the members are weighted. */
export interface EnsembleOptions {
  /**
   * "mean": equal weights; "validation": weights from `scores` (inverse of a loss, or
   * proportional to a score with `higherIsBetter`); or explicit non-negative weights. @default "mean"
   */
  weights?: "mean" | "validation" | readonly number[];
  /** Validation score of each member (e.g. the trials' values), for `weights: "validation"`. */
  scores?: readonly number[];
  /** Scores are accuracies, not losses. @default false */
  higherIsBetter?: boolean;
  /** Member names for tables. @default "member 0", ... */
  names?: readonly string[];
}

/** The ensemble's prediction: weighted mean and the members' spread, all shaped like one member's output. */
export interface EnsemblePrediction {
  mean: tf.Tensor;
  /** Weighted standard deviation across members. */
  std: tf.Tensor;
  min: tf.Tensor;
  max: tf.Tensor;
  /** Dispose every tensor of this prediction. */
  dispose(): void;
}

/** Metric names `evaluate` understands. */
export type EnsembleMetric = "mse" | "mae" | "rmse";

/** A weighted ensemble; build with {@link ensemble}. */
export class Ensemble {
  readonly members: readonly EnsembleMember[];
  /** Normalised weights, summing to 1. */
  readonly weights: readonly number[];
  readonly names: readonly string[];

  constructor(members: readonly EnsembleMember[], weights: readonly number[], names: readonly string[]) {
    this.members = members;
    this.weights = weights;
    this.names = names;
  }

  #memberPredict(m: EnsembleMember, x: tf.Tensor): tf.Tensor {
    const out = typeof m === "function" ? m(x) : m.predict(x);
    if (Array.isArray(out)) throw new ShapeError("Ensemble members must have a single output; got a model with several outputs.");
    return out as tf.Tensor;
  }

  /** Checks x (and y) against every member that is a model, before any member runs. */
  #checkShapes(x: tf.Tensor, y: tf.Tensor | null = null): void {
    this.members.forEach((m, i) => {
      if (m instanceof tf.LayersModel) checkShapes(m, x, y, { modelName: this.names[i] ?? null });
    });
  }

  /** Every member's prediction stacked on a new first axis: [members, ...outputShape]. */
  predictAll(x: tf.Tensor): tf.Tensor {
    this.#checkShapes(x);
    return tf.tidy(() => {
      const preds = this.members.map((m) => this.#memberPredict(m, x));
      const shape = (preds[0] as tf.Tensor).shape;
      preds.forEach((p, i) => {
        if (p.shape.join() !== shape.join()) throw new ShapeError(`Ensemble member ${this.names[i]} predicts shape [${p.shape}], member ${this.names[0]} [${shape}].`);
      });
      return tf.stack(preds);
    });
  }

  /** Weighted mean prediction with the spread across members, for a band around a forecast. */
  predict(x: tf.Tensor): EnsemblePrediction {
    const [mean, std, min, max] = tf.tidy(() => {
      const all = this.predictAll(x);
      const wShape = [this.weights.length, ...all.shape.slice(1).map(() => 1)];
      const w = tf.tensor(this.weights as number[], wShape, all.dtype === "int32" ? "float32" : undefined);
      const mean = tf.sum(tf.mul(all, w), 0);
      const std = tf.sqrt(tf.sum(tf.mul(tf.square(tf.sub(all, mean)), w), 0));
      return [mean, std, tf.min(all, 0), tf.max(all, 0)];
    });
    return { mean, std, min, max, dispose: () => tf.dispose([mean, std, min, max]) };
  }

  /**
   * Scores every member and the ensemble mean on (x, y): an arquero table with one row per
   * member plus a last row "ensemble", and the metric in column `metric`.
   */
  evaluate(x: tf.Tensor, y: tf.Tensor, metric: EnsembleMetric = "mse"): aq.ColumnTable {
    oneOf("metric", metric, ["mse", "mae", "rmse"] as const);
    this.#checkShapes(x, y);
    const [all, mean] = tf.tidy(() => {
      const all = this.predictAll(x);
      if (all.shape.slice(1).join() !== y.shape.join()) throw new ShapeError(`Predictions have shape [${all.shape.slice(1)}] but y has shape [${y.shape}].`);
      return [all, tf.sum(tf.mul(all, tf.tensor(this.weights as number[], [this.weights.length, ...y.shape.map(() => 1)])), 0)];
    });
    // The same metric functions as evaluate(), so several outputs average the same way (scikit-learn's uniform_average).
    const score = metrics[metric];
    const members = tf.unstack(all);
    const v = [...members, mean].map((p) => score(y, p));
    tf.dispose([all, mean, ...members]);
    return aq.table({ model: [...this.names, "ensemble"], weight: [...this.weights, 1], [metric]: v });
  }
}

/**
 * Combines models into an ensemble.
 * @example
 * declare const study: Study, trainOnAll: (params: Params) => Promise<tf.LayersModel>, xTest: tf.Tensor;
 * const top = study.topTrials(3);
 * const models = await Promise.all(top.map((t) => refit(t, trainOnAll).then((r) => r.model)));
 * const ens = ensemble(models, { weights: "validation", scores: top.map((t) => t.value as number) });
 * const { mean, std } = ens.predict(xTest); // band: mean ± 2·std
 */
export function ensemble(members: readonly EnsembleMember[], options: EnsembleOptions = {}): Ensemble {
  nonEmptyArray("members", members);
  members.forEach((m, i) => {
    if (typeof m !== "function" && (m === null || typeof m !== "object" || typeof m.predict !== "function")) {
      throw new ConfigError(`\`members[${i}]\` must be a model with predict() or a function, got ${show(m)}.`);
    }
  });
  const names = options.names ?? members.map((_, i) => `member ${i}`);
  if (names.length !== members.length) throw new ConfigError(`\`names\` has ${names.length} entries for ${members.length} members.`);
  const mode = options.weights ?? "mean";
  let raw: number[];
  if (Array.isArray(mode)) {
    raw = mode.slice();
    if (raw.length !== members.length) throw new ConfigError(`\`weights\` has ${raw.length} entries for ${members.length} members.`);
    raw.forEach((w, i) => {
      if (!Number.isFinite(w) || w < 0) throw new ConfigError(`\`weights[${i}]\` must be a non-negative number, got ${show(w)}.`);
    });
  } else if (oneOf("weights", mode, ["mean", "validation"] as const) === "mean") {
    raw = members.map(() => 1);
  } else {
    const scores = options.scores;
    if (!scores || scores.length !== members.length) {
      throw new ConfigError(`\`weights: "validation"\` needs \`scores\` with one value per member (${members.length}), got ${show(scores)}.`);
    }
    raw = scores.map((s, i) => {
      if (!Number.isFinite(s) || s <= 0) throw new ConfigError(`\`scores[${i}]\` must be a positive number, got ${show(s)}.`);
      return options.higherIsBetter ? s : 1 / s;
    });
  }
  const total = raw.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new ConfigError(`\`weights\` must not all be zero, got ${show(raw)}.`);
  return new Ensemble(members, raw.map((w) => w / total), names);
}

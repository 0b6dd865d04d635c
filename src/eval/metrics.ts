/**
 * Regression and classification metrics on plain arrays, typed arrays, rows or tensors, as in
 * scikit-learn. With several outputs (columns: horizons, targets), a regression metric scores each
 * column and averages the scores (scikit-learn's default `multioutput: "uniform_average"`); the
 * per-column scores, a weighted mean or one score over all values pooled are options.
 */
import { ConfigError, DataError } from "../errors.js";
import { quantileLevels } from "../models/quantile-levels.js";
import { oneOf, positiveInt, show } from "../validate.js";
import { pair, values, type Matrix, type Values } from "./values.js";

/**
 * How a regression metric combines several outputs, as scikit-learn's `multioutput`:
 * "uniform_average" the mean of the per-output scores; "raw_values" the per-output scores; an
 * array, weights of a weighted mean of them; "pooled" (ours) every value scored as one column, so
 * rmse is the square root of the MSE over all values (Keras' RootMeanSquaredError).
 */
export type Multioutput = "uniform_average" | "raw_values" | "pooled" | readonly number[];

/** Options of the regression metrics. */
export interface RegressionOptions {
  /** How several outputs combine. @default "uniform_average" */ multioutput?: Exclude<Multioutput, "raw_values">;
}

/**
 * A regression metric: one number, or one per output with `{ multioutput: "raw_values" }`.
 * @example rmse([[0, 0], [0, 0]], [[1, 10], [1, 10]]) // 5.5: the mean of the columns' RMSEs 1 and 10
 */
export interface RegressionMetric {
  (yTrue: Values, yPred: Values, options?: RegressionOptions): number;
  (yTrue: Values, yPred: Values, options: { multioutput: "raw_values" }): number[];
}

/** The matrix as one column of all its values. */
const pooled = (m: Matrix): Matrix => ({ data: m.data, rows: m.data.length, cols: 1 });

/** A regression metric from its score of one column `c` of (t, p); `check` sees the data first. */
function regression(ofColumn: (t: Matrix, p: Matrix, c: number) => number, check: (t: Matrix) => void = () => {}): RegressionMetric {
  return ((yTrue: Values, yPred: Values, options: { multioutput?: Multioutput } = {}): number | number[] => {
    const mode = options.multioutput ?? "uniform_average";
    if (typeof mode === "string") oneOf("multioutput", mode, ["uniform_average", "raw_values", "pooled"]);
    const [t0, p0] = pair(yTrue, yPred);
    check(t0);
    const [t, p] = mode === "pooled" ? [pooled(t0), pooled(p0)] : [t0, p0];
    const scores = Array.from({ length: t.cols }, (_, c) => ofColumn(t, p, c));
    if (mode === "raw_values") return scores;
    if (mode === "uniform_average" || mode === "pooled") return scores.reduce((a, b) => a + b, 0) / scores.length;
    if (!Array.isArray(mode) || mode.length !== t.cols) {
      throw new ConfigError(`\`multioutput\` weights must be one number per output (${t.cols}), got ${show(mode)}.`);
    }
    mode.forEach((w, i) => {
      if (!Number.isFinite(w) || w < 0) throw new ConfigError(`\`multioutput[${i}]\` must be a non-negative number, got ${show(w)}.`);
    });
    const total = mode.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new ConfigError(`\`multioutput\` weights must not all be zero, got ${show(mode)}.`);
    return scores.reduce((a, v, c) => a + v * (mode[c] as number), 0) / total;
  }) as RegressionMetric;
}

/** Mean of `f(y, ŷ)` down column `c`. */
function columnMean(t: Matrix, p: Matrix, c: number, f: (y: number, yHat: number) => number): number {
  let s = 0;
  for (let r = 0; r < t.rows; r++) s += f(t.data[r * t.cols + c] as number, p.data[r * p.cols + c] as number);
  return s / t.rows;
}

/**
 * Mean squared error.
 * @example mse([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.375
 */
export const mse: RegressionMetric = regression((t, p, c) => columnMean(t, p, c, (y, f) => (y - f) ** 2));

/**
 * Root mean squared error; with several outputs the mean of their RMSEs (scikit-learn's
 * `mean_squared_error(squared=False)`), or `{ multioutput: "pooled" }` for the square root of the
 * MSE over all values.
 * @example rmse([[0, 0], [0, 0]], [[1, 10], [1, 10]]) // 5.5; pooled: sqrt(50.5) = 7.106
 */
export const rmse: RegressionMetric = regression((t, p, c) => Math.sqrt(columnMean(t, p, c, (y, f) => (y - f) ** 2)));

/**
 * Mean absolute error.
 * @example mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.5
 */
export const mae: RegressionMetric = regression((t, p, c) => columnMean(t, p, c, (y, f) => Math.abs(y - f)));

/**
 * Mean absolute percentage error, in percent. Undefined where a true value is 0 (throws DataError).
 * @example mape([100, 200, 50], [110, 180, 50]) // 6.667
 */
export const mape: RegressionMetric = regression(
  (t, p, c) => 100 * columnMean(t, p, c, (y, f) => Math.abs((y - f) / y)),
  (t) => {
    const i = t.data.indexOf(0);
    if (i >= 0) throw new DataError(`MAPE is undefined where yTrue is 0 (first at index ${i}); use smape or mae instead.`);
  },
);

/**
 * Symmetric MAPE in percent, Darts' convention: 200 · mean(|y − ŷ| / (|y| + |ŷ|)), between 0 and 200.
 * A step where y and ŷ are both 0 (a perfect forecast) counts 0; Darts releases up to its issue 2983
 * raise a ValueError there instead, and that issue's fix counts it 0 as we do. Other tools differ:
 * some drop the factor 2 (0 to 100), some add an epsilon to the denominator.
 * @example smape([100, 0, 50], [110, 0, 40]) // 10.58 = 200 · (10/210 + 0 + 10/90) / 3
 */
export const smape: RegressionMetric = regression((t, p, c) =>
  100 * columnMean(t, p, c, (y, f) => {
    const d = Math.abs(y) + Math.abs(f);
    return d > 0 ? (2 * Math.abs(y - f)) / d : 0;
  }),
);

/**
 * Coefficient of determination, 1 - SS_res / SS_tot, per column. A constant column scores 1 when
 * predicted exactly and 0 otherwise (as scikit-learn).
 * @example r2([[1, 1], [2, 3]], [[1, 2], [2, 2]]) // 0.5: column 0 scores 1, column 1 (its mean predicted) 0
 */
export const r2: RegressionMetric = regression((t, p, c) => {
  let mean = 0;
  for (let r = 0; r < t.rows; r++) mean += t.data[r * t.cols + c] as number;
  mean /= t.rows;
  let ssRes = 0, ssTot = 0;
  for (let r = 0; r < t.rows; r++) {
    const y = t.data[r * t.cols + c] as number;
    ssRes += (y - (p.data[r * p.cols + c] as number)) ** 2;
    ssTot += (y - mean) ** 2;
  }
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
});

/** Options of mase. */
export interface MaseOptions {
  /**
   * The series before the forecast (the training part), one column per target: the scale is the
   * mean absolute error of the seasonal naive forecast on it, mean(|x[t] − x[t − m]|).
   */
  insample: Values;
  /** Seasonal period of the naive forecast the error is scaled by (1: the previous value). @default 1 */
  m?: number;
  /** How several outputs combine. @default "uniform_average" */ multioutput?: Exclude<Multioutput, "raw_values">;
}

/**
 * Mean absolute scaled error as Darts defines it: MAE(y, ŷ) divided by the in-sample MAE of the
 * seasonal naive forecast with period `m`, mean over t ≥ m of |x[t] − x[t − m]|. Below 1 the
 * forecast beats the naive one on the history. Output column c (horizon × targets, targets
 * cycling) is scaled by insample column c mod targets. A constant insample (scale 0) throws DataError.
 * @example mase([3, 5], [4, 5], { insample: [1, 2, 4, 7] }) // 0.5 / 2 = 0.25: MAE 0.5, naive MAE (1 + 2 + 3) / 3
 */
export function mase(yTrue: Values, yPred: Values, o: MaseOptions): number {
  const m = positiveInt("m", o.m ?? 1);
  const x = values("insample", o.insample);
  if (x.rows <= m) throw new DataError(`\`insample\` has ${x.rows} rows; the seasonal naive scale with m = ${m} needs more than ${m}.`);
  const scales = Array.from({ length: x.cols }, (_, c) => {
    let s = 0;
    for (let r = m; r < x.rows; r++) s += Math.abs((x.data[r * x.cols + c] as number) - (x.data[(r - m) * x.cols + c] as number));
    const scale = s / (x.rows - m);
    if (!(scale > 0)) throw new DataError(`MASE is undefined: the seasonal naive forecast (m = ${m}) makes no error on \`insample\` column ${c}.`);
    return scale;
  });
  const scaled = regression((t, p, c) => {
    if (t.cols % x.cols !== 0) throw new DataError(`\`yTrue\` has ${t.cols} columns, not a multiple of \`insample\`'s ${x.cols} targets.`);
    return columnMean(t, p, c, (y, f) => Math.abs(y - f)) / (scales[c % x.cols] as number);
  });
  return scaled(yTrue, yPred, { multioutput: o.multioutput ?? "uniform_average" });
}

/** Quantile forecasts: per row, (horizon × targets) × levels values, the level innermost ([n, outputs, levels] as a tensor). */
function quantileRows(yTrue: Values, qPred: Values, levels: readonly number[]): { t: Matrix; q: Matrix } {
  const t = values("yTrue", yTrue), q = values("qPred", qPred);
  if (q.rows !== t.rows || q.cols !== t.cols * levels.length) {
    throw new DataError(
      `\`qPred\` must hold ${levels.length} quantiles for each of \`yTrue\`'s ${t.rows} × ${t.cols} values (${t.rows} rows of ${t.cols * levels.length}), got ${q.rows} rows of ${q.cols}.`,
    );
  }
  return { t, q };
}

/** Options of the quantile metrics. */
export interface QuantileOptions {
  /** The levels of qPred's quantiles, ascending in (0, 1). */ quantiles: readonly number[];
}

/**
 * Mean pinball (quantile) loss over every value and level: max(τ(y − q), (τ − 1)(y − q)).
 * @example pinball([1, 3], [[0, 1, 2], [0, 1, 2]], { quantiles: [0.1, 0.5, 0.9] }) // (0.2 + 2.2) / 6 = 0.4
 */
export function pinball(yTrue: Values, qPred: Values, o: QuantileOptions): number {
  const levels = quantileLevels("quantiles", o.quantiles);
  const { t, q } = quantileRows(yTrue, qPred, levels);
  const k = levels.length;
  let s = 0;
  for (let i = 0; i < t.data.length; i++) {
    const y = t.data[i] as number;
    for (let j = 0; j < k; j++) {
      const tau = levels[j] as number, e = y - (q.data[i * k + j] as number);
      s += Math.max(tau * e, (tau - 1) * e);
    }
  }
  return s / (t.data.length * k);
}

/**
 * CRPS estimated from quantiles: twice the mean pinball loss over the levels (the CRPS is the
 * integral of twice the pinball loss over all levels in (0, 1); evenly spread levels approximate it).
 * @example crps([1, 3], [[0, 1, 2], [0, 1, 2]], { quantiles: [0.1, 0.5, 0.9] }) // 0.8
 */
export function crps(yTrue: Values, qPred: Values, o: QuantileOptions): number {
  return 2 * pinball(yTrue, qPred, o);
}

/** The three arrays of an interval metric as matrices of one layout. */
function bounds(yTrue: Values | null, lower: Values, upper: Values): { t: Matrix | null; lo: Matrix; hi: Matrix } {
  const [lo, hi] = pair(lower, upper);
  const t = yTrue === null ? null : values("yTrue", yTrue);
  if (t !== null && t.data.length !== lo.data.length) throw new DataError(`\`yTrue\` has ${t.data.length} values but \`lower\` has ${lo.data.length}.`);
  const bad = lo.data.findIndex((v, i) => v > (hi.data[i] as number));
  if (bad >= 0) throw new DataError(`\`lower\` is above \`upper\` at index ${bad} (${lo.data[bad]} > ${hi.data[bad]}).`);
  return { t, lo, hi };
}

/**
 * Share of true values inside their interval [lower, upper], between 0 and 1 (Darts' `mic`).
 * An 80% interval should score about 0.8.
 * @example coverage([1, 2, 3, 4], [0, 2.5, 2, 0], [2, 3, 4, 3]) // 0.5: 1 and 3 inside, 2 below, 4 above
 */
export function coverage(yTrue: Values, lower: Values, upper: Values): number {
  const { t, lo, hi } = bounds(yTrue, lower, upper);
  let inside = 0;
  (t as Matrix).data.forEach((y, i) => {
    if (y >= (lo.data[i] as number) && y <= (hi.data[i] as number)) inside++;
  });
  return inside / lo.data.length;
}

/**
 * Mean width of the intervals, upper − lower (Darts' `miw`), in the units of the values.
 * @example intervalWidth([0, 2.5], [2, 3]) // 1.25
 */
export function intervalWidth(lower: Values, upper: Values): number {
  const { lo, hi } = bounds(null, lower, upper);
  let s = 0;
  lo.data.forEach((v, i) => (s += (hi.data[i] as number) - v));
  return s / lo.data.length;
}

/** How predicted scores become class labels. */
export interface LabelOptions {
  /** Binary scores above this are class 1. @default 0.5 */ threshold?: number;
}

/**
 * Class labels from predictions: rows of class probabilities → argmax; integers → as they are;
 * other numbers (binary scores) → 1 above `threshold`, else 0.
 */
export function toLabels(name: string, v: Values, o: LabelOptions = {}): Int32Array {
  const m = values(name, v);
  const out = new Int32Array(m.rows);
  if (m.cols > 1) {
    for (let r = 0; r < m.rows; r++) {
      let best = 0;
      for (let c = 1; c < m.cols; c++) if ((m.data[r * m.cols + c] as number) > (m.data[r * m.cols + best] as number)) best = c;
      out[r] = best;
    }
    return out;
  }
  const allInt = m.data.every((x) => Number.isInteger(x));
  const th = o.threshold ?? 0.5;
  for (let r = 0; r < m.rows; r++) {
    const x = m.data[r] as number;
    if (Number.isNaN(x)) throw new DataError(`\`${name}\` has NaN at index ${r}.`);
    out[r] = allInt ? x : x > th ? 1 : 0;
  }
  return out;
}

function labelPair(yTrue: Values, yPred: Values, o: LabelOptions): [Int32Array, Int32Array] {
  const t = toLabels("yTrue", yTrue, o);
  const p = toLabels("yPred", yPred, o);
  if (t.length !== p.length) throw new DataError(`\`yTrue\` has ${t.length} samples but \`yPred\` has ${p.length}.`);
  if (t.length === 0) throw new DataError("`yTrue` and `yPred` are empty.");
  return [t, p];
}

/**
 * Share of samples whose predicted class equals the true class.
 * @example
 * accuracy([0, 1, 1, 0], [0, 1, 0, 0]) // 0.75
 */
export function accuracy(yTrue: Values, yPred: Values, o: LabelOptions = {}): number {
  const [t, p] = labelPair(yTrue, yPred, o);
  let hit = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hit++;
  return hit / t.length;
}

/** How precision, recall and F1 combine classes. */
export interface AverageOptions extends LabelOptions {
  /** "binary" scores class `positive` only; "macro", "micro", "weighted" as scikit-learn. @default "binary" */
  average?: "binary" | "macro" | "micro" | "weighted";
  /** The positive class for average "binary". @default 1 */ positive?: number;
}

interface Counts { tp: number; fp: number; fn: number; support: number }

function counts(t: Int32Array, p: Int32Array, cls: number): Counts {
  let tp = 0, fp = 0, fn = 0, support = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === cls) support++;
    if (p[i] === cls && t[i] === cls) tp++;
    else if (p[i] === cls) fp++;
    else if (t[i] === cls) fn++;
  }
  return { tp, fp, fn, support };
}

const safeDiv = (a: number, b: number) => (b === 0 ? 0 : a / b);

function averaged(yTrue: Values, yPred: Values, o: AverageOptions, score: (c: Counts) => number): number {
  const [t, p] = labelPair(yTrue, yPred, o);
  const average = oneOf("average", o.average ?? "binary", ["binary", "macro", "micro", "weighted"]);
  if (average === "binary") return score(counts(t, p, o.positive ?? 1));
  const classes = [...new Set([...t, ...p])].sort((a, b) => a - b);
  const per = classes.map((c) => counts(t, p, c));
  if (average === "micro") {
    const sum = per.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn, support: a.support + c.support }));
    return score(sum);
  }
  if (average === "macro") return per.reduce((s, c) => s + score(c), 0) / per.length;
  return per.reduce((s, c) => s + score(c) * c.support, 0) / t.length;
}

/**
 * tp / (tp + fp); 0 when nothing was predicted positive (scikit-learn's zero_division=0).
 * @example
 * precision([0, 1, 1, 0], [0, 1, 0, 1]) // 0.5: one of the two predicted 1s is right
 */
export function precision(yTrue: Values, yPred: Values, o: AverageOptions = {}): number {
  return averaged(yTrue, yPred, o, (c) => safeDiv(c.tp, c.tp + c.fp));
}

/**
 * tp / (tp + fn).
 * @example
 * recall([0, 1, 1, 0], [0, 1, 0, 0]) // 0.5: one of the two 1s is found
 */
export function recall(yTrue: Values, yPred: Values, o: AverageOptions = {}): number {
  return averaged(yTrue, yPred, o, (c) => safeDiv(c.tp, c.tp + c.fn));
}

/**
 * Harmonic mean of precision and recall: 2tp / (2tp + fp + fn).
 * @example
 * f1([0, 1, 1, 0], [0, 1, 0, 1]) // 0.5: precision 0.5, recall 0.5
 */
export function f1(yTrue: Values, yPred: Values, o: AverageOptions = {}): number {
  return averaged(yTrue, yPred, o, (c) => safeDiv(2 * c.tp, 2 * c.tp + c.fp + c.fn));
}

/**
 * Area under the ROC curve for binary labels (0/1) and scores: the probability that a random
 * positive scores above a random negative, ties counting one half (Mann–Whitney U).
 * @example rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) // 0.75
 */
export function rocAuc(yTrue: Values, scores: Values): number {
  const t = values("yTrue", yTrue).data;
  const s = values("scores", scores).data;
  if (t.length !== s.length) throw new DataError(`\`yTrue\` has ${t.length} values but \`scores\` has ${s.length}.`);
  const order = Array.from(t.keys()).sort((a, b) => (s[a] as number) - (s[b] as number));
  // Average ranks (1-based) over ties.
  const rank = new Float64Array(t.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && s[order[j + 1] as number] === s[order[i] as number]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) rank[order[k] as number] = r;
    i = j + 1;
  }
  let nPos = 0, rankSum = 0;
  for (let i = 0; i < t.length; i++) {
    const y = t[i] as number;
    if (y !== 0 && y !== 1) throw new DataError(`rocAuc needs 0/1 labels; \`yTrue\` has ${y} at index ${i}.`);
    if (y === 1) {
      nPos++;
      rankSum += rank[i] as number;
    }
  }
  const nNeg = t.length - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new DataError(`rocAuc needs both classes; \`yTrue\` has ${nPos} positives and ${nNeg} negatives.`);
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Rows are true classes, columns predicted classes (scikit-learn's layout). */
export interface ConfusionMatrix {
  labels: number[];
  matrix: number[][];
}

/**
 * Counts of (true class, predicted class) pairs.
 * @example confusionMatrix([0, 1, 1], [0, 0, 1]) // { labels: [0, 1], matrix: [[1, 0], [1, 1]] }
 */
export function confusionMatrix(yTrue: Values, yPred: Values, o: LabelOptions & { labels?: readonly number[] } = {}): ConfusionMatrix {
  const [t, p] = labelPair(yTrue, yPred, o);
  const labels = o.labels ? [...o.labels] : [...new Set([...t, ...p])].sort((a, b) => a - b);
  const at = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < t.length; i++) {
    const r = at.get(t[i] as number), c = at.get(p[i] as number);
    if (r !== undefined && c !== undefined) (matrix[r] as number[])[c]++;
  }
  return { labels, matrix };
}

/** The metric functions by name, for tables and `evaluate`. */
export const metrics = { mse, rmse, mae, mape, smape, r2, accuracy, precision, recall, f1, rocAuc } as const;
/** Names of the metrics in `metrics`. */
export type MetricName = keyof typeof metrics;
/** Every metric name. */
export const METRIC_NAMES = Object.keys(metrics) as MetricName[];

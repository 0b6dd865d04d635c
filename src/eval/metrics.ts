/**
 * Regression and classification metrics on plain arrays, typed arrays, rows or tensors, as in
 * scikit-learn. Regression metrics average over every value (for [n, horizon] outputs that is
 * the uniform average over horizons), except r2 which averages the per-column R² like
 * sklearn's default "uniform_average".
 */
import { DataError } from "../errors.js";
import { oneOf } from "../validate.js";
import { pair, values, type Values } from "./values.js";

/** Mean squared error. */
export function mse(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += ((t.data[i] as number) - (p.data[i] as number)) ** 2;
  return s / t.data.length;
}

/** Root mean squared error. */
export function rmse(yTrue: Values, yPred: Values): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error. */
export function mae(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) s += Math.abs((t.data[i] as number) - (p.data[i] as number));
  return s / t.data.length;
}

/** Mean absolute percentage error, in percent. Undefined where a true value is 0 (throws DataError). */
export function mape(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) {
    const y = t.data[i] as number;
    if (y === 0) throw new DataError(`MAPE is undefined where yTrue is 0 (first at index ${i}); use smape or mae instead.`);
    s += Math.abs((y - (p.data[i] as number)) / y);
  }
  return (100 * s) / t.data.length;
}

/** Symmetric MAPE in percent: mean of 2|y - ŷ| / (|y| + |ŷ|), with 0/0 counted as 0. Between 0 and 200. */
export function smape(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.data.length; i++) {
    const y = t.data[i] as number, f = p.data[i] as number;
    const d = Math.abs(y) + Math.abs(f);
    if (d > 0) s += (2 * Math.abs(y - f)) / d;
  }
  return (100 * s) / t.data.length;
}

/**
 * Coefficient of determination, 1 - SS_res / SS_tot, averaged over columns. A constant column
 * scores 1 when predicted exactly and 0 otherwise (as scikit-learn).
 */
export function r2(yTrue: Values, yPred: Values): number {
  const [t, p] = pair(yTrue, yPred);
  const cols = t.cols;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < t.rows; r++) mean += t.data[r * cols + c] as number;
    mean /= t.rows;
    let ssRes = 0, ssTot = 0;
    for (let r = 0; r < t.rows; r++) {
      const y = t.data[r * cols + c] as number;
      ssRes += (y - (p.data[r * cols + c] as number)) ** 2;
      ssTot += (y - mean) ** 2;
    }
    total += ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  }
  return total / cols;
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

/** Share of samples whose predicted class equals the true class. */
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

/** tp / (tp + fp); 0 when nothing was predicted positive (scikit-learn's zero_division=0). */
export function precision(yTrue: Values, yPred: Values, o: AverageOptions = {}): number {
  return averaged(yTrue, yPred, o, (c) => safeDiv(c.tp, c.tp + c.fp));
}

/** tp / (tp + fn). */
export function recall(yTrue: Values, yPred: Values, o: AverageOptions = {}): number {
  return averaged(yTrue, yPred, o, (c) => safeDiv(c.tp, c.tp + c.fn));
}

/** Harmonic mean of precision and recall: 2tp / (2tp + fp + fn). */
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

/**
 * Cross-validation folds as row indices: time-series folds (expanding or sliding window, with a
 * gap) for temporal data, and shuffled or stratified k-fold (seeded) for independent samples.
 * Folds are plain data; {@link foldTables} turns one into tables and {@link scaledFolds} fits a
 * scaler on each fold's training part only.
 */
import type { ColumnTable } from "arquero";
import { ConfigError, DataError } from "../errors.js";
import { Rng } from "../rng.js";
import { bool, nonNegativeInt, oneOf, positiveInt, show } from "../validate.js";
import { requireColumns } from "./columns.js";
import { takeRows } from "./rows.js";
import { fitScaler, type Scaler, type ScalerKind, type ScalerOptions } from "./scaler.js";

/** One fold: row indices (ascending) of its training and test parts. */
export interface Fold {
  readonly index: number;
  readonly train: Int32Array;
  readonly test: Int32Array;
}

const range = (a: number, b: number): Int32Array => Int32Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/** Options of timeSeriesFolds. */
export interface TimeSeriesFoldOptions {
  /** Number of folds. @default 5 */
  folds?: number;
  /** "expanding": train from row 0; "sliding": the last `trainSize` rows only. @default "expanding" */
  mode?: "expanding" | "sliding";
  /** Rows left out between train and test. @default 0 */
  gap?: number;
  /** Test rows per fold; 0 means `floor(n / (folds + 1))`. @default 0 */
  testSize?: number;
  /** Training rows per fold in sliding mode (0: as many as the first fold has); a cap in expanding mode (0: none). @default 0 */
  trainSize?: number;
}
const TS_DEFAULTS: Required<TimeSeriesFoldOptions> = { folds: 5, mode: "expanding", gap: 0, testSize: 0, trainSize: 0 };

/**
 * Time-series folds, like sklearn's TimeSeriesSplit: fold k tests on the k-th block of the last
 * `folds × testSize` rows and trains on rows before it (minus `gap`). Test rows are always later
 * than every training row.
 *
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * for (const f of timeSeriesFolds(table.numRows(), { folds: 3, testSize: 30, gap: 7 })) { const { train, test } = foldTables(table, f); }
 */
export function timeSeriesFolds(rows: number | ColumnTable, options: TimeSeriesFoldOptions = {}): Fold[] {
  const n = typeof rows === "number" ? rows : rows.numRows();
  const o = { ...TS_DEFAULTS, ...options };
  positiveInt("folds", o.folds);
  oneOf("mode", o.mode, ["expanding", "sliding"] as const);
  nonNegativeInt("gap", o.gap);
  nonNegativeInt("testSize", o.testSize);
  nonNegativeInt("trainSize", o.trainSize);
  nonNegativeInt("rows", n);
  const testSize = o.testSize === 0 ? Math.floor(n / (o.folds + 1)) : o.testSize;
  const firstTest = n - o.folds * testSize;
  const firstTrain = firstTest - o.gap;
  if (testSize === 0 || firstTrain <= 0) {
    throw new DataError(
      `${n} rows are too few for ${o.folds} folds of ${testSize} test rows with gap ${o.gap}: the first fold would have ${Math.max(0, firstTrain)} training rows.`,
    );
  }
  const size = o.mode === "sliding" ? (o.trainSize === 0 ? firstTrain : o.trainSize) : o.trainSize;
  const folds: Fold[] = [];
  for (let k = 0; k < o.folds; k++) {
    const t0 = firstTest + k * testSize;
    const end = t0 - o.gap;
    const start = size > 0 ? Math.max(0, end - size) : 0;
    folds.push({ index: k, train: range(start, end), test: range(t0, t0 + testSize) });
  }
  return folds;
}

/** Options of kFold and stratifiedKFold. */
export interface KFoldOptions {
  /** Number of folds. @default 5 */
  k?: number;
  /** Shuffle rows before cutting folds; false keeps them in order (sklearn's default). @default true */
  shuffle?: boolean;
  /** Seed for the shuffle. @default 0 */
  seed?: number;
}
const K_DEFAULTS: Required<KFoldOptions> = { k: 5, shuffle: true, seed: 0 };

function checkK(o: Required<KFoldOptions>, n: number): void {
  positiveInt("k", o.k);
  bool("shuffle", o.shuffle);
  if (o.k < 2) throw new ConfigError(`\`k\` must be at least 2, got ${o.k}.`);
  if (o.k > n) throw new DataError(`\`k\` (${o.k}) is larger than the number of rows (${n}).`);
}

function foldsFromAssignment(n: number, k: number, foldOf: Int32Array): Fold[] {
  const out: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? test : train).push(i);
    out.push({ index: f, train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

/**
 * K-fold for independent (non-temporal) rows: every row is in exactly one test fold; the first
 * `n % k` folds get one extra row (as in sklearn's KFold). Shuffled with a seeded Rng.
 * @example
 * kFold(10, { k: 5 }).length // 5
 */
export function kFold(rows: number | ColumnTable, options: KFoldOptions = {}): Fold[] {
  const n = typeof rows === "number" ? rows : rows.numRows();
  const o = { ...K_DEFAULTS, ...options };
  checkK(o, n);
  const order = o.shuffle ? new Rng(o.seed).permutation(n) : range(0, n);
  const foldOf = new Int32Array(n);
  let pos = 0;
  for (let f = 0; f < o.k; f++) {
    const size = Math.floor(n / o.k) + (f < n % o.k ? 1 : 0);
    for (let j = 0; j < size; j++) foldOf[order[pos++] as number] = f;
  }
  return foldsFromAssignment(n, o.k, foldOf);
}

/**
 * Stratified k-fold: each class is shuffled (seeded) and dealt round-robin over the folds,
 * continuing where the previous class stopped, so every fold's class counts differ by at most one
 * from the class's share and fold sizes differ by at most one.
 *
 * @example
 * declare const emails: ReturnType<typeof dataset>;
 * const folds = stratifiedKFold(emails.array("label"), { k: 5, seed: 1 });
 */
export function stratifiedKFold(labels: ArrayLike<unknown>, options: KFoldOptions = {}): Fold[] {
  const n = labels.length;
  const o = { ...K_DEFAULTS, ...options };
  checkK(o, n);
  const byClass = new Map<unknown, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l === null || l === undefined || (typeof l === "number" && Number.isNaN(l))) {
      throw new DataError(`Label at row ${i} is missing (${show(l)}); stratified folds need a label in every row.`);
    }
    const list = byClass.get(l);
    if (list) list.push(i);
    else byClass.set(l, [i]);
  }
  const rng = new Rng(o.seed);
  const classes = [...byClass.keys()].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const foldOf = new Int32Array(n);
  let next = 0;
  for (const c of classes) {
    const members = byClass.get(c) as number[];
    const order = o.shuffle ? rng.shuffled(members) : members;
    for (const i of order) {
      foldOf[i] = next;
      next = (next + 1) % o.k;
    }
  }
  return foldsFromAssignment(n, o.k, foldOf);
}

/**
 * The training and test tables of one fold.
 * @example
 * const table = dataset("seattle-weather");
 * const { train, test } = foldTables(table, timeSeriesFolds(table, { folds: 3 })[0]!);
 */
export function foldTables(table: ColumnTable, fold: Fold): { train: ColumnTable; test: ColumnTable } {
  const n = table.numRows();
  const last = Math.max(fold.train[fold.train.length - 1] ?? -1, fold.test[fold.test.length - 1] ?? -1);
  if (last >= n) throw new DataError(`Fold ${fold.index} refers to row ${last}, but the table has ${n} rows.`);
  return { train: takeRows(table, fold.train), test: takeRows(table, fold.test) };
}

/** One fold's tables, scaled by a scaler fitted on its training part only. */
export interface ScaledFold {
  readonly index: number;
  readonly scaler: Scaler;
  readonly train: ColumnTable;
  readonly test: ColumnTable;
}

/**
 * For each fold: cut the tables, fit a scaler on the training part only, scale both parts.
 *
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * for (const f of scaledFolds(table, timeSeriesFolds(table, { folds: 3 }), ["temp_max", "wind"], "standard")) console.log(f.train.numRows(), f.test.numRows());
 */
export function scaledFolds(
  table: ColumnTable,
  folds: readonly Fold[],
  columns: readonly string[],
  options: ScalerOptions | ScalerKind = {},
): ScaledFold[] {
  requireColumns(table, columns);
  return folds.map((fold) => {
    const { train, test } = foldTables(table, fold);
    const scaler = fitScaler(train, columns, options);
    return { index: fold.index, scaler, train: scaler.transform(train), test: scaler.transform(test) };
  });
}

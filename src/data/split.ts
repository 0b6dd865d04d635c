/**
 * Time-ordered train / validation / test split, by fraction of rows or by cut-off dates.
 * Rows are never shuffled: the training part is the past, the test part the future.
 */
import type { ColumnTable } from "arquero";
import { ConfigError } from "../errors.js";
import { inRange, nonNegativeInt, show } from "../validate.js";
import { requireColumns, requireRows, requireSorted, timeColumn as readTime, toTime } from "./columns.js";
import { sliceRows } from "./rows.js";

/** Options of timeSplit: fractions, or cut-off times with a time column. */
export interface TimeSplitOptions {
  /** Fraction of rows for training (ignored when `trainEnd` is given). @default 0.7 */
  train?: number;
  /** Fraction of rows for validation (ignored when `valEnd` is given). @default 0.15 */
  val?: number;
  /** Time column; required for date cut-offs, and checked to be sorted when given. @default null */
  timeColumn?: string | null;
  /** Rows with time < trainEnd go to train. @default null */
  trainEnd?: Date | number | null;
  /** Rows with trainEnd <= time < valEnd go to val, the rest to test. @default null */
  valEnd?: Date | number | null;
  /** Rows dropped before val and before test, so lag features do not carry over a boundary. @default 0 */
  gap?: number;
}
const DEFAULTS: Required<TimeSplitOptions> = { train: 0.7, val: 0.15, timeColumn: null, trainEnd: null, valEnd: null, gap: 0 };

/** The three parts, each a new table, plus the row ranges they came from (`[start, end)`). */
export interface TimeSplit {
  readonly train: ColumnTable;
  readonly val: ColumnTable;
  readonly test: ColumnTable;
  readonly ranges: { readonly train: [number, number]; readonly val: [number, number]; readonly test: [number, number] };
}

/**
 * Splits a time-ordered table into consecutive train, val and test parts; the test part gets
 * what is left. With `trainEnd` / `valEnd` the cut is by time instead of by fraction.
 *
 * @example
 * declare const weather: ReturnType<typeof dataset>;
 * const { train, val, test } = timeSplit(weather, { train: 0.7, val: 0.15, timeColumn: "date" });
 * const byDate = timeSplit(weather, { timeColumn: "date", trainEnd: new Date("2014-01-01"), valEnd: new Date("2015-01-01") });
 */
export function timeSplit(table: ColumnTable, options: TimeSplitOptions = {}): TimeSplit {
  const o = { ...DEFAULTS, ...options };
  nonNegativeInt("gap", o.gap);
  requireRows(table, 1, "to split");
  const n = table.numRows();
  let times: Float64Array | null = null;
  if (o.timeColumn !== null) {
    requireColumns(table, [o.timeColumn], "time column");
    times = readTime(table, o.timeColumn);
    requireSorted(o.timeColumn, times);
  }
  const byDate = (name: string, cut: Date | number | null): number | null => {
    if (cut === null) return null;
    const t = toTime(cut);
    if (!Number.isFinite(t)) throw new ConfigError(`\`${name}\` must be a valid Date or number, got ${show(cut)}.`);
    if (!times) throw new ConfigError(`\`${name}\` needs \`timeColumn\` to compare against, got timeColumn ${show(o.timeColumn)}.`);
    let i = 0;
    while (i < n && (times[i] as number) < t) i++;
    return i;
  };
  let a = byDate("trainEnd", o.trainEnd);
  let b = byDate("valEnd", o.valEnd);
  if (a === null) {
    inRange("train", o.train, 0, 1, { lowOpen: true, highOpen: false });
    // the epsilon keeps 1460 * 0.7 (= 1021.9999999999999 in floating point) at 1022 rows
    a = Math.floor(n * o.train + 1e-9);
  }
  if (b === null) {
    inRange("val", o.val, 0, 1);
    if (o.trainEnd === null && o.train + o.val > 1 + 1e-12) {
      throw new ConfigError(`\`train\` + \`val\` must be at most 1, got ${o.train} + ${o.val} = ${o.train + o.val}.`);
    }
    b = Math.min(n, a + Math.floor(n * o.val + 1e-9));
  }
  if (b < a) throw new ConfigError(`\`valEnd\` (${show(o.valEnd)}) comes before \`trainEnd\` (${show(o.trainEnd)}).`);
  const ranges = {
    train: [0, a] as [number, number],
    val: [Math.min(a + o.gap, b), b] as [number, number],
    test: [Math.min(b + o.gap, n), n] as [number, number],
  };
  return {
    train: sliceRows(table, ...ranges.train),
    val: sliceRows(table, ...ranges.val),
    test: sliceRows(table, ...ranges.test),
    ranges,
  };
}

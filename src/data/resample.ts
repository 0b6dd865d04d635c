/**
 * Resampling to a regular frequency: rows are grouped into buckets of `every` (aligned to the Unix
 * epoch, so "1d" buckets start at UTC midnight) and each bucket becomes one row. Buckets with no
 * rows are kept, so the result is evenly spaced.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { ConfigError, DataError } from "../errors.js";
import { oneOf, positiveNumber, show } from "../validate.js";
import { requireColumns, requireRows, timeColumn as readTime } from "./columns.js";
import { isMissing } from "./missing.js";

/** How resample combines the rows of one bucket. */
export type ResampleAgg = "mean" | "sum" | "last";
/** Every ResampleAgg. */
export const RESAMPLE_AGGS: readonly ResampleAgg[] = ["mean", "sum", "last"];

/** Options of resample. */
export interface ResampleOptions {
  /** The time column (Dates or numbers). Required. */
  timeColumn: string;
  /** Bucket size: ms as a number, or text like "30s", "15min", "1h", "1d", "1w". Required. */
  every: number | string;
  /** How a bucket's values become one: mean, sum (empty bucket = 0, as pandas) or last. @default "mean" */
  agg?: ResampleAgg;
  /** Columns to keep; null means every numeric column. Non-numeric columns need agg "last". @default null */
  columns?: readonly string[] | null;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses "15min" / "1h" / "1d" (or a number of ms) to milliseconds.
 * @example
 * parseEvery("1d") // 86400000
 */
export function parseEvery(every: number | string): number {
  if (typeof every === "number") return positiveNumber("every", every);
  const m = /^\s*(\d+(?:\.\d+)?)?\s*(ms|s|min|h|d|w)\s*$/.exec(String(every));
  if (!m) throw new ConfigError(`\`every\` must be a number of ms or text like "15min", "1h", "1d", "1w", got ${show(every)}.`);
  return positiveNumber("every", Number(m[1] ?? 1) * (UNITS[m[2] as string] as number));
}

/**
 * One row per `every`-sized bucket from the first to the last timestamp, aggregated by `agg`.
 *
 * @example
 * declare const readings: ReturnType<typeof dataset>;
 * resample(readings, { timeColumn: "time", every: "1h", agg: "mean" })
 */
export function resample(table: ColumnTable, options: ResampleOptions): ColumnTable {
  const agg = oneOf("agg", options.agg ?? "mean", RESAMPLE_AGGS);
  const every = parseEvery(options.every);
  const tc = options.timeColumn;
  requireColumns(table, [tc], "time column");
  requireRows(table, 1, "to resample");
  const times = readTime(table, tc);
  const isDate = (table.array(tc) as ArrayLike<unknown>)[0] instanceof Date;
  const numericNames = table.columnNames().filter((c) => {
    if (c === tc) return false;
    const a = table.array(c) as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) if (!isMissing(a[i])) return typeof a[i] === "number";
    return false;
  });
  const columns = options.columns ?? numericNames;
  requireColumns(table, columns);
  if (agg !== "last") {
    for (const c of columns) {
      if (!numericNames.includes(c)) throw new ConfigError(`Column "${c}" is not numeric, so agg ${show(agg)} cannot combine it; use agg "last" or leave it out of \`columns\`.`);
    }
  }
  let lo = Infinity, hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const first = Math.floor(lo / every);
  const buckets = Math.floor(hi / every) - first + 1;
  if (buckets > 10_000_000) throw new DataError(`Resampling every ${every} ms would make ${buckets} rows; choose a larger \`every\`.`);
  const bucketOf = (i: number) => Math.floor((times[i] as number) / every) - first;
  const out: Record<string, unknown[] | Float64Array> = {};
  const start = Array.from({ length: buckets }, (_, b) => (first + b) * every);
  out[tc] = isDate ? start.map((t) => new Date(t)) : start;
  for (const c of columns) {
    const v = table.array(c) as ArrayLike<unknown>;
    if (agg === "last") {
      // last by time, ties by row order
      const res: unknown[] = new Array(buckets).fill(null);
      const when = new Float64Array(buckets).fill(-Infinity);
      for (let i = 0; i < v.length; i++) {
        if (isMissing(v[i])) continue;
        const b = bucketOf(i);
        if ((times[i] as number) >= (when[b] as number)) {
          when[b] = times[i] as number;
          res[b] = v[i];
        }
      }
      out[c] = numericNames.includes(c) ? Float64Array.from(res, (x) => (x === null ? NaN : (x as number))) : res;
    } else {
      const sum = new Float64Array(buckets);
      const count = new Float64Array(buckets);
      for (let i = 0; i < v.length; i++) {
        if (isMissing(v[i])) continue;
        const b = bucketOf(i);
        sum[b] = (sum[b] as number) + (v[i] as number);
        count[b] = (count[b] as number) + 1;
      }
      out[c] = agg === "sum" ? sum : sum.map((s, b) => ((count[b] as number) === 0 ? NaN : s / (count[b] as number)));
    }
  }
  return aq.table(out, [tc, ...columns]);
}

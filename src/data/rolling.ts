/**
 * Trailing rolling and expanding statistics: the value at row t uses rows up to and including t,
 * never later ones. Missing values (NaN) inside a window are skipped, as in pandas.
 */
import type { ColumnTable } from "arquero";
import { ConfigError } from "../errors.js";
import { nonEmptyArray, oneOf, positiveInt } from "../validate.js";
import { numericColumn, requireColumns } from "./columns.js";

/** A statistic addRolling / addExpanding computes. */
export type RollingStat = "mean" | "std" | "min" | "max" | "sum";
/** Every RollingStat. */
export const ROLLING_STATS: readonly RollingStat[] = ["mean", "std", "min", "max", "sum"];

/** One statistic over x[from..to] (inclusive), skipping NaN; NaN below `minPeriods` valid values. std is the sample std (n - 1), like pandas. */
function stat(x: Float64Array, from: number, to: number, s: RollingStat, minPeriods: number): number {
  let n = 0, sum = 0, mn = Infinity, mx = -Infinity;
  for (let i = from; i <= to; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  if (n < minPeriods || n === 0) return NaN;
  switch (s) {
    case "mean": return sum / n;
    case "sum": return sum;
    case "min": return mn;
    case "max": return mx;
    case "std": {
      if (n < 2) return NaN;
      const m = sum / n;
      let ss = 0;
      for (let i = from; i <= to; i++) {
        const v = x[i] as number;
        if (!Number.isNaN(v)) ss += (v - m) * (v - m);
      }
      return Math.sqrt(ss / (n - 1));
    }
  }
}

function checkStats(stats: readonly RollingStat[]): void {
  nonEmptyArray("stats", stats);
  stats.forEach((s, i) => oneOf(`stats[${i}]`, s, ROLLING_STATS));
}

/**
 * Adds `${column}_roll${window}_${stat}` for each stat over the trailing `window` rows. Rows with
 * fewer than `minPeriods` valid values are NaN. `std` is the sample std (divide by n - 1, like pandas).
 *
 * @example
 * declare const weather: ReturnType<typeof dataset>;
 * addRolling(weather, "temp_max", 7, ["mean", "std"]) // temp_max_roll7_mean, temp_max_roll7_std
 */
export function addRolling(
  table: ColumnTable,
  column: string,
  window: number,
  stats: readonly RollingStat[] = ["mean"],
  options: { minPeriods?: number } = {},
): ColumnTable {
  positiveInt("window", window);
  checkStats(stats);
  const minPeriods = positiveInt("minPeriods", options.minPeriods ?? window);
  if (minPeriods > window) throw new ConfigError(`\`minPeriods\` (${minPeriods}) must be at most \`window\` (${window}).`);
  requireColumns(table, [column]);
  const x = numericColumn(table, column, true);
  const cols: Record<string, Float64Array> = {};
  for (const s of stats) {
    const out = new Float64Array(x.length);
    for (let t = 0; t < x.length; t++) out[t] = stat(x, Math.max(0, t - window + 1), t, s, minPeriods);
    cols[`${column}_roll${window}_${s}`] = out;
  }
  return table.assign(cols);
}

/**
 * Adds `${column}_exp_${stat}`: the statistic over all rows from the first up to this one.
 * `std` is the sample std (n - 1).
 */
export function addExpanding(
  table: ColumnTable,
  column: string,
  stats: readonly RollingStat[] = ["mean"],
  options: { minPeriods?: number } = {},
): ColumnTable {
  checkStats(stats);
  const minPeriods = positiveInt("minPeriods", options.minPeriods ?? 1);
  requireColumns(table, [column]);
  const x = numericColumn(table, column, true);
  const cols: Record<string, Float64Array> = {};
  for (const s of stats) {
    const out = new Float64Array(x.length);
    // running sums keep this O(n): Welford for the std
    let n = 0, sum = 0, mn = Infinity, mx = -Infinity, mean = 0, m2 = 0;
    for (let t = 0; t < x.length; t++) {
      const v = x[t] as number;
      if (!Number.isNaN(v)) {
        n++;
        sum += v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        const d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
      }
      if (n < minPeriods || n === 0) out[t] = NaN;
      else out[t] = s === "mean" ? sum / n : s === "sum" ? sum : s === "min" ? mn : s === "max" ? mx : n < 2 ? NaN : Math.sqrt(m2 / (n - 1));
    }
    cols[`${column}_exp_${s}`] = out;
  }
  return table.assign(cols);
}

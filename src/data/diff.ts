/**
 * Differences and percent changes against a row `lag` rows back (seasonal with lag = period).
 * Both look back only; the first `lag` rows are NaN.
 */
import type { ColumnTable } from "arquero";
import { positiveInt } from "../validate.js";
import { numericColumn, requireColumns } from "./columns.js";

/**
 * Adds `${column}_diff${lag}` = x[t] - x[t - lag]. Use `lag: 12` on monthly data for a seasonal
 * difference, and `order: 2` to difference twice.
 *
 * @example
 * declare const co2: ReturnType<typeof dataset>;
 * addDiff(co2, "CO2", { lag: 12 }) // CO2_diff12, the year-on-year change
 */
export function addDiff(table: ColumnTable, column: string, options: { lag?: number; order?: number; name?: string } = {}): ColumnTable {
  const lag = positiveInt("lag", options.lag ?? 1);
  const order = positiveInt("order", options.order ?? 1);
  requireColumns(table, [column]);
  let x = numericColumn(table, column, true);
  for (let o = 0; o < order; o++) {
    const out = new Float64Array(x.length).fill(NaN);
    for (let i = lag; i < x.length; i++) out[i] = (x[i] as number) - (x[i - lag] as number);
    x = out;
  }
  const name = options.name ?? `${column}_diff${lag}${order > 1 ? `_o${order}` : ""}`;
  return table.assign({ [name]: x });
}

/**
 * Adds `${column}_pct${periods}` = x[t] / x[t - periods] - 1 (pandas' pct_change). A zero
 * denominator gives NaN (pandas gives Infinity), so the result can be imputed like any gap.
 * @example
 * addPctChange(dataset("seattle-weather"), "wind")
 */
export function addPctChange(table: ColumnTable, column: string, periods = 1): ColumnTable {
  positiveInt("periods", periods);
  requireColumns(table, [column]);
  const x = numericColumn(table, column, true);
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = periods; i < x.length; i++) {
    const d = x[i - periods] as number;
    out[i] = d === 0 ? NaN : (x[i] as number) / d - 1;
  }
  return table.assign({ [`${column}_pct${periods}`]: out });
}

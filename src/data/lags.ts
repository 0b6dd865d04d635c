/**
 * Lagged and lead copies of numeric columns. A lag only looks back, so it is a safe feature; a
 * lead looks forward and is meant for building targets, never inputs.
 */
import type { ColumnTable } from "arquero";
import { nonEmptyArray, positiveInt } from "../validate.js";
import { numericColumn, requireColumns } from "./columns.js";

function shifted(x: Float64Array, k: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  if (k >= 0) out.set(x.subarray(0, Math.max(0, x.length - k)), Math.min(k, x.length));
  else out.set(x.subarray(-k), 0);
  return out;
}

/**
 * Adds `${column}_lag${k}` for each k: the value k rows earlier (NaN for the first k rows).
 *
 * @example
 * declare const weather: ReturnType<typeof dataset>;
 * addLags(weather, "temp_max", [1, 7]) // temp_max_lag1, temp_max_lag7
 */
export function addLags(table: ColumnTable, column: string, lags: readonly number[]): ColumnTable {
  requireColumns(table, [column]);
  nonEmptyArray("lags", lags);
  lags.forEach((k, i) => positiveInt(`lags[${i}]`, k));
  const x = numericColumn(table, column, true);
  return table.assign(Object.fromEntries(lags.map((k) => [`${column}_lag${k}`, shifted(x, k)])));
}

/**
 * Adds `${column}_lead${k}` for each k: the value k rows later (NaN for the last k rows).
 * Leads look into the future: use them for targets only.
 * @example
 * addLeads(dataset("seattle-weather"), "temp_max", [1, 2]) // temp_max_lead1, temp_max_lead2
 */
export function addLeads(table: ColumnTable, column: string, leads: readonly number[]): ColumnTable {
  requireColumns(table, [column]);
  nonEmptyArray("leads", leads);
  leads.forEach((k, i) => positiveInt(`leads[${i}]`, k));
  const x = numericColumn(table, column, true);
  return table.assign(Object.fromEntries(leads.map((k) => [`${column}_lead${k}`, shifted(x, -k)])));
}

/**
 * Handling missing values: drop the rows, carry the last value forward, take the next value back,
 * interpolate linearly (by row or by time), or put in a constant. Only forward fill and drop never
 * use a later row; back fill and interpolation do, so apply them before splitting only if that
 * leak is acceptable, or per split.
 */
import type { ColumnTable } from "arquero";
import { ConfigError } from "../errors.js";
import { oneOf, show } from "../validate.js";
import { requireColumns, timeColumn as readTime } from "./columns.js";
import { isMissing } from "./missing.js";
import { takeRows } from "./rows.js";

/** How fillMissing handles a missing value. */
export type FillMethod = "drop" | "ffill" | "bfill" | "linear" | "constant";
/** Every FillMethod. */
export const FILL_METHODS: readonly FillMethod[] = ["drop", "ffill", "bfill", "linear", "constant"];

/** Options of fillMissing. */
export interface FillOptions {
  /** How to handle missing values. @default "ffill" */
  method?: FillMethod;
  /** Columns to handle; null means every column. @default null */
  columns?: readonly string[] | null;
  /** The value for method "constant". @default null */
  value?: unknown;
  /** For "linear": interpolate by this time column's spacing instead of by row. @default null */
  timeColumn?: string | null;
}
const DEFAULTS: Required<FillOptions> = { method: "ffill", columns: null, value: null, timeColumn: null };

/**
 * A new table with missing values (null, undefined, NaN) handled. ffill / bfill leave leading /
 * trailing gaps as they are; linear leaves gaps at either end (there is nothing to interpolate to).
 *
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * fillMissing(table, { method: "linear", columns: ["temp"], timeColumn: "date" })
 */
export function fillMissing(table: ColumnTable, options: FillOptions = {}): ColumnTable {
  const o = { ...DEFAULTS, ...options };
  oneOf("method", o.method, FILL_METHODS);
  const columns = o.columns ?? table.columnNames();
  requireColumns(table, columns);
  if (o.method === "constant" && isMissing(o.value)) {
    throw new ConfigError(`method "constant" needs a non-missing \`value\`, got ${show(o.value)}.`);
  }
  if (o.method === "drop") {
    const cols = columns.map((c) => table.array(c) as ArrayLike<unknown>);
    const keep: number[] = [];
    for (let i = 0; i < table.numRows(); i++) if (!cols.some((a) => isMissing(a[i]))) keep.push(i);
    return takeRows(table, keep);
  }
  const times = o.method === "linear" && o.timeColumn !== null ? readTime(table, o.timeColumn) : null;
  const out: Record<string, unknown[]> = {};
  for (const name of columns) {
    const v = Array.from(table.array(name) as ArrayLike<unknown>);
    const n = v.length;
    if (o.method === "constant") {
      for (let i = 0; i < n; i++) if (isMissing(v[i])) v[i] = o.value;
    } else if (o.method === "ffill") {
      for (let i = 1; i < n; i++) if (isMissing(v[i]) && !isMissing(v[i - 1])) v[i] = v[i - 1];
    } else if (o.method === "bfill") {
      for (let i = n - 2; i >= 0; i--) if (isMissing(v[i]) && !isMissing(v[i + 1])) v[i] = v[i + 1];
    } else {
      let prev = -1;
      for (let i = 0; i < n; i++) {
        if (isMissing(v[i])) continue;
        if (typeof v[i] !== "number") {
          throw new ConfigError(`method "linear" needs numeric columns; column "${name}" holds ${show(v[i])} at row ${i}.`);
        }
        if (prev >= 0 && i - prev > 1) {
          const a = v[prev] as number, b = v[i] as number;
          const x0 = times ? (times[prev] as number) : prev, x1 = times ? (times[i] as number) : i;
          for (let k = prev + 1; k < i; k++) {
            const x = times ? (times[k] as number) : k;
            v[k] = a + ((b - a) * (x - x0)) / (x1 - x0);
          }
        }
        prev = i;
      }
    }
    out[name] = v;
  }
  return table.assign(out);
}

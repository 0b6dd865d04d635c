/**
 * A `describe()`-style summary: one row per column with its type, count, missing, distinct values,
 * mean, std, min and max. Returned as an arquero table so it renders as a table in a notebook.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { isMissing } from "./missing.js";

/**
 * The kind of values a column holds: "number", "date", "string", "boolean", "mixed" or "empty".
 * @example
 * columnType([1, 2, 3]) // "number"
 */
export function columnType(values: ArrayLike<unknown>): string {
  let type: string | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (isMissing(v)) continue;
    const t = v instanceof Date ? "date" : typeof v;
    if (type === null) type = t;
    else if (type !== t) return "mixed";
  }
  return type ?? "empty";
}

/**
 * Summarises every column: `type`, `count` (non-missing), `missing`, `unique`, and for numbers
 * `mean`, `std` (sample std, n − 1, like pandas' describe), `min`, `max`; for dates `min` and
 * `max` as ISO text. Other cells are null.
 *
 * @example
 * describe(dataset("seattle-weather")).print()
 */
export function describe(table: ColumnTable): ColumnTable {
  const rows: Record<string, unknown>[] = [];
  for (const name of table.columnNames()) {
    const a = table.array(name) as ArrayLike<unknown>;
    const type = columnType(a);
    let count = 0, sum = 0, min = Infinity, max = -Infinity;
    const distinct = new Set<unknown>();
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (isMissing(v)) continue;
      count++;
      const x = v instanceof Date ? v.getTime() : v;
      distinct.add(x);
      if (typeof x === "number") {
        sum += x;
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
    let mean: number | null = null, std: number | null = null;
    if (type === "number" && count > 0) {
      mean = sum / count;
      let ss = 0;
      for (let i = 0; i < a.length; i++) if (!isMissing(a[i])) ss += ((a[i] as number) - mean) ** 2;
      std = count > 1 ? Math.sqrt(ss / (count - 1)) : null;
    }
    const ends = (x: number) => (type === "number" ? x : type === "date" ? new Date(x).toISOString() : null);
    rows.push({
      column: name,
      type,
      count,
      missing: a.length - count,
      unique: distinct.size,
      mean,
      std,
      min: count > 0 && (type === "number" || type === "date") ? ends(min) : null,
      max: count > 0 && (type === "number" || type === "date") ? ends(max) : null,
    });
  }
  return aq.from(rows);
}

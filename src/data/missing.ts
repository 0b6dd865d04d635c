/**
 * Missing values per column: null, undefined and NaN count as missing (Invalid Dates too).
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";

/**
 * True for null, undefined, NaN and an Invalid Date.
 * @example
 * [null, undefined, NaN, 0, ""].map(isMissing) // [true, true, true, false, false]
 */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v)) || (v instanceof Date && Number.isNaN(v.getTime()));
}

/**
 * A table with one row per column: `column`, `missing` (count), `fraction` and `firstRow`
 * (the first missing row, or null). Renders as a table in a notebook.
 * @example
 * missingReport(dataset("seattle-weather")).print()
 */
export function missingReport(table: ColumnTable): ColumnTable {
  const names = table.columnNames();
  const n = table.numRows();
  const missing: number[] = [];
  const firstRow: (number | null)[] = [];
  for (const name of names) {
    const values = table.array(name) as ArrayLike<unknown>;
    let count = 0;
    let first: number | null = null;
    for (let i = 0; i < values.length; i++) {
      if (isMissing(values[i])) {
        count++;
        first ??= i;
      }
    }
    missing.push(count);
    firstRow.push(first);
  }
  return aq.table({ column: names, missing, fraction: missing.map((m) => (n === 0 ? 0 : m / n)), firstRow });
}

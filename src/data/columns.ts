/**
 * Column access shared by the data verbs: existence checks, numeric reads with the first bad row
 * in the message, and time values as epoch milliseconds. Every check throws before anything is built,
 * so a failing call changes nothing.
 */
import type { ColumnTable } from "arquero";
import { DataError } from "../errors.js";
import { show } from "../validate.js";

/** Throws DataError for the first name in `names` that is not a column of `table`. */
export function requireColumns(table: ColumnTable, names: readonly string[], what = "column"): void {
  const have = table.columnNames();
  for (const name of names) {
    if (typeof name !== "string" || !have.includes(name)) {
      throw new DataError(`Unknown ${what} ${show(name)}. The table has: ${have.join(", ") || "(no columns)"}.`);
    }
  }
}

/** Throws DataError when the table has no rows. */
export function requireRows(table: ColumnTable, min = 1, why = ""): void {
  const n = table.numRows();
  if (n < min) {
    throw new DataError(
      n === 0 ? `The table is empty (0 rows)${why ? `; ${why}` : ""}.` : `The table has ${n} rows, need at least ${min}${why ? ` ${why}` : ""}.`,
    );
  }
}

/** A Date or number as epoch milliseconds; NaN for anything else (null, strings). */
export function toTime(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number") return v;
  return NaN;
}

/**
 * A column as a new Float64Array, in the table's row order. With `allowMissing` false, null,
 * NaN, Infinity and non-numbers are errors naming the column, the value and the first row;
 * with `allowMissing` true, null/undefined/NaN become NaN (Infinity and non-numbers still throw).
 */
export function numericColumn(table: ColumnTable, name: string, allowMissing = false): Float64Array {
  requireColumns(table, [name]);
  const values = table.array(name) as ArrayLike<unknown>;
  const n = values.length;
  const out = new Float64Array(n);
  if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array) {
    out.set(values);
    if (values instanceof Int32Array) return out;
    for (let i = 0; i < n; i++) {
      const v = out[i] as number;
      if (!Number.isFinite(v) && !(allowMissing && Number.isNaN(v))) badValue(name, v, i, allowMissing);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === "number") {
      if (!Number.isFinite(v) && !(allowMissing && Number.isNaN(v))) badValue(name, v, i, allowMissing);
      out[i] = v;
    } else if (v == null && allowMissing) {
      out[i] = NaN;
    } else {
      badValue(name, v, i, allowMissing);
    }
  }
  return out;
}

function badValue(name: string, v: unknown, row: number, allowMissing: boolean): never {
  if (typeof v === "number") {
    throw new DataError(
      `Column "${name}" has ${v} at row ${row}; ${Number.isNaN(v) ? "impute or drop missing values first (see fillMissing)" : "values must be finite"}.`,
    );
  }
  if (v == null) {
    throw new DataError(`Column "${name}" has a missing value (${String(v)}) at row ${row}; impute or drop missing values first (see fillMissing).`);
  }
  throw new DataError(
    `Column "${name}" is not numeric: row ${row} holds ${show(v)} (${v instanceof Date ? "Date" : typeof v}); encode it (e.g. oneHot) or leave it out of the numeric columns.`,
  );
}

/** Epoch milliseconds of a time column (Dates or numbers), erroring on missing values with the row. */
export function timeColumn(table: ColumnTable, name: string): Float64Array {
  requireColumns(table, [name], "time column");
  const values = table.array(name) as ArrayLike<unknown>;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const t = toTime(values[i]);
    if (!Number.isFinite(t)) {
      throw new DataError(`Time column "${name}" has ${show(values[i])} at row ${i}; it needs a Date or a number in every row.`);
    }
    out[i] = t;
  }
  return out;
}

/** Throws DataError naming the first row where `times` decreases (or repeats, with `strict`). */
export function requireSorted(name: string, times: Float64Array, strict = false): void {
  for (let i = 1; i < times.length; i++) {
    const a = times[i - 1] as number;
    const b = times[i] as number;
    if (b < a || (strict && b === a)) {
      throw new DataError(
        `Time column "${name}" is not ${strict ? "strictly increasing" : "sorted"}: row ${i} (${fmtTime(b)}) ${b === a ? "repeats" : "comes before"} row ${i - 1} (${fmtTime(a)}); sort it with sortByTime first.`,
      );
    }
  }
}

/** ISO text for epoch milliseconds that look like dates, the plain number otherwise. */
export function fmtTime(t: number): string {
  return Math.abs(t) > 1e11 && Number.isFinite(t) ? new Date(t).toISOString() : String(t);
}

/**
 * What the data plots need from a table: arquero's ColumnTable satisfies this structurally, so
 * the plots work on arquero tables without importing arquero (and on any look-alike).
 */
import { DataError } from "../errors.js";

/** The part of an arquero ColumnTable the data plots read. */
export interface TableLike {
  columnNames(): string[];
  numRows(): number;
  array(name: string): ArrayLike<unknown>;
}

/** Throws DataError naming the column and the columns there are. */
export function requireColumns(table: TableLike, columns: readonly string[]): void {
  const names = table.columnNames();
  for (const c of columns) {
    if (!names.includes(c)) throw new DataError(`Column ${JSON.stringify(c)} not found; columns are: ${names.join(", ")}.`);
  }
}

/** Numeric columns (the first non-missing value is a number), leaving out `except`. */
export function numericColumns(table: TableLike, except: readonly string[] = []): string[] {
  return table.columnNames().filter((c) => {
    if (except.includes(c)) return false;
    const a = table.array(c);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v === null || v === undefined) continue;
      return typeof v === "number";
    }
    return false;
  });
}

/** True for null, undefined and NaN (arquero's and pandas' idea of a missing value). */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/** A column as numbers, missing values as NaN. */
export function columnNumbers(table: TableLike, column: string): number[] {
  return Array.from(table.array(column), (v) => (typeof v === "number" ? v : isMissing(v) ? NaN : Number(v)));
}

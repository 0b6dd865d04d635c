/**
 * One-hot encoding with a stable category order: categories are sorted (numbers numerically,
 * everything else by its text), or given explicitly, so the same categories give the same columns
 * on train, validation and test.
 */
import type { ColumnTable } from "arquero";
import { DataError } from "../errors.js";
import { bool, oneOf, show } from "../validate.js";
import { requireColumns } from "./columns.js";

/** A category value of a one-hot encoded column. */
export type Category = string | number | boolean;

/**
 * The sorted distinct non-missing values of `column`: fit them on the training part and reuse.
 * @example
 * oneHotCategories(dataset("seattle-weather"), "weather") // the categories, to reuse on the test table
 */
export function oneHotCategories(table: ColumnTable, column: string): Category[] {
  requireColumns(table, [column]);
  const seen = new Set<Category>();
  const values = table.array(column) as ArrayLike<unknown>;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") seen.add(v);
    else seen.add(String(v));
  }
  return [...seen].sort((a, b) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
}

/** Options of oneHot. */
export interface OneHotOptions {
  /** Categories, in column order; by default the sorted distinct values of the column. @default null */
  categories?: readonly Category[] | null;
  /** Prefix of the new columns (`${prefix}_${category}`). @default the column name */
  prefix?: string | null;
  /** Remove the original column. @default true */
  dropOriginal?: boolean;
  /** "error" on a value not in `categories` (or missing), "ignore" gives it all zeros. @default "error" */
  unknown?: "error" | "ignore";
}
const DEFAULTS: Required<OneHotOptions> = { categories: null, prefix: null, dropOriginal: true, unknown: "error" };

/**
 * Replaces a categorical column with one 0/1 column per category.
 *
 * @example
 * declare const train: ReturnType<typeof dataset>;
 * declare const test: ReturnType<typeof dataset>;
 * const cats = oneHotCategories(train, "weather");
 * const tr = oneHot(train, "weather", { categories: cats }), te = oneHot(test, "weather", { categories: cats, unknown: "ignore" });
 */
export function oneHot(table: ColumnTable, column: string, options: OneHotOptions = {}): ColumnTable {
  const o = { ...DEFAULTS, ...options };
  bool("dropOriginal", o.dropOriginal);
  oneOf("unknown", o.unknown, ["error", "ignore"] as const);
  requireColumns(table, [column]);
  const cats = o.categories ?? oneHotCategories(table, column);
  const prefix = o.prefix ?? column;
  const index = new Map<string, number>(cats.map((c, j) => [String(c), j]));
  const values = table.array(column) as ArrayLike<unknown>;
  const cols = cats.map(() => new Float64Array(values.length));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const j = v === null || v === undefined ? undefined : index.get(String(v));
    if (j === undefined) {
      if (o.unknown === "error") {
        throw new DataError(
          `Column "${column}" has ${show(v)} at row ${i}, which is not one of its categories (${cats.map((c) => show(c)).join(", ")}); pass unknown: "ignore" to encode it as all zeros.`,
        );
      }
      continue;
    }
    (cols[j] as Float64Array)[i] = 1;
  }
  const out = table.assign(Object.fromEntries(cats.map((c, j) => [`${prefix}_${String(c)}`, cols[j] as Float64Array])));
  return o.dropOriginal ? out.select(out.columnNames().filter((n) => n !== column)) : out;
}

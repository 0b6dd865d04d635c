/**
 * Mapping model outputs back to original units without depending on a particular scaler class.
 * Anything with `inverseArray(values, columns)` works (the `Scaler` of src/data does), or a plain
 * function `(values, columns) => values`. Outputs follow makeWindows' layout: the last axis is
 * horizon × targets, cycling through `targets` (t1@h1, t2@h1, t1@h2, ...).
 */
import { ShapeError } from "../errors.js";
import type { Matrix } from "./values.js";

/** A scaler-like object or a function that maps values of the `columns` back to original units. */
export type Inverse =
  | { inverseArray(values: ArrayLike<number>, columns: readonly string[]): ArrayLike<number> }
  | ((values: Float64Array, columns: readonly string[]) => ArrayLike<number>);

/**
 * A new matrix with `m` inverse-scaled (m itself is unchanged); `m` itself when `inverse` is null.
 * @example
 * declare const scaler: Scaler;
 * declare const pred: Parameters<typeof applyInverse>[1]; // [rows, targets], scaled
 * applyInverse(scaler, pred, ["temp_max"])
 */
export function applyInverse(inverse: Inverse | null, m: Matrix, targets: readonly string[]): Matrix {
  if (inverse === null) return m;
  if (m.cols % targets.length !== 0) {
    throw new ShapeError(`Outputs have ${m.cols} columns, not a multiple of the ${targets.length} targets (${targets.join(", ")}).`);
  }
  const copy = m.data.slice();
  const out = typeof inverse === "function" ? inverse(copy, targets) : inverse.inverseArray(copy, targets);
  if (out.length !== m.data.length) {
    throw new ShapeError(`The inverse returned ${out.length} values for ${m.data.length} inputs.`);
  }
  return { data: Float64Array.from(out), rows: m.rows, cols: m.cols };
}

/** Column names for outputs: the targets themselves for a one-step horizon, else `target_h1`, `target_h2`, ... */
export function outputNames(cols: number, targets: readonly string[]): string[] {
  if (cols === targets.length) return [...targets];
  return Array.from({ length: cols }, (_, j) => `${targets[j % targets.length]}_h${Math.floor(j / targets.length) + 1}`);
}

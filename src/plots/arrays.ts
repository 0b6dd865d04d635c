/** Input checks shared by the figure info functions: numbers in, plain arrays out. */
import { DataError, ShapeError } from "../errors.js";

/** Copies `values` to a plain number[], throwing DataError at the first non-finite value. */
export function toNumbers(name: string, values: ArrayLike<number>): number[] {
  const out = Array.from(values as ArrayLike<number>, Number);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new DataError(`\`${name}\` has a non-finite value ${String(out[bad])} at index ${bad}; drop or impute it first.`);
  return out;
}

/** Throws ShapeError unless `values` has `n` entries. */
export function sameLength(name: string, values: ArrayLike<unknown>, n: number, other: string): void {
  if (values.length !== n) throw new ShapeError(`\`${name}\` has ${values.length} values but \`${other}\` has ${n}.`);
}

/** Plot-ready x values: Dates become ISO strings (Plotly reads them as dates), numbers stay. */
export function toXValues(name: string, values: ArrayLike<unknown>): (number | string)[] {
  return Array.from(values, (v, i) => {
    if (v instanceof Date) return v.toISOString();
    if (typeof v === "number" || typeof v === "string") return v;
    if (typeof v === "bigint") return Number(v);
    throw new DataError(`\`${name}\` must hold numbers, strings or Dates; got ${String(v)} at index ${i}.`);
  });
}

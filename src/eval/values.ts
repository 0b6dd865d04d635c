/**
 * What the evaluation functions accept: a tensor, a flat numeric array, or rows of numbers.
 * Everything is read into a row-major Float64Array with its row and column counts; the input is
 * never changed.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";

/** A tensor ([n] or [n, k]), a typed or plain array of numbers, or an array of equal-length rows. */
export type Values = tf.Tensor | ArrayLike<number> | readonly (readonly number[])[];

/** A read-only numeric matrix: `data[r * cols + c]`. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Reads `v` as a matrix (a 1-D input has one column; higher-rank tensors keep the first axis as rows). */
export function values(name: string, v: Values): Matrix {
  if (v instanceof tf.Tensor) {
    const rows = v.shape[0] ?? 1;
    const data = Float64Array.from(v.dataSync());
    return { data, rows: v.rank === 0 ? 1 : rows, cols: rows === 0 ? 0 : data.length / Math.max(rows, 1) };
  }
  if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) {
    const rowsArr = v as readonly (readonly number[])[];
    const cols = rowsArr[0]?.length ?? 0;
    const data = new Float64Array(rowsArr.length * cols);
    rowsArr.forEach((r, i) => {
      if (r.length !== cols) throw new ShapeError(`\`${name}\` row ${i} has ${r.length} values but row 0 has ${cols}.`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j] as number;
    });
    return { data, rows: rowsArr.length, cols };
  }
  if (typeof v === "object" && v !== null && typeof (v as ArrayLike<number>).length === "number") {
    const a = v as ArrayLike<number>;
    return { data: Float64Array.from(a), rows: a.length, cols: 1 };
  }
  throw new ConfigError(`\`${name}\` must be a tensor or an array of numbers, got ${typeof v}.`);
}

/**
 * Reads `yTrue` and `yPred`, checking they hold the same number of values in the same rows and
 * columns (a flat array and a one-column matrix are the same layout).
 */
export function pair(yTrue: Values, yPred: Values): [Matrix, Matrix] {
  const t = values("yTrue", yTrue);
  const p = values("yPred", yPred);
  if (t.data.length !== p.data.length) {
    throw new ShapeError(`\`yTrue\` has ${t.data.length} values but \`yPred\` has ${p.data.length}.`);
  }
  if (t.data.length === 0) throw new ShapeError("`yTrue` and `yPred` are empty.");
  if (t.cols !== p.cols) {
    throw new ShapeError(`\`yTrue\` has ${t.rows} rows of ${t.cols} but \`yPred\` has ${p.rows} rows of ${p.cols}; give both the same layout.`);
  }
  return [t, p];
}

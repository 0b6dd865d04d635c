/**
 * Row selection by index that keeps every column's values and types: the building block of
 * splits, folds and sorting. Works on filtered or ordered tables (indices are in their row order).
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";

/**
 * A new table holding `indices` (positions in `table`'s row order), in that order.
 * @example
 * takeRows(dataset("seattle-weather"), [0, 2, 4]).numRows() // 3
 */
export function takeRows(table: ColumnTable, indices: ArrayLike<number>): ColumnTable {
  const cols: Record<string, unknown[] | Float64Array | Float32Array | Int32Array> = {};
  for (const name of table.columnNames()) {
    const src = table.array(name) as ArrayLike<unknown>;
    if (src instanceof Float64Array || src instanceof Float32Array || src instanceof Int32Array) {
      const out = new (src.constructor as Float64ArrayConstructor)(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = src[indices[i] as number] as number;
      cols[name] = out;
    } else {
      const out = new Array<unknown>(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = src[indices[i] as number];
      cols[name] = out;
    }
  }
  return aq.table(cols, table.columnNames());
}

/**
 * Rows `[start, end)` of `table` in its row order, as a new table.
 * @example
 * sliceRows(dataset("seattle-weather"), 10, 20).numRows() // 10
 */
export function sliceRows(table: ColumnTable, start: number, end: number): ColumnTable {
  const idx = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < idx.length; i++) idx[i] = start + i;
  return takeRows(table, idx);
}

/**
 * Sorting by a time column (Dates or numbers), stable for equal times.
 */
import type { ColumnTable } from "arquero";
import { requireColumns, timeColumn } from "./columns.js";
import { takeRows } from "./rows.js";

/**
 * A new table sorted by `column` ascending; rows with equal times keep their order.
 * @example
 * sortByTime(dataset("seattle-weather"), "date")
 */
export function sortByTime(table: ColumnTable, column: string): ColumnTable {
  requireColumns(table, [column], "time column");
  const t = timeColumn(table, column);
  const idx = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
  return takeRows(table, idx);
}

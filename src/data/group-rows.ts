/**
 * The rows of each series in a long table (one row per series and time step, a `group` column
 * naming the series), in order of first appearance. Windows, scalers and backtests cut and fit
 * each series on its own rows, so nothing crosses from one series into the next.
 */
import type { ColumnTable } from "arquero";
import { DataError } from "../errors.js";
import { show } from "../validate.js";
import { requireColumns } from "./columns.js";

/** Each series' name and its table rows, in table order. */
export interface GroupRows {
  /** Series names (the group column's values as strings), in order of first appearance. */
  readonly names: readonly string[];
  /** `rows[g]`: the table rows of series `names[g]`, ascending. */
  readonly rows: readonly Int32Array[];
}

/**
 * Splits the table's rows by the `group` column. A missing value, or a series with fewer than
 * `minRows` rows, is a DataError naming the column and the series.
 *
 * @example
 * const g = groupRows(dataset("stocks"), "symbol"); // g.names: ["MSFT", "AMZN", "IBM", "GOOG", "AAPL"]
 */
export function groupRows(table: ColumnTable, group: string, minRows = 1): GroupRows {
  requireColumns(table, [group], "group column");
  const values = table.array(group) as ArrayLike<unknown>;
  const index = new Map<string, number[]>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) {
      throw new DataError(`Group column "${group}" has a missing value at row ${i}; every row must name its series.`);
    }
    const key = v instanceof Date ? v.toISOString() : String(v);
    let list = index.get(key);
    if (!list) index.set(key, (list = []));
    list.push(i);
  }
  for (const [name, list] of index) {
    if (list.length < minRows) {
      throw new DataError(`Group column "${group}": series ${show(name)} has ${list.length} row${list.length === 1 ? "" : "s"}, need at least ${minRows}.`);
    }
  }
  return { names: [...index.keys()], rows: [...index.values()].map((l) => Int32Array.from(l)) };
}

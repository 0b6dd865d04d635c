/** A minimal TableLike over plain columns, for tests. */
import type { TableLike } from "../../src/plots/table.js";

export function tableOf(columns: Record<string, unknown[]>): TableLike {
  return {
    columnNames: () => Object.keys(columns),
    numRows: () => Object.values(columns)[0]?.length ?? 0,
    array: (name: string) => columns[name] as unknown[],
  };
}

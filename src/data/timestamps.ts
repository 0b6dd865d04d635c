/**
 * Checks a time column for order, duplicates and irregular spacing before windowing.
 */
import type { ColumnTable } from "arquero";
import { requireColumns, timeColumn } from "./columns.js";

/** What checkTimestamps found. */
export interface TimestampReport {
  /** Rows in the table. */
  readonly rows: number;
  /** True when no time is earlier than the one before it. */
  readonly sorted: boolean;
  /** First row whose time is earlier than the row before, or null. */
  readonly firstUnsortedRow: number | null;
  /** Rows whose time equals an earlier row's (after sorting). */
  readonly duplicates: number;
  /** First such row in sorted order, as a row of the given table, or null. */
  readonly firstDuplicateRow: number | null;
  /** The most common step between consecutive distinct times, in ms (or units of a numeric column). */
  readonly step: number | null;
  /** Steps (between consecutive distinct sorted times) that differ from `step`. */
  readonly irregularSteps: number;
  /** True when sorted, without duplicates and evenly spaced: ready for windows. */
  readonly regular: boolean;
}

/**
 * Reports order, duplicated timestamps and irregular spacing of `column`.
 *
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * const r = checkTimestamps(table, "date");
 * const regular = r.regular ? table : resample(sortByTime(table, "date"), { timeColumn: "date", every: "1d" });
 */
export function checkTimestamps(table: ColumnTable, column: string): TimestampReport {
  requireColumns(table, [column], "time column");
  const t = timeColumn(table, column);
  let firstUnsortedRow: number | null = null;
  for (let i = 1; i < t.length; i++) {
    if ((t[i] as number) < (t[i - 1] as number)) {
      firstUnsortedRow = i;
      break;
    }
  }
  const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => (t[a] as number) - (t[b] as number) || a - b);
  let duplicates = 0;
  let firstDuplicateRow: number | null = null;
  const steps = new Map<number, number>();
  const diffs: number[] = [];
  for (let k = 1; k < order.length; k++) {
    const d = (t[order[k] as number] as number) - (t[order[k - 1] as number] as number);
    if (d === 0) {
      duplicates++;
      firstDuplicateRow ??= order[k] as number;
    } else {
      diffs.push(d);
      steps.set(d, (steps.get(d) ?? 0) + 1);
    }
  }
  let step: number | null = null;
  let best = 0;
  for (const [d, c] of steps) if (c > best || (c === best && step !== null && d < step)) [step, best] = [d, c];
  const irregularSteps = diffs.filter((d) => d !== step).length;
  return {
    rows: t.length,
    sorted: firstUnsortedRow === null,
    firstUnsortedRow,
    duplicates,
    firstDuplicateRow,
    step,
    irregularSteps,
    regular: firstUnsortedRow === null && duplicates === 0 && irregularSteps === 0,
  };
}

/**
 * Missing-value map: columns × rows, dark where a value is missing. Long tables are bucketed
 * (each cell is the fraction missing in a block of rows) so the figure stays small.
 */
import { positiveInt } from "../validate.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import type { TableLike } from "./table.js";
import { isMissing, requireColumns } from "./table.js";
import { baseConfig, baseLayout } from "./theme.js";

/** Options of {@link missingInfo} and {@link plotMissing}. */
export interface MissingOptions {
  /** Columns to map. @default every column */
  columns?: readonly string[];
  /** Most row buckets drawn; more rows are grouped into equal blocks. @default 500 */
  maxBuckets?: number;
  /** Figure title. @default "Missing values" */
  title?: string;
}

/** What {@link missingInfo} computes for {@link missingFigure}: plain data. */
export interface MissingInfo {
  title: string;
  columns: string[];
  /** Missing values per column. */
  counts: number[];
  rows: number;
  /** First row of each bucket. */
  bucketStarts: number[];
  /** Rows per bucket (the last may be shorter). */
  bucketSize: number;
  /** fraction[c][b]: share of rows in bucket b where column c is missing. */
  fraction: number[][];
}

/**
 * Counts missing values (null, undefined, NaN) per column and per block of rows.
 * @example
 * missingInfo(dataset("seattle-weather"))
 */
export function missingInfo(table: TableLike, o: MissingOptions = {}): MissingInfo {
  const maxBuckets = positiveInt("maxBuckets", o.maxBuckets ?? 500);
  const columns = o.columns ? [...o.columns] : table.columnNames();
  requireColumns(table, columns);
  const rows = table.numRows();
  const bucketSize = Math.max(1, Math.ceil(rows / maxBuckets));
  const nb = Math.ceil(rows / bucketSize);
  const bucketStarts = Array.from({ length: nb }, (_, b) => b * bucketSize);
  const counts: number[] = [];
  const fraction = columns.map((c) => {
    const a = table.array(c);
    const miss = new Array<number>(nb).fill(0);
    let total = 0;
    for (let r = 0; r < rows; r++) {
      if (isMissing(a[r])) {
        const b = Math.floor(r / bucketSize);
        miss[b] = (miss[b] as number) + 1;
        total++;
      }
    }
    counts.push(total);
    return miss.map((m, b) => m / (Math.min(rows, (b + 1) * bucketSize) - b * bucketSize));
  });
  return { title: o.title ?? "Missing values", columns, counts, rows, bucketStarts, bucketSize, fraction };
}

/**
 * A white-to-dark heatmap, one row per column labelled with its missing count.
 * @example
 * show(missingFigure(missingInfo(dataset("seattle-weather"))));
 */
export function missingFigure(info: MissingInfo): Figure {
  const labels = info.columns.map((c, i) => `${c} (${info.counts[i]})`);
  return {
    data: [
      {
        type: "heatmap",
        x: info.bucketStarts,
        y: labels,
        z: info.fraction,
        zmin: 0,
        zmax: 1,
        colorscale: [
          [0, "#ffffff"],
          [1, "#2a2a2a"],
        ],
        colorbar: { title: { text: "missing" }, tickformat: ".0%" },
        xgap: 0,
        ygap: 2,
        hovertemplate:
          info.bucketSize > 1
            ? `%{y}<br>rows %{x}–%{x}+${info.bucketSize - 1}<br>%{z:.0%} missing<extra></extra>`
            : "%{y}<br>row %{x}<br>%{z:.0%} missing<extra></extra>",
      },
    ],
    layout: baseLayout(
      { title: `${info.title} (${info.counts.reduce((a, b) => a + b, 0)} of ${info.rows * info.columns.length} cells)`, xTitle: "Row", height: Math.max(300, 120 + 28 * info.columns.length) },
      { yaxis: { autorange: "reversed", showgrid: false }, xaxis: { showgrid: false } },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the missing-value map.
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * plotMissing(table)
 */
export function plotMissing(table: TableLike, o: MissingOptions & ShowOptions = {}): string | undefined {
  return show(missingFigure(missingInfo(table, o)), o);
}

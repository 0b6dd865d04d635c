/** Correlation heatmap of numeric columns (Pearson, or Spearman on ranks), pairwise-complete rows. */
import { DataError } from "../errors.js";
import { oneOf } from "../validate.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import type { TableLike } from "./table.js";
import { columnNumbers, numericColumns, requireColumns } from "./table.js";
import { DIVERGING, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link correlationInfo} and {@link plotCorrelation}. */
export interface CorrelationOptions {
  /** Columns to correlate. @default every numeric column */
  columns?: readonly string[];
  /** "pearson" or "spearman" (Pearson on average ranks). @default "pearson" */
  method?: "pearson" | "spearman";
  /** Figure title. @default "Correlation (<method>)" */
  title?: string;
}

/** What {@link correlationInfo} computes for {@link correlationFigure}: plain data. */
export interface CorrelationInfo {
  title: string;
  method: "pearson" | "spearman";
  columns: string[];
  /** matrix[i][j] = correlation of columns i and j; null when undefined (constant column, < 2 rows). */
  matrix: (number | null)[][];
}

/**
 * Average ranks (ties share the mean of their positions), 1-based like scipy.stats.rankdata.
 * @example
 * ranks([10, 30, 20]) // [1, 3, 2]
 */
export function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const out = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1] as number] === xs[idx[i] as number]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k] as number] = r;
    i = j + 1;
  }
  return out;
}

/**
 * Pearson correlation of paired values; null when either side is constant or n < 2.
 * @example
 * pearson([1, 2, 3], [2, 4, 6]) // 1
 */
export function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  if (n < 2) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return Math.max(-1, Math.min(1, sab / Math.sqrt(saa * sbb)));
}

/**
 * The correlation matrix; each pair uses the rows where both values are present.
 * @example
 * correlationInfo(dataset("seattle-weather"), { method: "pearson" })
 */
export function correlationInfo(table: TableLike, o: CorrelationOptions = {}): CorrelationInfo {
  const method = oneOf("method", o.method ?? "pearson", ["pearson", "spearman"] as const);
  const columns = o.columns ? [...o.columns] : numericColumns(table);
  if (columns.length === 0) throw new DataError(`No numeric columns to correlate; columns are: ${table.columnNames().join(", ")}.`);
  requireColumns(table, columns);
  const values = columns.map((c) => columnNumbers(table, c));
  const matrix = columns.map((_, i) =>
    columns.map((__, j) => {
      const a: number[] = [];
      const b: number[] = [];
      const vi = values[i] as number[];
      const vj = values[j] as number[];
      for (let r = 0; r < vi.length; r++) {
        if (Number.isFinite(vi[r]) && Number.isFinite(vj[r])) {
          a.push(vi[r] as number);
          b.push(vj[r] as number);
        }
      }
      return method === "spearman" ? pearson(ranks(a), ranks(b)) : pearson(a, b);
    }),
  );
  return { title: o.title ?? `Correlation (${method})`, method, columns, matrix };
}

/**
 * A diverging heatmap from -1 to 1 with the value in every cell.
 * @example
 * show(correlationFigure(correlationInfo(dataset("seattle-weather"))));
 */
export function correlationFigure(info: CorrelationInfo): Figure {
  const side = Math.max(420, Math.min(900, 160 + 40 * info.columns.length));
  return {
    data: [
      {
        type: "heatmap",
        x: info.columns,
        y: info.columns,
        z: info.matrix,
        zmin: -1,
        zmax: 1,
        colorscale: DIVERGING,
        texttemplate: info.columns.length <= 15 ? "%{z:.2f}" : "",
        colorbar: { title: { text: "r" } },
        hovertemplate: "%{y} × %{x}<br>r = %{z:.3f}<extra></extra>",
      },
    ],
    layout: baseLayout(
      { title: info.title, height: side },
      { yaxis: { autorange: "reversed", showgrid: false }, xaxis: { showgrid: false, tickangle: -45 } },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the correlation heatmap.
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * plotCorrelation(table, { method: "spearman" })
 */
export function plotCorrelation(table: TableLike, o: CorrelationOptions & ShowOptions = {}): string | undefined {
  return show(correlationFigure(correlationInfo(table, o)), o);
}

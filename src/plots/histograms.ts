/** Histograms of several numeric columns, one small panel each. */
import { DataError } from "../errors.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Layout, Trace } from "./figure.js";
import { histogramBins } from "./histogram-bins.js";
import type { HistogramBins } from "./histogram-bins.js";
import type { TableLike } from "./table.js";
import { columnNumbers, numericColumns, requireColumns } from "./table.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link histogramsInfo} and {@link plotHistograms}. */
export interface HistogramsOptions {
  /** Columns to draw. @default every numeric column */
  columns?: readonly string[];
  /** Bins per histogram. @default Sturges' rule */
  bins?: number;
  /** Figure title. @default "Distributions" */
  title?: string;
}

/** One histogram panel: a column (or weight tensor) with its bins. */
export interface HistogramPanel extends HistogramBins {
  name: string;
  /** Values left out because they were missing or not finite. */
  missing: number;
}

/** What {@link histogramsInfo} computes for {@link histogramsFigure}: plain data. */
export interface HistogramsInfo {
  title: string;
  panels: HistogramPanel[];
  /** x-axis title under each panel (the panel name when empty). */
  xTitle: string;
}

/**
 * Bins every column; missing values are counted, not binned.
 * @example
 * histogramsInfo(dataset("seattle-weather"), { bins: 20 })
 */
export function histogramsInfo(table: TableLike, o: HistogramsOptions = {}): HistogramsInfo {
  const columns = o.columns ? [...o.columns] : numericColumns(table);
  if (columns.length === 0) throw new DataError(`No numeric columns to plot; columns are: ${table.columnNames().join(", ")}.`);
  requireColumns(table, columns);
  const panels = columns.map((c) => {
    const v = columnNumbers(table, c);
    const b = histogramBins(v, o.bins);
    return { name: c, ...b, missing: v.length - b.n };
  });
  return { title: o.title ?? "Distributions", panels, xTitle: "" };
}

/** Axis suffix for panel i: "" for the first, "2", "3", ... after. */
function axisSuffix(i: number): string {
  return i === 0 ? "" : String(i + 1);
}

/** Bars for each panel on a grid of subplots (up to 3 per row). */
export function histogramPanelsFigure(title: string, panels: readonly HistogramPanel[], xTitle: string, yTitle = "Count"): Figure {
  const cols = Math.min(3, Math.max(1, panels.length));
  const rows = Math.max(1, Math.ceil(panels.length / cols));
  const data: Trace[] = panels.map((p, i) => ({
    type: "bar",
    name: p.name,
    x: p.centers,
    y: p.counts,
    width: p.edges.length > 1 ? ((p.edges[1] as number) - (p.edges[0] as number)) * 0.95 : undefined,
    marker: { color: COLORS[i % COLORS.length] },
    xaxis: `x${axisSuffix(i)}`,
    yaxis: `y${axisSuffix(i)}`,
    showlegend: false,
    customdata: p.counts.map((_, b) => [p.edges[b], p.edges[b + 1]]),
    hovertemplate: `${p.name}<br>[%{customdata[0]:.4g}, %{customdata[1]:.4g})<br>count %{y}<extra></extra>`,
  }));
  const extra: Layout = { grid: { rows, columns: cols, pattern: "independent", xgap: 0.12, ygap: 0.3 }, bargap: 0.02 };
  panels.forEach((p, i) => {
    const s = axisSuffix(i);
    const label = xTitle || p.name;
    extra[`xaxis${s}`] = { title: { text: p.missing > 0 ? `${label} (${p.missing} missing)` : label } };
    extra[`yaxis${s}`] = { title: { text: i % cols === 0 ? yTitle : "" } };
  });
  const layout = baseLayout({ title, height: Math.max(320, 280 * rows) }, extra);
  // baseLayout put an empty x/y title on the first axes; the panel's own titles win.
  layout["xaxis"] = extra["xaxis"];
  layout["yaxis"] = extra["yaxis"];
  return { data, layout, config: baseConfig(title) };
}

/**
 * The histograms figure.
 * @example
 * show(histogramsFigure(histogramsInfo(dataset("seattle-weather"), { bins: 20 })));
 */
export function histogramsFigure(info: HistogramsInfo): Figure {
  return histogramPanelsFigure(info.title, info.panels, info.xTitle);
}

/**
 * Shows histograms of a table's numeric columns.
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * plotHistograms(table, { bins: 30 })
 */
export function plotHistograms(table: TableLike, o: HistogramsOptions & ShowOptions = {}): string | undefined {
  return show(histogramsFigure(histogramsInfo(table, o)), o);
}

/** Series over time: several columns of a table against a time column, train/val/test shaded. */
import { DataError } from "../errors.js";
import { toXValues } from "./arrays.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Trace } from "./figure.js";
import { shadedTimeFigure, splitSpans } from "./split-shading.js";
import type { SplitRange, SplitSpan } from "./split-shading.js";
import type { TableLike } from "./table.js";
import { columnNumbers, numericColumns, requireColumns } from "./table.js";
import { COLORS } from "./theme.js";

/** Options of {@link seriesInfo} and {@link plotSeries}. */
export interface SeriesOptions {
  /** Time column; without it the row number is the x axis. */
  time?: string;
  /** Columns to draw. @default every numeric column except `time` */
  columns?: readonly string[];
  /** Row ranges to shade, e.g. `[{ name: "train", from: 0, to: 700 }, { name: "val", from: 700, to: 850 }]`. */
  splits?: readonly SplitRange[];
  /** Figure title. @default "Series over time" */
  title?: string;
  /** y-axis title, with units where known. @default "Value" */
  yTitle?: string;
}

/** What {@link seriesInfo} computes for {@link seriesFigure}: plain data. */
export interface SeriesInfo {
  title: string;
  xTitle: string;
  yTitle: string;
  x: (number | string)[];
  series: { name: string; y: (number | null)[] }[];
  splits: SplitSpan[];
}

/**
 * The data of the series plot; missing values become null (gaps).
 * @example
 * seriesInfo(dataset("seattle-weather"), { time: "date", columns: ["temp_max"] })
 */
export function seriesInfo(table: TableLike, o: SeriesOptions = {}): SeriesInfo {
  if (o.time !== undefined) requireColumns(table, [o.time]);
  const columns = o.columns ?? numericColumns(table, o.time === undefined ? [] : [o.time]);
  if (columns.length === 0) throw new DataError(`No numeric columns to plot; columns are: ${table.columnNames().join(", ")}.`);
  requireColumns(table, columns);
  const n = table.numRows();
  const x = o.time === undefined ? Array.from({ length: n }, (_, i) => i) : toXValues(o.time, table.array(o.time));
  return {
    title: o.title ?? "Series over time",
    xTitle: o.time ?? "Row",
    yTitle: o.yTitle ?? "Value",
    x,
    series: columns.map((c) => ({ name: c, y: columnNumbers(table, c).map((v) => (Number.isFinite(v) ? v : null)) })),
    splits: splitSpans("splits", o.splits, x),
  };
}

/**
 * One line per column, split ranges shaded behind them, a range slider for long series.
 * @example
 * seriesFigure(seriesInfo(dataset("seattle-weather"), { time: "date", columns: ["temp_max", "temp_min"] }))
 */
export function seriesFigure(info: SeriesInfo): Figure {
  const data: Trace[] = info.series.map((s, i) => ({
    type: "scatter",
    mode: "lines",
    name: s.name,
    x: info.x,
    y: s.y,
    line: { color: COLORS[i % COLORS.length], width: 1.5 },
    hovertemplate: `${info.xTitle} %{x}<br>${s.name} %{y:.4g}<extra></extra>`,
  }));
  return shadedTimeFigure(data, { title: info.title, xTitle: info.xTitle, yTitle: info.yTitle }, info.splits);
}

/**
 * Shows the series plot.
 * @example
 * declare const table: ReturnType<typeof dataset>;
 * plotSeries(table, { time: "date", columns: ["temp_max"] })
 */
export function plotSeries(table: TableLike, o: SeriesOptions & ShowOptions = {}): string | undefined {
  return show(seriesFigure(seriesInfo(table, o)), o);
}

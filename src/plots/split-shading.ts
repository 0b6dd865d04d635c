/** Train / val / test shading for time-series figures: rectangles behind the lines, with labels. */
import { ConfigError } from "../errors.js";
import { nonNegativeInt } from "../validate.js";
import type { Figure, Trace } from "./figure.js";
import { SPLIT_COLORS, baseConfig, baseLayout } from "./theme.js";

/** A part of a split as a row range to shade: rows `from` (inclusive) to `to` (exclusive). */
export interface SplitRange {
  name: string;
  from: number;
  to: number;
}

/** A split resolved to x values: shaded from `x0` to `x1` (the next split's first x, so splits meet). */
export interface SplitSpan {
  name: string;
  x0: number | string;
  x1: number | string;
}

/** Checks row ranges against `n` rows and turns them into x spans. */
export function splitSpans(name: string, splits: readonly SplitRange[] | undefined, x: readonly (number | string)[]): SplitSpan[] {
  return (splits ?? []).map((s, i) => {
    nonNegativeInt(`${name}[${i}].from`, s.from);
    nonNegativeInt(`${name}[${i}].to`, s.to);
    if (s.to <= s.from || s.to > x.length) {
      throw new ConfigError(`\`${name}[${i}]\` (${JSON.stringify(s.name)}) must satisfy from < to <= ${x.length}, got from ${s.from}, to ${s.to}.`);
    }
    // End at the next split's first x so adjacent splits meet without a gap (the last row at the end).
    return { name: s.name, x0: x[s.from] as number | string, x1: x[Math.min(s.to, x.length - 1)] as number | string };
  });
}

/** Layout shapes and annotations shading each span (train blue, val orange, test green). */
export function splitShading(spans: readonly SplitSpan[]): { shapes: unknown[]; annotations: unknown[] } {
  const fallback = ["rgba(120,120,120,0.08)", "rgba(120,120,120,0.14)"];
  return {
    shapes: spans.map((s, i) => ({
      type: "rect",
      xref: "x",
      yref: "paper",
      x0: s.x0,
      x1: s.x1,
      y0: 0,
      y1: 1,
      fillcolor: SPLIT_COLORS[s.name.toLowerCase()] ?? fallback[i % 2],
      line: { width: 0 },
      layer: "below",
    })),
    annotations: spans.map((s) => ({
      x: s.x0,
      xref: "x",
      xanchor: "left",
      y: 1,
      yref: "paper",
      yanchor: "bottom",
      text: s.name,
      showarrow: false,
      font: { size: 11, color: "#555" },
    })),
  };
}

/** Lines over time with the splits shaded behind them: the layout the series and predictions plots share. */
export function shadedTimeFigure(data: Trace[], labels: { title: string; xTitle: string; yTitle: string }, splits: readonly SplitSpan[]): Figure {
  const { shapes, annotations } = splitShading(splits);
  return {
    data,
    layout: baseLayout(labels, { shapes, annotations, hovermode: "x unified", legend: { orientation: "h", y: 1.02, x: 1, xanchor: "right", yanchor: "bottom" } }),
    config: baseConfig(labels.title),
  };
}

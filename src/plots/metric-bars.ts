/** Metric bars across models and baselines: one panel per metric, baselines in grey, the best bar outlined. */
import { ConfigError, DataError } from "../errors.js";
import { nonEmptyArray } from "../validate.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Layout, Trace } from "./figure.js";
import { higherIsBetter } from "./loss-curve.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** One model's (or baseline's) scores. */
export interface MetricRow {
  name: string;
  metrics: Record<string, number>;
  /** Draw as a baseline (grey). @default false */
  baseline?: boolean;
}

/** Options of {@link metricBarsInfo} and {@link plotMetricBars}. */
export interface MetricBarsOptions {
  /** Metrics to show, in order. @default every metric of the first row */
  metrics?: readonly string[];
  /** Figure title. @default "Model comparison" */
  title?: string;
}

/** What {@link metricBarsInfo} computes for {@link metricBarsFigure}: plain data. */
export interface MetricBarsInfo {
  title: string;
  models: string[];
  baseline: boolean[];
  metrics: string[];
  /** values[m][i]: metric m of model i (null when missing). */
  values: (number | null)[][];
  /** Index of the best model per metric (lowest error, highest accuracy-like), or null. */
  best: (number | null)[];
}

/**
 * The table of values, and which model is best on each metric.
 * @example
 * metricBarsInfo([{ name: "LSTM", metrics: { mae: 0.8 } }, { name: "naive", metrics: { mae: 1.1 }, baseline: true }])
 */
export function metricBarsInfo(rows: readonly MetricRow[], o: MetricBarsOptions = {}): MetricBarsInfo {
  nonEmptyArray("rows", rows);
  const metrics = o.metrics ? [...o.metrics] : Object.keys(rows[0]?.metrics ?? {});
  if (metrics.length === 0) throw new ConfigError("`metrics` is empty and the first row has no metrics.");
  for (const m of metrics) {
    if (!rows.some((r) => Number.isFinite(r.metrics[m]))) {
      throw new DataError(`No row has a value for metric ${JSON.stringify(m)}; rows have: ${[...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].join(", ")}.`);
    }
  }
  const values = metrics.map((m) => rows.map((r) => (Number.isFinite(r.metrics[m]) ? (r.metrics[m] as number) : null)));
  const best = metrics.map((m, j) => {
    const up = higherIsBetter(m);
    let bi: number | null = null;
    (values[j] as (number | null)[]).forEach((v, i) => {
      if (v === null) return;
      const cur = bi === null ? null : (values[j] as (number | null)[])[bi];
      if (cur === null || cur === undefined || (up ? v > cur : v < cur)) bi = i;
    });
    return bi;
  });
  return { title: o.title ?? "Model comparison", models: rows.map((r) => r.name), baseline: rows.map((r) => r.baseline ?? false), metrics, values, best };
}

/**
 * One bar panel per metric, side by side.
 * @example
 * show(metricBarsFigure(metricBarsInfo([{ name: "LSTM", metrics: { mae: 0.8 } }])));
 */
export function metricBarsFigure(info: MetricBarsInfo): Figure {
  const k = info.metrics.length;
  const gap = 0.06;
  const w = (1 - gap * (k - 1)) / k;
  const extra: Layout = { showlegend: false, bargap: 0.25 };
  const data: Trace[] = info.metrics.map((m, j) => {
    const s = j === 0 ? "" : String(j + 1);
    extra[`xaxis${s}`] = { domain: [j * (w + gap), j * (w + gap) + w], anchor: `y${s}`, title: { text: m }, tickangle: -30 };
    extra[`yaxis${s}`] = { anchor: `x${s}`, title: { text: j === 0 ? "Score" : "" }, rangemode: "tozero" };
    return {
      type: "bar",
      name: m,
      x: info.models,
      y: info.values[j],
      xaxis: `x${s}`,
      yaxis: `y${s}`,
      marker: {
        color: info.models.map((_, i) => (info.baseline[i] ? "#b0b0b0" : COLORS[j % COLORS.length])),
        line: { color: info.models.map((_, i) => (info.best[j] === i ? "#2a2a2a" : "rgba(0,0,0,0)")), width: 2.5 },
      },
      texttemplate: "%{y:.3g}",
      textposition: "outside",
      cliponaxis: false,
      hovertemplate: `%{x}<br>${m} %{y:.4g}<extra></extra>`,
    };
  });
  return {
    data,
    layout: baseLayout({ title: `${info.title} (${info.metrics.map((m) => `${m} ${higherIsBetter(m) ? "↑" : "↓"}`).join(", ")}; best outlined, baselines grey)` }, extra),
    config: baseConfig(info.title),
  };
}

/** Shows metric bars. @example plotMetricBars([{ name: "LSTM", metrics: { mae: 0.8 } }, { name: "naive", metrics: { mae: 1.1 }, baseline: true }]) */
export function plotMetricBars(rows: readonly MetricRow[], o: MetricBarsOptions & ShowOptions = {}): string | undefined {
  return show(metricBarsFigure(metricBarsInfo(rows, o)), o);
}

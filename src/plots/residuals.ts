/**
 * Residual diagnostics in one figure: residuals over time (top), their histogram (bottom left)
 * and their autocorrelation with the ±1.96/√n white-noise bounds (bottom right).
 */
import { DataError } from "../errors.js";
import { positiveInt } from "../validate.js";
import { sameLength, toNumbers, toXValues } from "./arrays.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { histogramBins } from "./histogram-bins.js";
import type { HistogramBins } from "./histogram-bins.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link residualsInfo} and {@link plotResiduals}. */
export interface ResidualsOptions {
  /** x values for the residuals-over-time panel. @default 0..n-1 */
  times?: ArrayLike<unknown>;
  /** Largest autocorrelation lag. @default min(40, n - 1) */
  lags?: number;
  /** Histogram bins. @default Sturges' rule */
  bins?: number;
  /** Unit of the values, e.g. "°C". */
  unit?: string;
  /** Figure title. @default "Residuals" */
  title?: string;
}

/** What {@link residualsInfo} computes for {@link residualsFigure}: plain data. */
export interface ResidualsInfo {
  title: string;
  unit: string | null;
  x: (number | string)[];
  /** actual − predicted. */
  residuals: number[];
  mean: number;
  std: number;
  histogram: HistogramBins;
  /** Lags 1..k and the sample autocorrelation at each. */
  acf: { lags: number[]; values: number[] };
  /** 1.96 / √n: autocorrelations outside ±bound are unlikely for white noise. */
  bound: number;
}

/**
 * Sample autocorrelation at lags 1..maxLag (statsmodels' `acf` with the full-sample denominator):
 * r_k = Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)².
 *
 * @example autocorrelation([1, 2, 3, 4, 5], 2) // [0.4, -0.1]
 */
export function autocorrelation(x: readonly number[], maxLag: number): number[] {
  const n = x.length;
  const m = x.reduce((s, v) => s + v, 0) / n;
  const d = x.map((v) => v - m);
  const denom = d.reduce((s, v) => s + v * v, 0);
  return Array.from({ length: maxLag }, (_, i) => {
    const k = i + 1;
    let s = 0;
    for (let t = 0; t + k < n; t++) s += (d[t] as number) * (d[t + k] as number);
    return denom === 0 ? 0 : s / denom;
  });
}

/**
 * Residuals, their histogram and autocorrelation.
 * @example
 * residualsInfo([1, 2, 3, 4], [1.1, 1.8, 3.3, 3.9], { lags: 2 })
 */
export function residualsInfo(actual: ArrayLike<number>, predicted: ArrayLike<number>, o: ResidualsOptions = {}): ResidualsInfo {
  const a = toNumbers("actual", actual);
  sameLength("predicted", predicted, a.length, "actual");
  const p = toNumbers("predicted", predicted);
  const n = a.length;
  if (n < 3) throw new DataError(`Residual diagnostics need at least 3 values, got ${n}.`);
  const lags = positiveInt("lags", o.lags ?? Math.min(40, n - 1));
  if (lags > n - 1) throw new DataError(`\`lags\` must be at most n - 1 = ${n - 1}, got ${lags}.`);
  let x: (number | string)[] = a.map((_, i) => i);
  if (o.times !== undefined) {
    sameLength("times", o.times, n, "actual");
    x = toXValues("times", o.times);
  }
  const residuals = a.map((v, i) => v - (p[i] as number));
  const mean = residuals.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(residuals.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  return {
    title: o.title ?? "Residuals",
    unit: o.unit ?? null,
    x,
    residuals,
    mean,
    std,
    histogram: histogramBins(residuals, o.bins),
    acf: { lags: Array.from({ length: lags }, (_, i) => i + 1), values: autocorrelation(residuals, lags) },
    bound: 1.96 / Math.sqrt(n),
  };
}

/**
 * Three panels: over time (with the zero line), histogram, autocorrelation stems with bounds.
 * @example
 * show(residualsFigure(residualsInfo([1, 2, 3, 4], [1.1, 1.8, 3.3, 3.9])));
 */
export function residualsFigure(info: ResidualsInfo): Figure {
  const u = info.unit ? ` (${info.unit})` : "";
  const h = info.histogram;
  const lagEnd = (info.acf.lags[info.acf.lags.length - 1] ?? 1) + 0.5;
  return {
    data: [
      { type: "scatter", mode: "lines", name: "residual", x: info.x, y: info.residuals, line: { color: COLORS[0], width: 1.2 }, hovertemplate: "%{x}<br>residual %{y:.4g}<extra></extra>" },
      {
        type: "bar",
        name: "histogram",
        x: h.centers,
        y: h.counts,
        width: h.edges.length > 1 ? ((h.edges[1] as number) - (h.edges[0] as number)) * 0.95 : undefined,
        marker: { color: COLORS[1] },
        xaxis: "x2",
        yaxis: "y2",
        hovertemplate: "residual ≈ %{x:.3g}<br>count %{y}<extra></extra>",
      },
      {
        type: "bar",
        name: "autocorrelation",
        x: info.acf.lags,
        y: info.acf.values,
        width: 0.3,
        marker: { color: info.acf.values.map((v) => (Math.abs(v) > info.bound ? "#D55E00" : COLORS[2])) },
        xaxis: "x3",
        yaxis: "y3",
        hovertemplate: "lag %{x}<br>r = %{y:.3f}<extra></extra>",
      },
      {
        type: "scatter",
        mode: "lines",
        name: `±1.96/√n = ±${info.bound.toFixed(3)}`,
        x: [0.5, lagEnd, null, 0.5, lagEnd],
        y: [info.bound, info.bound, null, -info.bound, -info.bound],
        line: { color: "#888", dash: "dash", width: 1 },
        xaxis: "x3",
        yaxis: "y3",
        hoverinfo: "skip",
      },
    ],
    layout: baseLayout(
      { title: `${info.title} — mean ${info.mean.toPrecision(3)}, std ${info.std.toPrecision(3)}`, height: 650 },
      {
        showlegend: false,
        xaxis: { domain: [0, 1], anchor: "y", title: { text: "Time" } },
        yaxis: { domain: [0.58, 1], anchor: "x", title: { text: `Residual${u}` }, zeroline: true, zerolinecolor: "#999" },
        xaxis2: { domain: [0, 0.45], anchor: "y2", title: { text: `Residual${u}` } },
        yaxis2: { domain: [0, 0.4], anchor: "x2", title: { text: "Count" } },
        xaxis3: { domain: [0.55, 1], anchor: "y3", title: { text: "Lag (steps)" }, range: [0.5, lagEnd] },
        yaxis3: { domain: [0, 0.4], anchor: "x3", title: { text: "Autocorrelation" }, zeroline: true, zerolinecolor: "#999" },
        bargap: 0.02,
      },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows residual diagnostics.
 * @example
 * declare const yTrue: number[];
 * declare const yPred: number[];
 * declare const dates: Date[];
 * plotResiduals(yTrue, yPred, { times: dates, lags: 24 })
 */
export function plotResiduals(actual: ArrayLike<number>, predicted: ArrayLike<number>, o: ResidualsOptions & ShowOptions = {}): string | undefined {
  return show(residualsFigure(residualsInfo(actual, predicted, o)), o);
}

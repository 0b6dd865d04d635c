/** Predicted vs actual scatter with the y = x line and R², MAE, RMSE in the title. */
import { DataError } from "../errors.js";
import { sameLength, toNumbers } from "./arrays.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link predictedVsActualInfo} and {@link plotPredictedVsActual}. */
export interface PredictedVsActualOptions {
  /** Figure title. @default "Predicted vs actual" */
  title?: string;
  /** Unit of the values, shown in both axis titles, e.g. "°C". */
  unit?: string;
}

/** What {@link predictedVsActualInfo} computes for {@link predictedVsActualFigure}: plain data. */
export interface PredictedVsActualInfo {
  title: string;
  unit: string | null;
  actual: number[];
  predicted: number[];
  /** Coefficient of determination 1 − SS_res / SS_tot (null when actual is constant). */
  r2: number | null;
  mae: number;
  rmse: number;
  /** Common axis range [min, max] over both. */
  range: [number, number];
}

/**
 * The scatter data and its error summary.
 * @example
 * predictedVsActualInfo([1, 2, 3], [1.1, 1.8, 3.3], { unit: "°C" })
 */
export function predictedVsActualInfo(actual: ArrayLike<number>, predicted: ArrayLike<number>, o: PredictedVsActualOptions = {}): PredictedVsActualInfo {
  const a = toNumbers("actual", actual);
  sameLength("predicted", predicted, a.length, "actual");
  const p = toNumbers("predicted", predicted);
  if (a.length === 0) throw new DataError("`actual` is empty; there is nothing to plot.");
  const n = a.length;
  const mean = a.reduce((s, v) => s + v, 0) / n;
  let ssRes = 0;
  let ssTot = 0;
  let abs = 0;
  for (let i = 0; i < n; i++) {
    const e = (p[i] as number) - (a[i] as number);
    ssRes += e * e;
    abs += Math.abs(e);
    ssTot += ((a[i] as number) - mean) ** 2;
  }
  const all = [...a, ...p];
  return {
    title: o.title ?? "Predicted vs actual",
    unit: o.unit ?? null,
    actual: a,
    predicted: p,
    r2: ssTot === 0 ? null : 1 - ssRes / ssTot,
    mae: abs / n,
    rmse: Math.sqrt(ssRes / n),
    range: [Math.min(...all), Math.max(...all)],
  };
}

/**
 * Points, the diagonal, equal axis ranges.
 * @example
 * show(predictedVsActualFigure(predictedVsActualInfo([1, 2, 3], [1.1, 1.8, 3.3])));
 */
export function predictedVsActualFigure(info: PredictedVsActualInfo): Figure {
  const u = info.unit ? ` (${info.unit})` : "";
  const span = info.range[1] - info.range[0];
  // A constant series has no span; pad by one unit so the points are not on the frame.
  const pad = span > 0 ? span * 0.04 : 1;
  const range = [info.range[0] - pad, info.range[1] + pad];
  const stats = `R² = ${info.r2 === null ? "n/a" : info.r2.toFixed(3)}, MAE = ${info.mae.toPrecision(3)}, RMSE = ${info.rmse.toPrecision(3)}`;
  return {
    data: [
      {
        type: "scatter",
        mode: "markers",
        name: "predictions",
        x: info.actual,
        y: info.predicted,
        marker: { color: COLORS[0], size: 6, opacity: info.actual.length > 500 ? 0.35 : 0.7 },
        hovertemplate: `actual %{x:.4g}<br>predicted %{y:.4g}<extra></extra>`,
      },
      { type: "scatter", mode: "lines", name: "y = x", x: range, y: range, line: { color: "#888", dash: "dash", width: 1.5 }, hoverinfo: "skip" },
    ],
    layout: baseLayout(
      { title: `${info.title} — ${stats}`, xTitle: `Actual${u}`, yTitle: `Predicted${u}`, height: 520 },
      { xaxis: { range }, yaxis: { range, scaleanchor: "x", scaleratio: 1 } },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the predicted-vs-actual scatter.
 * @example
 * declare const yTrue: number[];
 * declare const yPred: number[];
 * plotPredictedVsActual(yTrue, yPred, { unit: "°C" })
 */
export function plotPredictedVsActual(actual: ArrayLike<number>, predicted: ArrayLike<number>, o: PredictedVsActualOptions & ShowOptions = {}): string | undefined {
  return show(predictedVsActualFigure(predictedVsActualInfo(actual, predicted, o)), o);
}

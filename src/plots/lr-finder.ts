/** The learning-rate finder's curve: loss against learning rate (log axis) with the suggested rates marked. */
import { DataError } from "../errors.js";
import type { LrFinderResult } from "../training/lr-finder.js";
import { show, type ShowOptions } from "./display.js";
import type { Figure, Trace } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of the LR-finder plot. */
export interface LrFinderPlotOptions {
  /** Figure title. @default "Learning-rate finder" */ title?: string;
  /** Also draw the raw batch losses behind the smoothed curve. @default true */ raw?: boolean;
}

/** What the figure draws: the curve and the marked rates with their smoothed losses. */
export interface LrFinderInfo {
  title: string;
  lr: number[];
  smoothed: number[];
  /** The raw batch losses, or null when not drawn. */ loss: number[] | null;
  /** The suggested rates to mark, each with the smoothed loss at the nearest swept rate. */
  marks: { label: string; lr: number; loss: number }[];
}

/** Smoothed loss at the swept rate nearest (in log) to `lr`. */
function lossAt(r: LrFinderResult, lr: number): number {
  let best = 0;
  r.lr.forEach((v, i) => {
    if (Math.abs(Math.log(v / lr)) < Math.abs(Math.log((r.lr[best] as number) / lr))) best = i;
  });
  return r.smoothed[best] as number;
}

/**
 * The curve of a findLearningRate result and its suggestions (steepest descent; minimum / 10).
 * @example
 * declare const model: tf.LayersModel;
 * declare const data: { x: tf.Tensor; y: tf.Tensor };
 * lrFinderInfo(await findLearningRate(model, data)).marks // [{ label: "steepest", lr: 3.1e-3, loss: 0.41 }, ...]
 */
export function lrFinderInfo(r: LrFinderResult, o: LrFinderPlotOptions = {}): LrFinderInfo {
  if (r.lr.length === 0) throw new DataError("The learning-rate finder result has no points to plot.");
  const marks: LrFinderInfo["marks"] = [];
  if (r.steepest !== null) marks.push({ label: "steepest", lr: r.steepest, loss: lossAt(r, r.steepest) });
  marks.push({ label: "minimum / 10", lr: r.minimum, loss: lossAt(r, r.minimum) });
  const finite = (v: number[]) => v.map((x) => (Number.isFinite(x) ? x : NaN));
  return { title: o.title ?? "Learning-rate finder", lr: [...r.lr], smoothed: finite(r.smoothed), loss: o.raw ?? true ? finite(r.loss) : null, marks };
}

/**
 * Smoothed loss (and faint raw loss) against the learning rate on a log axis, the suggestions as markers.
 * @example
 * declare const model: tf.LayersModel, data: TrainData;
 * show(lrFinderFigure(lrFinderInfo(await findLearningRate(model, data))));
 */
export function lrFinderFigure(info: LrFinderInfo): Figure {
  const data: Trace[] = [];
  if (info.loss) {
    data.push({ type: "scatter", mode: "lines", name: "batch loss", x: info.lr, y: info.loss, line: { color: COLORS[5], width: 1 }, opacity: 0.5 });
  }
  data.push({
    type: "scatter",
    mode: "lines",
    name: "smoothed loss",
    x: info.lr,
    y: info.smoothed,
    line: { color: COLORS[0], width: 2 },
    hovertemplate: "lr %{x:.2e}<br>loss %{y:.4g}<extra></extra>",
  });
  info.marks.forEach((m, i) =>
    data.push({
      type: "scatter",
      mode: "markers",
      name: `${m.label}: ${m.lr.toExponential(1)}`,
      x: [m.lr],
      y: [m.loss],
      marker: { color: COLORS[i === 0 ? 3 : 2], size: 11, symbol: i === 0 ? "circle" : "diamond" },
    }),
  );
  return {
    data,
    layout: baseLayout({ title: info.title, xTitle: "Learning rate (log scale)", yTitle: "Loss" }, { xaxis: { type: "log", exponentformat: "e" } }),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the learning-rate finder's curve.
 * @example
 * declare const model: tf.LayersModel;
 * declare const data: { x: tf.Tensor; y: tf.Tensor };
 * plotLrFinder(await findLearningRate(model, data));
 */
export function plotLrFinder(r: LrFinderResult, o: LrFinderPlotOptions & ShowOptions = {}): string | undefined {
  return show(lrFinderFigure(lrFinderInfo(r, o)), o);
}

/** Optimisation history: each complete trial's objective, and the best so far as a step line. */
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { maximizes, requireCompleteTrials } from "./study-values.js";
import type { StudyData } from "../tuning/frozen-trial.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link optimizationHistoryInfo} and {@link plotOptimizationHistory}. */
export interface OptimizationHistoryOptions {
  /** Figure title. @default "Optimization history: <study name>" */
  title?: string;
  /** y-axis title. @default "Objective value" */
  yTitle?: string;
}

/** What {@link optimizationHistoryInfo} computes for {@link optimizationHistoryFigure}: plain data. */
export interface OptimizationHistoryInfo {
  title: string;
  yTitle: string;
  direction: "minimize" | "maximize";
  numbers: number[];
  values: number[];
  /** Best value among trials up to and including each one. */
  bestSoFar: number[];
  /** The best trial. */
  best: { number: number; value: number };
}

/**
 * Complete trials in order with the running best.
 *
 * @example
 * const study = await createStudy({ direction: "minimize", space: { x: floatParam(0, 4) } });
 * for (const v of [3, 1, 2, 0.5]) await study.optimize(() => v, { nTrials: 1 });
 * optimizationHistoryInfo(study).bestSoFar // [3, 1, 1, 0.5]
 */
export function optimizationHistoryInfo(study: StudyData, o: OptimizationHistoryOptions = {}): OptimizationHistoryInfo {
  const done = requireCompleteTrials(study);
  const up = maximizes(study);
  const values = done.map((t) => t.value as number);
  const bestSoFar: number[] = [];
  let bi = 0;
  values.forEach((v, i) => {
    const prev = bestSoFar[i - 1];
    bestSoFar.push(prev === undefined ? v : up ? Math.max(prev, v) : Math.min(prev, v));
    if (up ? v > (values[bi] as number) : v < (values[bi] as number)) bi = i;
  });
  return {
    title: o.title ?? `Optimization history: ${study.name}`,
    yTitle: o.yTitle ?? "Objective value",
    direction: study.direction,
    numbers: done.map((t) => t.number),
    values,
    bestSoFar,
    best: { number: done[bi]?.number as number, value: values[bi] as number },
  };
}

/**
 * Markers per trial, a step line of the best so far.
 * @example
 * declare const study: Study;
 * show(optimizationHistoryFigure(optimizationHistoryInfo(study)));
 */
export function optimizationHistoryFigure(info: OptimizationHistoryInfo): Figure {
  return {
    data: [
      { type: "scatter", mode: "markers", name: "objective", x: info.numbers, y: info.values, marker: { color: COLORS[0], size: 8 }, hovertemplate: "trial %{x}<br>value %{y:.4g}<extra></extra>" },
      { type: "scatter", mode: "lines", name: "best so far", x: info.numbers, y: info.bestSoFar, line: { color: COLORS[3], width: 2, shape: "hv" }, hovertemplate: "after trial %{x}<br>best %{y:.4g}<extra></extra>" },
    ],
    layout: baseLayout({ title: `${info.title} (${info.direction}; best ${info.best.value.toPrecision(4)} at trial ${info.best.number})`, xTitle: "Trial", yTitle: info.yTitle }),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the optimisation history.
 * @example
 * declare const study: Study;
 * plotOptimizationHistory(study)
 */
export function plotOptimizationHistory(study: StudyData, o: OptimizationHistoryOptions & ShowOptions = {}): string | undefined {
  return show(optimizationHistoryFigure(optimizationHistoryInfo(study, o)), o);
}

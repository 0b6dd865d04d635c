/**
 * Parameter importance by "fANOVA-lite": for each parameter, the share of the objective's
 * variance explained by that parameter alone (the correlation ratio η²). Numeric values are cut
 * into `bins` quantile bins (log distributions in log space), categoricals group by choice;
 * η² = Σ_b n_b (ȳ_b − ȳ)² / Σ_i (y_i − ȳ)². The η² values are then normalised to sum to 1.
 * Like Optuna's fANOVA it is a main-effect measure: interactions are not credited.
 */
import { positiveInt } from "../validate.js";
import type { StudyData } from "../tuning/frozen-trial.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { distributionOf, isCategorical, paramNames, requireCompleteTrials } from "./study-values.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link paramImportanceInfo} and {@link plotParamImportance}. */
export interface ParamImportanceOptions {
  /** Parameters to rank. @default all */
  params?: readonly string[];
  /** Quantile bins for numeric parameters. @default 5 */
  bins?: number;
  /** Figure title. @default "Parameter importance: <study name>" */
  title?: string;
}

/** What {@link paramImportanceInfo} computes for {@link paramImportanceFigure}: plain data. */
export interface ParamImportanceInfo {
  title: string;
  /** Most important first. */
  params: string[];
  /** Normalised importance (sums to 1, or all 0 when the objective is constant). */
  importance: number[];
  /** Raw η² per parameter (share of variance explained alone). */
  eta2: number[];
  trials: number;
}

/** Group index of each value: categories as is, numbers by quantile bin. */
function groups(values: readonly (string | number | boolean)[], categorical: boolean, log: boolean, bins: number): number[] {
  if (categorical) {
    const keys: string[] = [];
    return values.map((v) => {
      const k = String(v);
      if (!keys.includes(k)) keys.push(k);
      return keys.indexOf(k);
    });
  }
  const xs = values.map((v) => (log ? Math.log10(v as number) : (v as number)));
  const sorted = [...xs].sort((a, b) => a - b);
  const cuts = Array.from({ length: bins - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / bins)] as number);
  return xs.map((x) => cuts.filter((c) => x >= c).length);
}

/** η² of the objective grouped by `g`. */
function eta2(y: readonly number[], g: readonly number[]): number {
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const total = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (total === 0) return 0;
  const sums = new Map<number, { s: number; n: number }>();
  g.forEach((k, i) => {
    const e = sums.get(k) ?? { s: 0, n: 0 };
    e.s += y[i] as number;
    e.n += 1;
    sums.set(k, e);
  });
  let between = 0;
  for (const { s, n: c } of sums.values()) between += c * (s / c - mean) ** 2;
  return between / total;
}

/**
 * Ranks the parameters by the share of objective variance each explains on its own.
 * @example
 * declare const study: Study;
 * paramImportanceInfo(study)
 */
export function paramImportanceInfo(study: StudyData, o: ParamImportanceOptions = {}): ParamImportanceInfo {
  const bins = positiveInt("bins", o.bins ?? 5);
  const done = requireCompleteTrials(study, 2);
  const names = paramNames(done, o.params);
  const raw = names.map((p) => {
    const ts = done.filter((t) => p in t.params);
    if (ts.length < 2) return 0;
    const d = distributionOf(ts, p);
    const vals = ts.map((t) => t.params[p] as string | number | boolean);
    const cat = isCategorical(d, vals);
    const log = !cat && d !== undefined && d.kind !== "categorical" && d.log === true;
    return eta2(ts.map((t) => t.value as number), groups(vals, cat, log, Math.min(bins, ts.length)));
  });
  const total = raw.reduce((s, v) => s + v, 0);
  const order = names.map((_, i) => i).sort((a, b) => (raw[b] as number) - (raw[a] as number));
  return {
    title: o.title ?? `Parameter importance: ${study.name}`,
    params: order.map((i) => names[i] as string),
    importance: order.map((i) => (total === 0 ? 0 : (raw[i] as number) / total)),
    eta2: order.map((i) => raw[i] as number),
    trials: done.length,
  };
}

/**
 * Horizontal bars, most important on top.
 * @example
 * declare const study: Study;
 * show(paramImportanceFigure(paramImportanceInfo(study)));
 */
export function paramImportanceFigure(info: ParamImportanceInfo): Figure {
  return {
    data: [
      {
        type: "bar",
        orientation: "h",
        name: "importance",
        x: info.importance,
        y: info.params,
        customdata: info.eta2,
        marker: { color: COLORS[0] },
        texttemplate: "%{x:.2f}",
        textposition: "outside",
        cliponaxis: false,
        hovertemplate: "%{y}<br>importance %{x:.3f}<br>η² %{customdata:.3f}<extra></extra>",
      },
    ],
    layout: baseLayout(
      { title: `${info.title} (${info.trials} trials)`, xTitle: "Importance (share of explained variance)", yTitle: "Parameter", height: Math.max(300, 140 + 40 * info.params.length) },
      { yaxis: { autorange: "reversed", type: "category" }, xaxis: { range: [0, 1.1] }, showlegend: false },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows parameter importance.
 * @example
 * declare const study: Study;
 * plotParamImportance(study)
 */
export function plotParamImportance(study: StudyData, o: ParamImportanceOptions & ShowOptions = {}): string | undefined {
  return show(paramImportanceFigure(paramImportanceInfo(study, o)), o);
}

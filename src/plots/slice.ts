/** Slice plot: the objective against each parameter, one panel per parameter, points coloured by trial number. */
import type { StudyData } from "../tuning/frozen-trial.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Layout, Trace } from "./figure.js";
import { categories, distributionOf, isCategorical, paramNames, requireCompleteTrials } from "./study-values.js";
import { BLUES, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link sliceInfo} and {@link plotSlice}. */
export interface SliceOptions {
  /** Parameters to show. @default all */
  params?: readonly string[];
  /** Figure title. @default "Slice plot: <study name>" */
  title?: string;
}

/** One parameter's panel of a slice plot: its values and the objective values. */
export interface SlicePanel {
  param: string;
  /** Numbers for numeric parameters, labels for categorical ones. */
  x: (number | string)[];
  y: number[];
  numbers: number[];
  log: boolean;
  categorical: boolean;
  /** Category order for categorical parameters. */
  categories: string[];
}

/** What {@link sliceInfo} computes for {@link sliceFigure}: plain data. */
export interface SliceInfo {
  title: string;
  panels: SlicePanel[];
}

/**
 * For each parameter, the complete trials that used it.
 * @example
 * declare const study: Study;
 * sliceInfo(study)
 */
export function sliceInfo(study: StudyData, o: SliceOptions = {}): SliceInfo {
  const done = requireCompleteTrials(study);
  const names = paramNames(done, o.params);
  const panels = names.map((param): SlicePanel => {
    const ts = done.filter((t) => param in t.params);
    const d = distributionOf(ts, param);
    const raw = ts.map((t) => t.params[param] as string | number | boolean);
    const categorical = isCategorical(d, raw);
    return {
      param,
      x: categorical ? raw.map(String) : (raw as number[]),
      y: ts.map((t) => t.value as number),
      numbers: ts.map((t) => t.number),
      log: !categorical && d !== undefined && d.kind !== "categorical" && d.log === true,
      categorical,
      categories: categorical ? categories(d, raw) : [],
    };
  });
  return { title: o.title ?? `Slice plot: ${study.name}`, panels };
}

/**
 * One scatter panel per parameter sharing the objective axis; log x axes for log distributions.
 * @example
 * declare const study: Study;
 * show(sliceFigure(sliceInfo(study)));
 */
export function sliceFigure(info: SliceInfo): Figure {
  const k = Math.max(1, info.panels.length);
  const gap = 0.04;
  const w = (1 - gap * (k - 1)) / k;
  const extra: Layout = { showlegend: false };
  const maxTrial = Math.max(0, ...info.panels.flatMap((p) => p.numbers));
  const data: Trace[] = info.panels.map((p, i) => {
    const s = i === 0 ? "" : String(i + 1);
    extra[`xaxis${s}`] = {
      domain: [i * (w + gap), i * (w + gap) + w],
      anchor: `y${s}`,
      title: { text: p.param },
      type: p.categorical ? "category" : p.log ? "log" : "linear",
      ...(p.categorical ? { categoryorder: "array", categoryarray: p.categories } : {}),
    };
    extra[`yaxis${s}`] = { anchor: `x${s}`, title: { text: i === 0 ? "Objective value" : "" }, ...(i === 0 ? {} : { matches: "y", showticklabels: false }) };
    return {
      type: "scatter",
      mode: "markers",
      name: p.param,
      x: p.x,
      y: p.y,
      xaxis: `x${s}`,
      yaxis: `y${s}`,
      customdata: p.numbers,
      marker: { color: p.numbers, colorscale: BLUES, cmin: 0, cmax: maxTrial, size: 8, line: { color: "#444", width: 0.5 }, showscale: i === k - 1, colorbar: { title: { text: "Trial" } } },
      hovertemplate: `trial %{customdata}<br>${p.param} %{x}<br>value %{y:.4g}<extra></extra>`,
    };
  });
  return { data, layout: baseLayout({ title: info.title }, extra), config: baseConfig(info.title) };
}

/**
 * Shows one slice per parameter.
 * @example
 * declare const study: Study;
 * plotSlice(study)
 */
export function plotSlice(study: StudyData, o: SliceOptions & ShowOptions = {}): string | undefined {
  return show(sliceFigure(sliceInfo(study, o)), o);
}

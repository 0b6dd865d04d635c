/** Parallel coordinates of the complete trials: one axis per parameter plus the objective, lines coloured by objective. */
import type { StudyData } from "../tuning/frozen-trial.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { categories, distributionOf, isCategorical, maximizes, paramNames, requireCompleteTrials } from "./study-values.js";
import { baseConfig, baseLayout } from "./theme.js";

/** Options of {@link parallelCoordinatesInfo} and {@link plotParallelCoordinates}. */
export interface ParallelCoordinatesOptions {
  /** Parameters to include. @default all */
  params?: readonly string[];
  /** Figure title. @default "Parallel coordinates: <study name>" */
  title?: string;
}

/** One axis: numeric values (log10 for log distributions; category index for categoricals). */
export interface ParcoordsDimension {
  label: string;
  values: number[];
  log: boolean;
  /** For categoricals: index → label. */
  tickvals?: number[];
  ticktext?: string[];
}

/** What {@link parallelCoordinatesInfo} computes for {@link parallelCoordinatesFigure}: plain data. */
export interface ParallelCoordinatesInfo {
  title: string;
  /** Trials drawn (complete and having every chosen parameter). */
  numbers: number[];
  dimensions: ParcoordsDimension[];
  objective: number[];
  reverseColors: boolean;
}

/**
 * Encodes each parameter as numbers for the axes.
 * @example
 * declare const study: Study;
 * parallelCoordinatesInfo(study)
 */
export function parallelCoordinatesInfo(study: StudyData, o: ParallelCoordinatesOptions = {}): ParallelCoordinatesInfo {
  const all = requireCompleteTrials(study);
  const names = paramNames(all, o.params);
  const trials = all.filter((t) => names.every((n) => n in t.params));
  const dimensions = names.map((name): ParcoordsDimension => {
    const d = distributionOf(trials, name);
    const raw = trials.map((t) => t.params[name] as string | number | boolean);
    if (isCategorical(d, raw)) {
      const cats = categories(d, raw);
      return { label: name, values: raw.map((v) => cats.indexOf(String(v))), log: false, tickvals: cats.map((_, i) => i), ticktext: cats };
    }
    const log = d !== undefined && d.kind !== "categorical" && d.log === true;
    return { label: log ? `log10(${name})` : name, values: raw.map((v) => (log ? Math.log10(v as number) : (v as number))), log };
  });
  return {
    title: o.title ?? `Parallel coordinates: ${study.name}`,
    numbers: trials.map((t) => t.number),
    dimensions,
    objective: trials.map((t) => t.value as number),
    // Good trials are drawn dark: reverse the scale when lower is better.
    reverseColors: !maximizes(study),
  };
}

/**
 * A `parcoords` trace; the objective is the last axis and the line colour.
 * @example
 * declare const study: Study;
 * show(parallelCoordinatesFigure(parallelCoordinatesInfo(study)));
 */
export function parallelCoordinatesFigure(info: ParallelCoordinatesInfo): Figure {
  return {
    data: [
      {
        type: "parcoords",
        line: { color: info.objective, colorscale: "Viridis", reversescale: info.reverseColors, showscale: true, colorbar: { title: { text: "Objective" } } },
        dimensions: [
          ...info.dimensions.map((d) => ({ label: d.label, values: d.values, ...(d.tickvals ? { tickvals: d.tickvals, ticktext: d.ticktext } : {}) })),
          { label: "Objective", values: info.objective },
        ],
      },
    ],
    layout: baseLayout({ title: `${info.title} (${info.numbers.length} trials)` }, { margin: { l: 80, r: 80, t: 100, b: 40 } }),
    config: baseConfig(info.title),
  };
}

/**
 * Shows parallel coordinates of a study.
 * @example
 * declare const study: Study;
 * plotParallelCoordinates(study, { params: ["units", "lr"] })
 */
export function plotParallelCoordinates(study: StudyData, o: ParallelCoordinatesOptions & ShowOptions = {}): string | undefined {
  return show(parallelCoordinatesFigure(parallelCoordinatesInfo(study, o)), o);
}

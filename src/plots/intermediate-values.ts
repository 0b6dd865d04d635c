/** Intermediate values (learning curves) of every trial; pruned trials in grey with an × where they stopped. */
import { DataError } from "../errors.js";
import type { StudyData, TrialState } from "../tuning/frozen-trial.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Trace } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link intermediateValuesInfo} and {@link plotIntermediateValues}. */
export interface IntermediateValuesOptions {
  /** Figure title. @default "Intermediate values: <study name>" */
  title?: string;
  /** x-axis title. @default "Step (epoch)" */
  xTitle?: string;
  /** y-axis title. @default "Intermediate value" */
  yTitle?: string;
}

/** What {@link intermediateValuesInfo} computes for {@link intermediateValuesFigure}: plain data. */
export interface IntermediateValuesInfo {
  title: string;
  xTitle: string;
  yTitle: string;
  trials: { number: number; state: TrialState; steps: number[]; values: number[] }[];
  pruned: number;
}

/**
 * Each trial's reported values, sorted by step.
 * @example
 * declare const study: Study;
 * intermediateValuesInfo(study)
 */
export function intermediateValuesInfo(study: StudyData, o: IntermediateValuesOptions = {}): IntermediateValuesInfo {
  const trials = study.trials
    .filter((t) => Object.keys(t.intermediate).length > 0)
    .map((t) => {
      const steps = Object.keys(t.intermediate).map(Number).sort((a, b) => a - b);
      return { number: t.number, state: t.state, steps, values: steps.map((s) => t.intermediate[s] as number) };
    });
  if (trials.length === 0) throw new DataError(`Study ${JSON.stringify(study.name)} has no intermediate values; report them with trial.report(step, value).`);
  return {
    title: o.title ?? `Intermediate values: ${study.name}`,
    xTitle: o.xTitle ?? "Step (epoch)",
    yTitle: o.yTitle ?? "Intermediate value",
    trials,
    pruned: trials.filter((t) => t.state === "pruned").length,
  };
}

/**
 * Lines per trial: complete in colour, pruned grey and dotted with an × at the last step.
 * @example
 * declare const study: Study;
 * show(intermediateValuesFigure(intermediateValuesInfo(study)));
 */
export function intermediateValuesFigure(info: IntermediateValuesInfo): Figure {
  const data: Trace[] = [];
  info.trials.forEach((t, i) => {
    const pruned = t.state === "pruned";
    data.push({
      type: "scatter",
      mode: "lines",
      name: `trial ${t.number}${pruned ? " (pruned)" : ""}`,
      legendgroup: pruned ? "pruned" : "complete",
      x: t.steps,
      y: t.values,
      line: { color: pruned ? "#b0b0b0" : COLORS[i % COLORS.length], width: pruned ? 1.2 : 1.8, dash: pruned ? "dot" : "solid" },
      hovertemplate: `trial ${t.number} (${t.state})<br>step %{x}<br>value %{y:.4g}<extra></extra>`,
    });
  });
  const prunedTrials = info.trials.filter((t) => t.state === "pruned");
  if (prunedTrials.length) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: "pruned here",
      x: prunedTrials.map((t) => t.steps[t.steps.length - 1]),
      y: prunedTrials.map((t) => t.values[t.values.length - 1]),
      customdata: prunedTrials.map((t) => t.number),
      marker: { symbol: "x", size: 10, color: "#D55E00" },
      hovertemplate: "trial %{customdata} pruned<br>step %{x}<br>value %{y:.4g}<extra></extra>",
    });
  }
  return {
    data,
    layout: baseLayout({ title: `${info.title} (${info.trials.length} trials, ${info.pruned} pruned)`, xTitle: info.xTitle, yTitle: info.yTitle }, { showlegend: info.trials.length <= 20 }),
    config: baseConfig(info.title),
  };
}

/**
 * Shows intermediate values with pruned trials marked.
 * @example
 * declare const study: Study;
 * plotIntermediateValues(study)
 */
export function plotIntermediateValues(study: StudyData, o: IntermediateValuesOptions & ShowOptions = {}): string | undefined {
  return show(intermediateValuesFigure(intermediateValuesInfo(study, o)), o);
}

/** Attention heatmap: weights over input time steps (time series) or over tokens (text). */
import { ShapeError, DataError } from "../errors.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { baseConfig, baseLayout } from "./theme.js";

/** Options of {@link attentionInfo} and {@link plotAttention}. */
export interface AttentionOptions {
  /** Labels of the attended positions (columns): tokens for text. @default time steps t-(T-1) … t */
  keys?: readonly string[];
  /** Labels of the rows (queries / output steps / samples). Defaults to `keys` for square self-attention over tokens, else 0..n-1. */
  queries?: readonly string[];
  /** Figure title. @default "Attention weights" */
  title?: string;
  /** x-axis title. @default "Token" when keys are given, else "Input time step" */
  xTitle?: string;
  /** y-axis title. @default "Query" */
  yTitle?: string;
}

/** What {@link attentionInfo} computes for {@link attentionFigure}: plain data. */
export interface AttentionInfo {
  title: string;
  xTitle: string;
  yTitle: string;
  z: number[][];
  keys: string[];
  queries: string[];
  /** Sum of each row (1 for softmax attention). */
  rowSums: number[];
  /** Column with the largest weight in each row. */
  argmax: number[];
}

/**
 * Checks the weights are a finite rectangle (a single vector is one row) and labels them.
 *
 * @example
 * declare const weights: number[][];
 * attentionInfo(weights, { keys: ["the", "cat", "sat"] })
 */
export function attentionInfo(weights: readonly (readonly number[])[] | readonly number[], o: AttentionOptions = {}): AttentionInfo {
  const rows: number[][] = (weights.length > 0 && typeof weights[0] === "number" ? [weights as readonly number[]] : (weights as readonly (readonly number[])[])).map((r) => [...r]);
  if (rows.length === 0 || (rows[0] as number[]).length === 0) throw new ShapeError("`weights` is empty; expected a queries × keys matrix.");
  const T = (rows[0] as number[]).length;
  rows.forEach((r, i) => {
    if (r.length !== T) throw new ShapeError(`\`weights\` is ragged: row 0 has ${T} values, row ${i} has ${r.length}.`);
    const j = r.findIndex((v) => !Number.isFinite(v));
    if (j >= 0) throw new DataError(`\`weights[${i}][${j}]\` is ${r[j]}; attention weights must be finite.`);
  });
  if (o.keys && o.keys.length !== T) throw new ShapeError(`\`keys\` has ${o.keys.length} labels for ${T} columns of weights.`);
  if (o.queries && o.queries.length !== rows.length) throw new ShapeError(`\`queries\` has ${o.queries.length} labels for ${rows.length} rows of weights.`);
  const keys = o.keys ? [...o.keys] : Array.from({ length: T }, (_, j) => (j === T - 1 ? "t" : `t-${T - 1 - j}`));
  const queries = o.queries ? [...o.queries] : o.keys && rows.length === T ? [...o.keys] : rows.map((_, i) => String(i));
  return {
    title: o.title ?? "Attention weights",
    xTitle: o.xTitle ?? (o.keys ? "Token" : "Input time step"),
    yTitle: o.yTitle ?? "Query",
    z: rows,
    keys,
    queries,
    rowSums: rows.map((r) => r.reduce((s, v) => s + v, 0)),
    argmax: rows.map((r) => r.indexOf(Math.max(...r))),
  };
}

/**
 * A heatmap (Viridis, 0 to max); duplicate token labels stay distinct columns.
 * @example
 * show(attentionFigure(attentionInfo([[0.7, 0.2, 0.1]], { keys: ["the", "cat", "sat"] })));
 */
export function attentionFigure(info: AttentionInfo): Figure {
  const idx = (labels: string[]): number[] => labels.map((_, i) => i);
  return {
    data: [
      {
        type: "heatmap",
        x: idx(info.keys),
        y: idx(info.queries),
        z: info.z,
        zmin: 0,
        colorscale: "Viridis",
        colorbar: { title: { text: "weight" } },
        customdata: info.z.map((r, i) => r.map((_, j) => [info.queries[i], info.keys[j]])),
        hovertemplate: "query %{customdata[0]}<br>key %{customdata[1]}<br>weight %{z:.3f}<extra></extra>",
      },
    ],
    layout: baseLayout(
      { title: info.title, xTitle: info.xTitle, yTitle: info.yTitle, height: Math.max(320, Math.min(900, 160 + 22 * info.queries.length)) },
      {
        xaxis: { tickmode: "array", tickvals: idx(info.keys), ticktext: info.keys, showgrid: false, tickangle: info.keys.length > 12 ? -60 : 0 },
        yaxis: { tickmode: "array", tickvals: idx(info.queries), ticktext: info.queries, autorange: "reversed", showgrid: false },
      },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows attention weights.
 * @example
 * declare const weights: number[][];
 * declare const tokens: string[];
 * plotAttention(weights, { keys: tokens })
 */
export function plotAttention(weights: readonly (readonly number[])[] | readonly number[], o: AttentionOptions & ShowOptions = {}): string | undefined {
  return show(attentionFigure(attentionInfo(weights, o)), o);
}

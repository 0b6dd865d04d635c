/** Confusion matrix heatmap: rows are the actual class, columns the predicted one. */
import { ShapeError, DataError } from "../errors.js";
import { oneOf } from "../validate.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { BLUES, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link confusionMatrixInfo} and {@link plotConfusionMatrix}. */
export interface ConfusionMatrixOptions {
  /** Colour by counts ("none") or by share of the row ("true", recall), column ("pred", precision) or total ("all"), like sklearn. @default "true" */
  normalize?: "none" | "true" | "pred" | "all";
  /** Figure title. @default "Confusion matrix" */
  title?: string;
}

/** What {@link confusionMatrixInfo} computes for {@link confusionMatrixFigure}: plain data. */
export interface ConfusionMatrixInfo {
  title: string;
  labels: string[];
  normalize: "none" | "true" | "pred" | "all";
  counts: number[][];
  /** The coloured values (counts normalised as asked; 0 where a row/column sums to 0). */
  z: number[][];
  total: number;
  accuracy: number;
}

/**
 * Checks the matrix is square and matches the labels; normalises it.
 * @example
 * confusionMatrixInfo([[50, 3], [7, 40]], ["ham", "spam"])
 */
export function confusionMatrixInfo(matrix: readonly (readonly number[])[], labels: readonly string[], o: ConfusionMatrixOptions = {}): ConfusionMatrixInfo {
  const normalize = oneOf("normalize", o.normalize ?? "true", ["none", "true", "pred", "all"] as const);
  const k = labels.length;
  if (matrix.length !== k || matrix.some((r) => r.length !== k)) {
    throw new ShapeError(`\`matrix\` must be ${k}×${k} to match ${k} labels, got ${matrix.length}×${matrix[0]?.length ?? 0}${matrix.some((r) => r.length !== matrix[0]?.length) ? " (ragged)" : ""}.`);
  }
  matrix.forEach((r, i) =>
    r.forEach((v, j) => {
      if (!Number.isFinite(v) || v < 0) throw new DataError(`\`matrix[${i}][${j}]\` must be a count >= 0, got ${v}.`);
    }),
  );
  const counts = matrix.map((r) => [...r]);
  const total = counts.flat().reduce((s, v) => s + v, 0);
  const rowSum = counts.map((r) => r.reduce((s, v) => s + v, 0));
  const colSum = labels.map((_, j) => counts.reduce((s, r) => s + (r[j] as number), 0));
  const div = (v: number, d: number): number => (d === 0 ? 0 : v / d);
  const z = counts.map((r, i) =>
    r.map((v, j) =>
      normalize === "true" ? div(v, rowSum[i] as number) : normalize === "pred" ? div(v, colSum[j] as number) : normalize === "all" ? div(v, total) : v,
    ),
  );
  const diag = counts.reduce((s, r, i) => s + (r[i] as number), 0);
  return { title: o.title ?? "Confusion matrix", labels: [...labels], normalize, counts, z, total, accuracy: div(diag, total) };
}

/**
 * A blue heatmap with counts (and shares) written in the cells.
 * @example
 * show(confusionMatrixFigure(confusionMatrixInfo([[50, 3], [7, 40]], ["ham", "spam"])));
 */
export function confusionMatrixFigure(info: ConfusionMatrixInfo): Figure {
  const pct = info.normalize !== "none";
  const text = info.counts.map((r, i) => r.map((v, j) => (pct ? `${v}<br>${((info.z[i]?.[j] ?? 0) * 100).toFixed(1)}%` : String(v))));
  const side = Math.max(420, Math.min(900, 200 + 60 * info.labels.length));
  return {
    data: [
      {
        type: "heatmap",
        x: info.labels,
        y: info.labels,
        z: info.z,
        text,
        texttemplate: info.labels.length <= 20 ? "%{text}" : "",
        colorscale: BLUES,
        zmin: 0,
        ...(pct ? { zmax: 1 } : {}),
        colorbar: { title: { text: pct ? "share" : "count" }, ...(pct ? { tickformat: ".0%" } : {}) },
        hovertemplate: "actual %{y}<br>predicted %{x}<br>%{text}<extra></extra>",
      },
    ],
    layout: baseLayout(
      { title: `${info.title} — accuracy ${(info.accuracy * 100).toFixed(1)}% of ${info.total}`, xTitle: "Predicted class", yTitle: "Actual class", height: side },
      { xaxis: { showgrid: false, side: "bottom", type: "category" }, yaxis: { autorange: "reversed", showgrid: false, type: "category" } },
    ),
    config: baseConfig(info.title),
  };
}

/** Shows a confusion matrix. @example plotConfusionMatrix([[50, 3], [7, 40]], ["ham", "spam"]) */
export function plotConfusionMatrix(matrix: readonly (readonly number[])[], labels: readonly string[], o: ConfusionMatrixOptions & ShowOptions = {}): string | undefined {
  return show(confusionMatrixFigure(confusionMatrixInfo(matrix, labels, o)), o);
}

/** ROC curve from scores and binary labels, with the AUC (trapezoidal) and the chance diagonal. */
import { DataError } from "../errors.js";
import { sameLength, toNumbers } from "./arrays.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link rocInfo} and {@link plotRoc}. */
export interface RocOptions {
  /** Figure title. @default "ROC curve" */
  title?: string;
}

/** What {@link rocInfo} computes for {@link rocFigure}: plain data. */
export interface RocInfo {
  title: string;
  /** False-positive rate at each threshold, starting at 0. */
  fpr: number[];
  /** True-positive rate at each threshold, starting at 0. */
  tpr: number[];
  /** Score threshold of each point (predict positive when score >= threshold); the first is +Infinity. */
  thresholds: number[];
  auc: number;
  positives: number;
  negatives: number;
}

/**
 * The ROC points at every distinct score (like sklearn's `roc_curve` without dropping
 * intermediate points) and the area under them.
 *
 * @example rocInfo([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]).auc // 0.75
 */
export function rocInfo(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>, o: RocOptions = {}): RocInfo {
  const s = toNumbers("scores", scores);
  sameLength("labels", labels, s.length, "scores");
  const y = Array.from(labels, (v, i) => {
    if (v === true || v === 1) return 1;
    if (v === false || v === 0) return 0;
    throw new DataError(`\`labels\` must be 0/1 or true/false, got ${String(v)} at index ${i}.`);
  });
  const P = y.reduce<number>((a, v) => a + v, 0);
  const N = y.length - P;
  if (P === 0 || N === 0) throw new DataError(`ROC needs both classes; labels have ${P} positives and ${N} negatives.`);
  const order = s.map((_, i) => i).sort((a, b) => (s[b] as number) - (s[a] as number));
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Infinity];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (y[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || s[next] !== s[i]) {
      fpr.push(fp / N);
      tpr.push(tp / P);
      thresholds.push(s[i] as number);
    }
  }
  let auc = 0;
  for (let k = 1; k < fpr.length; k++) auc += ((fpr[k] as number) - (fpr[k - 1] as number)) * ((tpr[k] as number) + (tpr[k - 1] as number)) / 2;
  return { title: o.title ?? "ROC curve", fpr, tpr, thresholds, auc, positives: P, negatives: N };
}

/**
 * The curve (threshold on hover), the diagonal, square axes from 0 to 1.
 * @example
 * show(rocFigure(rocInfo([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])));
 */
export function rocFigure(info: RocInfo): Figure {
  return {
    data: [
      {
        type: "scatter",
        mode: "lines",
        name: `ROC (AUC = ${info.auc.toFixed(3)})`,
        x: info.fpr,
        y: info.tpr,
        customdata: info.thresholds.map((t) => (Number.isFinite(t) ? t.toPrecision(4) : "∞")),
        line: { color: COLORS[0], width: 2.5, shape: "linear" },
        fill: "tozeroy",
        fillcolor: "rgba(0, 114, 178, 0.08)",
        hovertemplate: "threshold %{customdata}<br>FPR %{x:.3f}<br>TPR %{y:.3f}<extra></extra>",
      },
      { type: "scatter", mode: "lines", name: "chance", x: [0, 1], y: [0, 1], line: { color: "#888", dash: "dash", width: 1.5 }, hoverinfo: "skip" },
    ],
    layout: baseLayout(
      { title: `${info.title} — AUC ${info.auc.toFixed(3)} (${info.positives} positive, ${info.negatives} negative)`, xTitle: "False positive rate", yTitle: "True positive rate", height: 520 },
      { xaxis: { range: [0, 1], constrain: "domain" }, yaxis: { range: [0, 1.02], scaleanchor: "x", scaleratio: 1 }, legend: { x: 0.98, xanchor: "right", y: 0.02 } },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the ROC curve.
 * @example
 * declare const probabilities: number[];
 * declare const yTrue: number[];
 * plotRoc(probabilities, yTrue)
 */
export function plotRoc(scores: ArrayLike<number>, labels: ArrayLike<number | boolean>, o: RocOptions & ShowOptions = {}): string | undefined {
  return show(rocFigure(rocInfo(scores, labels, o)), o);
}

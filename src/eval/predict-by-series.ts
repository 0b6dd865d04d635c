/**
 * A global model's forecasts for windows of many series, in original units, as one long table:
 * each window's series, forecast step and time, target, actual value and forecast, and, for a
 * quantile head, one column per level. Each series is mapped back with its own scaler.
 */
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { ConfigError, ShapeError } from "../errors.js";
import { show } from "../validate.js";
import type { Windows } from "../data/windows.js";
import { GroupScaler } from "../data/group-scaler.js";
import type { Scaler } from "../data/scaler.js";
import { checkShapes } from "../models/check-shapes.js";
import { distributionHeadOf } from "../models/distribution-head.js";
import { quantileLevels } from "../models/quantile-levels.js";
import { levelName } from "./quantile-table.js";

/** Options of predictBySeries. */
export interface PredictBySeriesOptions {
  /** Maps outputs and actuals back to original units: one Scaler, or a GroupScaler per series. @default null */
  scaler?: Scaler | GroupScaler | null;
  /** Quantile levels of a model whose output is [batch, outputs, levels]. @default the levels its DistributionHead records */
  quantiles?: readonly number[] | null;
  /** Samples per forward pass. @default 256 */
  batchSize?: number;
}

/**
 * Forecasts for every window of `w` (from makeWindows with a `group`): one row per window, step and
 * target with `series`, `step` (1-based), `time` (with a timeColumn), `target`, `actual` and
 * `forecast` (a quantile head's median, a normal head's mean), plus `q10`, `q50`, ... for each quantile level (named by levelName).
 *
 * @example
 * declare const model: tf.LayersModel;
 * declare const w: Windows;
 * declare const gs: GroupScaler;
 * const p = predictBySeries(model, w, { scaler: gs, quantiles: [0.1, 0.5, 0.9] }); // series, step, time, target, actual, forecast, q10, q50, q90
 * p.slice(0, 12).print(); // the first window's 12 steps
 */
export function predictBySeries(model: tf.LayersModel, w: Windows, options: PredictBySeriesOptions = {}): ColumnTable {
  const scaler = options.scaler ?? null;
  const inputs = w.inputs.length === 1 ? (w.inputs[0] as tf.Tensor) : [...w.inputs];
  checkShapes(model, inputs);
  const out = model.predict(inputs, { batchSize: options.batchSize ?? 256 }) as tf.Tensor;
  const data = out.dataSync();
  const rank = out.rank;
  const levels = rank === 3 ? (out.shape[2] as number) : 1;
  out.dispose();
  const T = w.targets.length;
  const width = w.horizon * T;
  if (data.length !== w.n * width * levels) throw new ShapeError(`The model gives ${data.length / Math.max(w.n, 1)} values per window, expected horizon × targets = ${width}${levels > 1 ? ` × ${levels} levels` : ""}.`);
  const head = distributionHeadOf(model);
  let q: readonly number[] = [];
  if (rank === 3 && head?.kind !== "normal") {
    const given = options.quantiles ?? distributionHeadOf(model)?.levels ?? null;
    if (given === null) throw new ConfigError("The model outputs [batch, outputs, levels]; give `quantiles` so its levels can be named.");
    q = quantileLevels("quantiles", given);
    if (q.length !== levels) throw new ConfigError(`\`quantiles\` has ${q.length} levels but the model outputs ${levels}: ${show(q)}.`);
  }
  // The forecast column is the point forecast: a normal head's mean, a quantile head's median.
  const mid = rank !== 3 || head?.kind === "normal" ? 0 : q.indexOf(0.5);
  if (mid < 0) throw new ConfigError(`The \`forecast\` column is the median, which quantiles ${show(q)} do not include; add 0.5.`);
  const invert = (k: number, values: number[]): number[] => {
    if (scaler === null) return values;
    const name = w.seriesNames[w.series[k] as number] ?? "";
    const s = scaler instanceof GroupScaler ? scaler.forSeries(name) : scaler;
    return Array.from(s.inverseArray(values, w.targets));
  };
  const cols: Record<string, unknown[]> = { series: [], step: [], time: [], target: [], actual: [], forecast: [] };
  q.forEach((l) => (cols[levelName(l)] = []));
  for (let k = 0; k < w.n; k++) {
    const actual = invert(k, Array.from(w.yData.subarray(k * width, (k + 1) * width)));
    const perLevel = Array.from({ length: levels }, (_, l) => invert(k, Array.from({ length: width }, (_, j) => data[(k * width + j) * levels + l] as number)));
    for (let j = 0; j < width; j++) {
      const h = Math.floor(j / T);
      cols["series"]!.push(w.seriesNames[w.series[k] as number] ?? "");
      cols["step"]!.push(h + 1);
      cols["time"]!.push(w.targetTimes ? new Date(w.targetTimes[k * w.horizon + h] as number) : null);
      cols["target"]!.push(w.targets[j % T]);
      cols["actual"]!.push(actual[j]);
      cols["forecast"]!.push((perLevel[mid] as number[])[j]);
      q.forEach((l, i) => cols[levelName(l)]!.push((perLevel[i] as number[])[j]));
    }
  }
  if (!w.targetTimes) delete cols["time"];
  return aq.table(cols);
}

/** Weight histograms, one panel per weight tensor (kernel, recurrent kernel, bias of each layer). */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { histogramBins } from "./histogram-bins.js";
import { histogramPanelsFigure } from "./histograms.js";
import type { HistogramsInfo } from "./histograms.js";

/** Options of {@link weightHistogramsInfo} and {@link plotWeightHistograms}. */
export interface WeightHistogramsOptions {
  /** Bins per histogram. @default 40 */
  bins?: number;
  /** Keep only weights whose name matches. @default every weight */
  filter?: RegExp;
  /** Figure title. @default "Weight distributions" */
  title?: string;
}

/** Weight name → values. */
export type WeightValues = Record<string, ArrayLike<number>>;

/**
 * Reads every weight of `model` into plain arrays, named like "lstm_1/kernel" (copies; the model
 * is not touched and no tensor is left behind).
 * @example
 * Object.keys(layerWeights(buildModel({ inputShape: [10, 2], units: [8], seed: 1 }))) // the weight names
 */
export function layerWeights(model: tf.LayersModel): WeightValues {
  const out: WeightValues = {};
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const name = w.originalName ?? w.name;
      out[name.startsWith(layer.name + "/") ? name : `${layer.name}/${name}`] = w.read().dataSync().slice();
    }
  }
  return out;
}

const isModel = (x: unknown): x is tf.LayersModel =>
  typeof x === "object" && x !== null && Array.isArray((x as { layers?: unknown }).layers) && typeof (x as { predict?: unknown }).predict === "function";

/**
 * Histogram panels of each weight tensor, with mean and std in the axis title.
 * @example
 * const model = buildModel({ inputShape: [10, 2], units: [8], seed: 1 });
 * weightHistogramsInfo(model, { filter: /kernel/ })
 */
export function weightHistogramsInfo(weights: tf.LayersModel | WeightValues, o: WeightHistogramsOptions = {}): HistogramsInfo {
  const record = isModel(weights) ? layerWeights(weights) : weights;
  const names = Object.keys(record).filter((n) => (o.filter ? o.filter.test(n) : true));
  if (names.length === 0) throw new ConfigError(`No weights to plot${o.filter ? ` match filter ${String(o.filter)}` : ""}; weights are: ${Object.keys(record).join(", ") || "(none)"}.`);
  const panels = names.map((name) => {
    const v = record[name] as ArrayLike<number>;
    const b = histogramBins(v, o.bins ?? 40);
    let s = 0;
    let ss = 0;
    for (let i = 0; i < v.length; i++) {
      s += v[i] as number;
      ss += (v[i] as number) ** 2;
    }
    const mean = s / Math.max(1, v.length);
    const std = Math.sqrt(Math.max(0, ss / Math.max(1, v.length) - mean * mean));
    return { name: `${name} (μ=${mean.toPrecision(2)}, σ=${std.toPrecision(2)})`, ...b, missing: v.length - b.n };
  });
  return { title: o.title ?? "Weight distributions", panels, xTitle: "" };
}

/**
 * The weight-histograms figure (one bar panel per weight tensor).
 * @example
 * const model = buildModel({ inputShape: [10, 2], units: [8], seed: 1 });
 * show(weightHistogramsFigure(weightHistogramsInfo(model)));
 */
export function weightHistogramsFigure(info: HistogramsInfo): Figure {
  return histogramPanelsFigure(info.title, info.panels, info.xTitle);
}

/**
 * Shows weight histograms of a model.
 * @example
 * declare const model: tf.LayersModel;
 * plotWeightHistograms(model, { filter: /kernel/ })
 */
export function plotWeightHistograms(weights: tf.LayersModel | WeightValues, o: WeightHistogramsOptions & ShowOptions = {}): string | undefined {
  return show(weightHistogramsFigure(weightHistogramsInfo(weights, o)), o);
}

/** Predictions vs actual over time, with an optional spread band (ensemble, interval) and split shading. */
import { ShapeError } from "../errors.js";
import { sameLength, toNumbers, toXValues } from "./arrays.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Trace } from "./figure.js";
import { shadedTimeFigure, splitSpans } from "./split-shading.js";
import type { SplitRange, SplitSpan } from "./split-shading.js";
import { COLORS } from "./theme.js";

/** The series {@link predictionsInfo} plots: actual and predicted values, optional x values and a band. */
export interface PredictionsInput {
  /** Observed values. */
  actual: ArrayLike<number>;
  /** Predicted values (an ensemble's mean, say), aligned with `actual`. */
  predicted: ArrayLike<number>;
  /** x values (numbers, strings or Dates). @default 0..n-1 */
  times?: ArrayLike<unknown>;
  /** Lower edge of the spread band (ensemble min or a quantile). Needs `upper`. */
  lower?: ArrayLike<number>;
  /** Upper edge of the spread band. Needs `lower`. */
  upper?: ArrayLike<number>;
  /** Row ranges to shade: `[{ name: "val", from: 700, to: 850 }, ...]`. */
  splits?: readonly SplitRange[];
}

/** Options of {@link predictionsInfo} and {@link plotPredictions}. */
export interface PredictionsOptions {
  /** Figure title. @default "Predictions vs actual" */
  title?: string;
  /** y-axis title with units, e.g. "Temperature (°C)". @default "Value" */
  yTitle?: string;
  /** x-axis title. @default "Time" */
  xTitle?: string;
  /** Legend name of the band. @default "ensemble spread" */
  bandName?: string;
}

/** What {@link predictionsInfo} computes for {@link predictionsFigure}: plain data. */
export interface PredictionsInfo {
  title: string;
  xTitle: string;
  yTitle: string;
  bandName: string;
  x: (number | string)[];
  actual: number[];
  predicted: number[];
  band: { lower: number[]; upper: number[] } | null;
  splits: SplitSpan[];
}

/**
 * Checks lengths and finiteness; everything comes back as plain arrays.
 * @example
 * predictionsInfo({ actual: [1, 2, 3], predicted: [1.1, 1.9, 3.2] })
 */
export function predictionsInfo(input: PredictionsInput, o: PredictionsOptions = {}): PredictionsInfo {
  const actual = toNumbers("actual", input.actual);
  const n = actual.length;
  sameLength("predicted", input.predicted, n, "actual");
  const predicted = toNumbers("predicted", input.predicted);
  let x: (number | string)[] = actual.map((_, i) => i);
  if (input.times !== undefined) {
    sameLength("times", input.times, n, "actual");
    x = toXValues("times", input.times);
  }
  let band: PredictionsInfo["band"] = null;
  if ((input.lower === undefined) !== (input.upper === undefined)) {
    throw new ShapeError(`A band needs both \`lower\` and \`upper\`; got only \`${input.lower === undefined ? "upper" : "lower"}\`.`);
  }
  if (input.lower !== undefined && input.upper !== undefined) {
    sameLength("lower", input.lower, n, "actual");
    sameLength("upper", input.upper, n, "actual");
    band = { lower: toNumbers("lower", input.lower), upper: toNumbers("upper", input.upper) };
  }
  return {
    title: o.title ?? "Predictions vs actual",
    xTitle: o.xTitle ?? "Time",
    yTitle: o.yTitle ?? "Value",
    bandName: o.bandName ?? "ensemble spread",
    x,
    actual,
    predicted,
    band,
    splits: splitSpans("splits", input.splits, x),
  };
}

/**
 * Actual in black, predicted in colour over the shaded band, splits shaded behind.
 * @example
 * show(predictionsFigure(predictionsInfo({ actual: [1, 2, 3], predicted: [1.1, 1.9, 3.2] })));
 */
export function predictionsFigure(info: PredictionsInfo): Figure {
  const data: Trace[] = [];
  if (info.band) {
    data.push(
      { type: "scatter", mode: "lines", name: `${info.bandName} (upper)`, x: info.x, y: info.band.upper, line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      {
        type: "scatter",
        mode: "lines",
        name: info.bandName,
        x: info.x,
        y: info.band.lower,
        line: { width: 0 },
        fill: "tonexty",
        fillcolor: "rgba(0, 114, 178, 0.2)",
        hoverinfo: "skip",
      },
    );
  }
  data.push(
    { type: "scatter", mode: "lines", name: "actual", x: info.x, y: info.actual, line: { color: "#2a2a2a", width: 1.5 }, hovertemplate: "%{x}<br>actual %{y:.4g}<extra></extra>" },
    { type: "scatter", mode: "lines", name: "predicted", x: info.x, y: info.predicted, line: { color: COLORS[0], width: 1.8 }, hovertemplate: "%{x}<br>predicted %{y:.4g}<extra></extra>" },
  );
  return shadedTimeFigure(data, { title: info.title, xTitle: info.xTitle, yTitle: info.yTitle }, info.splits);
}

/**
 * Shows predictions vs actual.
 * @example
 * plotPredictions({ times: [1, 2, 3], actual: [1, 2, 3], predicted: [1.1, 1.9, 3.2], lower: [0.8, 1.6, 2.7], upper: [1.4, 2.2, 3.6] })
 */
export function plotPredictions(input: PredictionsInput, o: PredictionsOptions & ShowOptions = {}): string | undefined {
  return show(predictionsFigure(predictionsInfo(input, o)), o);
}

/**
 * The forecast fan: the actual series with the forecast's quantiles drawn as nested bands (the
 * outermost pair of levels palest) and the median as a line. The info also says how many actual
 * values that fall on forecast steps each band covers, so the picture and the number agree.
 */
import { ConfigError } from "../errors.js";
import { show as showValue } from "../validate.js";
import { sameLength, toNumbers, toXValues } from "./arrays.js";
import { show, type ShowOptions } from "./display.js";
import type { Figure, Trace } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** What the fan shows. */
export interface ForecastFanInput {
  /** The observed series (history and, where known, the forecast period). */
  actual: { x: ArrayLike<unknown>; y: ArrayLike<number> };
  /** The forecast steps' x values (same kind as actual.x: numbers, strings or Dates). */
  x: ArrayLike<unknown>;
  /** The forecast quantiles: each level (ascending) with one value per forecast step. */
  quantiles: readonly { level: number; values: ArrayLike<number> }[];
}

/** Options of the forecast fan. */
export interface ForecastFanOptions {
  /** Figure title. @default "Forecast" */ title?: string;
  /** y-axis title with units. @default "Value" */ yTitle?: string;
  /** x-axis title. @default "Time" */ xTitle?: string;
}

/** One band: a pair of levels symmetric about the median, and its nominal and observed coverage. */
export interface FanBand {
  lowerLevel: number;
  upperLevel: number;
  /** Nominal coverage in percent, e.g. 80 for (0.1, 0.9). */ nominal: number;
  lower: number[];
  upper: number[];
  /** Percent of actual values on forecast steps inside the band; null when no actual value falls on a forecast step. */
  covered: number | null;
}

/** What {@link forecastFanInfo} computes for {@link forecastFanFigure}: plain data. */
export interface ForecastFanInfo {
  title: string;
  xTitle: string;
  yTitle: string;
  actual: { x: (number | string)[]; y: number[] };
  x: (number | string)[];
  /** Outermost first. */ bands: FanBand[];
  /** The 0.5 quantile, or null when not given. */ median: number[] | null;
}

const round = (v: number) => Number(v.toPrecision(12));

/**
 * Pairs the levels from the outside in (first with last, ...), checks them, and counts coverage.
 * @example
 * declare const model: tf.LayersModel; // buildModel({ ..., quantiles: [0.1, 0.5, 0.9] })
 * declare const x: tf.Tensor;
 * declare const scaler: Scaler;
 * declare const times: string[], values: number[], forecastTimes: string[];
 * const t = predict(model, x, { inverse: scaler, targets: ["y"] });   // y_q10, y_q50, y_q90
 * forecastFanInfo({ actual: { x: times, y: values }, x: forecastTimes, quantiles: quantilesOf(t, "y") });
 */
export function forecastFanInfo(input: ForecastFanInput, o: ForecastFanOptions = {}): ForecastFanInfo {
  const ay = toNumbers("actual.y", input.actual.y);
  sameLength("actual.x", input.actual.x, ay.length, "actual.y");
  const ax = toXValues("actual.x", input.actual.x);
  const x = toXValues("x", input.x);
  if (input.quantiles.length === 0) throw new ConfigError("`quantiles` must hold at least one { level, values }, got [].");
  const levels = input.quantiles.map((q, i) => {
    if (!(typeof q.level === "number" && q.level > 0 && q.level < 1)) {
      throw new ConfigError(`\`quantiles[${i}].level\` must be a quantile level strictly between 0 and 1, got ${showValue(q.level)}.`);
    }
    const prev = input.quantiles[i - 1]?.level;
    if (prev !== undefined && !(q.level > prev)) throw new ConfigError(`\`quantiles[${i}].level\` must be above the level before it (${prev}), got ${q.level}.`);
    return q.level;
  });
  const values = input.quantiles.map((q, i) => {
    sameLength(`quantiles[${i}].values`, q.values, x.length, "x");
    return toNumbers(`quantiles[${i}].values`, q.values);
  });
  const crossing = values.findIndex((v, i) => i > 0 && v.some((y, j) => y < (values[i - 1]![j] as number)));
  if (crossing >= 0) throw new ConfigError(`\`quantiles[${crossing}]\` (level ${levels[crossing]}) falls below the level before it; quantiles must not cross.`);
  const actualAt = new Map(ax.map((v, i) => [String(v), ay[i] as number]));
  const bands: FanBand[] = [];
  for (let i = 0, j = levels.length - 1; i < j; i++, j--) {
    const lowerLevel = levels[i] as number, upperLevel = levels[j] as number;
    const lower = values[i] as number[], upper = values[j] as number[];
    let n = 0, inside = 0;
    x.forEach((xv, k) => {
      const y = actualAt.get(String(xv));
      if (y === undefined) return;
      n++;
      if (y >= (lower[k] as number) && y <= (upper[k] as number)) inside++;
    });
    bands.push({ lowerLevel, upperLevel, nominal: round(100 * (upperLevel - lowerLevel)), lower, upper, covered: n === 0 ? null : round((100 * inside) / n) });
  }
  const mid = levels.indexOf(0.5);
  return {
    title: o.title ?? "Forecast",
    xTitle: o.xTitle ?? "Time",
    yTitle: o.yTitle ?? "Value",
    actual: { x: ax, y: ay },
    x,
    bands,
    median: mid >= 0 ? (values[mid] as number[]) : null,
  };
}

/**
 * Bands as filled areas (upper edge, then lower edge filled to it), the median and the actual series as lines.
 * @example
 * show(forecastFanFigure(forecastFanInfo({ actual: { x: [1, 2, 3], y: [10, 12, 11] }, x: [3, 4], quantiles: [{ level: 0.1, values: [9, 9] }, { level: 0.9, values: [13, 15] }] })));
 */
export function forecastFanFigure(info: ForecastFanInfo): Figure {
  const data: Trace[] = [];
  info.bands.forEach((b, i) => {
    const alpha = round(0.15 + (0.35 * (i + 1)) / info.bands.length);
    const name = `${b.nominal}% interval` + (b.covered === null ? "" : ` (covers ${b.covered}%)`);
    data.push({ type: "scatter", mode: "lines", name: `q${round(100 * b.upperLevel)}`, x: info.x, y: b.upper, line: { width: 0 }, showlegend: false, hoverinfo: "skip" });
    data.push({
      type: "scatter",
      mode: "lines",
      name,
      x: info.x,
      y: b.lower,
      line: { width: 0 },
      fill: "tonexty",
      fillcolor: `rgba(0, 114, 178, ${alpha})`,
      hovertemplate: `${b.nominal}%: %{y:.4g}<extra></extra>`,
    });
  });
  if (info.median) data.push({ type: "scatter", mode: "lines", name: "median forecast", x: info.x, y: info.median, line: { color: COLORS[0], width: 2 } });
  data.push({ type: "scatter", mode: "lines", name: "actual", x: info.actual.x, y: info.actual.y, line: { color: COLORS[7], width: 1.5 } });
  return {
    data,
    layout: baseLayout({ title: info.title, xTitle: info.xTitle, yTitle: info.yTitle }, { hovermode: "x unified" }),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the forecast fan.
 * @example plotForecastFan({ actual: { x: [1, 2, 3], y: [10, 12, 11] }, x: [3, 4], quantiles: [{ level: 0.1, values: [9, 9] }, { level: 0.9, values: [13, 15] }] })
 */
export function plotForecastFan(input: ForecastFanInput, o: ForecastFanOptions & ShowOptions = {}): string | undefined {
  return show(forecastFanFigure(forecastFanInfo(input, o)), o);
}

/**
 * Rolling-origin backtests: walk forecast origins through the history, (re)fit when asked, forecast
 * `horizon` steps of every series from the `lookback` rows before each origin, and score the
 * forecasts against what happened, per origin, per horizon step, per series and pooled. A trained
 * model, a factory that fits one on the history, and the baselines all run through the same walk.
 */
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { ConfigError, ShapeError } from "../errors.js";
import { nonNegativeInt, oneOf, positiveInt, show } from "../validate.js";
import { groupRows } from "../data/group-rows.js";
import { takeRows } from "../data/rows.js";
import { timeColumn as readTime } from "../data/columns.js";
import { makeWindows, resolveWindowOptions, type WindowOptions, type Windows } from "../data/windows.js";
import { Scaler } from "../data/scaler.js";
import { GroupScaler } from "../data/group-scaler.js";
import { checkShapes } from "../models/check-shapes.js";
import { METRIC_NAMES, metrics as METRICS, type MetricName } from "./metrics.js";
import { pointForecast } from "./point-forecast.js";
import { values } from "./values.js";

/** Something that forecasts: rows `[n, horizon × targets]` (step-major, as makeWindows' `y`) for windows `w`. */
export interface Forecaster {
  forecast(w: Windows): readonly (readonly number[])[] | Promise<readonly (readonly number[])[]>;
  /** Frees what the forecaster holds (a model's weights); called when the backtest is done with it. */
  dispose?(): void;
}

/** What a factory is told at a refit. */
export interface BacktestContext {
  /** Index of the first origin this fit will forecast from. */
  readonly origin: number;
  /** The window options of the backtest (lookback, horizon, targets, group, covariates, ...). */
  readonly windowOptions: WindowOptions;
}

/** Fits a forecaster on `history` (every series' rows before the origin, scaled when `scaler` is a fit function). */
export type ForecasterFactory = (history: ColumnTable, ctx: BacktestContext) => Forecaster | Promise<Forecaster>;

/** Options of backtest: the window options plus the walk. */
export interface BacktestOptions extends WindowOptions {
  /**
   * Row (within each series) of the first origin, i.e. of the first forecast step; negative counts
   * from each series' end (-36: the origin 36 rows before the end). Must leave `lookback` rows before it. Required.
   */
  start: number;
  /** Rows between consecutive origins. @default the horizon */
  stride?: number;
  /** "never": fit once before the first origin; "every": at every origin; k: at every k-th origin. @default "never" */
  refit?: "never" | "every" | number;
  /**
   * Scaling: a fitted Scaler or GroupScaler used as is, or a function fitted on the history at each
   * refit. Forecasters see scaled windows; forecasts are mapped back before scoring. @default null
   */
  scaler?: Scaler | GroupScaler | ((history: ColumnTable) => Scaler | GroupScaler) | null;
  /** Metrics per origin, per step, per series and pooled. @default ["mae", "rmse"] */
  metrics?: readonly MetricName[];
}

/** What backtest returns: the forecasts in long form and the metrics cut four ways. */
export interface BacktestResult {
  /** One row per origin, series, step and target: origin, (origin_time), (series), step, (time), target, actual, forecast. */
  readonly forecasts: ColumnTable;
  /** One row per origin: origin, (origin_time), then each metric over all series, steps and targets. */
  readonly byOrigin: ColumnTable;
  /** One row per horizon step (1-based): step, then each metric. */
  readonly byStep: ColumnTable;
  /** One row per series (with a `group`): series, then each metric. */
  readonly bySeries: ColumnTable;
  /** Each metric over every forecast. */
  readonly overall: Readonly<Record<string, number>>;
}

/** A trained model as a forecaster: its point forecast on the window's inputs (a quantile head's median, a normal head's mean). */
function modelForecaster(model: tf.LayersModel): Forecaster {
  return {
    forecast(w) {
      const inputs = w.inputs.length === 1 ? (w.inputs[0] as tf.Tensor) : [...w.inputs];
      checkShapes(model, inputs);
      const out = model.predict(inputs) as tf.Tensor;
      const m = pointForecast(model, values("prediction", out));
      out.dispose();
      return Array.from({ length: m.rows }, (_, r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
    },
  };
}

interface Walk {
  /** Per series: its table rows and its first origin's position. */
  series: { name: string; rows: Int32Array; first: number }[];
  origins: number;
}

function plan(table: ColumnTable, o: BacktestOptions, lookback: number, horizon: number, stride: number): Walk {
  const groups = o.group ? groupRows(table, o.group) : { names: [""], rows: [Int32Array.from({ length: table.numRows() }, (_, i) => i)] };
  let origins = 0;
  const series = groups.names.map((name, k) => {
    const rows = groups.rows[k] as Int32Array;
    const first = o.start < 0 ? rows.length + o.start : o.start;
    const where = o.group ? ` (series ${show(name)} has ${rows.length} rows)` : ` (the table has ${rows.length} rows)`;
    if (first < lookback) {
      throw new ConfigError(`\`start\` ${o.start} puts the first origin at row ${first}, before \`lookback\` (${lookback}) rows of history${where}.`);
    }
    if (first + horizon > rows.length) {
      throw new ConfigError(`\`start\` ${o.start} leaves fewer than \`horizon\` (${horizon}) rows after the first origin${where}.`);
    }
    origins = Math.max(origins, Math.floor((rows.length - horizon - first) / stride) + 1);
    return { name, rows, first };
  });
  return { series, origins };
}

const inverseRow = (scaler: Scaler | GroupScaler | null, series: string, row: readonly number[], targets: readonly string[]): number[] => {
  if (scaler === null) return [...row];
  const s = scaler instanceof GroupScaler ? scaler.forSeries(series) : scaler;
  return Array.from(s.inverseArray(row, targets));
};

/** One metric of flat actuals and forecasts, through the metric registry. */
function score(name: MetricName, actual: readonly number[], forecast: readonly number[]): number {
  const metric: (yTrue: readonly number[], yPred: readonly number[]) => number = METRICS[name];
  return metric(actual, forecast);
}

function scoreTable(rows: { key: string | number; actual: number[]; forecast: number[] }[], keyName: string, names: readonly MetricName[]): ColumnTable {
  const cols: Record<string, unknown[]> = { [keyName]: rows.map((r) => r.key) };
  for (const m of names) cols[m] = rows.map((r) => score(m, r.actual, r.forecast));
  return aq.table(cols);
}

/**
 * Rolling-origin backtest. Origin `o` of a series sits at row `start + o·stride` of that series: the
 * forecaster sees the `lookback` rows before it (and the future covariates of the `horizon` rows
 * from it) and forecasts those `horizon` rows. With a factory, `refit` decides when it is fitted
 * again on all rows before the origin; a trained model is never refitted.
 *
 * @example
 * const table = dataset("unemployment-across-industries");
 * const options = { features: ["rate"], targets: ["rate"], group: "series", timeColumn: "date", lookback: 24, horizon: 12, start: -24, stride: 6 };
 * const naive = await backtest(baselineForecaster("seasonal-naive", { season: 12 }), table, options);
 * naive.byStep.print(); // mae and rmse per horizon step
 * // your own forecaster: rows of horizon × targets values per window ("next year = this year's mean")
 * const mean = await backtest(() => ({ forecast: (w) => (w.x.mean(1).arraySync() as number[][]).map((r) => Array(12).fill(r[0])) }), table, options);
 * console.log(mean.overall, naive.overall);
 */
export async function backtest(model: tf.LayersModel | ForecasterFactory, table: ColumnTable, options: BacktestOptions): Promise<BacktestResult> {
  const { start, refit = "never", scaler = null, metrics: metricNames = ["mae", "rmse"], stride: strideOption, ...windowOptions } = options;
  if (!Number.isInteger(start)) throw new ConfigError(`\`start\` must be an integer row (negative counts from the end), got ${show(start)}.`);
  if (refit !== "never" && refit !== "every") positiveInt("refit", refit);
  if (model instanceof tf.LayersModel && refit !== "never") {
    throw new ConfigError(`\`refit\` ${show(refit)} needs a factory that fits a model; a trained model can only be backtested with refit "never".`);
  }
  metricNames.forEach((m, i) => oneOf(`metrics[${i}]`, m, METRIC_NAMES));
  const wo: WindowOptions = { ...windowOptions, gap: windowOptions.gap ?? 0, stride: 1 };
  nonNegativeInt("gap", wo.gap);
  if (wo.gap !== 0) throw new ConfigError(`\`gap\` must be 0 in a backtest (the forecast starts at the origin), got ${show(wo.gap)}.`);
  const r = resolveWindowOptions(table, wo);
  const stride = positiveInt("stride", strideOption ?? r.horizon);
  const walk = plan(table, options, r.lookback, r.horizon, stride);
  const every = refit === "never" ? Infinity : refit === "every" ? 1 : refit;
  const times = r.timeColumn === null ? null : readTime(table, r.timeColumn);
  const T = r.targets.length;
  const actualCols = r.targets.map((t) => table.array(t) as ArrayLike<number>);

  const out = { origin: [] as number[], origin_time: [] as number[], series: [] as string[], step: [] as number[], time: [] as number[], target: [] as string[], actual: [] as number[], forecast: [] as number[] };
  let forecaster: Forecaster | null = null;
  let fitted: Scaler | GroupScaler | null = scaler instanceof Scaler || scaler instanceof GroupScaler ? scaler : null;
  try {
    for (let o = 0; o < walk.origins; o++) {
      const live = walk.series.filter((s) => s.first + o * stride + r.horizon <= s.rows.length);
      const originRow = (s: (typeof live)[number]) => s.first + o * stride;
      if (forecaster === null || o % every === 0) {
        const history = takeRows(table, Int32Array.from(walk.series.flatMap((s) => Array.from(s.rows.subarray(0, Math.min(s.rows.length, s.first + o * stride))))));
        if (typeof scaler === "function") fitted = scaler(history);
        forecaster?.dispose?.();
        forecaster = model instanceof tf.LayersModel ? modelForecaster(model) : await model(fitted ? fitted.transform(history) : history, { origin: o, windowOptions: wo });
      }
      // One window per live series: its lookback rows before the origin and horizon rows from it.
      const rows = Int32Array.from(live.flatMap((s) => Array.from(s.rows.subarray(originRow(s) - r.lookback, originRow(s) + r.horizon))));
      const part = takeRows(table, rows);
      const w = makeWindows(fitted ? fitted.transform(part) : part, { ...wo, stride: r.lookback + r.horizon });
      try {
        const f = await forecaster.forecast(w);
        if (f.length !== w.n || f.some((row) => row.length !== r.horizon * T)) {
          throw new ShapeError(`The forecaster returned ${f.length} rows of ${f[0]?.length ?? 0} values for ${w.n} windows of horizon × targets = ${r.horizon * T}.`);
        }
        live.forEach((s, k) => {
          const row = inverseRow(fitted, s.name, f[k] as readonly number[], r.targets);
          const t0 = s.rows[originRow(s)] as number;
          for (let h = 0; h < r.horizon; h++) {
            const tableRow = s.rows[originRow(s) + h] as number;
            for (let j = 0; j < T; j++) {
              out.origin.push(o);
              out.origin_time.push(times ? (times[t0] as number) : t0);
              out.series.push(s.name);
              out.step.push(h + 1);
              out.time.push(times ? (times[tableRow] as number) : tableRow);
              out.target.push(r.targets[j] as string);
              out.actual.push((actualCols[j] as ArrayLike<number>)[tableRow] as number);
              out.forecast.push(row[h * T + j] as number);
            }
          }
        });
      } finally {
        w.dispose();
      }
    }
  } finally {
    forecaster?.dispose?.();
  }

  const cols: Record<string, unknown[]> = { origin: out.origin };
  if (times) cols["origin_time"] = out.origin_time.map((v) => new Date(v));
  if (r.group !== null) cols["series"] = out.series;
  cols["step"] = out.step;
  if (times) cols["time"] = out.time.map((v) => new Date(v));
  Object.assign(cols, { target: out.target, actual: out.actual, forecast: out.forecast });
  const by = <K extends string | number>(key: (i: number) => K): { key: K; actual: number[]; forecast: number[] }[] => {
    const m = new Map<K, { key: K; actual: number[]; forecast: number[] }>();
    out.actual.forEach((a, i) => {
      const k = key(i);
      let e = m.get(k);
      if (!e) m.set(k, (e = { key: k, actual: [], forecast: [] }));
      e.actual.push(a);
      e.forecast.push(out.forecast[i] as number);
    });
    return [...m.values()];
  };
  let byOrigin = scoreTable(by((i) => out.origin[i] as number), "origin", metricNames);
  if (times) {
    const first = new Map<number, number>();
    out.origin.forEach((o, i) => first.has(o) || first.set(o, out.origin_time[i] as number));
    byOrigin = byOrigin.assign({ origin_time: Array.from(byOrigin.array("origin") as ArrayLike<number>, (o) => new Date(first.get(o) as number)) }).select("origin", "origin_time", ...metricNames);
  }
  const overall = Object.fromEntries(metricNames.map((m) => [m, score(m, out.actual, out.forecast)]));
  return {
    forecasts: aq.table(cols),
    byOrigin,
    byStep: scoreTable(by((i) => out.step[i] as number), "step", metricNames),
    bySeries: r.group === null ? aq.table({ series: [] }) : scoreTable(by((i) => out.series[i] as string), "series", metricNames),
    overall,
  };
}

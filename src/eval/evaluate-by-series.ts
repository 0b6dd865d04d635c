/**
 * Scores a long forecasts table (predictBySeries' or a backtest's `forecasts`) per series and
 * pooled: one row per series plus an "(all)" row, with the regression metrics, optionally MASE
 * against each series' own history and the coverage and width of an interval.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { ConfigError } from "../errors.js";
import { oneOf, positiveInt } from "../validate.js";
import { requireColumns } from "../data/columns.js";
import { groupRows } from "../data/group-rows.js";
import { numericColumn } from "../data/columns.js";
import { coverage, intervalWidth, mase, METRIC_NAMES, metrics as METRICS, type MetricName } from "./metrics.js";

/** Options of evaluateBySeries. */
export interface EvaluateBySeriesOptions {
  /** Regression metrics. @default ["mae", "rmse"] */
  metrics?: readonly MetricName[];
  /** Columns of an interval's lower and upper bounds, e.g. ["q10", "q90"]: adds `coverage` and `width`. @default null */
  interval?: readonly [string, string] | null;
  /** Each series' history (e.g. the training part, long form): adds `mase`, scaled per series. @default null */
  insample?: ColumnTable | null;
  /** The series column of `insample`. @default "series" */
  group?: string;
  /** Seasonal period of MASE's naive scale. @default 1 */
  season?: number;
}

/** The row label of the pooled scores. */
const ALL = "(all)";

/**
 * One row per series (in order of first appearance), then "(all)" over every forecast; MASE's
 * "(all)" is the mean of the series' MASE, as Darts averages it over series.
 *
 * @example
 * import type { ColumnTable } from "arquero";
 * declare const forecasts: ColumnTable; // predictBySeries' table, or a backtest's forecasts
 * declare const trainPart: ColumnTable;
 * evaluateBySeries(forecasts, { interval: ["q10", "q90"], insample: trainPart, season: 12 }).print();
 */
export function evaluateBySeries(forecasts: ColumnTable, options: EvaluateBySeriesOptions = {}): ColumnTable {
  const names = options.metrics ?? ["mae", "rmse"];
  names.forEach((m, i) => oneOf(`metrics[${i}]`, m, METRIC_NAMES));
  const interval = options.interval ?? null;
  const insample = options.insample ?? null;
  const group = options.group ?? "series";
  const season = positiveInt("season", options.season ?? 1);
  requireColumns(forecasts, ["series", "target", "actual", "forecast", ...(interval ?? [])]);
  const g = groupRows(forecasts, "series");
  const actual = numericColumn(forecasts, "actual");
  const forecast = numericColumn(forecasts, "forecast");
  const lo = interval ? numericColumn(forecasts, interval[0]) : null;
  const hi = interval ? numericColumn(forecasts, interval[1]) : null;
  const targets = forecasts.array("target") as ArrayLike<string>;
  const history = insample === null ? null : groupRows(insample, group);

  const pick = (a: Float64Array, rows: ArrayLike<number>) => Array.from(rows, (r) => a[r] as number);
  const scoreRows = (rows: ArrayLike<number>): Record<string, number> => {
    const t = pick(actual, rows), f = pick(forecast, rows);
    const out: Record<string, number> = { n: rows.length };
    for (const m of names) {
      const metric: (yTrue: readonly number[], yPred: readonly number[]) => number = METRICS[m];
      out[m] = metric(t, f);
    }
    if (lo && hi) {
      out["coverage"] = coverage(t, pick(lo, rows), pick(hi, rows));
      out["width"] = intervalWidth(pick(lo, rows), pick(hi, rows));
    }
    return out;
  };
  const rows: Record<string, unknown>[] = g.names.map((name, k) => {
    const r = g.rows[k] as Int32Array;
    const row: Record<string, unknown> = { series: name, ...scoreRows(r) };
    if (insample !== null && history !== null) {
      const h = history.names.indexOf(name);
      if (h < 0) throw new ConfigError(`Series "${name}" has no rows in \`insample\` to scale MASE by.`);
      // One target per MASE: the forecasts' rows of each target against that target's history.
      const byTarget = [...new Set(Array.from(r, (i) => targets[i] as string))].map((target) => {
        const own = Array.from(r).filter((i) => targets[i] === target);
        const past = numericColumn(insample, target);
        return mase(pick(actual, own), pick(forecast, own), { insample: pick(past, history.rows[h] as Int32Array), m: season });
      });
      row["mase"] = byTarget.reduce((a, b) => a + b, 0) / byTarget.length;
    }
    return row;
  });
  const all: Record<string, unknown> = { series: ALL, ...scoreRows(Int32Array.from({ length: forecasts.numRows() }, (_, i) => i)) };
  if (insample !== null) all["mase"] = rows.reduce((s, r) => s + (r["mase"] as number), 0) / rows.length;
  return aq.from([...rows, all]);
}

/**
 * The baselines as backtest forecasters, so they walk the same origins as the model they are
 * compared with: persistence, seasonal naive (read from each window) and the linear
 * autoregression (least squares on the history's windows, one fit per series or one pooled).
 */
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { ConfigError } from "../errors.js";
import { bool, oneOf, positiveInt, show } from "../validate.js";
import { makeWindows, type Windows } from "../data/windows.js";
import type { BacktestContext, Forecaster, ForecasterFactory } from "./backtest.js";
import { persistence } from "./persistence.js";
import { seasonalNaive } from "./seasonal-naive.js";
import { fitLinear, type LinearBaseline } from "./linear-baseline.js";

/** The baselines backtest can run. */
export const BASELINE_FORECASTERS = ["persistence", "seasonal-naive", "linear"] as const;
/** One of {@link BASELINE_FORECASTERS}. */
export type BaselineForecasterName = (typeof BASELINE_FORECASTERS)[number];

/** Options of baselineForecaster. */
export interface BaselineForecasterOptions {
  /** Season length in rows, for "seasonal-naive". @default 12 */
  season?: number;
  /** "linear": one fit per series (true) or one pooled over every series (false). @default true */
  perSeries?: boolean;
  /** "linear": ridge penalty. @default 1e-8 */
  ridge?: number;
}

/** Where each target sits on the window's last axis; persistence and seasonal naive read it there. */
function targetIndex(w: Windows): number[] {
  return w.targets.map((t) => {
    const i = w.inputColumns.indexOf(t);
    if (i < 0) throw new ConfigError(`Target ${show(t)} is not among the window's inputs (${w.inputColumns.join(", ")}); persistence and seasonal naive read the target's history from the window.`);
    return i;
  });
}

const rowsOf = (w: Windows, keep: (i: number) => boolean): number[] => Array.from({ length: w.n }, (_, i) => i).filter(keep);

/**
 * A backtest factory for a baseline.
 * @example
 * const table = dataset("unemployment-across-industries");
 * const options = { features: ["rate"], targets: ["rate"], group: "series", lookback: 24, horizon: 12, start: -24, stride: 12 };
 * const naive = await backtest(baselineForecaster("seasonal-naive", { season: 12 }), table, options);
 * const linear = await backtest(baselineForecaster("linear"), table, { ...options, refit: "every" });
 * console.log(naive.overall, linear.overall);
 */
export function baselineForecaster(kind: BaselineForecasterName, options: BaselineForecasterOptions = {}): ForecasterFactory {
  oneOf("baseline", kind, BASELINE_FORECASTERS);
  const season = positiveInt("season", options.season ?? 12);
  const perSeries = bool("perSeries", options.perSeries ?? true);
  const ridge = options.ridge ?? 1e-8;
  if (kind === "persistence") return () => ({ forecast: (w) => persistence(w.x, { targetIndex: targetIndex(w), outputs: w.horizon * w.targets.length }) });
  if (kind === "seasonal-naive") return () => ({ forecast: (w) => seasonalNaive(w.x, season, { targetIndex: targetIndex(w), outputs: w.horizon * w.targets.length }) });
  return (history: ColumnTable, ctx: BacktestContext): Forecaster => {
    const h = makeWindows(history, ctx.windowOptions);
    const fits = new Map<string, LinearBaseline>();
    try {
      const names = perSeries && h.seriesNames.length > 0 ? h.seriesNames : [""];
      names.forEach((name, k) => {
        const pick = rowsOf(h, (i) => name === "" || h.series[i] === k);
        const idx = tf.tensor1d(pick, "int32");
        const [x, y] = [tf.gather(h.x, idx), tf.gather(h.y, idx)];
        fits.set(name, fitLinear(x, y, { ridge }));
        tf.dispose([idx, x, y]);
      });
    } finally {
      h.dispose();
    }
    return {
      forecast(w) {
        const out: number[][] = new Array<number[]>(w.n);
        const names = perSeries && w.seriesNames.length > 0 ? w.seriesNames : [""];
        names.forEach((name, k) => {
          const fit = fits.get(name);
          if (!fit) throw new ConfigError(`Series ${show(name)} had no history windows to fit the linear baseline on.`);
          const pick = rowsOf(w, (i) => name === "" || w.series[i] === k);
          const idx = tf.tensor1d(pick, "int32");
          const x = tf.gather(w.x, idx);
          fit.predict(x).forEach((row, j) => (out[pick[j] as number] = row));
          tf.dispose([idx, x]);
        });
        return out;
      },
    };
  };
}

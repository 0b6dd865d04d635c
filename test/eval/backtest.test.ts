import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { backtest, type ForecasterFactory } from "../../src/eval/backtest.js";
import { baselineForecaster } from "../../src/eval/baseline-forecaster.js";
import { fitLinear } from "../../src/eval/linear-baseline.js";
import { makeWindows } from "../../src/data/windows.js";
import { takeRows } from "../../src/data/rows.js";
import { fitGroupScaler } from "../../src/data/group-scaler.js";
import { buildSeq2Seq } from "../../src/models/build-seq2seq.js";
import { ConfigError } from "../../src/errors.js";
import { Rng } from "../../src/rng.js";

const line = aq.table({ y: Array.from({ length: 10 }, (_, i) => i) });

// Two noisy AR series of 40 rows, B interleaved with A, and a month-like covariate.
const rng = new Rng(3);
const n = 40;
const series: string[] = [], ys: number[] = [], ms: number[] = [];
const a = [1], b = [5];
for (let t = 1; t < n; t++) {
  a.push(0.8 * (a[t - 1] as number) + rng.uniform(-1, 1));
  b.push(5 + 0.5 * ((b[t - 1] as number) - 5) + rng.uniform(-1, 1));
}
for (let t = 0; t < n; t++) {
  series.push("A", "B");
  ys.push(a[t] as number, b[t] as number);
  ms.push((t % 12) + 1, (t % 12) + 1);
}
const two = aq.table({ s: series, y: ys, m: ms });

describe("backtest", () => {
  it("walks the origins of a persistence forecast as worked by hand", async () => {
    await ready();
    const bt = await backtest(baselineForecaster("persistence"), line, { features: ["y"], targets: ["y"], lookback: 2, horizon: 2, start: 4, stride: 2 });
    // origins at rows 4, 6, 8; each forecasts the last seen value (3, 5, 7) for two steps
    assert.deepEqual(bt.forecasts.array("origin"), [0, 0, 1, 1, 2, 2]);
    assert.deepEqual(Array.from(bt.forecasts.array("forecast") as ArrayLike<number>), [3, 3, 5, 5, 7, 7]);
    assert.deepEqual(Array.from(bt.forecasts.array("actual") as ArrayLike<number>), [4, 5, 6, 7, 8, 9]);
    // errors are 1 at step 1 and 2 at step 2 from every origin
    assert.deepEqual(bt.byStep.objects(), [{ step: 1, mae: 1, rmse: 1 }, { step: 2, mae: 2, rmse: 2 }]);
    assert.deepEqual(Array.from(bt.byOrigin.array("mae") as ArrayLike<number>), [1.5, 1.5, 1.5]);
    assert.equal(bt.overall["mae"], 1.5);
    assert.ok(Math.abs((bt.overall["rmse"] as number) - Math.sqrt(2.5)) < 1e-12);
  });

  it("counts a negative start from each series' end", async () => {
    const bt = await backtest(baselineForecaster("persistence"), line, { features: ["y"], targets: ["y"], lookback: 2, horizon: 2, start: -4 });
    // origins at rows 6 and 8
    assert.deepEqual(Array.from(bt.forecasts.array("actual") as ArrayLike<number>), [6, 7, 8, 9]);
  });

  it("gives the same forecasts as refitting a per-series linear baseline by hand at every origin", async () => {
    const o = { features: ["y"], targets: ["y"], futureCovariates: ["m"], group: "s", lookback: 4, horizon: 3, start: 20, stride: 3 } as const;
    const bt = await backtest(baselineForecaster("linear"), two, { ...o, futureCovariates: ["m"], refit: "every" });
    const expected: number[] = [];
    const rowsOf = (k: number, from: number, to: number) => Array.from({ length: to - from }, (_, t) => 2 * (from + t) + k);
    for (let origin = 20; origin + 3 <= n; origin += 3) {
      for (const k of [0, 1]) {
        const history = takeRows(two, rowsOf(k, 0, origin));
        const hw = makeWindows(history, { features: ["y"], targets: ["y"], futureCovariates: ["m"], lookback: 4, horizon: 3 });
        const fit = fitLinear(hw.x, hw.y);
        const w = makeWindows(takeRows(two, rowsOf(k, origin - 4, origin + 3)), { features: ["y"], targets: ["y"], futureCovariates: ["m"], lookback: 4, horizon: 3 });
        expected.push(...(fit.predict(w.x)[0] as number[]));
        hw.dispose();
        w.dispose();
      }
    }
    const got = Array.from(bt.forecasts.array("forecast") as ArrayLike<number>);
    assert.equal(got.length, expected.length);
    got.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] as number)) < 1e-9, `forecast ${i}: ${v} vs ${expected[i]}`));
    assert.deepEqual(bt.bySeries.array("series"), ["A", "B"]);
  });

  it("refits a factory at every k-th origin on all rows before that origin", async () => {
    const fits: { origin: number; rows: number }[] = [];
    const factory: ForecasterFactory = (history, ctx) => {
      fits.push({ origin: ctx.origin, rows: history.numRows() });
      return { forecast: (w) => Array.from({ length: w.n }, () => [0, 0]) };
    };
    await backtest(factory, line, { features: ["y"], targets: ["y"], lookback: 2, horizon: 2, start: 2, stride: 1, refit: 3 });
    // origins at rows 2..8 (7 origins); fits at origins 0, 3, 6 on the 2, 5 and 8 rows before them
    assert.deepEqual(fits, [{ origin: 0, rows: 2 }, { origin: 3, rows: 5 }, { origin: 6, rows: 8 }]);
  });

  it("backtests a trained model through its per-series scaler in original units", async () => {
    await ready();
    const o = { features: ["y"], targets: ["y"], futureCovariates: ["m"], group: "s", seriesInput: true, lookback: 4, horizon: 3 };
    const gs = fitGroupScaler(takeRows(two, Array.from({ length: 40 }, (_, i) => i)), ["y"], "s");
    const model = buildSeq2Seq({ lookback: 4, inputs: 2, horizon: 3, futureCovariates: 1, seriesEmbedding: { count: 2 }, quantiles: [0.1, 0.5, 0.9], seed: 2 });
    const bt = await backtest(model, two, { ...o, start: -6, scaler: gs });
    // by hand: the last 6 rows of each series are two origins; scale, predict the median level, invert per series
    const expected: number[] = [];
    for (const origin of [34, 37]) {
      const rows = [0, 1].flatMap((k) => Array.from({ length: 7 }, (_, t) => 2 * (origin - 4 + t) + k));
      const w = makeWindows(gs.transform(takeRows(two, rows)), { ...o, stride: 7 });
      const q = (model.predict([...w.inputs]) as tf.Tensor).arraySync() as number[][][];
      q.forEach((row, k) => expected.push(...gs.forSeries(k === 0 ? "A" : "B").inverseArray(row.map((levels) => levels[1] as number), ["y"])));
      w.dispose();
    }
    const got = Array.from(bt.forecasts.array("forecast") as ArrayLike<number>);
    got.forEach((v, i) => assert.ok(Math.abs(v - (expected[i] as number)) < 1e-5, `forecast ${i}: ${v} vs ${expected[i]}`));
    // actuals are the raw values
    assert.equal(bt.forecasts.get("actual", 0), ys[2 * 34]);
  });

  it("names a start before lookback rows, and refit asked of a trained model", async () => {
    await assert.rejects(
      backtest(baselineForecaster("persistence"), line, { features: ["y"], targets: ["y"], lookback: 5, horizon: 2, start: 3 }),
      (e: Error) => e instanceof ConfigError && /`start` 3 puts the first origin at row 3, before `lookback` \(5\) rows/.test(e.message),
    );
    const model = buildSeq2Seq({ lookback: 2, inputs: 1, horizon: 2, seed: 1 });
    await assert.rejects(
      backtest(model, line, { features: ["y"], targets: ["y"], lookback: 2, horizon: 2, start: 4, refit: "every" }),
      (e: Error) => e instanceof ConfigError && /`refit` "every" needs a factory/.test(e.message),
    );
  });
});

describe("backtest on stocks.csv", () => {
  it("walks the 5 symbols' last year from the same months, the shorter GOOG series included", async () => {
    const { dataset } = await import("../../src/data/datasets.js");
    const stocks = dataset("stocks");
    const bt = await backtest(baselineForecaster("persistence"), stocks, { features: ["price"], targets: ["price"], group: "symbol", timeColumn: "date", lookback: 12, horizon: 3, start: -12, stride: 3 });
    // 4 origins × 5 symbols × 3 steps; every series ends in March 2010, so the origins are the same months
    assert.equal(bt.forecasts.numRows(), 60);
    assert.deepEqual(bt.bySeries.array("series"), ["MSFT", "AMZN", "IBM", "GOOG", "AAPL"]);
    const months = [...new Set((bt.byOrigin.array("origin_time") as Date[]).map((d) => d.toISOString().slice(0, 7)))];
    assert.deepEqual(months, ["2009-04", "2009-07", "2009-10", "2010-01"]);
    // each forecast is the symbol's price in the month before its origin (read from float32 windows)
    const price = new Map<string, number>();
    for (const r of stocks.objects() as { symbol: string; date: Date; price: number }[]) price.set(`${r.symbol} ${r.date.toISOString().slice(0, 7)}`, r.price);
    for (const r of bt.forecasts.objects() as { series: string; origin_time: Date; forecast: number; actual: number; time: Date }[]) {
      const before = new Date(Date.UTC(r.origin_time.getUTCFullYear(), r.origin_time.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
      assert.equal(r.forecast, Math.fround(price.get(`${r.series} ${before}`) as number));
      assert.equal(r.actual, price.get(`${r.series} ${r.time.toISOString().slice(0, 7)}`));
    }
  });
});

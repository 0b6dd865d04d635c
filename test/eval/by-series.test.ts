import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { evaluateBySeries } from "../../src/eval/evaluate-by-series.js";
import { predictBySeries } from "../../src/eval/predict-by-series.js";
import { makeWindows } from "../../src/data/windows.js";
import { fitGroupScaler } from "../../src/data/group-scaler.js";
import { ConfigError } from "../../src/errors.js";
import { buildSeq2Seq } from "../../src/models/build-seq2seq.js";

const close = (a: unknown, b: number) => assert.ok(Math.abs((a as number) - b) < 1e-12, `${String(a)} vs ${b}`);

describe("evaluateBySeries", () => {
  it("scores each series and all of them as worked by hand", () => {
    const f = aq.table({
      series: ["A", "A", "B", "B"], target: ["y", "y", "y", "y"],
      actual: [1, 2, 3, 5], forecast: [2, 2, 3, 3], q10: [0, 1, 3.5, 2], q90: [3, 3, 4, 4],
    });
    const insample = aq.table({ s: ["A", "A", "A", "A", "B", "B", "B"], y: [1, 2, 4, 7, 0, 0, 3] });
    const t = evaluateBySeries(f, { interval: ["q10", "q90"], insample, group: "s" }).objects() as Record<string, number | string>[];
    assert.deepEqual(t.map((r) => r["series"]), ["A", "B", "(all)"]);
    // A: errors 1, 0 → MAE 0.5, RMSE √0.5; both inside [q10, q90]; width 2.5; naive scale (1 + 2 + 3) / 3 = 2 → MASE 0.25
    close(t[0]!["mae"], 0.5); close(t[0]!["rmse"], Math.sqrt(0.5)); close(t[0]!["coverage"], 1); close(t[0]!["width"], 2.5); close(t[0]!["mase"], 0.25);
    // B: errors 0, 2 → MAE 1, RMSE √2; 3 is below 3.5, 5 above 4 → coverage 0; width (0.5 + 2) / 2; scale (0 + 3) / 2 → MASE 2/3
    close(t[1]!["mae"], 1); close(t[1]!["rmse"], Math.sqrt(2)); close(t[1]!["coverage"], 0); close(t[1]!["width"], 1.25); close(t[1]!["mase"], 2 / 3);
    // all: MAE 0.75, RMSE √(5 / 4), coverage 0.5, MASE the mean of the series' (0.25 + 2/3) / 2
    close(t[2]!["mae"], 0.75); close(t[2]!["rmse"], Math.sqrt(1.25)); close(t[2]!["coverage"], 0.5); close(t[2]!["mase"], (0.25 + 2 / 3) / 2);
    assert.equal(t[2]!["n"], 4);
  });

  it("names a series missing from the insample table", () => {
    const f = aq.table({ series: ["C"], target: ["y"], actual: [1], forecast: [1] });
    assert.throws(() => evaluateBySeries(f, { insample: aq.table({ series: ["A", "A"], y: [1, 2] }) }), (e: Error) => e instanceof ConfigError && /Series "C" has no rows in `insample`/.test(e.message));
  });
});

describe("predictBySeries", () => {
  it("gives each series' forecasts and quantiles in its own original units", async () => {
    await ready();
    // A model that forecasts both steps as the last input value (persistence) at three levels: -1, +0, +1 around it.
    const input = tf.input({ shape: [2, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ units: 6, weights: [tf.tensor2d([[0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]]), tf.tensor1d([-1, 0, 1, -1, 0, 1])] });
    const out = tf.layers.reshape({ targetShape: [2, 3] }).apply(dense.apply(flat)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const table = aq.table({ s: ["A", "A", "A", "A", "B", "B", "B", "B"], y: [1, 2, 3, 4, 10, 20, 30, 40] });
    const gs = fitGroupScaler(table, ["y"], "s", "minmax");
    const w = makeWindows(gs.transform(table), { features: ["y"], targets: ["y"], lookback: 2, horizon: 2, group: "s", stride: 2 });
    const p = predictBySeries(model, w, { scaler: gs, quantiles: [0.1, 0.5, 0.9] }).objects() as Record<string, number | string>[];
    // float32 model outputs: round to 5 decimals before comparing
    const rounded = p.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 1e5) / 1e5 : v])));
    // A scales by (y - 1) / 3: last value 2 → 1/3 scaled; ±1 scaled is ±3 in A's units; B's range is 30
    assert.deepEqual(rounded, [
      { series: "A", step: 1, target: "y", actual: 3, forecast: 2, q10: -1, q50: 2, q90: 5 },
      { series: "A", step: 2, target: "y", actual: 4, forecast: 2, q10: -1, q50: 2, q90: 5 },
      { series: "B", step: 1, target: "y", actual: 30, forecast: 20, q10: -10, q50: 20, q90: 50 },
      { series: "B", step: 2, target: "y", actual: 40, forecast: 20, q10: -10, q50: 20, q90: 50 },
    ]);
    w.dispose();
  });

  it("reads the levels from the model's quantile head and forecasts its median", async () => {
    await ready();
    const table = aq.table({ s: ["A", "A", "A", "A", "B", "B", "B", "B"], y: [1, 2, 3, 4, 10, 20, 30, 40] });
    const w = makeWindows(table, { features: ["y"], targets: ["y"], lookback: 2, horizon: 2, group: "s", seriesInput: true, stride: 2 });
    const model = buildSeq2Seq({ lookback: 2, inputs: 1, horizon: 2, seriesEmbedding: { count: 2 }, quantiles: [0.25, 0.5, 0.75], seed: 3 });
    const p = predictBySeries(model, w);
    assert.deepEqual(p.columnNames(), ["series", "step", "target", "actual", "forecast", "q25", "q50", "q75"]);
    assert.deepEqual(p.array("forecast"), p.array("q50"));
    w.dispose();
  });
});

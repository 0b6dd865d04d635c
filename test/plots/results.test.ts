import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DataError, ShapeError, ConfigError } from "../../src/errors.js";
import { confusionMatrixFigure, confusionMatrixInfo } from "../../src/plots/confusion-matrix.js";
import { metricBarsFigure, metricBarsInfo } from "../../src/plots/metric-bars.js";
import { predictedVsActualFigure, predictedVsActualInfo } from "../../src/plots/predicted-vs-actual.js";
import { predictionsFigure, predictionsInfo } from "../../src/plots/predictions.js";
import { autocorrelation, residualsFigure, residualsInfo } from "../../src/plots/residuals.js";
import { rocFigure, rocInfo } from "../../src/plots/roc.js";

const close = (a: number | null | undefined, b: number, eps = 1e-12) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < eps, `${a} ≈ ${b}`);
const title = (axis: unknown) => (axis as { title: { text: string } }).title.text;

describe("predictions vs actual over time", () => {
  it("draws the band under the lines and shades the splits, from typed arrays", () => {
    const info = predictionsInfo({
      actual: new Float32Array([1, 2, 3, 4]),
      predicted: [1.5, 2, 2.5, 4],
      lower: [1, 1.5, 2, 3.5],
      upper: [2, 2.5, 3, 4.5],
      splits: [{ name: "val", from: 2, to: 4 }],
    }, { yTitle: "Temperature (°C)" });
    assert.deepEqual(info.actual, [1, 2, 3, 4]);
    assert.deepEqual(info.splits, [{ name: "val", x0: 2, x1: 3 }]);
    const f = predictionsFigure(info);
    assert.deepEqual(f.data.map((d) => d.name), ["ensemble spread (upper)", "ensemble spread", "actual", "predicted"]);
    assert.equal(f.data[1]!["fill"], "tonexty");
    assert.ok(f.data.every((d) => (d["y"] as number[]).length === 4));
    assert.equal(title(f.layout["yaxis"]), "Temperature (°C)");
    assert.equal((f.layout["shapes"] as { fillcolor: string }[])[0]!.fillcolor, "rgba(230, 159, 0, 0.10)");
  });

  it("names the argument that is too short or not finite, and needs both band edges", () => {
    assert.throws(() => predictionsInfo({ actual: [1, 2], predicted: [1] }), (e: unknown) => e instanceof ShapeError && /`predicted` has 1/.test(e.message));
    assert.throws(() => predictionsInfo({ actual: [1, NaN], predicted: [1, 2] }), (e: unknown) => e instanceof DataError && /`actual`.*index 1/.test(e.message));
    assert.throws(() => predictionsInfo({ actual: [1], predicted: [1], lower: [0] }), ShapeError);
  });
});

describe("predicted vs actual scatter", () => {
  it("computes R², MAE and RMSE by hand", () => {
    // SS_res = 1, SS_tot = 5 (mean 2.5) → R² = 0.8; MAE 1/4; RMSE sqrt(1/4)
    const info = predictedVsActualInfo([1, 2, 3, 4], [1, 2, 3, 5], { unit: "°C" });
    close(info.r2, 0.8);
    close(info.mae, 0.25);
    close(info.rmse, 0.5);
    assert.deepEqual(info.range, [1, 5]);
    const f = predictedVsActualFigure(info);
    assert.deepEqual(f.data.map((d) => [d.type, d["mode"]]), [["scatter", "markers"], ["scatter", "lines"]]);
    assert.equal(title(f.layout["xaxis"]), "Actual (°C)");
    assert.equal(title(f.layout["yaxis"]), "Predicted (°C)");
    assert.ok(f.layout.title!.text.includes("R² = 0.800"));
  });
});

describe("residuals", () => {
  it("computes the autocorrelation of 1..5 at lags 1..4 by hand", () => {
    // deviations -2..2, Σd² = 10: r1 = 4/10, r2 = -1/10, r3 = -4/10, r4 = -4/10
    const r = autocorrelation([1, 2, 3, 4, 5], 4);
    [0.4, -0.1, -0.4, -0.4].forEach((v, i) => close(r[i], v));
  });

  it("gives residuals as actual − predicted with a 1.96/√n bound and three panels", () => {
    const info = residualsInfo([1, 2, 3, 4], [0, 2, 4, 4], { lags: 2, bins: 3, unit: "kWh" });
    assert.deepEqual(info.residuals, [1, 0, -1, 0]);
    close(info.mean, 0);
    close(info.std, Math.sqrt(0.5));
    close(info.bound, 0.98);
    // d = [1, 0, -1, 0], Σd² = 2: r1 = (0 + 0 + 0)/2 = 0, r2 = (1·-1 + 0·0)/2 = -0.5
    close(info.acf.values[0], 0);
    close(info.acf.values[1], -0.5);
    const f = residualsFigure(info);
    assert.deepEqual(f.data.map((d) => [d.type, d["xaxis"] ?? "x"]), [["scatter", "x"], ["bar", "x2"], ["bar", "x3"], ["scatter", "x3"]]);
    assert.equal(title(f.layout["yaxis"]), "Residual (kWh)");
    assert.equal(title(f.layout["xaxis3"]), "Lag (steps)");
    assert.equal(title(f.layout["yaxis3"]), "Autocorrelation");
    assert.throws(() => residualsInfo([1, 2, 3], [1, 2, 3], { lags: 5 }), (e: unknown) => e instanceof DataError && /lags/.test(e.message));
  });
});

describe("metric bars", () => {
  it("picks the lowest error and the highest R² as best, baselines grey", () => {
    const info = metricBarsInfo([
      { name: "LSTM", metrics: { mae: 0.8, r2: 0.7 } },
      { name: "GRU", metrics: { mae: 0.7, r2: 0.6 } },
      { name: "naive", metrics: { mae: 1.1, r2: 0.1 }, baseline: true },
    ]);
    assert.deepEqual(info.best, [1, 0]);
    assert.deepEqual(info.values, [[0.8, 0.7, 1.1], [0.7, 0.6, 0.1]]);
    const f = metricBarsFigure(info);
    assert.equal(f.data.length, 2);
    assert.deepEqual((f.data[0]!["marker"] as { color: string[] }).color[2], "#b0b0b0");
    assert.equal(title(f.layout["xaxis2"]), "r2");
    assert.throws(() => metricBarsInfo([{ name: "a", metrics: { mae: 1 } }], { metrics: ["rmse"] }), (e: unknown) => e instanceof DataError && /"rmse"/.test(e.message));
    assert.throws(() => metricBarsInfo([]), ConfigError);
  });
});

describe("confusion matrix", () => {
  it("normalises rows like sklearn's normalize='true' and reports accuracy", () => {
    const info = confusionMatrixInfo([[5, 1], [2, 2]], ["ham", "spam"]);
    assert.deepEqual(info.z, [[5 / 6, 1 / 6], [0.5, 0.5]]);
    close(info.accuracy, 0.7);
    assert.deepEqual(confusionMatrixInfo([[5, 1], [2, 2]], ["a", "b"], { normalize: "pred" }).z, [[5 / 7, 1 / 3], [2 / 7, 2 / 3]]);
    const f = confusionMatrixFigure(info);
    assert.equal(f.data[0]!.type, "heatmap");
    assert.deepEqual((f.data[0]!["text"] as string[][])[0], ["5<br>83.3%", "1<br>16.7%"]);
    assert.equal(title(f.layout["xaxis"]), "Predicted class");
    assert.equal(title(f.layout["yaxis"]), "Actual class");
    assert.throws(() => confusionMatrixInfo([[1, 2]], ["a", "b"]), ShapeError);
  });
});

describe("ROC curve", () => {
  it("matches sklearn's roc_curve on its documented example", () => {
    // sklearn: fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1], thresholds [inf, .8, .4, .35, .1], AUC .75
    const info = rocInfo([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    assert.deepEqual(info.fpr, [0, 0, 0.5, 0.5, 1]);
    assert.deepEqual(info.tpr, [0, 0.5, 0.5, 1, 1]);
    assert.deepEqual(info.thresholds, [Infinity, 0.8, 0.4, 0.35, 0.1]);
    close(info.auc, 0.75);
  });

  it("treats tied scores as one threshold (AUC 0.5 for all-equal scores)", () => {
    const info = rocInfo([0.5, 0.5, 0.5, 0.5], [true, false, true, false]);
    assert.deepEqual(info.fpr, [0, 1]);
    assert.deepEqual(info.tpr, [0, 1]);
    close(info.auc, 0.5);
    const f = rocFigure(info);
    assert.deepEqual(f.data.map((d) => (d["x"] as number[]).length), [2, 2]);
    assert.equal(title(f.layout["xaxis"]), "False positive rate");
    assert.throws(() => rocInfo([0.1, 0.2], [1, 1]), (e: unknown) => e instanceof DataError && /0 negatives/.test(e.message));
    assert.throws(() => rocInfo([0.1], [2]), DataError);
  });
});

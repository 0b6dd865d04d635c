/** Small sample figures covering every builder, for the browser test and the bench. */
import { attentionFigure, attentionInfo } from "../../src/plots/attention.js";
import { confusionMatrixFigure, confusionMatrixInfo } from "../../src/plots/confusion-matrix.js";
import { correlationFigure, correlationInfo } from "../../src/plots/correlation.js";
import type { Figure } from "../../src/plots/figure.js";
import { gradNormsFigure, gradNormsInfo } from "../../src/plots/grad-norms.js";
import { histogramsFigure, histogramsInfo } from "../../src/plots/histograms.js";
import { intermediateValuesFigure, intermediateValuesInfo } from "../../src/plots/intermediate-values.js";
import { lossCurveFigure, lossCurveInfo } from "../../src/plots/loss-curve.js";
import { lrScheduleFigure, lrScheduleInfo } from "../../src/plots/lr-schedule.js";
import { metricBarsFigure, metricBarsInfo } from "../../src/plots/metric-bars.js";
import { missingFigure, missingInfo } from "../../src/plots/missing.js";
import { optimizationHistoryFigure, optimizationHistoryInfo } from "../../src/plots/optimization-history.js";
import { parallelCoordinatesFigure, parallelCoordinatesInfo } from "../../src/plots/parallel-coordinates.js";
import { paramImportanceFigure, paramImportanceInfo } from "../../src/plots/param-importance.js";
import { predictedVsActualFigure, predictedVsActualInfo } from "../../src/plots/predicted-vs-actual.js";
import { predictionsFigure, predictionsInfo } from "../../src/plots/predictions.js";
import { residualsFigure, residualsInfo } from "../../src/plots/residuals.js";
import { rocFigure, rocInfo } from "../../src/plots/roc.js";
import { seriesFigure, seriesInfo } from "../../src/plots/series.js";
import { sliceFigure, sliceInfo } from "../../src/plots/slice.js";
import { weightHistogramsFigure, weightHistogramsInfo } from "../../src/plots/weight-histograms.js";
import { Rng } from "../../src/rng.js";
import { emptyHistory } from "../../src/training/history.js";
import type { History } from "../../src/training/history.js";
import type { FrozenTrial, StudyData } from "../../src/tuning/frozen-trial.js";
import { tableOf } from "./table-fixture.js";

export function sampleHistory(): History {
  const h = emptyHistory();
  for (let e = 0; e < 12; e++) {
    h.epoch.push(e);
    h.lr.push(e < 6 ? 1e-2 : 1e-3);
    h.seconds.push(1);
    h.gradNorm.push(1 / (e + 1));
  }
  h.metrics["loss"] = h.epoch.map((e) => 1 / (e + 1));
  h.metrics["val_loss"] = h.epoch.map((e) => 1.2 / (e + 1) + 0.01 * e);
  h.layerGradNorms = { lstm: h.epoch.map((e) => 10 ** (-e / 2)), dense: h.epoch.map((e) => 2 + e * 20) };
  return h;
}

export function sampleStudy(n = 30): StudyData {
  const rng = new Rng(3);
  const trials: FrozenTrial[] = Array.from({ length: n }, (_, i) => {
    const lr = 10 ** rng.uniform(-4, -1);
    const units = rng.int(8, 64);
    const cell = rng.choice(["lstm", "gru"]);
    const value = (Math.log10(lr) + 2.5) ** 2 + 0.1 * rng.next();
    const pruned = i % 5 === 4;
    const intermediate: Record<number, number> = {};
    for (let s = 0; s < (pruned ? 3 : 8); s++) intermediate[s] = value + 1 / (s + 1);
    return {
      number: i,
      state: pruned ? "pruned" : "complete",
      params: { lr, units, cell },
      distributions: {
        lr: { kind: "float", low: 1e-4, high: 1e-1, log: true },
        units: { kind: "int", low: 8, high: 64 },
        cell: { kind: "categorical", choices: ["lstm", "gru"] },
      },
      value,
      intermediate,
      start: "2026-01-01T00:00:00Z",
      end: null,
      error: null,
      userAttrs: {},
    };
  });
  return { name: "demo", direction: "minimize", trials };
}

/** One figure of every kind, from small synthetic inputs. */
export function sampleFigures(n = 200): Figure[] {
  const rng = new Rng(1);
  const t = Array.from({ length: n }, (_, i) => i);
  const actual = t.map((i) => Math.sin(i / 10) + 0.1 * rng.normal());
  const predicted = t.map((i) => Math.sin(i / 10));
  const dates = t.map((i) => new Date(Date.UTC(2024, 0, 1) + i * 3600_000));
  const table = tableOf({
    time: dates,
    temp: actual.map((v, i) => (i % 17 === 3 ? null : 20 + 5 * v)),
    wind: t.map(() => rng.uniform(0, 10)),
    pressure: t.map((i) => 1000 + i / 10 + rng.normal()),
  });
  const splits = [
    { name: "train", from: 0, to: Math.floor(n * 0.7) },
    { name: "val", from: Math.floor(n * 0.7), to: Math.floor(n * 0.85) },
    { name: "test", from: Math.floor(n * 0.85), to: n },
  ];
  const study = sampleStudy();
  const h = sampleHistory();
  const scores = t.map(() => rng.next());
  const labels = scores.map((s) => (rng.next() < s ? 1 : 0));
  return [
    seriesFigure(seriesInfo(table, { time: "time", splits, yTitle: "Value (mixed units)" })),
    correlationFigure(correlationInfo(table)),
    missingFigure(missingInfo(table)),
    histogramsFigure(histogramsInfo(table)),
    lossCurveFigure(lossCurveInfo(h)),
    gradNormsFigure(gradNormsInfo(h)),
    weightHistogramsFigure(weightHistogramsInfo({ "lstm/kernel": t.map(() => rng.normal(0, 0.1)), "dense/kernel": t.map(() => rng.uniform(-1, 1)) })),
    lrScheduleFigure(lrScheduleInfo((e) => 1e-2 * 0.5 ** Math.floor(e / 10), { steps: 60 })),
    predictionsFigure(predictionsInfo({ times: dates, actual, predicted, lower: predicted.map((v) => v - 0.2), upper: predicted.map((v) => v + 0.2), splits }, { yTitle: "Temperature (°C)" })),
    predictedVsActualFigure(predictedVsActualInfo(actual, predicted, { unit: "°C" })),
    residualsFigure(residualsInfo(actual, predicted, { times: dates, lags: 24, unit: "°C" })),
    metricBarsFigure(metricBarsInfo([
      { name: "LSTM", metrics: { mae: 0.08, rmse: 0.1, r2: 0.9 } },
      { name: "GRU", metrics: { mae: 0.09, rmse: 0.11, r2: 0.88 } },
      { name: "naive", metrics: { mae: 0.2, rmse: 0.25, r2: 0.5 }, baseline: true },
    ])),
    confusionMatrixFigure(confusionMatrixInfo([[50, 3, 2], [7, 40, 1], [2, 2, 30]], ["ham", "spam", "phish"])),
    rocFigure(rocInfo(scores, labels)),
    optimizationHistoryFigure(optimizationHistoryInfo(study)),
    parallelCoordinatesFigure(parallelCoordinatesInfo(study)),
    sliceFigure(sliceInfo(study)),
    paramImportanceFigure(paramImportanceInfo(study)),
    intermediateValuesFigure(intermediateValuesInfo(study)),
    attentionFigure(attentionInfo(Array.from({ length: 4 }, () => { const r = t.slice(0, 12).map(() => rng.next()); const s = r.reduce((a, b) => a + b, 0); return r.map((v) => v / s); }))),
    attentionFigure(attentionInfo([[0.6, 0.2, 0.2], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4]], { keys: ["the", "cat", "sat"], title: "Self-attention over tokens" })),
  ];
}

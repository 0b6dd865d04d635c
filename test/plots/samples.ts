/** Small sample figures covering every builder, for the browser test and the bench. */
import type { Figure } from "../../src/plots/figure.js";
import { lossCurveFigure, lossCurveInfo } from "../../src/plots/loss-curve.js";
import { emptyHistory } from "../../src/training/history.js";

export function sampleHistory() {
  const h = emptyHistory();
  for (let e = 0; e < 12; e++) {
    h.epoch.push(e);
    h.lr.push(e < 6 ? 1e-2 : 1e-3);
    h.seconds.push(1);
    h.gradNorm.push(1 / (e + 1));
  }
  h.metrics["loss"] = h.epoch.map((e) => 1 / (e + 1));
  h.metrics["val_loss"] = h.epoch.map((e) => 1.2 / (e + 1) + 0.01 * e);
  h.layerGradNorms = { lstm: h.epoch.map((e) => 10 ** (-e / 2)), dense: h.epoch.map((e) => 2 + e) };
  return h;
}

export function sampleFigures(): Figure[] {
  return [lossCurveFigure(lossCurveInfo(sampleHistory()))];
}

/**
 * Plot benchmark: how long figures take to build and to turn into a display bundle, against the
 * floor of what any implementation must do (JSON-serialise the data; sort the scores), run side
 * by side in the same process. Also the size and cost of the once-per-session inline plotly.js.
 * Run: node --import tsx bench/plots.ts [points]   (numbers are noisy while other work runs)
 */
import { figureBundle } from "../src/plots/display.js";
import { plotlySourceForScript } from "../src/plots/html.js";
import { predictionsFigure, predictionsInfo } from "../src/plots/predictions.js";
import { residualsInfo } from "../src/plots/residuals.js";
import { rocInfo } from "../src/plots/roc.js";
import { lossCurveFigure, lossCurveInfo } from "../src/plots/loss-curve.js";
import { emptyHistory } from "../src/training/history.js";
import { Rng } from "../src/rng.js";

const N = Number(process.argv[2] ?? 200_000);
const rng = new Rng(42);

// The one-time cost: reading and escaping plotly.js (once per process, before the first figure).
const coldStart = process.hrtime.bigint();
plotlySourceForScript();
const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;

function time(fn: () => unknown, reps = 5): number {
  fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const s = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  return t.sort((a, b) => a - b)[Math.floor(reps / 2)] as number;
}

const rows: [string, number, number | null, string][] = [];
const add = (name: string, ms: number, baseMs: number | null, note = "") => rows.push([name, ms, baseMs, note]);

const actual = new Float64Array(N).map((_, i) => Math.sin(i / 50) + 0.1 * rng.normal());
const predicted = new Float64Array(N).map((_, i) => Math.sin(i / 50));
const lower = predicted.map((v) => v - 0.2);
const upper = predicted.map((v) => v + 0.2);

// 1. Predictions figure with a band: info + figure, and the bundle (whose HTML script carries the
//    data as JSON), vs serialising the four arrays once.
const raw = { a: Array.from(actual), p: Array.from(predicted), l: Array.from(lower), u: Array.from(upper) };
const floor = time(() => JSON.stringify(raw));
const build = time(() => predictionsFigure(predictionsInfo({ actual, predicted, lower, upper })));
const fig = predictionsFigure(predictionsInfo({ actual, predicted, lower, upper }));
const bundle = time(() => figureBundle(fig, { divId: "d" }));
add(`predictions info+figure (${N} points, band)`, build, floor, "vs JSON.stringify of the data");
add(`predictions bundle (JSON + HTML + text)`, bundle, floor, `HTML ${((figureBundle(fig, { divId: "d" })["text/html"] as string).length / 1e6).toFixed(1)} MB`);

// 2. ROC: distinct-threshold sweep vs the sort it needs anyway.
const scores = Array.from({ length: N }, () => rng.next());
const labels = scores.map((s) => (rng.next() < s ? 1 : 0));
const sortOnly = time(() => scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number)));
add(`rocInfo (${N} scores)`, time(() => rocInfo(scores, labels)), sortOnly, "vs sorting the indices by score");

// 3. Residual diagnostics (40-lag ACF, histogram) vs one pass computing the residuals.
const resFloor = time(() => Array.from(actual, (v, i) => v - (predicted[i] as number)));
add(`residualsInfo (${N} points, 40 lags)`, time(() => residualsInfo(actual, predicted, { lags: 40 })), resFloor, "vs computing actual − predicted");

// 4. Inline plotly.js: first figure of a session vs the next ones (small loss curve).
const h = emptyHistory();
for (let e = 0; e < 50; e++) {
  h.epoch.push(e);
  h.lr.push(1e-3);
}
h.metrics["loss"] = h.epoch.map((e) => 1 / (e + 1));
h.metrics["val_loss"] = h.epoch.map((e) => 1.1 / (e + 1));
const loss = lossCurveFigure(lossCurveInfo(h));
const later = time(() => figureBundle(loss, { divId: "x" }), 21);
const first = time(() => figureBundle(loss, { divId: "x", inlinePlotly: true }), 21);
const firstSize = (figureBundle(loss, { divId: "x", inlinePlotly: true })["text/html"] as string).length;
const laterSize = (figureBundle(loss, { divId: "x" })["text/html"] as string).length;
add("loss-curve bundle, first of session (plotly.js inline)", first, later, `${(firstSize / 1e6).toFixed(2)} MB vs ${(laterSize / 1e3).toFixed(1)} kB`);

add("read + escape plotly.js (once per process)", coldMs, null, "");
console.log(`plots bench, ${N} points (median of 5; ratio = this / baseline in the same process)`);
console.log("case".padEnd(58) + "ms".padStart(10) + "baseline ms".padStart(14) + "ratio".padStart(9) + "  note");
for (const [name, ms, base, note] of rows) {
  console.log(name.padEnd(58) + ms.toFixed(2).padStart(10) + (base === null ? "" : base.toFixed(2)).padStart(14) + (base === null ? "" : (ms / base).toFixed(2)).padStart(9) + "  " + note);
}

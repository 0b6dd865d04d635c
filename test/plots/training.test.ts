import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError, DataError, ShapeError } from "../../src/errors.js";
import { PLOTLY_MIME } from "../../src/plots/display.js";
import type { Figure } from "../../src/plots/figure.js";
import { gradNormsFigure, gradNormsInfo } from "../../src/plots/grad-norms.js";
import { liveLossPlot } from "../../src/plots/live-loss-plot.js";
import { lossCurveFigure, lossCurveInfo } from "../../src/plots/loss-curve.js";
import { lrScheduleFigure, lrScheduleInfo } from "../../src/plots/lr-schedule.js";
import { layerWeights, weightHistogramsFigure, weightHistogramsInfo } from "../../src/plots/weight-histograms.js";
import type { TrainContext } from "../../src/training/callback.js";
import { emptyHistory } from "../../src/training/history.js";
import { FakeHost, withFakeHost } from "./fake-host.js";

const title = (axis: unknown) => (axis as { title: { text: string } }).title.text;

function history() {
  const h = emptyHistory();
  h.epoch = [0, 1, 2, 3];
  h.metrics = { loss: [1, 0.5, 0.4, 0.35], val_loss: [1.1, 0.6, 0.7, 0.65], val_acc: [0.5, 0.7, 0.9, 0.8] };
  h.lr = [1e-2, 1e-2, 1e-3, 1e-3];
  h.gradNorm = [3, 2, 1, 0.5];
  h.layerGradNorms = { lstm: [1e-3, 1e-5, 1e-6, 1e-7], dense: [5, 50, 500, 1000], ok: [1, 1, 1, 0] };
  return h;
}

describe("loss curve", () => {
  it("takes loss and val_loss, marks the lowest val_loss and puts a decade-spanning LR on a log second axis", () => {
    const info = lossCurveInfo(history());
    assert.deepEqual(info.series.map((s) => s.key), ["loss", "val_loss"]);
    assert.deepEqual(info.best, { key: "val_loss", epoch: 1, value: 0.6 });
    assert.equal(info.lrLog, true);
    const f = lossCurveFigure(info);
    assert.deepEqual(f.data.map((d) => d.name), ["loss", "val_loss", "best val_loss (epoch 1)", "learning rate"]);
    assert.equal(f.data[3]!["yaxis"], "y2");
    assert.equal((f.layout["yaxis2"] as { type: string; overlaying: string }).type, "log");
    assert.equal((f.layout["yaxis2"] as { overlaying: string }).overlaying, "y");
    assert.equal(title(f.layout["xaxis"]), "Epoch");
    assert.equal(title(f.layout["yaxis"]), "Loss");
    assert.equal(title(f.layout["yaxis2"]), "Learning rate");
    assert.ok(String(f.data[0]!["hovertemplate"]).includes("%{y"));
  });

  it("marks the highest value for accuracy-like monitors", () => {
    assert.deepEqual(lossCurveInfo(history(), { keys: ["val_acc"], monitor: "val_acc" }).best, { key: "val_acc", epoch: 2, value: 0.9 });
  });

  it("names a missing key and the keys that were logged", () => {
    assert.throws(() => lossCurveInfo(history(), { keys: ["mae"] }), (e: unknown) => e instanceof DataError && /"mae"/.test(e.message) && /val_loss/.test(e.message));
    const h = history();
    h.metrics["loss"] = [1, 2];
    assert.throws(() => lossCurveInfo(h), ShapeError);
  });
});

describe("liveLossPlot", () => {
  it("updates one output in place each epoch and flushes the last epoch at the end", async () => {
    let t = 0;
    const host = new FakeHost();
    const cb = liveLossPlot({ minIntervalMs: 100, now: () => t });
    const ctx = {} as TrainContext;
    await withFakeHost(() => {
      cb.onTrainBegin(ctx);
      cb.onEpochEnd(ctx, 0, { loss: 1, val_loss: 1.2, lr: 0.01 }); // t=0 shown
      t = 50;
      cb.onEpochEnd(ctx, 1, { loss: 0.5, val_loss: 0.9, lr: 0.01 }); // throttled
      t = 60;
      cb.onEpochEnd(ctx, 2, { loss: 0.25, val_loss: 0.8, lr: 0.001 }); // throttled
      cb.onTrainEnd(ctx); // flush epoch 2
    }, host);
    assert.equal(host.calls.length, 2);
    const id = host.calls[0]!.options.displayId;
    assert.ok(id);
    assert.deepEqual(host.calls.map((c) => c.options), [
      { displayId: id, update: false },
      { displayId: id, update: true },
    ]);
    const last = host.calls[1]!.data[PLOTLY_MIME] as Figure;
    assert.deepEqual(last.data[0]!["y"], [1, 0.5, 0.25]);
    assert.deepEqual(last.data[1]!["y"], [1.2, 0.9, 0.8]);
    assert.deepEqual(cb.history.lr, [0.01, 0.01, 0.001]);
  });

  it("starts a new output for each run", async () => {
    const cb = liveLossPlot({ minIntervalMs: 0 });
    const ctx = {} as TrainContext;
    const host = await withFakeHost(() => {
      cb.onTrainBegin(ctx);
      cb.onEpochEnd(ctx, 0, { loss: 1 });
      cb.onTrainBegin(ctx);
      cb.onEpochEnd(ctx, 0, { loss: 2 });
    });
    assert.notEqual(host.calls[0]!.options.displayId, host.calls[1]!.options.displayId);
    assert.equal(host.calls[1]!.options.update, false);
  });
});

describe("gradient norms", () => {
  it("flags layers ending in the vanishing or exploding band and draws bands on a log axis", () => {
    const info = gradNormsInfo(history());
    assert.deepEqual(info.flagged, [
      { layer: "lstm", kind: "vanishing", value: 1e-7 },
      { layer: "dense", kind: "exploding", value: 1000 },
    ]);
    // A zero norm cannot sit on a log axis: it becomes a gap.
    assert.deepEqual(info.layers[2]!.values, [1, 1, 1, null]);
    const f = gradNormsFigure(info);
    assert.equal((f.layout["yaxis"] as { type: string }).type, "log");
    assert.deepEqual(f.data.map((d) => d.name), ["vanishing (< 1e-5)", "exploding (> 1e+2)", "lstm", "dense", "ok", "global"]);
    assert.equal(f.data[0]!["fill"], "toself");
    assert.ok(f.layout.title!.text.includes("lstm vanishing"));
    assert.equal(title(f.layout["yaxis"]), "Gradient L2 norm (log scale)");
  });

  it("rejects thresholds in the wrong order and histories without norms", () => {
    assert.throws(() => gradNormsInfo(history(), { vanishing: 10, exploding: 1 }), ConfigError);
    assert.throws(() => gradNormsInfo(emptyHistory()), DataError);
  });
});

describe("LR schedule preview", () => {
  it("evaluates a step-decay schedule and uses a log axis when it spans a decade", () => {
    const info = lrScheduleInfo((e) => 0.1 * 0.1 ** Math.floor(e / 2), { steps: 5 });
    assert.deepEqual(info.x, [0, 1, 2, 3, 4]);
    info.lr.forEach((v, i) => assert.ok(Math.abs(v - [0.1, 0.1, 0.01, 0.01, 0.001][i]!) < 1e-15));
    assert.equal(info.log, true);
    const f = lrScheduleFigure(info);
    assert.equal((f.data[0]!["line"] as { shape: string }).shape, "hv");
    assert.equal(title(f.layout["xaxis"]), "Epoch");
    assert.throws(() => lrScheduleInfo(() => NaN, { steps: 3 }), (e: unknown) => e instanceof ConfigError && /epoch 0/.test(e.message));
  });
});

describe("weight histograms", () => {
  it("bins each weight tensor of a model and leaves no tensor behind", async () => {
    await ready();
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], name: "d1" })] });
    model.layers[0]!.setWeights([tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([0, 0])]);
    const before = tf.memory().numTensors;
    const w = layerWeights(model);
    assert.deepEqual(Object.keys(w).sort(), ["d1/bias", "d1/kernel"]);
    assert.deepEqual(Array.from(w["d1/kernel"]!), [1, 2, 3, 4, 5, 6]);
    const info = weightHistogramsInfo(model, { bins: 3, filter: /kernel/ });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(info.panels.length, 1);
    assert.deepEqual(info.panels[0]!.counts, [2, 2, 2]);
    // mean 3.5, population std sqrt(35/12) ≈ 1.7
    assert.ok(info.panels[0]!.name.includes("μ=3.5") && info.panels[0]!.name.includes("σ=1.7"));
    const f = weightHistogramsFigure(info);
    assert.equal(f.data[0]!.type, "bar");
    assert.equal((f.data[0]!["y"] as number[]).length, 3);
    model.dispose();
    assert.throws(() => weightHistogramsInfo({ a: [1] }, { filter: /zzz/ }), (e: unknown) => e instanceof ConfigError && /zzz/.test(e.message));
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError } from "../../src/errors.js";
import { buildModel } from "../../src/models/build-model.js";
import { lrFinderFigure, lrFinderInfo } from "../../src/plots/lr-finder.js";
import { findLearningRate, suggestRates } from "../../src/training/lr-finder.js";
import { regressionData, tinyMlp } from "./helpers.js";

const bits = (m: tf.LayersModel) => m.weights.map((w) => Array.from(new Uint32Array(Float32Array.from(w.read().dataSync()).buffer)));

describe("findLearningRate", () => {
  before(async () => {
    await ready();
  });

  it("restores every weight of an LSTM with dropout bit for bit, and its predictions with them", async () => {
    const model = buildModel({ inputShape: [5, 3], units: [6], dropout: 0.2, recurrentDropout: 0.1, outputs: 2, seed: 4 });
    const x = tf.randomNormal([64, 5, 3], 0, 1, "float32", 7);
    const y = tf.randomNormal([64, 2], 0, 1, "float32", 8);
    const before = bits(model);
    const predBefore = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const r = await findLearningRate(model, { x, y }, { min: 1e-4, max: 1, steps: 12, batchSize: 16, seed: 1 });
    assert.equal(r.lr.length, 12);
    assert.deepEqual(bits(model), before);
    assert.deepEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()), predBefore);
    tf.dispose([x, y]);
  });

  it("sweeps exponentially from min to max, one batch per rate, cycling through the data", async () => {
    const model = tinyMlp(3);
    const d = regressionData(40);
    // 40 rows in batches of 16 give 3 batches per pass; 10 steps need 4 passes.
    const r = await findLearningRate(model, d, { min: 1e-3, max: 1e-1, steps: 10, batchSize: 16, seed: 2, optimizer: "sgd" });
    assert.equal(r.stoppedBy, "max");
    assert.equal(r.lr.length, 10);
    r.lr.forEach((lr, i) => assert.ok(Math.abs(lr / (1e-3 * 100 ** (i / 9)) - 1) < 1e-12, `lr[${i}] ${lr}`));
    // Smoothing as fastai: avg_i = 0.98 avg_{i-1} + 0.02 loss_i, smoothed_i = avg_i / (1 − 0.98^(i+1)).
    let avg = 0;
    r.loss.forEach((l, i) => {
      avg = 0.98 * avg + 0.02 * l;
      assert.ok(Math.abs((r.smoothed[i] as number) - avg / (1 - 0.98 ** (i + 1))) < 1e-12);
    });
    assert.ok(Math.abs((r.smoothed[0] as number) - (r.loss[0] as number)) < 1e-12, "the first smoothed loss is the first loss");
    tf.dispose([d.x, d.y]);
  });

  it("stops once the smoothed loss passes divergeFactor times its best", async () => {
    const model = tinyMlp(5);
    const d = regressionData(64);
    const r = await findLearningRate(model, d, { min: 1e-2, max: 1e4, steps: 60, batchSize: 8, seed: 3, optimizer: "sgd", smoothing: 0 });
    assert.equal(r.stoppedBy, "diverged");
    assert.ok(r.lr.length < 60, `${r.lr.length} points`);
    const last = r.smoothed.at(-1) as number;
    const best = Math.min(...r.smoothed.slice(0, -1));
    assert.ok(!Number.isFinite(last) || last > 4 * best, `last ${last}, best ${best}`);
    tf.dispose([d.x, d.y]);
  });

  it("suggests the rate of steepest descent and the minimum's rate over 10, as worked by hand", () => {
    // 20 rates 10^-6 .. 10^-0.3 (log steps equal). fastai reads points 2..14: the first tenth (0-1) and
    // the last 5 (15-19) are left out, so neither the drop 9 → 1 at the start nor the 0 at point 15 counts.
    // Inside, the loss falls fastest from point 8 to 9 (4 → 2) and is lowest at point 13 (1.4).
    const lr = Array.from({ length: 20 }, (_, i) => 10 ** (-6 + 0.3 * i));
    const loss = [9, 1, 5, 4.9, 4.8, 4.6, 4.4, 4.2, 4, 2, 1.8, 1.6, 1.5, 1.4, 1.6, 0, 3, 6, 9, 12];
    const s = suggestRates(lr, loss);
    assert.equal(s.steepest, lr[8]);
    assert.equal(s.minimum, (lr[13] as number) / 10);
    // A curve too short for the window is read whole: 4 points, steepest 0.9 → 0.5, lowest 0.5.
    assert.deepEqual(suggestRates([1e-4, 1e-3, 1e-2, 1e-1], [1, 0.9, 0.5, 2]), { steepest: 1e-3, minimum: 1e-3 });
  });

  it("refuses a sweep with min not below max or fewer than 2 steps, naming the values", async () => {
    const model = tinyMlp(1);
    const d = regressionData(8);
    await assert.rejects(findLearningRate(model, d, { min: 1, max: 0.1 }), (e: Error) => e instanceof ConfigError && /got min 1 and max 0.1/.test(e.message));
    await assert.rejects(findLearningRate(model, d, { steps: 1 }), (e: Error) => e instanceof ConfigError && /`steps` must be at least 2, got 1/.test(e.message));
    tf.dispose([d.x, d.y]);
  });

  it("plots the smoothed curve on a log axis with both suggestions marked", () => {
    const lr = [1e-4, 1e-3, 1e-2, 1e-1];
    const r = { lr, loss: [1, 0.8, 0.3, 2], smoothed: [1, 0.9, 0.5, 1.5], suggested: 1e-3, steepest: 1e-3, minimum: 1e-3, stoppedBy: "max" as const };
    const info = lrFinderInfo(r);
    assert.deepEqual(info.marks, [
      { label: "steepest", lr: 1e-3, loss: 0.9 },
      { label: "minimum / 10", lr: 1e-3, loss: 0.9 },
    ]);
    const fig = lrFinderFigure(info);
    assert.equal((fig.layout["xaxis"] as { type: string }).type, "log");
    assert.deepEqual(fig.data.map((t) => t.name), ["batch loss", "smoothed loss", "steepest: 1.0e-3", "minimum / 10: 1.0e-3"]);
    assert.deepEqual(fig.data[1]?.["y"], [1, 0.9, 0.5, 1.5]);
    assert.equal(lrFinderFigure(lrFinderInfo(r, { raw: false })).data.length, 3);
  });
});

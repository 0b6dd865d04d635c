import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { TrainStep } from "../../src/training/train-step.js";
import { Optimizer } from "../../src/training/optimizer.js";
import { resolveLoss } from "../../src/training/loss.js";
import { ConfigError } from "../../src/errors.js";
import { linear, weightsOf } from "./helpers.js";

describe("TrainStep", () => {
  before(async () => {
    await ready();
  });

  it("takes one SGD step by hand: loss, gradient norm and the new weights worked out on paper", () => {
    // y = w·x + b with w = [0.5, -0.25], b = 0.1; x = [[1, 2], [3, -1]], targets [1, -1].
    // ŷ = [0.5 - 0.5 + 0.1, 1.5 + 0.25 + 0.1] = [0.1, 1.85]; e = ŷ - y = [-0.9, 2.85].
    // loss = (0.81 + 8.1225) / 2 = 4.46625; dL/dw = Σ e·x = [-0.9 + 8.55, -1.8 - 2.85] = [7.65, -4.65]; dL/db = Σ e = 1.95.
    const m = linear(2, [0.5, -0.25], 0.1);
    const step = new TrainStep(m, { loss: resolveLoss("mse").fn, metrics: [], optimizer: new Optimizer("sgd"), freeze: [], layerLr: {}, clipNorm: null, clipValue: null });
    const x = tf.tensor2d([[1, 2], [3, -1]]);
    const y = tf.tensor2d([[1], [-1]]);
    const r = step.run({ index: 0, xs: [x], y, weights: null, size: 2 }, 0.1, { seed: 1, epoch: 0, batch: 0 });
    assert.ok(Math.abs(r.loss - 4.46625) < 1e-5, String(r.loss));
    const norm = Math.hypot(7.65, -4.65, 1.95);
    assert.ok(Math.abs(r.norm - norm) < 1e-4, `${r.norm} vs ${norm}`);
    assert.deepEqual(r.finite, true);
    const [w, b] = weightsOf(m);
    [0.5 - 0.765, -0.25 + 0.465].forEach((want, i) => assert.ok(Math.abs((w?.[i] as number) - want) < 1e-6, `w${i} ${w?.[i]}`));
    assert.ok(Math.abs((b?.[0] as number) - (0.1 - 0.195)) < 1e-6, `b ${b?.[0]}`);
    assert.equal(step.getState().iterations, 1);
    step.dispose();
    tf.dispose([x, y]);
  });

  it("reports a non-finite loss without touching the weights, so a driver (train, an LR finder) can stop", () => {
    const m = linear(1, [1], 0);
    const before = weightsOf(m);
    const step = new TrainStep(m, { loss: resolveLoss("mse").fn, metrics: [], optimizer: new Optimizer("adam"), freeze: [], layerLr: {}, clipNorm: null, clipValue: null });
    const x = tf.tensor2d([[Number.POSITIVE_INFINITY]]);
    const y = tf.tensor2d([[0]]);
    const r = step.run({ index: 0, xs: [x], y, weights: null, size: 1 }, 0.1, { seed: 1, epoch: 0, batch: 0 });
    assert.equal(r.finite, false);
    assert.deepEqual(weightsOf(m), before);
    step.dispose();
    tf.dispose([x, y]);
  });

  it("names a layerLr layer the model does not have", () => {
    const m = linear(1, [1], 0);
    assert.throws(
      () => new TrainStep(m, { loss: resolveLoss("mse").fn, metrics: [], optimizer: new Optimizer("sgd"), freeze: [], layerLr: { enc: 0.1 }, clipNorm: null, clipValue: null }),
      (e: Error) => e instanceof ConfigError && /`layerLr` names layer "enc", which the model does not have. Layers: lin./.test(e.message),
    );
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { resolveLoss } from "../../src/training/loss.js";
import { trainMetric } from "../../src/training/train-metric.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());
function close(a: number[], b: number[], tol = 1e-6) {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < tol, `${i}: ${v} vs ${b[i]}`));
}

describe("per-sample losses against tf.metrics / tf.losses", () => {
  before(async () => {
    await ready();
  });

  it("mse, mae and huber match the stock per-sample values", () => {
    tf.tidy(() => {
      const y = tf.tensor2d([[1, 2], [0, -3], [0.5, 4]]);
      const p = tf.tensor2d([[1.5, 2], [2, -2.5], [0.25, 1]]);
      close(arr(resolveLoss("mse").fn(y, p)), arr(tf.metrics.meanSquaredError(y, p)));
      close(arr(resolveLoss("mean_absolute_error").fn(y, p)), arr(tf.metrics.meanAbsoluteError(y, p)));
      // tf.losses.huberLoss averages everything; compare the batch means.
      const ours = tf.mean(resolveLoss("huber").fn(y, p)).dataSync()[0] as number;
      close([ours], [tf.losses.huberLoss(y, p, undefined, 1).dataSync()[0] as number]);
    });
  });

  it("the cross-entropies match tf.metrics on probabilities", () => {
    tf.tidy(() => {
      const yb = tf.tensor2d([[1], [0], [1]]), pb = tf.tensor2d([[0.9], [0.2], [0.3]]);
      close(arr(resolveLoss("binaryCrossentropy").fn(yb, pb)), arr(tf.metrics.binaryCrossentropy(yb, pb)), 1e-5);
      const yc = tf.tensor2d([[0, 1, 0], [1, 0, 0]]), pc = tf.tensor2d([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]);
      close(arr(resolveLoss("categoricalCrossentropy").fn(yc, pc)), arr(tf.metrics.categoricalCrossentropy(yc, pc)), 1e-5);
      const ys = tf.tensor1d([1, 0]);
      close(arr(resolveLoss("sparseCategoricalCrossentropy").fn(ys, pc)), [-Math.log(0.7), -Math.log(0.5)], 1e-5);
    });
  });

  it("accuracy counts argmax hits for one-hot targets and thresholded hits for binary ones", () => {
    tf.tidy(() => {
      const yc = tf.tensor2d([[0, 1, 0], [1, 0, 0]]), pc = tf.tensor2d([[0.2, 0.7, 0.1], [0.1, 0.5, 0.4]]);
      close(arr(trainMetric("accuracy", "categorical").perSample(yc, pc)), [1, 0]);
      close(arr(trainMetric("accuracy", "binary").perSample(tf.tensor1d([1, 0, 1]), tf.tensor2d([[0.9], [0.6], [0.4]]))), [1, 0, 0]);
    });
  });

  it("rejects an unknown loss name listing the choices", () => {
    assert.throws(() => resolveLoss("crossentropy"), /Unknown loss "crossentropy". Choose one of: mse, mae, huber, binaryCrossentropy/);
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { accuracy, confusionMatrix, f1, mae, mape, mse, precision, r2, recall, rmse, rocAuc, smape } from "../../src/eval/metrics.js";
import { ConfigError, DataError, ShapeError } from "../../src/errors.js";

const near = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("regression metrics", () => {
  before(async () => {
    await ready();
  });
  // yTrue [3, -0.5, 2, 7], yPred [2.5, 0, 2, 8]: errors 0.5, -0.5, 0, -1.
  const t = [3, -0.5, 2, 7], p = [2.5, 0, 2, 8];

  it("computes MSE, RMSE and MAE worked by hand", () => {
    near(mse(t, p), (0.25 + 0.25 + 0 + 1) / 4);
    near(rmse(t, p), Math.sqrt(0.375));
    near(mae(t, p), (0.5 + 0.5 + 0 + 1) / 4);
  });

  it("computes R² = 1 - SS_res / SS_tot by hand (mean 2.875, SS_tot 29.1875, SS_res 1.5)", () => {
    near(r2(t, p), 1 - 1.5 / 29.1875);
    near(r2([1, 1], [1, 1]), 1);
    near(r2([1, 1], [1, 2]), 0);
  });

  it("averages R² over columns for [n, k] inputs", () => {
    // column 0 perfect (1), column 1 predicts its mean (0): average 0.5
    near(r2([[1, 1], [2, 3]], [[1, 2], [2, 2]]), 0.5);
  });

  it("computes MAPE and sMAPE in percent, sMAPE counting 0/0 as 0", () => {
    near(mape([100, 200, 50], [110, 180, 50]), ((0.1 + 0.1 + 0) / 3) * 100);
    near(smape([100, 0, 50], [110, 0, 40]), ((20 / 210 + 0 + 20 / 90) / 3) * 100);
  });

  it("accepts tensors, typed arrays and rows alike", () => {
    const yt = tf.tensor2d(t, [2, 2]), yp = tf.tensor2d(p, [2, 2]);
    near(mse(yt, yp), 0.375, 1e-7);
    near(mae(Float32Array.from(t), [[2.5], [0], [2], [8]]), 0.5);
    near(mae(tf.tensor1d(t), [2.5, 0, 2, 8]), 0.5);
    tf.dispose([yt, yp]);
  });

  it("averages the per-output RMSEs like scikit-learn: rmse([[0, 0], [0, 0]], [[1, 10], [1, 10]]) is 5.5", () => {
    // column 0 errs by 1 in both rows (RMSE 1), column 1 by 10 (RMSE 10): (1 + 10) / 2 = 5.5
    const zeros = [[0, 0], [0, 0]], pred = [[1, 10], [1, 10]];
    near(rmse(zeros, pred), 5.5);
    near(rmse(zeros, pred, { multioutput: "uniform_average" }), 5.5);
    assert.deepEqual(rmse(zeros, pred, { multioutput: "raw_values" }), [1, 10]);
    // weights 3 and 1: (3·1 + 1·10) / 4 = 3.25
    near(rmse(zeros, pred, { multioutput: [3, 1] }), 3.25);
    // pooled: the square root of the MSE over all four values, (1 + 100 + 1 + 100) / 4 = 50.5
    near(rmse(zeros, pred, { multioutput: "pooled" }), Math.sqrt(50.5));
  });

  it("averages per-output RMSEs of unequal columns worked by hand", () => {
    // errors: column 0 is 0, 2, 0 (MSE 4/3), column 1 is 1, 0, 3 (MSE 10/3)
    const yt = [[1, 2], [3, 4], [5, 6]], yp = [[1, 3], [5, 4], [5, 9]];
    near(rmse(yt, yp), (Math.sqrt(4 / 3) + Math.sqrt(10 / 3)) / 2);
    near(rmse(yt, yp, { multioutput: "pooled" }), Math.sqrt(14 / 6));
  });

  it("scores MSE, MAE and R² per output too, uniform_average equal to pooled for MSE and MAE", () => {
    const zeros = [[0, 0], [0, 0]], pred = [[1, 10], [1, 10]];
    near(mse(zeros, pred), (1 + 100) / 2);
    near(mse(zeros, pred, { multioutput: "pooled" }), (1 + 100 + 1 + 100) / 4);
    assert.deepEqual(mse(zeros, pred, { multioutput: "raw_values" }), [1, 100]);
    near(mae(zeros, pred), 5.5);
    assert.deepEqual(mae(zeros, pred, { multioutput: "raw_values" }), [1, 10]);
    // column 0: mean 2, SS_tot 2, SS_res 1 → 0.5; column 1: mean 2, SS_tot 2, SS_res 2 → 0
    const yt = [[1, 1], [2, 3], [3, 2]], yp = [[1, 2], [2, 2], [4, 2]];
    assert.deepEqual(r2(yt, yp, { multioutput: "raw_values" }), [0.5, 0]);
    near(r2(yt, yp), 0.25);
    near(r2(yt, yp, { multioutput: [1, 3] }), 0.125);
  });

  it("refuses outputs laid out differently and bad multioutput values, naming them", () => {
    assert.throws(() => mse([1, 2, 3, 4], [[1, 2], [3, 4]]), (e: Error) => e instanceof ShapeError && /`yTrue` has 4 rows of 1 but `yPred` has 2 rows of 2/.test(e.message));
    assert.throws(() => rmse([[0, 0]], [[1, 1]], { multioutput: [1] }), (e: Error) => e instanceof ConfigError && /`multioutput` weights must be one number per output \(2\), got \[1\]/.test(e.message));
    assert.throws(() => rmse([[0, 0]], [[1, 1]], { multioutput: [1, -1] }), (e: Error) => e instanceof ConfigError && /`multioutput\[1\]` must be a non-negative number, got -1/.test(e.message));
    assert.throws(() => rmse([0], [1], { multioutput: "variance_weighted" as "pooled" }), (e: Error) => e instanceof ConfigError && /Unknown multioutput "variance_weighted"/.test(e.message));
  });

  it("refuses MAPE at a zero target and mismatched lengths, naming where", () => {
    assert.throws(() => mape([1, 0, 2], [1, 1, 1]), (e: Error) => e instanceof DataError && /yTrue is 0 \(first at index 1\)/.test(e.message));
    assert.throws(() => mse([1, 2], [1]), (e: Error) => e instanceof ShapeError && /`yTrue` has 2 values but `yPred` has 1/.test(e.message));
  });
});

describe("classification metrics", () => {
  // tp 3, fp 0, fn 1, tn 2
  const t = [0, 1, 1, 0, 1, 1], p = [0, 1, 0, 0, 1, 1];

  it("computes accuracy, precision, recall and F1 from counts worked by hand", () => {
    near(accuracy(t, p), 5 / 6);
    near(precision(t, p), 1);
    near(recall(t, p), 3 / 4);
    near(f1(t, p), 6 / 7);
  });

  it("thresholds probabilities at 0.5 and takes the argmax of class-probability rows", () => {
    near(accuracy(t, [0.2, 0.7, 0.4, 0.1, 0.9, 0.6]), 5 / 6);
    near(accuracy([2, 0], [[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]), 1);
    near(recall(t, [0.2, 0.7, 0.4, 0.1, 0.9, 0.6], { threshold: 0.3 }), 1);
  });

  it("averages per class: macro, micro and weighted (three classes worked by hand)", () => {
    // class 0: P 2/3, R 1, F1 0.8; classes 1 and 2: all 0. Micro: tp 2, fp 4, fn 4.
    const yt = [0, 1, 2, 0, 1, 2], yp = [0, 2, 1, 0, 0, 1];
    near(precision(yt, yp, { average: "macro" }), 2 / 9);
    near(recall(yt, yp, { average: "macro" }), 1 / 3);
    near(f1(yt, yp, { average: "macro" }), 0.8 / 3);
    near(f1(yt, yp, { average: "micro" }), 1 / 3);
    near(f1(yt, yp, { average: "weighted" }), 0.8 / 3);
  });

  it("builds the confusion matrix with true classes as rows", () => {
    assert.deepEqual(confusionMatrix(t, p), { labels: [0, 1], matrix: [[2, 0], [1, 3]] });
    assert.deepEqual(confusionMatrix([0, 1], [1, 1], { labels: [1, 0] }), { labels: [1, 0], matrix: [[1, 0], [1, 0]] });
  });

  it("computes ROC AUC as the share of positive-negative pairs ranked right, ties one half", () => {
    // pairs: (0.35 > 0.1) ✓, (0.35 > 0.4) ✗, (0.8 > 0.1) ✓, (0.8 > 0.4) ✓ → 3/4
    near(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
    // pos 0.5 vs neg 0.5 tie (½), vs 0.2 ✓; pos 0.9 beats both → 3.5/4
    near(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.875);
    assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), /needs both classes; `yTrue` has 2 positives and 0 negatives/);
  });
});

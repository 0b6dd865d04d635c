import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { coverage, crps, intervalWidth, mase, pinball, smape } from "../../src/eval/metrics.js";
import { normalQuantile } from "../../src/eval/normal-quantile.js";
import { ConfigError, DataError } from "../../src/errors.js";

const near = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("probabilistic and scale-free forecast metrics", () => {
  before(async () => {
    await ready();
  });

  it("pinball and CRPS match hand-worked values", () => {
    // y = 1, quantiles (0, 1, 2) at (0.1, 0.5, 0.9): losses 0.1, 0, 0.1; y = 3: 0.3, 1.0, 0.9. Mean 2.4 / 6 = 0.4.
    const q = [[0, 1, 2], [0, 1, 2]];
    near(pinball([1, 3], q, { quantiles: [0.1, 0.5, 0.9] }), 0.4);
    near(crps([1, 3], q, { quantiles: [0.1, 0.5, 0.9] }), 0.8);
    // A [n, outputs, levels] tensor reads the same as rows of outputs × levels.
    const t = tf.tensor3d([[[0, 1, 2]], [[0, 1, 2]]]);
    near(pinball([1, 3], t, { quantiles: [0.1, 0.5, 0.9] }), 0.4, 1e-7);
    t.dispose();
  });

  it("CRPS from many quantiles of a point mass approaches the absolute error", () => {
    // For a forecast that is the point ŷ, every quantile is ŷ and the CRPS is |y − ŷ| exactly;
    // 2 · mean_τ ρ_τ(y − ŷ) = 2 · |y − ŷ| · mean_τ(τ or 1 − τ), which is |y − ŷ| for levels symmetric about 0.5.
    const levels = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
    near(crps([2], [levels.map(() => 5)], { quantiles: levels }), 3, 1e-12);
  });

  it("inverts the standard normal CDF to the tabled values, in the centre and in both tails", () => {
    // Published values of Φ⁻¹: 0.5 → 0, 0.9 → 1.2815515655446004, 0.975 → 1.959963984540054,
    // 0.001 → −3.090232306167813 (the lower-tail branch), 0.999 → 3.090232306167813 (upper tail, by symmetry).
    near(normalQuantile(0.5), 0, 1e-12);
    near(normalQuantile(0.9), 1.2815515655446004, 1e-8);
    near(normalQuantile(0.975), 1.959963984540054, 1e-8);
    near(normalQuantile(0.001), -3.090232306167813, 1e-8);
    near(normalQuantile(0.999), 3.090232306167813, 1e-8);
  });

  it("CRPS from quantiles of a normal forecast is close to the closed form", () => {
    // CRPS(N(0, 1), y = 0) = σ (2φ(0) − 1/√π) = 0.233695; 999 quantiles of N(0, 1) from the inverse CDF.
    const levels = Array.from({ length: 999 }, (_, i) => (i + 1) / 1000);
    const z = levels.map(normalQuantile);
    near(crps([0], [z], { quantiles: levels }), 2 / Math.sqrt(2 * Math.PI) - 1 / Math.sqrt(Math.PI), 2e-3);
  });

  it("coverage and interval width count and measure the intervals", () => {
    near(coverage([1, 2, 3, 4], [0, 2.5, 2, 0], [2, 3, 4, 3]), 0.5);
    near(coverage([1], [1], [1]), 1); // the bounds count as inside
    near(intervalWidth([0, 2.5], [2, 3]), 1.25);
    assert.throws(() => intervalWidth([3], [2]), (e: Error) => e instanceof DataError && /`lower` is above `upper` at index 0 \(3 > 2\)/.test(e.message));
  });

  it("MASE divides the MAE by the in-sample seasonal naive MAE, as Darts", () => {
    // insample 1, 2, 4, 7: naive errors 1, 2, 3 → scale 2; MAE of (3, 5) vs (4, 5) is 0.5 → 0.25.
    near(mase([3, 5], [4, 5], { insample: [1, 2, 4, 7] }), 0.25);
    // m = 2: |4 − 1|, |7 − 2| → scale 4; 0.5 / 4.
    near(mase([3, 5], [4, 5], { insample: [1, 2, 4, 7], m: 2 }), 0.125);
    // Two horizon columns of one target share the target's scale: (|1| / 2 + |2| / 2) / 2.
    near(mase([[0, 0]], [[1, 2]], { insample: [1, 2, 4, 7] }), 0.75);
    // Two targets: columns cycle through insample's columns (scales 2 and 1).
    near(mase([[0, 0]], [[1, 2]], { insample: [[1, 0], [2, 1], [4, 2], [7, 3]] }), (0.5 + 2) / 2);
    assert.throws(() => mase([1], [1], { insample: [5, 5, 5] }), (e: Error) => e instanceof DataError && /no error on `insample`/.test(e.message));
    assert.throws(() => mase([1], [1], { insample: [1, 2], m: 0 }), (e: Error) => e instanceof ConfigError && /`m`.*got 0/.test(e.message));
  });

  it("sMAPE follows Darts: 200 · mean(|y − ŷ| / (|y| + |ŷ|)) with 0/0 counted 0", () => {
    near(smape([100, 0, 50], [110, 0, 40]), (200 * (10 / 210 + 0 + 10 / 90)) / 3);
    near(smape([1], [-1]), 200);
  });

  it("refuses quantile levels outside (0, 1) or unsorted, and quantiles of the wrong count", () => {
    assert.throws(() => pinball([1], [[0, 1]], { quantiles: [0.5, 1] }), /`quantiles\[1\]` must be a quantile level strictly between 0 and 1, got 1/);
    assert.throws(() => crps([1], [[0, 1]], { quantiles: [0.6, 0.4] }), /`quantiles` must be strictly ascending/);
    assert.throws(() => pinball([1, 2], [[0, 1]], { quantiles: [0.1, 0.9] }), /`qPred` must hold 2 quantiles/);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/rng.js";
import { GaussianProcess, matern52 } from "../../src/tuning/samplers/gaussian-process.js";
import { _negLogPosterior } from "../../src/tuning/samplers/gaussian-process.js";
import { fitSubset, logH, normCdf } from "../../src/tuning/samplers/gp-sampler.js";
import { GPSampler, RandomSampler, floatParam, space } from "../../src/tuning/index.js";
import type { FrozenTrial, Sampler } from "../../src/tuning/index.js";

describe("Gaussian process", () => {
  it("computes the Matérn 5/2 correlation of the textbook formula", () => {
    // (1 + √5 r + 5r²/3) e^{−√5 r}: r = 0 → 1; r = 1 → (1 + 2.2360680 + 1.6666667)·0.1068779 = 0.5239941
    assert.equal(matern52(0), 1);
    assert.ok(Math.abs(matern52(1) - 0.5239941088318203) < 1e-12);
  });

  it("gives the posterior mean and std of the two-point formulas", () => {
    // x1 = 0, x2 = 1 in 1-D, length 1, signal 1, noise ~0: K = [[1, c], [c, 1]] with c = matern52(1).
    // Outputs standardised: y = [−1, 1]. At x* = 0.5: k* = [m, m] with m = matern52(0.5);
    // mean = k*ᵀK⁻¹y = 0 by symmetry; var = 1 − 2m²/(1 + c).
    const hyper = { lengthScales: [1], signalVariance: 1, noiseVariance: 1e-10 };
    const gp = GaussianProcess.fit([[0], [1]], [3, 5], new Rng(0), { fixed: hyper });
    assert.equal(gp.yMean, 4);
    assert.equal(gp.yStd, 1);
    const c = matern52(1), m = matern52(0.5);
    const p = gp.predict([0.5]);
    assert.ok(Math.abs(p.mean) < 1e-9);
    assert.ok(Math.abs(p.std - Math.sqrt(1 - (2 * m * m) / (1 + c))) < 1e-5, `std ${p.std}`);
    // at a training point the mean reproduces the (standardised) data: y1 = −1
    assert.ok(Math.abs(gp.predict([0]).mean - -1) < 1e-4);
    // at x* = 0.25: K⁻¹y = [−1, 1]/(1 − c), so mean = (k(x*, 1) − k(x*, 0))/(1 − c) (1e-6 jitter → 1e-5 tolerance)
    const k1 = matern52(0.25), k2 = matern52(0.75);
    assert.ok(Math.abs(gp.predict([0.25]).mean - (k2 - k1) / (1 - c)) < 1e-5);
  });

  it("has a log-marginal-likelihood gradient that matches finite differences", () => {
    const rng = new Rng(3);
    const n = 6, dim = 2;
    const X = Array.from({ length: n }, () => [rng.next(), rng.next()]);
    const y = Float64Array.from(X, (x) => Math.sin(3 * (x[0] as number)) + (x[1] as number));
    const diff2 = new Float64Array((n * (n - 1)) / 2 * dim);
    let p = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++, p++) for (let d = 0; d < dim; d++) diff2[p * dim + d] = ((X[i] as number[])[d] as number - ((X[j] as number[])[d] as number)) ** 2;
    const theta = Float64Array.from([Math.log(0.4), Math.log(0.7), 0.2, Math.log(1e-2)]);
    const { value, grad } = _negLogPosterior(theta, y, diff2, n, dim);
    assert.ok(Number.isFinite(value));
    for (let k = 0; k < theta.length; k++) {
      const h = 1e-6;
      const up = Float64Array.from(theta); up[k] = (up[k] as number) + h;
      const dn = Float64Array.from(theta); dn[k] = (dn[k] as number) - h;
      const fd = (_negLogPosterior(up, y, diff2, n, dim).value - _negLogPosterior(dn, y, diff2, n, dim).value) / (2 * h);
      assert.ok(Math.abs(fd - (grad[k] as number)) < 1e-4 * Math.max(1, Math.abs(fd)), `θ${k}: analytic ${grad[k]} vs numeric ${fd}`);
    }
  });

  it("fits a length scale that follows how fast the function varies", () => {
    const rng = new Rng(5);
    const X = Array.from({ length: 25 }, () => [rng.next(), rng.next()]);
    // varies fast along dim 0, not at all along dim 1
    const y = X.map((x) => Math.sin(12 * (x[0] as number)));
    const gp = GaussianProcess.fit(X, y, new Rng(1), { restarts: 2 });
    const [l0, l1] = gp.hyper.lengthScales as [number, number];
    assert.ok(l0 < 0.5 && l1 > 2 * l0, `length scales ${l0}, ${l1}`);
  });
});

describe("Gaussian process refits", () => {
  it("refits from the previous optimum alone to the optimum a multi-start fit finds", () => {
    const rng = new Rng(8);
    const X = Array.from({ length: 41 }, () => [rng.next(), rng.next(), rng.next()]);
    const y = X.map((x) => Math.sin(5 * (x[0] as number)) + (x[1] as number) ** 2);
    const before = GaussianProcess.fit(X.slice(0, 40), y.slice(0, 40), new Rng(1), { restarts: 2 });
    const full = GaussianProcess.fit(X, y, new Rng(1), { restarts: 2, start: before.hyper });
    const warm = GaussianProcess.fit(X, y, new Rng(1), { start: before.hyper, startOnly: true, maxIter: 10 });
    full.hyper.lengthScales.forEach((l, d) => {
      const w = warm.hyper.lengthScales[d] as number;
      assert.ok(Math.abs(Math.log(w / l)) < 0.02, `length scale ${d}: warm ${w}, multi-start ${l}`);
    });
    assert.ok(Math.abs(Math.log(warm.hyper.signalVariance / full.hyper.signalVariance)) < 0.02);
  });
});

describe("fitSubset", () => {
  it("keeps every point when there are at most the cap", () => {
    assert.deepEqual(fitSubset([3, 1, 2], 3), [0, 1, 2]);
  });

  it("keeps the best half and spreads the rest evenly over the others in trial order", () => {
    // best 2 of y: indices 5 (0) and 1 (1); the others in order are [0, 2, 3, 4, 6, 7];
    // 2 spread picks at ⌊(k + ½)·6/2⌋ = 1 and 4 → indices 2 and 6
    assert.deepEqual(fitSubset([5, 1, 4, 2, 3, 0, 6, 7], 4), [1, 2, 5, 6]);
  });
});

describe("acquisition helpers", () => {
  it("match the normal CDF table and the EI formula", () => {
    assert.ok(Math.abs(normCdf(1) - 0.8413447460685429) < 1e-7);
    assert.ok(Math.abs(normCdf(-2) - 0.022750131948179195) < 1e-7);
    // h(z) = zΦ(z) + φ(z); h(0) = φ(0) = 0.39894228
    assert.ok(Math.abs(Math.exp(logH(0)) - 0.3989422804014327) < 1e-7);
    // deep in the tail the asymptotic branch agrees with the direct formula at the switch
    const z = -5.0001;
    const direct = z * normCdf(z) + Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    assert.ok(Math.abs(Math.exp(logH(z)) - direct) / direct < 1e-2);
    assert.ok(Number.isFinite(logH(-40)));
  });
});

describe("GP sampler", () => {
  it("finds a lower value than random search on a 2-D quadratic in 15 trials (3 seeds)", () => {
    const s = space({ a: floatParam(-3, 3), b: floatParam(-3, 3) });
    const f = (a: number, b: number) => (a - 1.2) ** 2 + 3 * (b + 0.7) ** 2;
    const best = (make: () => Sampler, seed: number) => {
      const sampler = make();
      const trials: FrozenTrial[] = [];
      for (let i = 0; i < 15; i++) {
        const p = sampler.sample(s, trials, new Rng(seed).fork(`t${i}`), { direction: "minimize", seed, budget: 15 });
        trials.push({ number: i, state: "complete", params: p, distributions: {}, value: f(p.a as number, p.b as number), intermediate: {}, start: "", end: "", error: null, userAttrs: {} });
      }
      return Math.min(...trials.map((t) => t.value as number));
    };
    for (const seed of [1, 2, 3]) {
      const gp = best(() => new GPSampler({ candidates: 500 }), seed);
      const rnd = best(() => new RandomSampler(), seed);
      assert.ok(gp < rnd && gp < 0.05, `seed ${seed}: gp ${gp}, random ${rnd}`);
    }
  });

  it("still beats random search with warm refits and a capped subset from the fifth point on", () => {
    const s = space({ a: floatParam(-3, 3), b: floatParam(-3, 3) });
    const f = (a: number, b: number) => (a - 1.2) ** 2 + 3 * (b + 0.7) ** 2;
    for (const seed of [1, 2, 3]) {
      const sampler = new GPSampler({ candidates: 500, warmFitAfter: 5, refitEvery: 2, maxPoints: 10 });
      const random = new RandomSampler();
      const bests = [sampler, random].map((smp) => {
        const trials: FrozenTrial[] = [];
        for (let i = 0; i < 15; i++) {
          const p = smp.sample(s, trials, new Rng(seed).fork(`t${i}`), { direction: "minimize", seed, budget: 15 });
          trials.push({ number: i, state: "complete", params: p, distributions: {}, value: f(p.a as number, p.b as number), intermediate: {}, start: "", end: "", error: null, userAttrs: {} });
        }
        return Math.min(...trials.map((t) => t.value as number));
      });
      const [gp, rnd] = bests as [number, number];
      assert.ok(gp < rnd && gp < 0.05, `seed ${seed}: gp ${gp}, random ${rnd}`);
    }
  });

  it("names the option and the value when refit settings are invalid", () => {
    assert.throws(() => new GPSampler({ maxPoints: 1 }), /`maxPoints` must be an integer of at least 2, got 1\./);
    assert.throws(() => new GPSampler({ refitEvery: 0 }), /refitEvery.*0/);
    assert.throws(() => new GPSampler({ warmFitAfter: -1 }), /warmFitAfter.*-1/);
  });

  it("maximises when the direction is maximize", () => {
    const s = space({ a: floatParam(0, 1) });
    const sampler = new GPSampler({ nStartupTrials: 3, candidates: 300 });
    const trials: FrozenTrial[] = [];
    for (let i = 0; i < 10; i++) {
      const p = sampler.sample(s, trials, new Rng(9).fork(`t${i}`), { direction: "maximize", seed: 9, budget: 10 });
      trials.push({ number: i, state: "complete", params: p, distributions: {}, value: -(((p.a as number) - 0.8) ** 2), intermediate: {}, start: "", end: "", error: null, userAttrs: {} });
    }
    const last = trials.slice(3).map((t) => t.params.a as number);
    assert.ok(last.some((a) => Math.abs(a - 0.8) < 0.02), `proposals ${last.join(", ")}`);
  });
});

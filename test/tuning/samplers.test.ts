// One conformance suite, run against every sampler.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/rng.js";
import { categoricalParam, conditional, floatParam, GPSampler, GridSampler, intParam, RandomSampler, space } from "../../src/tuning/index.js";
import type { FrozenTrial, Params, Sampler } from "../../src/tuning/index.js";

const S = space({
  x: floatParam(-2, 3),
  lr: floatParam(1e-5, 1e-1, { log: true }),
  q: floatParam(0, 1, { step: 0.25 }),
  n: intParam(1, 3),
  units: intParam(32, 128, { step: 32 }),
  batch: intParam(4, 16, { log: true }),
  cell: categoricalParam(["lstm", "gru", 7, true]),
  u2: conditional({ n: [2, 3] }, intParam(4, 12, { step: 4 })),
});

function trial(number: number, params: Params, value: number): FrozenTrial {
  return { number, state: "complete", params, distributions: S.distributionsOf(params), value, intermediate: {}, start: "", end: "", error: null, userAttrs: {} };
}

/** Runs a sampler for `n` trials on a made-up objective; returns every proposal. */
function run(make: () => Sampler, seed: number, n: number): Params[] {
  const sampler = make();
  const trials: FrozenTrial[] = [];
  const root = new Rng(seed);
  for (let i = 0; i < n; i++) {
    const p = sampler.sample(S, trials, root.fork(`trial:${i}`), { direction: "minimize", seed, budget: n });
    const value = ((p.x as number) - 1) ** 2 + Math.log10(p.lr as number) ** 2 / 10 + (p.n as number);
    trials.push(trial(i, p, value));
  }
  return trials.map((t) => t.params);
}

const samplers: [string, () => Sampler][] = [
  ["random", () => new RandomSampler()],
  ["grid", () => new GridSampler({ floatPoints: 3 })],
  ["gp", () => new GPSampler({ nStartupTrials: 4, candidates: 300 })],
  ["gp (ucb)", () => new GPSampler({ nStartupTrials: 4, candidates: 300, acquisition: "ucb", beta: 2 })],
  ["gp (warm refits, capped subset)", () => new GPSampler({ nStartupTrials: 4, candidates: 300, warmFitAfter: 6, refitEvery: 2, maxPoints: 8 })],
];

for (const [name, make] of samplers) {
  describe(`${name} sampler conformance`, () => {
    const proposals = run(make, 11, 14);

    it("keeps every value within its bounds", () => {
      for (const p of proposals) {
        assert.ok((p.x as number) >= -2 && (p.x as number) <= 3, `x=${p.x}`);
        assert.ok((p.lr as number) >= 1e-5 && (p.lr as number) <= 1e-1, `lr=${p.lr}`);
        assert.ok((p.batch as number) >= 4 && (p.batch as number) <= 16, `batch=${p.batch}`);
        assert.ok((p.units as number) >= 32 && (p.units as number) <= 128, `units=${p.units}`);
      }
    });

    it("returns integers for int parameters and respects steps", () => {
      for (const p of proposals) {
        for (const k of ["n", "units", "batch"]) assert.ok(Number.isInteger(p[k]), `${k}=${p[k]}`);
        assert.equal((p.units as number) % 32, 0, `units=${p.units}`);
        assert.ok([0, 0.25, 0.5, 0.75, 1].includes(p.q as number), `q=${p.q}`);
        if (p.u2 !== undefined) assert.ok([4, 8, 12].includes(p.u2 as number), `u2=${p.u2}`);
      }
    });

    it("only returns declared choices for categorical parameters", () => {
      for (const p of proposals) assert.ok(["lstm", "gru", 7, true].includes(p.cell as string), `cell=${String(p.cell)}`);
    });

    it("sets conditional parameters exactly when they are active", () => {
      for (const p of proposals) assert.equal(p.u2 !== undefined, (p.n as number) >= 2, JSON.stringify(p));
      assert.deepEqual(Object.keys(proposals[0] as Params).filter((k) => k !== "u2").sort(), ["batch", "cell", "lr", "n", "q", "units", "x"]);
    });

    it("proposes the same parameters for the same seed", () => {
      assert.deepEqual(run(make, 11, 8), proposals.slice(0, 8));
      assert.notDeepEqual(run(make, 12, 8), proposals.slice(0, 8));
    });
  });
}

describe("grid sampler", () => {
  it("covers every grid point once, counting conditional points only where active", () => {
    // n=1: 2 (c) points; n=2: 2 (c) × 3 (u) = 6 → 8 in all
    const s = space({ n: intParam(1, 2), c: categoricalParam(["a", "b"]), u: conditional({ n: 2 }, intParam(1, 3)) });
    const g = new GridSampler();
    assert.equal(g.points(s, 0).length, 8);
    const trials: FrozenTrial[] = [];
    for (let i = 0; i < 8; i++) {
      const p = g.sample(s, trials, new Rng(i), { direction: "minimize", seed: 0, budget: null });
      trials.push({ ...trial(i, p, 0), distributions: s.distributionsOf(p) });
    }
    assert.equal(new Set(trials.map((t) => JSON.stringify(t.params))).size, 8);
    assert.equal(g.exhausted(s, trials, { direction: "minimize", seed: 0, budget: null }), true);
  });

  it("spaces float points evenly, in log space for log dimensions", () => {
    const g = new GridSampler({ floatPoints: 3, ordered: true });
    const pts = g.points(space({ lr: floatParam(1e-4, 1, { log: true }) }), 0).map((p) => p.lr as number);
    assert.deepEqual(pts.map((v) => Number(v.toPrecision(10))), [1e-4, 1e-2, 1]);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, DataError } from "../../src/errors.js";
import { Rng } from "../../src/rng.js";
import { intermediateValuesFigure, intermediateValuesInfo } from "../../src/plots/intermediate-values.js";
import { optimizationHistoryFigure, optimizationHistoryInfo } from "../../src/plots/optimization-history.js";
import { parallelCoordinatesFigure, parallelCoordinatesInfo } from "../../src/plots/parallel-coordinates.js";
import { paramImportanceFigure, paramImportanceInfo } from "../../src/plots/param-importance.js";
import { sliceFigure, sliceInfo } from "../../src/plots/slice.js";
import type { Distribution, FrozenTrial, Params, StudyData, TrialState } from "../../src/tuning/frozen-trial.js";

const close = (a: number | null | undefined, b: number, eps = 1e-12) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < eps, `${a} ≈ ${b}`);
const title = (axis: unknown) => (axis as { title: { text: string } }).title.text;

const DISTS: Record<string, Distribution> = {
  lr: { kind: "float", low: 1e-4, high: 1e-1, log: true },
  units: { kind: "int", low: 8, high: 64 },
  cell: { kind: "categorical", choices: ["lstm", "gru"] },
};

function trial(number: number, value: number | null, params: Params, state: TrialState = "complete", intermediate: Record<number, number> = {}): FrozenTrial {
  const distributions = Object.fromEntries(Object.keys(params).map((k) => [k, DISTS[k] ?? { kind: "categorical", choices: ["p", "q", "u", "v"] }]));
  return { number, state, params, distributions, value, intermediate, start: "2026-01-01T00:00:00Z", end: null, error: null, userAttrs: {} };
}

const study = (trials: FrozenTrial[], direction: "minimize" | "maximize" = "minimize"): StudyData => ({ name: "s", direction, trials });

describe("optimisation history", () => {
  it("keeps the best so far for minimize and maximize, skipping failed and pruned trials", () => {
    const ts = [
      trial(0, 3, { lr: 0.01 }),
      trial(1, 1, { lr: 0.01 }),
      trial(2, null, { lr: 0.01 }, "fail"),
      trial(3, 2, { lr: 0.01 }),
      trial(4, 0.1, { lr: 0.01 }, "pruned"),
      trial(5, 0.5, { lr: 0.01 }),
    ];
    const min = optimizationHistoryInfo(study(ts));
    assert.deepEqual(min.numbers, [0, 1, 3, 5]);
    assert.deepEqual(min.bestSoFar, [3, 1, 1, 0.5]);
    assert.deepEqual(min.best, { number: 5, value: 0.5 });
    assert.deepEqual(optimizationHistoryInfo(study(ts, "maximize")).bestSoFar, [3, 3, 3, 3]);
    const f = optimizationHistoryFigure(min);
    assert.deepEqual(f.data.map((d) => d.name), ["objective", "best so far"]);
    assert.equal((f.data[1]!["line"] as { shape: string }).shape, "hv");
    assert.equal(title(f.layout["xaxis"]), "Trial");
    assert.throws(() => optimizationHistoryInfo(study([trial(0, null, {}, "fail")])), (e: unknown) => e instanceof DataError && /"s" has 0 complete/.test(e.message));
  });
});

describe("parameter importance (fANOVA-lite)", () => {
  it("matches η² worked by hand on a four-trial study", () => {
    // a: p→{1,3}, q→{5,7}: between = (2·4 + 2·4)/4 = 4, total = 20/4 = 5 → η² 0.8
    // b: u→{1,5}, v→{3,7}: between = (2·1 + 2·1)/4 = 1 → η² 0.2; normalised: 0.8, 0.2
    const s = study([
      trial(0, 1, { a: "p", b: "u" }),
      trial(1, 3, { a: "p", b: "v" }),
      trial(2, 5, { a: "q", b: "u" }),
      trial(3, 7, { a: "q", b: "v" }),
    ]);
    const info = paramImportanceInfo(s);
    assert.deepEqual(info.params, ["a", "b"]);
    close(info.eta2[0], 0.8);
    close(info.eta2[1], 0.2);
    close(info.importance[0], 0.8);
    close(info.importance[1], 0.2);
  });

  it("ranks the parameter that drives the objective far above one that does not", () => {
    const rng = new Rng(7);
    const ts = Array.from({ length: 60 }, (_, i) => {
      const lr = 10 ** rng.uniform(-4, -1);
      const units = rng.int(8, 64);
      const cell = rng.choice(["lstm", "gru"]);
      return trial(i, (Math.log10(lr) + 2.5) ** 2 + rng.normal(0, 0.01), { lr, units, cell });
    });
    const info = paramImportanceInfo(study(ts));
    assert.equal(info.params[0], "lr");
    assert.ok((info.importance[0] as number) > 0.8, `lr importance ${info.importance[0]}`);
    // Five quantile bins of a quadratic keep most, not all, of its variance.
    assert.ok((info.eta2[0] as number) > 0.6, `lr explains most variance: ${info.eta2[0]}`);
    for (let i = 1; i < 3; i++) assert.ok((info.eta2[i] as number) < 0.15, `${info.params[i]} η² ${info.eta2[i]}`);
    const f = paramImportanceFigure(info);
    assert.equal(f.data[0]!["orientation"], "h");
    assert.deepEqual(f.data[0]!["y"], info.params);
    assert.throws(() => paramImportanceInfo(study(ts), { params: ["dropout"] }), (e: unknown) => e instanceof ConfigError && /"dropout"/.test(e.message));
  });
});

describe("parallel coordinates and slices", () => {
  const s = study([
    trial(0, 0.3, { lr: 0.001, units: 16, cell: "gru" }),
    trial(1, 0.2, { lr: 0.01, units: 32, cell: "lstm" }),
    trial(2, null, { lr: 0.1, units: 64, cell: "lstm" }, "fail"),
    trial(3, 0.1, { lr: 0.1, units: 64, cell: "lstm" }),
  ]);

  it("encodes log parameters as log10 and categories as indices in the distribution's order", () => {
    const info = parallelCoordinatesInfo(s);
    const [lr, units, cell] = info.dimensions;
    assert.equal(lr!.label, "log10(lr)");
    lr!.values.forEach((v, i) => close(v, [-3, -2, -1][i]!));
    assert.deepEqual(units!.values, [16, 32, 64]);
    assert.deepEqual(cell!.values, [1, 0, 0]);
    assert.deepEqual(cell!.ticktext, ["lstm", "gru"]);
    const f = parallelCoordinatesFigure(info);
    assert.equal(f.data[0]!.type, "parcoords");
    const dims = f.data[0]!["dimensions"] as { label: string; values: number[] }[];
    assert.equal(dims.length, 4);
    assert.equal(dims[3]!.label, "Objective");
    assert.deepEqual(dims[3]!.values, [0.3, 0.2, 0.1]);
  });

  it("draws one slice panel per parameter, with a log x axis for log distributions", () => {
    const info = sliceInfo(s);
    assert.deepEqual(info.panels.map((p) => [p.param, p.log, p.categorical]), [["lr", true, false], ["units", false, false], ["cell", false, true]]);
    assert.deepEqual(info.panels[2]!.x, ["gru", "lstm", "lstm"]);
    const f = sliceFigure(info);
    assert.deepEqual(f.data.map((d) => [d.type, d["xaxis"], (d["y"] as number[]).length]), [["scatter", "x", 3], ["scatter", "x2", 3], ["scatter", "x3", 3]]);
    assert.equal((f.layout["xaxis"] as { type: string }).type, "log");
    assert.equal((f.layout["xaxis3"] as { type: string }).type, "category");
    assert.equal(title(f.layout["xaxis2"]), "units");
    assert.equal(title(f.layout["yaxis"]), "Objective value");
  });
});

describe("intermediate values", () => {
  it("sorts each trial's steps and marks where pruned trials stopped", () => {
    const s = study([
      trial(0, 0.5, { lr: 0.01 }, "complete", { 2: 0.5, 0: 1, 1: 0.7 }),
      trial(1, 0.9, { lr: 0.1 }, "pruned", { 0: 1.2, 1: 0.9 }),
      trial(2, null, { lr: 0.1 }, "fail"),
    ]);
    const info = intermediateValuesInfo(s);
    assert.deepEqual(info.trials.map((t) => [t.number, t.steps, t.values]), [[0, [0, 1, 2], [1, 0.7, 0.5]], [1, [0, 1], [1.2, 0.9]]]);
    assert.equal(info.pruned, 1);
    const f = intermediateValuesFigure(info);
    assert.deepEqual(f.data.map((d) => d.name), ["trial 0", "trial 1 (pruned)", "pruned here"]);
    assert.deepEqual([f.data[2]!["x"], f.data[2]!["y"]], [[1], [0.9]]);
    assert.equal((f.data[2]!["marker"] as { symbol: string }).symbol, "x");
    assert.equal(title(f.layout["xaxis"]), "Step (epoch)");
    assert.throws(() => intermediateValuesInfo(study([trial(0, 1, {})])), DataError);
  });
});

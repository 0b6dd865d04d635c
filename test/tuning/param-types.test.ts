/**
 * Trial parameters typed from the space. The type assertions below are checked by
 * `tsc --noEmit -p tsconfig.json` (which includes test/): a wrong type fails the type check, and
 * each `@ts-expect-error` line fails it when the error it expects is gone. The runtime checks make
 * sure the values have the types the compiler was told.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { categoricalParam, conditional, createStudy, floatParam, intParam, modelObjective, refit, space } from "../../src/tuning/index.js";
import type { FrozenTrial, ParamsOf, Trial } from "../../src/tuning/index.js";

/** true exactly when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const sp = space({
  optimizer: categoricalParam(["adam", "rmsprop"]),
  units: intParam(8, 64, { step: 8 }),
  lr: floatParam(1e-4, 1e-1, { log: true }),
  bidirectional: categoricalParam([true, false]),
  layers: intParam(1, 2),
  units2: conditional({ layers: 2 }, intParam(8, 32, { step: 8 })),
});
type P = ParamsOf<typeof sp>;

const spaceType: Equal<P, { optimizer: "adam" | "rmsprop"; units: number; lr: number; bidirectional: boolean; layers: number; units2?: number }> = true;
const choicesType: Equal<ReturnType<typeof categoricalParam<"a" | 1 | true>>["choices"], readonly ("a" | 1 | true)[]> = true;

describe("trial parameters typed from the space", () => {
  it("gives the objective each parameter with its own type, without casts", async () => {
    const study = await createStudy({ space: sp, sampler: "random", seed: 3 });
    const seen: P[] = [];
    await study.optimize((trial) => {
      const p = trial.params;
      const optimizer: "adam" | "rmsprop" = p.optimizer;
      const units: number = p.units;
      const bidirectional: boolean = p.bidirectional;
      const units2: number | undefined = p.units2;
      // @ts-expect-error a conditional parameter may be absent, so it is not a plain number
      const units2Always: number = p.units2;
      // @ts-expect-error "sgd" is not one of the choices
      const sgd: typeof p.optimizer = "sgd";
      // @ts-expect-error undeclared names are not parameters of this space
      void p.dropout;
      void [units2Always, sgd];
      seen.push({ ...p });
      return units * (optimizer === "adam" ? 1 : 2) + (bidirectional ? 1 : 0) + (units2 ?? 0);
    }, { nTrials: 12 });
    assert.equal(seen.length, 12);
    for (const p of seen) {
      assert.ok(p.optimizer === "adam" || p.optimizer === "rmsprop", `optimizer ${p.optimizer}`);
      assert.equal(typeof p.units, "number");
      assert.equal(typeof p.lr, "number");
      assert.equal(typeof p.bidirectional, "boolean");
      assert.equal(p.units2 !== undefined, p.layers === 2);
    }
    // the study's records carry the same type
    const best: P = study.bestParams;
    const trials: readonly FrozenTrial<P>[] = study.trials;
    assert.deepEqual(best, study.bestTrial.params);
    assert.equal(trials.length, 12);
  });

  it("types a space declared inline in createStudy, and a space given as plain JSON", async () => {
    const study = await createStudy({ space: { cell: categoricalParam(["lstm", "gru"]), x: { kind: "float", low: 0, high: 1 } }, sampler: "random" });
    const cells: ("lstm" | "gru")[] = [];
    await study.optimize((t) => {
      cells.push(t.params.cell);
      const x: number = t.params.x;
      return x;
    }, { nTrials: 6 });
    const inline: Equal<typeof study.bestParams, { cell: "lstm" | "gru"; x: number }> = true;
    assert.ok(inline);
    assert.ok(cells.every((c) => c === "lstm" || c === "gru"));
  });

  it("returns the union of the choices from suggestCategorical, and numbers from suggestInt and suggestFloat", async () => {
    const study = await createStudy({ sampler: "random", seed: 5 });
    const got: { opt: "adam" | "rmsprop"; flag: boolean; n: number; lr: number }[] = [];
    await study.optimize((trial: Trial) => {
      const opt = trial.suggestCategorical("optimizer", ["adam", "rmsprop"]);
      const flag = trial.suggestCategorical("flag", [true, false]);
      const n = trial.suggestInt("n", 1, 3);
      const lr = trial.suggestFloat("lr", 1e-3, 1e-1, { log: true });
      const optType: Equal<typeof opt, "adam" | "rmsprop"> = true;
      const flagType: Equal<typeof flag, boolean> = true;
      // @ts-expect-error a suggested categorical is not any string
      const wrong: "adam" = opt;
      void [optType, flagType, wrong];
      got.push({ opt, flag, n, lr });
      // define-by-run studies keep untyped params: any name, a value of any parameter type
      const anyParam: string | number | boolean | undefined = trial.params.optimizer;
      return n + (anyParam === "adam" ? 0 : 1);
    }, { nTrials: 8 });
    for (const g of got) {
      assert.ok(g.opt === "adam" || g.opt === "rmsprop");
      assert.equal(typeof g.flag, "boolean");
      assert.ok(Number.isInteger(g.n) && g.n >= 1 && g.n <= 3);
      assert.ok(g.lr >= 1e-3 && g.lr <= 0.1);
    }
  });

  it("types modelObjective's params and refit's params from the space", async () => {
    const small = space({ units: intParam(1, 3), cell: categoricalParam(["lstm", "gru"]) });
    const built: { units: number; cell: "lstm" | "gru" }[] = [];
    const objective = modelObjective({
      build: (p: ParamsOf<typeof small>) => {
        built.push({ units: p.units, cell: p.cell });
        return { size: p.units * (p.cell === "lstm" ? 4 : 3) };
      },
      fit: (model, { params }) => {
        const cell: "lstm" | "gru" = params.cell;
        return model.size + (cell === "gru" ? 0.5 : 0);
      },
    });
    const study = await createStudy({ space: small, sampler: "grid" });
    await study.optimize(objective, { nTrials: 6 });
    // 1 unit: lstm scores 4, gru 3.5; the best is 1 gru unit
    assert.deepEqual(study.bestParams, { units: 1, cell: "gru" });
    assert.equal(built.length, 6);
    const r = await refit(study, (p) => `${p.cell}×${p.units}`);
    const refitType: Equal<typeof r.params, { units: number; cell: "lstm" | "gru" }> = true;
    assert.ok(refitType);
    assert.equal(r.model, "gru×1");
  });

  it("refuses an objective that reads a parameter as the wrong type", async () => {
    const study = await createStudy({ space: sp });
    // @ts-expect-error units is a number, so an objective taking it as a string does not fit this study
    const run = () => study.optimize((t: Trial<{ units: string }>) => t.params.units.length, { nTrials: 1 });
    assert.equal(typeof run, "function");
    assert.ok(spaceType && choicesType);
  });
});

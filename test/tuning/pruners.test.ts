import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MedianPruner, SuccessiveHalvingPruner, createPruner } from "../../src/tuning/index.js";
import type { FrozenTrial } from "../../src/tuning/index.js";

function t(number: number, state: FrozenTrial["state"], intermediate: Record<number, number>): FrozenTrial {
  return { number, state, params: {}, distributions: {}, value: null, intermediate, start: "", end: null, error: null, userAttrs: {} };
}

describe("median pruner", () => {
  // completed trials at step 2: 1, 2, 3, 4, 5 → median 3
  const done = [1, 2, 3, 4, 5].map((v, i) => t(i, "complete", { 0: v + 2, 1: v + 1, 2: v }));

  it("prunes a trial whose best value so far is worse than the median at its step", () => {
    const p = new MedianPruner();
    assert.equal(p.prune(t(9, "running", { 0: 5, 1: 4, 2: 3.5 }), done, "minimize"), true);
    assert.equal(p.prune(t(9, "running", { 0: 5, 1: 4, 2: 2.9 }), done, "minimize"), false);
    // best-so-far, not last: 2.5 at step 1 beats the step-2 median of 3
    assert.equal(p.prune(t(9, "running", { 0: 5, 1: 2.5, 2: 3.5 }), done, "minimize"), false);
  });

  it("compares the other way when maximising", () => {
    const p = new MedianPruner();
    assert.equal(p.prune(t(9, "running", { 2: 2.5 }), done, "maximize"), true);
    assert.equal(p.prune(t(9, "running", { 2: 3.5 }), done, "maximize"), false);
  });

  it("waits for nStartupTrials completed trials and nWarmupSteps steps", () => {
    assert.equal(new MedianPruner({ nStartupTrials: 6 }).prune(t(9, "running", { 2: 100 }), done, "minimize"), false);
    assert.equal(new MedianPruner({ nWarmupSteps: 3 }).prune(t(9, "running", { 2: 100 }), done, "minimize"), false);
    assert.equal(new MedianPruner({ nStartupTrials: 5 }).prune(t(9, "running", { 2: 100 }), done, "minimize"), true);
  });

  it("ignores running and pruned trials when computing the median", () => {
    const others = [...done.slice(0, 4), t(7, "running", { 2: 0 }), t(8, "pruned", { 2: 0 })];
    // only 4 complete: below nStartupTrials = 5
    assert.equal(new MedianPruner().prune(t(9, "running", { 2: 100 }), others, "minimize"), false);
  });

  it("prunes a trial that reported NaN", () => {
    assert.equal(new MedianPruner().prune(t(9, "running", { 2: NaN }), done, "minimize"), true);
  });
});

describe("successive halving (ASHA) pruner", () => {
  // reduction factor 2 → rungs at steps 1, 2, 4, 8
  const others = [t(0, "complete", { 1: 1.0, 2: 0.5 }), t(1, "pruned", { 1: 2.0, 2: 1.5 }), t(2, "running", { 1: 3.0 })];
  const p = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });

  it("places rungs at minResource · factor^k", () => {
    assert.deepEqual([0, 1, 2, 3].map((k) => p.rungStep(k)), [1, 2, 4, 8]);
    assert.equal(new SuccessiveHalvingPruner({ minResource: 3, reductionFactor: 3, minEarlyStoppingRate: 1 }).rungStep(0), 9);
  });

  it("keeps the top 1/factor of the trials that reached a rung", () => {
    // rung 0 values: 2.5 (mine), 1, 2, 3 → keep the best 4/2 = 2 → threshold 2
    assert.equal(p.prune(t(3, "running", { 1: 2.5 }), others, "minimize"), true);
    assert.equal(p.prune(t(3, "running", { 1: 1.5 }), others, "minimize"), false);
  });

  it("with fewer trials than the factor at a rung, only the best goes on", () => {
    // rung 1 values: 1.0 (mine), 0.5, 1.5 → 3 // 2 − 1 = 0 → must beat 0.5
    assert.equal(p.prune(t(3, "running", { 1: 1.5, 2: 1.0 }), others, "minimize"), true);
    assert.equal(p.prune(t(3, "running", { 1: 1.5, 2: 0.4 }), others, "minimize"), false);
  });

  it("judges a rung only when it is first reached", () => {
    // step 3 reaches no new rung: not pruned whatever the value
    assert.equal(p.prune(t(3, "running", { 1: 1.5, 2: 0.4, 3: 99 }), others, "minimize"), false);
  });

  it("is made by name with its options checked", () => {
    assert.equal(createPruner("asha", { reductionFactor: 3 }).name, "asha");
    assert.throws(() => createPruner("asha", { reductionFactor: 1 }), /reductionFactor.*1/);
    assert.throws(() => new MedianPruner({ nWarmupSteps: -1 }), /nWarmupSteps.*-1/);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError } from "../../src/errors.js";
import { categoricalParam, conditional, contains, createPruner, createSampler, createStudy, floatParam, intParam, space } from "../../src/tuning/index.js";

describe("search space", () => {
  it("rejects an empty space", () => {
    assert.throws(() => space({}), (e: Error) => e instanceof ConfigError && /empty/.test(e.message));
  });

  it("names the parameter and both values when low > high", () => {
    assert.throws(() => space({ lr: floatParam(0.1, 0.01) }), (e: Error) => e instanceof ConfigError && /"lr"/.test(e.message) && /0\.1/.test(e.message) && /0\.01/.test(e.message));
  });

  it("rejects a log dimension with low ≤ 0, naming it and the value", () => {
    assert.throws(() => space({ lr: floatParam(0, 1, { log: true }) }), (e: Error) => e instanceof ConfigError && /"lr"/.test(e.message) && /got 0/.test(e.message));
    assert.throws(() => space({ units: intParam(0, 64, { log: true }) }), (e: Error) => e instanceof ConfigError && /"units"/.test(e.message));
  });

  it("rejects a step that does not divide the range", () => {
    assert.throws(() => space({ units: intParam(8, 100, { step: 8 }) }), (e: Error) => e instanceof ConfigError && /"units"/.test(e.message) && /step` 8/.test(e.message) && /\[8, 100\]/.test(e.message));
    assert.throws(() => space({ d: floatParam(0, 1, { step: 0.3 }) }), (e: Error) => e instanceof ConfigError && /"d"/.test(e.message));
    assert.doesNotThrow(() => space({ d: floatParam(0, 0.5, { step: 0.1 }) }));
  });

  it("rejects non-integer bounds of an int parameter and empty or repeated choices", () => {
    assert.throws(() => space({ n: intParam(1.5, 3) }), /"n".*1\.5/);
    assert.throws(() => space({ c: categoricalParam([]) }), /"c"/);
    assert.throws(() => space({ c: categoricalParam(["a", "a"]) }), /"c".*"a"/);
  });

  it("rejects conditions on parameters declared later or on impossible values", () => {
    assert.throws(() => space({ u2: conditional({ layers: 2 }, intParam(8, 64)), layers: intParam(1, 3) }), /"u2".*"layers".*not declared before/);
    assert.throws(() => space({ layers: intParam(1, 3), u2: conditional({ layers: 5 }, intParam(8, 64)) }), /"u2".*5.*"layers"/);
  });

  it("decides activity from the parent's value", () => {
    const s = space({ layers: intParam(1, 3), u2: conditional({ layers: [2, 3] }, intParam(8, 64)), u3: conditional({ layers: 3 }, intParam(8, 64)) });
    assert.equal(s.isActive("u2", { layers: 1 }), false);
    assert.equal(s.isActive("u2", { layers: 2 }), true);
    assert.equal(s.isActive("u3", { layers: 2 }), false);
    assert.deepEqual(s.activeOnly({ layers: 2, u2: 16, u3: 32 }), { layers: 2, u2: 16 });
  });

  it("prints one line per parameter with its range, scale and condition", () => {
    const s = space({ lr: floatParam(1e-4, 0.1, { log: true }), layers: intParam(1, 2), units2: conditional({ layers: 2 }, intParam(8, 64, { step: 8 })), cell: categoricalParam(["lstm", "gru"]) });
    const text = s.toString();
    assert.match(text, /SearchSpace \(4 parameters\)/);
    assert.match(text, /lr\s+float \[0\.0001, 0\.1\] log/);
    assert.match(text, /units2\s+int \[8, 64\] step 8\s+if layers = 2/);
    assert.match(text, /cell\s+categorical \{lstm, gru\}/);
    assert.deepEqual(s.rows()[2], { name: "units2", kind: "int", range: "[8, 64]", log: false, step: 8, when: "layers = 2" });
  });

  it("knows which values a distribution can produce", () => {
    assert.equal(contains(intParam(8, 64, { step: 8 }), 24), true);
    assert.equal(contains(intParam(8, 64, { step: 8 }), 20), false);
    assert.equal(contains(floatParam(0, 1), 1.5), false);
    assert.equal(contains(categoricalParam(["a", 1]), "1"), false);
  });

  it("rejects unknown samplers, pruners and directions by name", async () => {
    assert.throws(() => createSampler("tpe" as never), (e: Error) => e instanceof ConfigError && /"tpe"/.test(e.message) && /random, grid, gp/.test(e.message));
    assert.throws(() => createPruner("hyperband" as never), (e: Error) => e instanceof ConfigError && /"hyperband"/.test(e.message) && /median/.test(e.message));
    await assert.rejects(createStudy({ direction: "up" as never }), /"up"/);
    await assert.rejects(createStudy({ space: { x: floatParam(0, 1) }, sampler: "bayes" as never }), /sampler "bayes"/);
  });
});

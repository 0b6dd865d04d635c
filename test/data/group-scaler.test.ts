import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { fitGroupScaler, GroupScaler } from "../../src/data/group-scaler.js";
import { ConfigError, DataError } from "../../src/errors.js";

// Series interleaved by time: A = 0..5, B = 100, 102, ..., 110.
const long = aq.table({
  s: ["A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A", "B"],
  y: [0, 100, 1, 102, 2, 104, 3, 106, 4, 108, 5, 110],
});
const train = long.slice(0, 8); // A 0..3, B 100..106
const test = long.slice(8); // A 4, 5; B 108, 110

describe("fitGroupScaler", () => {
  it("fits each series on its own training rows, as worked by hand", () => {
    const gs = fitGroupScaler(train, ["y"], "s", "standard");
    // A: mean 1.5, population std sqrt(((1.5²+0.5²)·2)/4) = sqrt(1.25); B: mean 103, std 2·sqrt(1.25)
    assert.deepEqual(gs.forSeries("A").center, [1.5]);
    assert.ok(Math.abs((gs.forSeries("A").scale[0] as number) - Math.sqrt(1.25)) < 1e-12);
    assert.deepEqual(gs.forSeries("B").center, [103]);
    assert.ok(Math.abs((gs.forSeries("B").scale[0] as number) - 2 * Math.sqrt(1.25)) < 1e-12);
    // the test rows use the training statistics: A's 4 → 2.5 / sqrt(1.25), B's 108 → 5 / (2 sqrt(1.25)), both 2.2360…
    const t = gs.transform(test).array("y") as ArrayLike<number>;
    const z = 2.5 / Math.sqrt(1.25);
    assert.ok(Math.abs((t[0] as number) - z) < 1e-12 && Math.abs((t[1] as number) - z) < 1e-12);
    const back = gs.inverse(gs.transform(test)).array("y") as ArrayLike<number>;
    assert.deepEqual(Array.from(back, (v) => Math.round(v * 1e9) / 1e9), [4, 108, 5, 110]);
  });

  it("is plain JSON that restores to the same scaler", () => {
    const gs = fitGroupScaler(train, ["y"], "s", { kind: "minmax", featureRange: [-1, 1] });
    const json = JSON.parse(JSON.stringify(gs)) as unknown;
    assert.deepEqual(json, { group: "s", series: { A: { kind: "minmax", columns: ["y"], center: [0], scale: [1.5], offset: [-1] }, B: { kind: "minmax", columns: ["y"], center: [100], scale: [3], offset: [-1] } } });
    const again = GroupScaler.fromJSON(JSON.stringify(gs));
    assert.deepEqual(again.transform(test).array("y"), gs.transform(test).array("y"));
  });

  it("names an unknown series and the group column given as a scaled column", () => {
    const gs = fitGroupScaler(train, ["y"], "s");
    assert.throws(() => gs.transform(aq.table({ s: ["C"], y: [1] })), (e: Error) => e instanceof ConfigError && /Series "C" was not fitted/.test(e.message));
    assert.throws(() => fitGroupScaler(train, ["y", "s"], "s"), (e: Error) => e instanceof ConfigError && /`group` "s" is also in `columns`/.test(e.message));
    assert.throws(() => fitGroupScaler(aq.table({ s: ["A", null], y: [1, 2] }), ["y"], "s"), (e: Error) => e instanceof DataError && /missing value at row 1/.test(e.message));
  });
});

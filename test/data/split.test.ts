import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { timeSplit } from "../../src/data/split.js";
import { foldTables, kFold, scaledFolds, stratifiedKFold, timeSeriesFolds } from "../../src/data/folds.js";
import { windowArrays } from "../../src/data/windows.js";
import { ConfigError, DataError } from "../../src/errors.js";

const days = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2021, 0, 1 + i)));
const t20 = aq.table({ d: days(20), v: Array.from({ length: 20 }, (_, i) => i) });
const ints = (a: Int32Array) => Array.from(a);

describe("timeSplit", () => {
  it("cuts consecutive parts by fraction, test taking the rest", () => {
    const s = timeSplit(t20, { train: 0.6, val: 0.25, timeColumn: "d" });
    // 20 * 0.6 = 12, 20 * 0.25 = 5, test 3
    assert.deepEqual(s.train.array("v"), Array.from({ length: 12 }, (_, i) => i));
    assert.deepEqual(s.val.array("v"), [12, 13, 14, 15, 16]);
    assert.deepEqual(s.test.array("v"), [17, 18, 19]);
  });

  it("rounds fractions as written, not as floating point computes them", () => {
    // 1460 * 0.7 is 1021.9999999999999 in floating point; the user means 1022 rows
    const big = aq.table({ v: new Float64Array(1460) });
    assert.deepEqual(timeSplit(big, { train: 0.7, val: 0.15 }).ranges, { train: [0, 1022], val: [1022, 1241], test: [1241, 1460] });
  });

  it("cuts by date: train before trainEnd, val before valEnd", () => {
    const s = timeSplit(t20, { timeColumn: "d", trainEnd: new Date(Date.UTC(2021, 0, 11)), valEnd: new Date(Date.UTC(2021, 0, 16)) });
    assert.deepEqual(s.ranges, { train: [0, 10], val: [10, 15], test: [15, 20] });
    assert.equal((s.val.array("d")[0] as Date).toISOString(), "2021-01-11T00:00:00.000Z");
  });

  it("drops gap rows before val and test", () => {
    const s = timeSplit(t20, { train: 0.5, val: 0.25, gap: 2 });
    assert.deepEqual(s.ranges, { train: [0, 10], val: [12, 15], test: [17, 20] });
  });

  it("gives windows that never straddle a boundary when each part is windowed on its own", () => {
    const s = timeSplit(t20, { train: 0.5, val: 0.5 });
    const wv = windowArrays(s.val, { features: ["v"], targets: ["v"], lookback: 3 });
    // every input of the first val window is a val row (>= 10)
    assert.ok(Array.from(wv.xData).every((x) => x >= 10));
    const wt = windowArrays(s.train, { features: ["v"], targets: ["v"], lookback: 3 });
    assert.ok(Array.from(wt.yData).every((y) => y < 10));
  });

  it("rejects bad fractions, unsorted times and date cuts without a time column", () => {
    assert.throws(() => timeSplit(t20, { train: 0.8, val: 0.3 }), (e: Error) => e instanceof ConfigError && /0.8 \+ 0.3/.test(e.message));
    assert.throws(() => timeSplit(t20, { train: 0 }), /`train` must be in \(0, 1\], got 0/);
    assert.throws(() => timeSplit(t20, { trainEnd: new Date() }), /`trainEnd` needs `timeColumn`/);
    assert.throws(() => timeSplit(aq.table({ d: [3, 1, 2] }), { timeColumn: "d" }), (e: Error) => e instanceof DataError && /row 1/.test(e.message));
    assert.throws(() => timeSplit(aq.table({ d: [] as number[] })), /empty/);
  });
});

describe("timeSeriesFolds", () => {
  it("matches sklearn's TimeSeriesSplit(n_splits=5) on 6 rows", () => {
    const f = timeSeriesFolds(6, { folds: 5 });
    assert.deepEqual(f.map((x) => [ints(x.train), ints(x.test)]), [
      [[0], [1]],
      [[0, 1], [2]],
      [[0, 1, 2], [3]],
      [[0, 1, 2, 3], [4]],
      [[0, 1, 2, 3, 4], [5]],
    ]);
  });

  it("matches sklearn's TimeSeriesSplit(n_splits=3, test_size=2, gap=2) on 12 rows", () => {
    const f = timeSeriesFolds(12, { folds: 3, testSize: 2, gap: 2 });
    assert.deepEqual(f.map((x) => [ints(x.train), ints(x.test)]), [
      [[0, 1, 2, 3], [6, 7]],
      [[0, 1, 2, 3, 4, 5], [8, 9]],
      [[0, 1, 2, 3, 4, 5, 6, 7], [10, 11]],
    ]);
  });

  it("slides a fixed-size training window in sliding mode", () => {
    const f = timeSeriesFolds(12, { folds: 3, testSize: 2, mode: "sliding", trainSize: 3 });
    assert.deepEqual(f.map((x) => ints(x.train)), [[3, 4, 5], [5, 6, 7], [7, 8, 9]]);
    for (const x of f) assert.ok(Math.max(...x.train) < Math.min(...x.test));
  });

  it("rejects too few rows for the folds", () => {
    assert.throws(() => timeSeriesFolds(5, { folds: 3, testSize: 2 }), (e: Error) => e instanceof DataError && /5 rows are too few/.test(e.message));
    assert.throws(() => timeSeriesFolds(5, { folds: 0 }), /`folds` must be a positive integer, got 0/);
  });

  it("fits each fold's scaler on that fold's training rows only", () => {
    const table = aq.table({ v: [0, 2, 4, 6, 100, 200] });
    const [f0] = scaledFolds(table, timeSeriesFolds(6, { folds: 2, testSize: 1 }), ["v"], "standard");
    // fold 0 trains on [0, 2, 4, 6]: mean 3, population std sqrt(5); test row is 100
    assert.equal(f0!.scaler.center[0], 3);
    assert.ok(Math.abs((f0!.scaler.scale[0] as number) - Math.sqrt(5)) < 1e-12);
    assert.ok(Math.abs((f0!.test.array("v")[0] as number) - 97 / Math.sqrt(5)) < 1e-12);
  });
});

describe("kFold and stratifiedKFold", () => {
  it("partitions rows with sklearn's fold sizes (first n % k folds one larger)", () => {
    const f = kFold(10, { k: 3, shuffle: false });
    assert.deepEqual(f.map((x) => ints(x.test)), [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    assert.deepEqual(ints(f[1]!.train), [0, 1, 2, 3, 7, 8, 9]);
  });

  it("shuffles with a seed: same seed same folds, each row tested once", () => {
    const a = kFold(25, { k: 4, seed: 7 });
    const b = kFold(25, { k: 4, seed: 7 });
    const c = kFold(25, { k: 4, seed: 8 });
    assert.deepEqual(a.map((x) => ints(x.test)), b.map((x) => ints(x.test)));
    assert.notDeepEqual(a.map((x) => ints(x.test)), c.map((x) => ints(x.test)));
    const all = a.flatMap((x) => ints(x.test)).sort((p, q) => p - q);
    assert.deepEqual(all, Array.from({ length: 25 }, (_, i) => i));
    for (const x of a) assert.equal(x.train.length + x.test.length, 25);
  });

  it("keeps class proportions in every stratified fold", () => {
    // 12 spam, 28 ham over 4 folds: each fold gets 3 spam and 7 ham
    const labels = Array.from({ length: 40 }, (_, i) => (i % 10 < 3 ? "spam" : "ham"));
    const f = stratifiedKFold(labels, { k: 4, seed: 3 });
    for (const x of f) {
      const spam = ints(x.test).filter((i) => labels[i] === "spam").length;
      assert.equal(spam, 3);
      assert.equal(x.test.length, 10);
    }
    assert.deepEqual(f.flatMap((x) => ints(x.test)).sort((p, q) => p - q), Array.from({ length: 40 }, (_, i) => i));
  });

  it("rejects k below 2, k above the rows, and missing labels", () => {
    assert.throws(() => kFold(10, { k: 1 }), /`k` must be at least 2, got 1/);
    assert.throws(() => kFold(3, { k: 4 }), /`k` \(4\) is larger than the number of rows \(3\)/);
    assert.throws(() => stratifiedKFold(["a", null, "b", "a"], { k: 2 }), /row 1 is missing/);
  });

  it("turns a fold into tables of its rows", () => {
    const table = aq.table({ v: [10, 11, 12, 13], s: ["a", "b", "c", "d"] });
    const { train, test } = foldTables(table, { index: 0, train: Int32Array.from([0, 3]), test: Int32Array.from([2]) });
    assert.deepEqual(train.objects(), [{ v: 10, s: "a" }, { v: 13, s: "d" }]);
    assert.deepEqual(test.objects(), [{ v: 12, s: "c" }]);
  });
});

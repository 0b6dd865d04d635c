import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { missingReport } from "../../src/data/missing.js";
import { fillMissing } from "../../src/data/fill-missing.js";
import { sortByTime } from "../../src/data/sort-by-time.js";
import { checkTimestamps } from "../../src/data/timestamps.js";
import { parseEvery, resample } from "../../src/data/resample.js";
import { ConfigError } from "../../src/errors.js";

const H = 3_600_000;
const gappy = aq.table({ t: [0, 1, 2, 3, 4, 5], v: [null, 1, NaN, NaN, 7, null], s: ["a", null, "c", "d", "e", "f"] });

describe("missing values", () => {
  it("reports count, fraction and first row per column", () => {
    const r = missingReport(gappy).objects();
    assert.deepEqual(r, [
      { column: "t", missing: 0, fraction: 0, firstRow: null },
      { column: "v", missing: 4, fraction: 4 / 6, firstRow: 0 },
      { column: "s", missing: 1, fraction: 1 / 6, firstRow: 1 },
    ]);
  });

  it("forward fills, back fills and leaves the open end alone", () => {
    assert.deepEqual(Array.from(fillMissing(gappy, { method: "ffill", columns: ["v"] }).array("v")), [null, 1, 1, 1, 7, 7]);
    assert.deepEqual(Array.from(fillMissing(gappy, { method: "bfill", columns: ["v"] }).array("v")), [1, 1, 7, 7, 7, null]);
    assert.deepEqual(Array.from(fillMissing(gappy, { method: "ffill", columns: ["s"] }).array("s")), ["a", "a", "c", "d", "e", "f"]);
  });

  it("interpolates linearly by row, or by time when the spacing is uneven", () => {
    assert.deepEqual(Array.from(fillMissing(gappy, { method: "linear", columns: ["v"] }).array("v")), [null, 1, 3, 5, 7, null]);
    const uneven = aq.table({ t: [0, 1, 4], v: [0, null, 8] });
    assert.deepEqual(Array.from(fillMissing(uneven, { method: "linear", columns: ["v"], timeColumn: "t" }).array("v")), [0, 2, 8]);
  });

  it("drops rows with a missing value in the chosen columns, and fills a constant", () => {
    assert.deepEqual(fillMissing(gappy, { method: "drop", columns: ["v", "s"] }).array("t"), [4]);
    assert.deepEqual(Array.from(fillMissing(gappy, { method: "constant", columns: ["v"], value: 0 }).array("v")), [0, 1, 0, 0, 7, 0]);
    assert.throws(() => fillMissing(gappy, { method: "constant" }), (e: Error) => e instanceof ConfigError && /`value`, got null/.test(e.message));
    assert.throws(() => fillMissing(gappy, { method: "mean" as "drop" }), /Unknown method "mean"/);
  });

  it("does not change the input table", () => {
    const before = JSON.stringify(gappy.objects());
    fillMissing(gappy, { method: "linear", columns: ["v"] });
    fillMissing(gappy, { method: "ffill" });
    assert.equal(JSON.stringify(gappy.objects()), before);
  });
});

describe("time order and spacing", () => {
  const messy = aq.table({ t: [0, 2 * H, H, 2 * H, 5 * H], v: [1, 2, 3, 4, 5] });

  it("sorts by time keeping equal times in order", () => {
    const s = sortByTime(messy, "t");
    assert.deepEqual(s.array("v"), [1, 3, 2, 4, 5]);
  });

  it("finds unsorted rows, duplicates and irregular steps", () => {
    const r = checkTimestamps(messy, "t");
    assert.equal(r.sorted, false);
    assert.equal(r.firstUnsortedRow, 2);
    assert.equal(r.duplicates, 1);
    assert.equal(r.firstDuplicateRow, 3);
    // distinct sorted times 0, 1h, 2h, 5h: steps 1h, 1h, 3h
    assert.equal(r.step, H);
    assert.equal(r.irregularSteps, 1);
    assert.equal(r.regular, false);
    assert.equal(checkTimestamps(aq.table({ t: [0, H, 2 * H] }), "t").regular, true);
  });

  it("resamples to a regular hourly grid with mean, sum and last", () => {
    const raw = aq.table({ t: [0, 0.5 * H, 1.2 * H, 3.9 * H].map((x) => new Date(x)), v: [1, 3, 10, 20], s: ["a", "b", "c", "d"] });
    const mean = resample(raw, { timeColumn: "t", every: "1h" });
    assert.deepEqual((mean.array("t") as Date[]).map((d) => d.getTime()), [0, H, 2 * H, 3 * H]);
    assert.deepEqual(Array.from(mean.array("v") as ArrayLike<number>), [2, 10, NaN, 20]);
    assert.deepEqual(mean.columnNames(), ["t", "v"]);
    assert.deepEqual(Array.from(resample(raw, { timeColumn: "t", every: H, agg: "sum" }).array("v") as ArrayLike<number>), [4, 10, 0, 20]);
    const last = resample(raw, { timeColumn: "t", every: "1h", agg: "last", columns: ["v", "s"] });
    assert.deepEqual(Array.from(last.array("v") as ArrayLike<number>), [3, 10, NaN, 20]);
    assert.deepEqual(last.array("s"), ["b", "c", null, "d"]);
  });

  it("parses frequencies and rejects bad ones", () => {
    assert.equal(parseEvery("15min"), 15 * 60_000);
    assert.equal(parseEvery("1d"), 86_400_000);
    assert.equal(parseEvery("w"), 604_800_000);
    assert.throws(() => parseEvery("1 fortnight"), /`every` must be .* got "1 fortnight"/);
    assert.throws(() => parseEvery(0), /`every` must be a positive number, got 0/);
    assert.throws(() => resample(aq.table({ t: [0], s: ["x"] }), { timeColumn: "t", every: 1, columns: ["s"] }), /Column "s" is not numeric/);
  });
});

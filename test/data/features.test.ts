import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import { addLags, addLeads } from "../../src/data/lags.js";
import { addDiff, addPctChange } from "../../src/data/diff.js";
import { addExpanding, addRolling } from "../../src/data/rolling.js";
import { addCalendar } from "../../src/data/calendar.js";
import { oneHot, oneHotCategories } from "../../src/data/one-hot.js";
import { ConfigError, DataError } from "../../src/errors.js";

const nums = (t: aq.ColumnTable, c: string) => Array.from(t.array(c) as ArrayLike<number>);
const close = (a: number[], b: number[], tol = 1e-12) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok((Number.isNaN(v) && Number.isNaN(b[i] as number)) || Math.abs(v - (b[i] as number)) <= tol, `at ${i}: ${v} vs ${b[i]}`));
};
const t = aq.table({ x: [1, 2, 4, 7, 11, 16] });

describe("lags, leads and differences", () => {
  it("lags look back and leads look forward, NaN where there is no row", () => {
    const out = addLeads(addLags(t, "x", [1, 2]), "x", [1]);
    close(nums(out, "x_lag1"), [NaN, 1, 2, 4, 7, 11]);
    close(nums(out, "x_lag2"), [NaN, NaN, 1, 2, 4, 7]);
    close(nums(out, "x_lead1"), [2, 4, 7, 11, 16, NaN]);
    assert.deepEqual(t.columnNames(), ["x"]);
  });

  it("differences, seasonal differences, second order and percent change", () => {
    close(nums(addDiff(t, "x"), "x_diff1"), [NaN, 1, 2, 3, 4, 5]);
    close(nums(addDiff(t, "x", { lag: 3 }), "x_diff3"), [NaN, NaN, NaN, 6, 9, 12]);
    close(nums(addDiff(t, "x", { order: 2 }), "x_diff1_o2"), [NaN, NaN, 1, 1, 1, 1]);
    close(nums(addPctChange(t, "x"), "x_pct1"), [NaN, 1, 1, 0.75, 4 / 7, 5 / 11]);
    close(nums(addPctChange(aq.table({ x: [0, 5] }), "x"), "x_pct1"), [NaN, NaN]);
  });

  it("rejects bad lags and unknown columns", () => {
    assert.throws(() => addLags(t, "x", [0]), (e: Error) => e instanceof ConfigError && /`lags\[0\]` must be a positive integer, got 0/.test(e.message));
    assert.throws(() => addDiff(t, "y"), (e: Error) => e instanceof DataError && /"y"/.test(e.message));
  });
});

describe("rolling and expanding statistics", () => {
  it("rolling mean, sample std, min and max over the trailing window", () => {
    const out = addRolling(t, "x", 3, ["mean", "std", "min", "max"]);
    close(nums(out, "x_roll3_mean"), [NaN, NaN, 7 / 3, 13 / 3, 22 / 3, 34 / 3]);
    // rows 1..3 = [2, 4, 7]: mean 13/3, sample variance ((−7/3)² + (−1/3)² + (8/3)²) / 2 = 57/9
    close(nums(out, "x_roll3_std").slice(3, 4), [Math.sqrt(57 / 9)]);
    close(nums(out, "x_roll3_min"), [NaN, NaN, 1, 2, 4, 7]);
    close(nums(out, "x_roll3_max"), [NaN, NaN, 4, 7, 11, 16]);
  });

  it("never uses a later row: changing the future leaves earlier values alone", () => {
    const a = nums(addRolling(t, "x", 2, ["mean"], { minPeriods: 1 }), "x_roll2_mean");
    const b = nums(addRolling(aq.table({ x: [1, 2, 4, 7, 11, 1000] }), "x", 2, ["mean"], { minPeriods: 1 }), "x_roll2_mean");
    close(a.slice(0, 5), b.slice(0, 5));
    close(a, [1, 1.5, 3, 5.5, 9, 13.5]);
  });

  it("expanding statistics, skipping missing values", () => {
    const out = addExpanding(aq.table({ x: [2, NaN, 4, 6] }), "x", ["mean", "std", "max", "sum"]);
    close(nums(out, "x_exp_mean"), [2, 2, 3, 4]);
    close(nums(out, "x_exp_std"), [NaN, NaN, Math.SQRT2, 2]);
    close(nums(out, "x_exp_max"), [2, 2, 4, 6]);
    close(nums(out, "x_exp_sum"), [2, 2, 6, 12]);
  });

  it("rejects unknown stats and minPeriods above the window", () => {
    assert.throws(() => addRolling(t, "x", 3, ["median" as "mean"]), /Unknown stats\[0\] "median"/);
    assert.throws(() => addRolling(t, "x", 3, ["mean"], { minPeriods: 4 }), /`minPeriods` \(4\) must be at most `window` \(3\)/);
  });
});

describe("addCalendar", () => {
  it("encodes day of week, month and day of year as sin/cos", () => {
    // 2024-01-01 is a Monday (1); 2024-03-01 is day 61 of a leap year (index 60); 2023-12-31 is a Sunday, index 364 of 365
    const d = aq.table({ d: [new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 2, 1)), new Date(Date.UTC(2023, 11, 31))] });
    const out = addCalendar(d, "d");
    const tau = 2 * Math.PI;
    close(nums(out, "dow_sin"), [Math.sin(tau / 7), Math.sin((tau * 5) / 7), 0]);
    close(nums(out, "dow_cos"), [Math.cos(tau / 7), Math.cos((tau * 5) / 7), 1]);
    close(nums(out, "month_sin"), [0, Math.sin((tau * 2) / 12), Math.sin((tau * 11) / 12)]);
    close(nums(out, "doy_sin"), [0, Math.sin((tau * 60) / 366), Math.sin((tau * 364) / 365)]);
  });

  it("rejects a missing timestamp with its row", () => {
    assert.throws(() => addCalendar(aq.table({ d: [new Date(0), null] }), "d"), /"d" has null at row 1/);
  });
});

describe("oneHot", () => {
  const w = aq.table({ weather: ["sun", "rain", "fog", "rain"], v: [1, 2, 3, 4] });

  it("sorts categories and makes one 0/1 column per category", () => {
    assert.deepEqual(oneHotCategories(w, "weather"), ["fog", "rain", "sun"]);
    const out = oneHot(w, "weather");
    assert.deepEqual(out.columnNames(), ["v", "weather_fog", "weather_rain", "weather_sun"]);
    assert.deepEqual(nums(out, "weather_rain"), [0, 1, 0, 1]);
    assert.deepEqual(nums(out, "weather_sun"), [1, 0, 0, 0]);
  });

  it("reuses training categories on new data and refuses unknown values unless told", () => {
    const test = aq.table({ weather: ["snow", "sun"] });
    const cats = oneHotCategories(w, "weather");
    assert.throws(() => oneHot(test, "weather", { categories: cats }), /"snow" at row 0, which is not one of its categories/);
    const out = oneHot(test, "weather", { categories: cats, unknown: "ignore" });
    assert.deepEqual(out.columnNames(), ["weather_fog", "weather_rain", "weather_sun"]);
    assert.deepEqual(nums(out, "weather_sun"), [0, 1]);
    assert.deepEqual(oneHotCategories(aq.table({ n: [10, 9, 100] }), "n"), [9, 10, 100]);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, ShapeError } from "../../src/errors.js";
import { forecastFanFigure, forecastFanInfo } from "../../src/plots/forecast-fan.js";

const input = {
  actual: { x: [0, 1, 2, 3, 4, 5], y: [1, 2, 3, 4, 5, 6] },
  x: [3, 4, 5, 6],
  quantiles: [
    { level: 0.05, values: [0, 0, 0, 0] },
    { level: 0.1, values: [3.5, 3, 6.5, 0] },
    { level: 0.5, values: [4, 4, 6.6, 6] },
    { level: 0.9, values: [4.5, 5, 7, 8] },
    { level: 0.95, values: [10, 10, 10, 10] },
  ],
};

describe("forecast fan", () => {
  it("pairs the levels from the outside in and counts the actual values each band covers", () => {
    const info = forecastFanInfo(input, { yTitle: "Load (MW)" });
    assert.deepEqual(
      info.bands.map((b) => [b.lowerLevel, b.upperLevel, b.nominal, b.covered]),
      // Actual values on forecast steps: 4, 5, 6 at x 3, 4, 5 (x 6 has none). The 80% band misses 6 (below 6.5).
      [
        [0.05, 0.95, 90, 100],
        [0.1, 0.9, 80, 66.6666666667],
      ],
    );
    assert.deepEqual(info.median, [4, 4, 6.6, 6]);
    assert.equal(info.yTitle, "Load (MW)");
  });

  it("draws each band as an upper edge and a lower edge filled to it, inner bands darker, then the median and the actual series", () => {
    const fig = forecastFanFigure(forecastFanInfo(input));
    assert.deepEqual(fig.data.map((t) => t.name), ["q95", "90% interval (covers 100%)", "q90", "80% interval (covers 66.6666666667%)", "median forecast", "actual"]);
    assert.equal(fig.data[1]?.["fill"], "tonexty");
    assert.deepEqual(fig.data[0]?.["y"], [10, 10, 10, 10]);
    assert.deepEqual(fig.data[3]?.["y"], [3.5, 3, 6.5, 0]);
    assert.equal(fig.data[1]?.["fillcolor"], "rgba(0, 114, 178, 0.325)");
    assert.equal(fig.data[3]?.["fillcolor"], "rgba(0, 114, 178, 0.5)");
    assert.deepEqual(fig.data[5]?.["x"], [0, 1, 2, 3, 4, 5]);
    assert.equal(fig.layout.title?.text, "Forecast");
  });

  it("leaves coverage null when no actual value falls on a forecast step, and Dates become ISO strings", () => {
    const d = (day: number) => new Date(Date.UTC(2024, 0, day));
    const info = forecastFanInfo({ actual: { x: [d(1), d(2)], y: [1, 2] }, x: [d(3)], quantiles: [{ level: 0.25, values: [1] }, { level: 0.75, values: [3] }] });
    assert.equal(info.bands[0]?.covered, null);
    assert.deepEqual(info.x, ["2024-01-03T00:00:00.000Z"]);
    assert.equal(info.median, null);
  });

  it("refuses crossing quantiles, unsorted or out-of-range levels, and values of the wrong length", () => {
    const q = (levels: number[], values: number[][]) => ({ ...input, x: [3], quantiles: levels.map((level, i) => ({ level, values: values[i] as number[] })) });
    assert.throws(() => forecastFanInfo(q([0.1, 0.9], [[2], [1]])), (e: Error) => e instanceof ConfigError && /`quantiles\[1\]` \(level 0.9\) falls below/.test(e.message));
    assert.throws(() => forecastFanInfo(q([0.9, 0.1], [[1], [2]])), /`quantiles\[1\]\.level` must be above the level before it \(0.9\), got 0.1/);
    assert.throws(() => forecastFanInfo(q([0, 0.9], [[1], [2]])), /`quantiles\[0\]\.level` must be a quantile level strictly between 0 and 1, got 0/);
    assert.throws(() => forecastFanInfo({ ...input, x: [3, 4] }), (e: Error) => e instanceof ShapeError && /`quantiles\[0\]\.values` has 4 values but `x` has 2/.test(e.message));
  });
});

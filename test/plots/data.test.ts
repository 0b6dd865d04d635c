import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DataError, ConfigError } from "../../src/errors.js";
import { correlationFigure, correlationInfo, pearson, ranks } from "../../src/plots/correlation.js";
import { histogramBins } from "../../src/plots/histogram-bins.js";
import { histogramsFigure, histogramsInfo } from "../../src/plots/histograms.js";
import { missingFigure, missingInfo } from "../../src/plots/missing.js";
import { seriesFigure, seriesInfo } from "../../src/plots/series.js";
import { NEUTRAL_TEMPLATE } from "../../src/plots/theme.js";
import { tableOf } from "./table-fixture.js";

const close = (a: number | null | undefined, b: number, eps = 1e-12) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < eps, `${a} ≈ ${b}`);

describe("histogramBins", () => {
  it("follows numpy: equal widths, the last bin closed on the right", () => {
    // numpy.histogram([0,1,2,3,4], bins=2) -> counts [2, 3], edges [0, 2, 4]
    const b = histogramBins([0, 1, 2, 3, 4], 2);
    assert.deepEqual(b.edges, [0, 2, 4]);
    assert.deepEqual(b.counts, [2, 3]);
    assert.deepEqual(b.centers, [1, 3]);
  });

  it("uses Sturges' rule by default and skips non-finite values", () => {
    const b = histogramBins([1, 2, NaN, 3, 4, 5, 6, 7, 8], undefined);
    assert.equal(b.n, 8);
    assert.equal(b.counts.length, 4); // ceil(log2 8) + 1
    assert.equal(b.counts.reduce((s, v) => s + v, 0), 8);
  });

  it("puts a constant column in one bin centred on the value", () => {
    const b = histogramBins([5, 5, 5], 1);
    assert.deepEqual(b.edges, [4.5, 5.5]);
    assert.deepEqual(b.counts, [3]);
  });
});

describe("correlation", () => {
  it("computes Pearson against hand-worked values and leaves constant columns undefined", () => {
    const t = tableOf({ x: [1, 2, 3], y: [2, 4, 6], z: [3, 2, 1], w: [1, 3, 2], c: [7, 7, 7] });
    const info = correlationInfo(t);
    const m = info.matrix;
    close(m[0]![1], 1);
    close(m[0]![2], -1);
    close(m[0]![3], 0.5); // cov 1 / sqrt(2 * 2)
    assert.equal(m[0]![4], null);
    close(m[3]![3], 1);
  });

  it("ranks ties by their average position and computes Spearman on ranks", () => {
    assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
    const t = tableOf({ x: [1, 2, 3, 4], y: [1, 4, 9, 100] });
    close(correlationInfo(t, { method: "spearman" }).matrix[0]![1], 1);
    assert.ok((pearson([1, 2, 3, 4], [1, 4, 9, 100]) as number) < 0.99);
  });

  it("uses only rows where both values are present", () => {
    const t = tableOf({ a: [1, 2, null, 4], b: [2, 4, 100, 8] });
    close(correlationInfo(t).matrix[0]![1], 1);
  });

  it("draws a -1..1 heatmap with the neutral template and reversed rows", () => {
    const f = correlationFigure(correlationInfo(tableOf({ a: [1, 2, 3], b: [3, 1, 2] })));
    assert.equal(f.data[0]!.type, "heatmap");
    assert.equal(f.data[0]!["zmin"], -1);
    assert.equal(f.data[0]!["zmax"], 1);
    assert.equal(f.layout["template"], NEUTRAL_TEMPLATE);
    assert.equal((f.layout["yaxis"] as { autorange: string }).autorange, "reversed");
    assert.equal(f.layout.title?.text, "Correlation (pearson)");
  });

  it("names the unknown column and method", () => {
    assert.throws(() => correlationInfo(tableOf({ a: [1] }), { columns: ["b"] }), (e: unknown) => e instanceof DataError && /"b"/.test(e.message) && /a/.test(e.message));
    assert.throws(() => correlationInfo(tableOf({ a: [1] }), { method: "kendall" as "pearson" }), ConfigError);
  });
});

describe("missing-value map", () => {
  it("counts null, undefined and NaN per column and per bucket of rows", () => {
    const t = tableOf({ a: [1, null, 3, NaN, 5], b: ["x", "y", undefined, "z", "w"] });
    const info = missingInfo(t, { maxBuckets: 3 });
    assert.deepEqual(info.counts, [2, 1]);
    assert.equal(info.bucketSize, 2);
    assert.deepEqual(info.bucketStarts, [0, 2, 4]);
    assert.deepEqual(info.fraction, [
      [0.5, 0.5, 0],
      [0, 0.5, 0],
    ]);
    const f = missingFigure(info);
    assert.equal(f.data[0]!.type, "heatmap");
    assert.deepEqual(f.data[0]!["y"], ["a (2)", "b (1)"]);
    assert.equal((f.layout["xaxis"] as { title: { text: string } }).title.text, "Row");
  });
});

describe("series over time", () => {
  it("draws one line per numeric column against the time column, with splits shaded", () => {
    const dates = [0, 1, 2, 3].map((d) => new Date(Date.UTC(2024, 0, 1 + d)));
    const t = tableOf({ date: dates, temp: [1, 2, null, 4], wind: [5, 6, 7, 8], label: ["a", "b", "c", "d"] });
    const info = seriesInfo(t, { time: "date", splits: [{ name: "train", from: 0, to: 2 }, { name: "test", from: 2, to: 4 }] });
    assert.deepEqual(info.series.map((s) => s.name), ["temp", "wind"]);
    assert.deepEqual(info.series[0]!.y, [1, 2, null, 4]);
    assert.equal(info.x[0], "2024-01-01T00:00:00.000Z");
    assert.deepEqual(info.splits, [
      { name: "train", x0: "2024-01-01T00:00:00.000Z", x1: "2024-01-03T00:00:00.000Z" },
      { name: "test", x0: "2024-01-03T00:00:00.000Z", x1: "2024-01-04T00:00:00.000Z" },
    ]);
    const f = seriesFigure(info);
    assert.equal(f.data.length, 2);
    assert.ok(f.data.every((d) => d.type === "scatter" && (d["x"] as unknown[]).length === 4));
    assert.equal((f.layout["shapes"] as unknown[]).length, 2);
    assert.equal((f.layout["xaxis"] as { title: { text: string } }).title.text, "date");
  });

  it("rejects a split past the end, naming it", () => {
    const t = tableOf({ v: [1, 2, 3] });
    assert.throws(() => seriesInfo(t, { splits: [{ name: "val", from: 1, to: 9 }] }), (e: unknown) => e instanceof ConfigError && /splits\[0\]/.test(e.message) && /"val"/.test(e.message));
  });

  it("works on a real arquero table without copying it", async () => {
    const aq = await import("arquero");
    const t = aq.table({ x: [1, 2, 3, 4], y: [2, 4, 6, 8] });
    const info = correlationInfo(t);
    close(info.matrix[0]![1], 1);
    assert.deepEqual(histogramsInfo(t, { bins: 2 }).panels[1]!.counts, [2, 2]);
    assert.deepEqual(t.array("x"), [1, 2, 3, 4]);
  });
});

describe("histograms", () => {
  it("gives one bar panel per column on its own axes, with missing counts in the axis title", () => {
    const info = histogramsInfo(tableOf({ a: [0, 1, 2, 3, 4], b: [1, 1, null, 2, 2] }), { bins: 2 });
    assert.deepEqual(info.panels[0]!.counts, [2, 3]);
    assert.equal(info.panels[1]!.missing, 1);
    const f = histogramsFigure(info);
    assert.deepEqual(f.data.map((d) => [d.type, d["xaxis"], d["yaxis"]]), [
      ["bar", "x", "y"],
      ["bar", "x2", "y2"],
    ]);
    assert.equal((f.layout["xaxis2"] as { title: { text: string } }).title.text, "b (1 missing)");
    assert.equal((f.layout["yaxis"] as { title: { text: string } }).title.text, "Count");
  });
});

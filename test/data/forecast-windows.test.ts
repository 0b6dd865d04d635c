import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { makeWindows, windowArrays } from "../../src/data/windows.js";
import { windowDataset } from "../../src/data/window-dataset.js";
import { splitWindows } from "../../src/data/split-windows.js";
import { groupRows } from "../../src/data/group-rows.js";
import { ConfigError, DataError } from "../../src/errors.js";
import { dataset } from "../../src/data/datasets.js";

// Two series interleaved by time: A has y = 0..5 (rows 0,2,4,...), B has y = 100..105 (rows 1,3,5,...);
// m is the step number 1..6 in each series (a calendar-like future-known covariate), p = 10·y (a past covariate).
const long = aq.table({
  s: ["A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A", "B"],
  t: [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
  y: [0, 100, 1, 101, 2, 102, 3, 103, 4, 104, 5, 105],
  p: [0, 1000, 10, 1010, 20, 1020, 30, 1030, 40, 1040, 50, 1050],
  m: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
});

describe("windows per series", () => {
  it("cuts each series on its own rows, as worked by hand", () => {
    const w = windowArrays(long, { features: ["y"], targets: ["y"], lookback: 3, horizon: 2, group: "s", timeColumn: "t" });
    // each series: 6 - 3 - 2 + 1 = 2 windows
    assert.equal(w.n, 4);
    assert.deepEqual(w.seriesNames, ["A", "B"]);
    assert.deepEqual(Array.from(w.series), [0, 0, 1, 1]);
    assert.deepEqual(Array.from(w.xData), [0, 1, 2, 1, 2, 3, 100, 101, 102, 101, 102, 103]);
    assert.deepEqual(Array.from(w.yData), [3, 4, 4, 5, 103, 104, 104, 105]);
    // starts are table rows: A's rows 0, 2; B's rows 1, 3; targets 3 rows of the series later
    assert.deepEqual(Array.from(w.starts), [0, 2, 1, 3]);
    assert.deepEqual(Array.from(w.targetStarts), [6, 8, 7, 9]);
    assert.deepEqual(Array.from(w.targetTimes!), [3, 4, 4, 5, 3, 4, 4, 5]);
  });

  it("never lets a window cross from one series into the next", () => {
    const g = groupRows(long, "s");
    const seriesOf = new Map<number, number>();
    g.rows.forEach((rows, k) => rows.forEach((r) => seriesOf.set(r, k)));
    for (const lookback of [1, 2, 3]) {
      const w = windowArrays(long, { features: ["y"], targets: ["y"], lookback, horizon: 6 - lookback, group: "s" });
      for (let i = 0; i < w.n; i++) {
        const k = w.series[i] as number;
        // every input and target value of window i belongs to series k (A < 100 <= B)
        const values = [...w.xData.subarray(i * lookback, (i + 1) * lookback), ...w.yData.subarray(i * (6 - lookback), (i + 1) * (6 - lookback))];
        for (const v of values) assert.equal(v >= 100 ? 1 : 0, k, `window ${i} of lookback ${lookback} holds ${v}`);
        assert.equal(seriesOf.get(w.starts[i] as number), k);
        assert.equal(seriesOf.get(w.targetStarts[i] as number), k);
      }
    }
  });

  it("windows all 14 series of unemployment-across-industries and the 5 stocks", () => {
    const u = dataset("unemployment-across-industries");
    const wu = windowArrays(u, { features: ["rate"], targets: ["rate"], lookback: 24, horizon: 12, group: "series", timeColumn: "date" });
    assert.equal(wu.seriesNames.length, 14);
    // 122 months per series: 122 - 24 - 12 + 1 = 87 windows each
    assert.equal(wu.n, 14 * 87);
    const s = dataset("stocks");
    const ws = windowArrays(s, { features: ["price"], targets: ["price"], lookback: 12, horizon: 3, group: "symbol", timeColumn: "date" });
    assert.deepEqual(ws.seriesNames, ["MSFT", "AMZN", "IBM", "GOOG", "AAPL"]);
    // GOOG has 68 months, the others 123: 4 × (123 - 15 + 1) + (68 - 15 + 1)
    assert.equal(ws.n, 4 * 109 + 54);
  });

  it("gives the same batches through windowDataset, with series ids as the last input", async () => {
    await ready();
    const o = { features: ["y"], targets: ["y"], lookback: 2, horizon: 1, group: "s", seriesInput: true, futureCovariates: ["m"] } as const;
    const w = makeWindows(long, { ...o, futureCovariates: [...o.futureCovariates] });
    const ds = windowDataset(long, { ...o, futureCovariates: [...o.futureCovariates], batchSize: 3 });
    const xs: number[] = [], fs: number[] = [], ids: number[] = [], ys: number[] = [];
    await ds.forEachAsync((b) => {
      const [x, f, id] = b.xs as tf.Tensor[];
      xs.push(...x!.dataSync());
      fs.push(...f!.dataSync());
      ids.push(...id!.dataSync());
      ys.push(...b.ys.dataSync());
      tf.dispose([...(b.xs as tf.Tensor[]), b.ys]);
    });
    assert.deepEqual(xs, Array.from(w.x.dataSync()));
    assert.deepEqual(fs, Array.from(w.future!.dataSync()));
    assert.deepEqual(ids, [0, 0, 0, 0, 1, 1, 1, 1]);
    assert.deepEqual(ys, Array.from(w.y.dataSync()));
    assert.equal(w.inputs.length, 3);
    w.dispose();
  });
});

describe("covariates", () => {
  it("puts past and future covariates on x after the features, and the future ones at the target steps in future", () => {
    const w = windowArrays(long, { features: ["y"], targets: ["y"], pastCovariates: ["p"], futureCovariates: ["m"], lookback: 2, horizon: 3, group: "s" });
    assert.deepEqual(w.inputColumns, ["y", "p", "m"]);
    // A's first window: rows y=0,1 → [y, p, m] = [0, 0, 1], [1, 10, 2]; targets y=2,3,4; future m at those steps = 3,4,5
    assert.deepEqual(Array.from(w.xData.subarray(0, 6)), [0, 0, 1, 1, 10, 2]);
    assert.deepEqual(Array.from(w.yData.subarray(0, 3)), [2, 3, 4]);
    assert.deepEqual(Array.from(w.futureData!.subarray(0, 3)), [3, 4, 5]);
  });

  it("aligns each future covariate with the forecast step it belongs to", () => {
    // m is the step number, so the covariate at target step h must be the target time + 1
    const w = windowArrays(long, { features: ["y"], targets: ["y"], futureCovariates: ["m"], lookback: 2, horizon: 2, gap: 1, group: "s", timeColumn: "t" });
    for (let i = 0; i < w.n; i++) {
      for (let h = 0; h < 2; h++) assert.equal(w.futureData![i * 2 + h], w.targetTimes![i * 2 + h]! + 1);
    }
  });

  it("lets no future target value into an input", () => {
    // the target is unique per row, so every input value of the target column must come from a row before the first target row
    const w = windowArrays(long, { features: ["y"], targets: ["y"], pastCovariates: ["p"], futureCovariates: ["m"], lookback: 3, horizon: 3, group: "s" });
    const F = w.inputColumns.length;
    for (let i = 0; i < w.n; i++) {
      const firstTarget = w.yData[i * 3] as number;
      for (let r = 0; r < 3; r++) {
        assert.ok((w.xData[(i * 3 + r) * F] as number) < firstTarget, `window ${i} input y`);
        assert.ok((w.xData[(i * 3 + r) * F + 1] as number) < firstTarget * 10 || firstTarget === 0, `window ${i} input p`);
      }
    }
  });

  it("cuts covariates per part in splitWindows", () => {
    const w = splitWindows({ a: long.slice(0, 8), b: long.slice(4) }, { features: ["y"], targets: ["y"], futureCovariates: ["m"], lookback: 2, horizon: 1, group: "s" });
    // part a: each series has 4 rows → 2 windows each; the first A window's target step is m = 3
    assert.equal(w.a.n, 4);
    assert.deepEqual(Array.from(w.a.futureData!), [3, 4, 3, 4]);
    w.a.dispose();
    w.b.dispose();
  });
});

describe("bad forecasting input", () => {
  const base = { features: ["y"], targets: ["y"], lookback: 2, horizon: 1 };
  it("names a covariate given twice", () => {
    assert.throws(() => windowArrays(long, { ...base, futureCovariates: ["m", "m"] }), (e: Error) => e instanceof ConfigError && /`futureCovariates` names "m" twice/.test(e.message));
    assert.throws(() => windowArrays(long, { ...base, pastCovariates: ["m"], futureCovariates: ["m"] }), (e: Error) => e instanceof ConfigError && /"m" is in both `pastCovariates` and `futureCovariates`/.test(e.message));
  });
  it("names a covariate that is also a target", () => {
    assert.throws(() => windowArrays(long, { ...base, futureCovariates: ["y"] }), (e: Error) => e instanceof ConfigError && /"y" is in both `targets` and `futureCovariates`/.test(e.message));
    assert.throws(() => windowArrays(long, { ...base, pastCovariates: ["y"] }), (e: Error) => e instanceof ConfigError && /"y" is in both `targets` and `pastCovariates`/.test(e.message));
  });
  it("names a series with one row", () => {
    const t = long.concat(aq.table({ s: ["C"], t: [0], y: [7], p: [0], m: [1] }));
    assert.throws(() => windowArrays(t, { ...base, group: "s" }), (e: Error) => e instanceof DataError && /`group` "s": series "C" has 1 row, fewer than/.test(e.message));
  });
  it("asks for a group when seriesInput is on", () => {
    assert.throws(() => windowArrays(long, { ...base, seriesInput: true }), (e: Error) => e instanceof ConfigError && /`seriesInput` is true but `group` is null/.test(e.message));
  });
});

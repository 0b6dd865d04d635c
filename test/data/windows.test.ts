import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { makeWindows, windowArrays } from "../../src/data/windows.js";
import { ConfigError, DataError } from "../../src/errors.js";
import { splitWindows } from "../../src/data/split-windows.js";
import { timeSplit } from "../../src/data/split.js";
import { fitScaler } from "../../src/data/scaler.js";
import { windowDataset } from "../../src/data/window-dataset.js";

// a = 0..9, b = 100..109, t = day i of 2020-01
const days = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)));
const table = aq.table({
  t: days,
  a: Array.from({ length: 10 }, (_, i) => i),
  b: Array.from({ length: 10 }, (_, i) => 100 + i),
});

describe("makeWindows", () => {
  it("builds x [n, lookback, features] and y [n, horizon*targets] as worked by hand", async () => {
    await ready();
    const before = tf.memory().numTensors;
    const w = makeWindows(table, { features: ["a", "b"], targets: ["a", "b"], lookback: 3, horizon: 2 });
    // n = 10 - 3 - 2 + 1 = 6 windows
    assert.equal(w.n, 6);
    assert.deepEqual(w.x.shape, [6, 3, 2]);
    assert.deepEqual(w.y.shape, [6, 4]);
    // window 0: rows 0,1,2 as [a, b]; targets rows 3,4 step-major [a3, b3, a4, b4]
    assert.deepEqual(Array.from(w.xData.subarray(0, 6)), [0, 100, 1, 101, 2, 102]);
    assert.deepEqual(Array.from(w.yData.subarray(0, 4)), [3, 103, 4, 104]);
    // last window starts at row 5: inputs 5,6,7; targets 8,9
    assert.deepEqual((w.x.arraySync() as number[][][])[5], [[5, 105], [6, 106], [7, 107]]);
    assert.deepEqual((w.y.arraySync() as number[][])[5], [8, 108, 9, 109]);
    w.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("honours stride and gap, and never lets an input row reach a target row", () => {
    const w = windowArrays(table, { features: ["a"], targets: ["a"], lookback: 2, horizon: 1, stride: 3, gap: 2 });
    // need 2 + 2 + 1 = 5 rows; starts 0, 3 (3 + 5 = 8 <= 10), 6 would need row 10 -> 2 windows
    assert.equal(w.n, 2);
    assert.deepEqual(Array.from(w.starts), [0, 3]);
    assert.deepEqual(Array.from(w.xData), [0, 1, 3, 4]);
    // targets at start + lookback + gap = 4 and 7
    assert.deepEqual(Array.from(w.yData), [4, 7]);
    for (let i = 0; i < w.n; i++) assert.ok((w.starts[i] as number) + w.lookback <= (w.targetStarts[i] as number));
  });

  it("reports each target step's timestamp", () => {
    const w = windowArrays(table, { features: ["a"], targets: ["b"], lookback: 4, horizon: 3, timeColumn: "t" });
    assert.equal(w.n, 4);
    // window 1: targets are rows 5,6,7 -> Jan 6, 7, 8
    assert.deepEqual(Array.from(w.targetTimes!.subarray(3, 6)), [Date.UTC(2020, 0, 6), Date.UTC(2020, 0, 7), Date.UTC(2020, 0, 8)]);
  });

  it("uses exactly lookback + horizon rows when that is the table's length", () => {
    const w = windowArrays(table, { features: ["a"], targets: ["a"], lookback: 9, horizon: 1 });
    assert.equal(w.n, 1);
    assert.deepEqual(Array.from(w.yData), [9]);
  });

  it("rejects lookback + horizon larger than the rows, naming the numbers", () => {
    assert.throws(() => windowArrays(table, { features: ["a"], targets: ["a"], lookback: 8, horizon: 3 }), (e: Error) => {
      return e instanceof DataError && /lookback \(8\) \+ gap \(0\) \+ horizon \(3\) = 11/.test(e.message) && /10 rows/.test(e.message);
    });
  });

  it("rejects zero or negative sizes naming the option", () => {
    assert.throws(() => windowArrays(table, { features: ["a"], targets: ["a"], lookback: 0 }), (e: Error) => e instanceof ConfigError && /`lookback`.*got 0/.test(e.message));
    assert.throws(() => windowArrays(table, { features: ["a"], targets: ["a"], stride: -2 }), (e: Error) => e instanceof ConfigError && /`stride`.*got -2/.test(e.message));
    assert.throws(() => windowArrays(table, { features: ["a"], targets: ["a"], lookback: 2, horizon: 1.5 }), /`horizon`.*1.5/);
  });

  it("rejects unknown columns, NaN, Infinity and non-numeric feature columns with the row", () => {
    assert.throws(() => windowArrays(table, { features: ["a", "zz"], targets: ["a"], lookback: 2 }), (e: Error) => e instanceof DataError && /"zz"/.test(e.message));
    const bad = aq.table({ a: [1, 2, NaN, 4, 5], s: ["x", "y", "z", "w", "v"], i: [1, 2, 3, Infinity, 5] });
    assert.throws(() => windowArrays(bad, { features: ["a"], targets: ["a"], lookback: 2 }), /Column "a" has NaN at row 2/);
    assert.throws(() => windowArrays(bad, { features: ["i"], targets: ["i"], lookback: 2 }), /Column "i" has Infinity at row 3/);
    assert.throws(() => windowArrays(bad, { features: ["s"], targets: ["s"], lookback: 2 }), /Column "s" is not numeric: row 0 holds "x"/);
    const nul = aq.table({ a: [1, null, 3, 4] });
    assert.throws(() => windowArrays(nul, { features: ["a"], targets: ["a"], lookback: 2 }), /missing value \(null\) at row 1/);
  });

  it("rejects an empty table and an unsorted time column", () => {
    const empty = aq.table({ a: [] as number[] });
    assert.throws(() => windowArrays(empty, { features: ["a"], targets: ["a"], lookback: 1 }), /empty \(0 rows\)/);
    const unsorted = aq.table({ t: [1, 2, 4, 3, 5, 6], a: [1, 2, 3, 4, 5, 6] });
    assert.throws(() => windowArrays(unsorted, { features: ["a"], targets: ["a"], lookback: 2, timeColumn: "t" }), /"t" is not strictly increasing: row 3/);
  });

  it("does not change the input table", () => {
    const before = table.objects();
    windowArrays(table, { features: ["a", "b"], targets: ["a"], lookback: 3 });
    assert.deepEqual(table.objects(), before);
  });
});


describe("splitWindows", () => {
  it("windows each part on its own and scales with the training scaler", async () => {
    await ready();
    const before = tf.memory().numTensors;
    const split = timeSplit(table, { train: 0.6, val: 0.4 });
    const scaler = fitScaler(split.train, ["a"], "minmax"); // train a = 0..5 -> a / 5
    const w = splitWindows({ train: split.train, val: split.val }, { features: ["a"], targets: ["a"], lookback: 2, scaler });
    assert.equal(w.train.n, 4);
    assert.equal(w.val.n, 2);
    // val rows a = 6..9 scaled by the train fit: 1.2, 1.4, 1.6, 1.8; first window inputs [1.2, 1.4], target 1.6
    assert.deepEqual(Array.from(w.val.xData.subarray(0, 2)).map((v) => Math.round(v * 10) / 10), [1.2, 1.4]);
    assert.equal(Math.round((w.val.yData[0] as number) * 10) / 10, 1.6);
    w.train.dispose();
    w.val.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("names the part that is too short and makes no tensors", () => {
    const before = tf.memory().numTensors;
    const split = timeSplit(table, { train: 0.8, val: 0.2 });
    assert.throws(() => splitWindows({ train: split.train, val: split.val }, { features: ["a"], targets: ["a"], lookback: 3 }), (e: Error) => e instanceof DataError && /In the "val" part: .*2 rows/.test(e.message));
    assert.equal(tf.memory().numTensors, before);
  });
});

describe("windowDataset", () => {
  it("yields batches holding the same windows as the worked example, in order", async () => {
    await ready();
    const before = tf.memory().numTensors;
    const ds = windowDataset(table, { features: ["a", "b"], targets: ["a"], lookback: 3, horizon: 2, batchSize: 4 });
    const batches: { x: number[][][]; y: number[][] }[] = [];
    await ds.forEachAsync((b) => {
      batches.push({ x: b.xs.arraySync(), y: b.ys.arraySync() });
      b.xs.dispose();
      b.ys.dispose();
    });
    // 6 windows -> batches of 4 and 2; window i: inputs rows i..i+2, targets a at rows i+3, i+4
    assert.deepEqual(batches.map((b) => b.x.length), [4, 2]);
    assert.deepEqual(batches[0]!.x[1], [[1, 101], [2, 102], [3, 103]]);
    assert.deepEqual(batches.flatMap((b) => b.y), [[3, 4], [4, 5], [5, 6], [6, 7], [7, 8], [8, 9]]);
    assert.equal(tf.memory().numTensors, before);
  });

  it("shuffles by seed each epoch without losing or repeating a window", async () => {
    const ds = windowDataset(table, { features: ["a"], targets: ["a"], lookback: 2, batchSize: 3, shuffle: true, seed: 4 });
    const epoch = async () => {
      const ys: number[] = [];
      await ds.forEachAsync((b) => {
        ys.push(...(b.ys.dataSync() as Float32Array));
        b.xs.dispose();
        b.ys.dispose();
      });
      return ys;
    };
    const e1 = await epoch();
    const e2 = await epoch();
    assert.deepEqual([...e1].sort((p, q) => p - q), [2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...e2].sort((p, q) => p - q), [2, 3, 4, 5, 6, 7, 8, 9]);
    assert.notDeepEqual(e1, [2, 3, 4, 5, 6, 7, 8, 9]);
    assert.throws(() => windowDataset(table, { features: ["a"], targets: ["a"], batchSize: 0 }), /`batchSize` must be a positive integer, got 0/);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { addCalendar, addLags, checkTimestamps, dataset, fillMissing, fitScaler, splitWindows, timeSplit } from "../../src/data/index.js";

// The reference: the raw CSV read line by line, independent of arquero and of the code under test.
const csv = readFileSync(join(dirname(require.resolve("vega-datasets")), "..", "data", "seattle-weather.csv"), "utf8").trim().split("\n").slice(1);
const raw = csv.map((line) => {
  const [date, , tmax] = line.split(",");
  return { date: date as string, tmax: Number(tmax) };
});

describe("seattle weather from table to windows", () => {
  it("splits in time order, fits the scaler on train only, and windows each part without leakage", async () => {
    await ready();
    const before = tf.memory().numTensors;
    const weather = dataset("seattle-weather");
    const report = checkTimestamps(weather, "date");
    assert.equal(report.regular, true);
    assert.equal(report.step, 86_400_000);

    // lag 1 leaves row 0 missing; dropping it keeps raw rows 1..1460
    const table = fillMissing(addLags(addCalendar(weather, "date", { parts: ["dayOfYear"] }), "temp_max", [1]), { method: "drop", columns: ["temp_max_lag1"] });
    assert.equal(table.numRows(), 1460);
    const split = timeSplit(table, { train: 0.7, val: 0.15, timeColumn: "date" });
    assert.deepEqual(split.ranges, { train: [0, 1022], val: [1022, 1241], test: [1241, 1460] });

    const features = ["temp_max", "temp_max_lag1", "doy_sin", "doy_cos"];
    const scaler = fitScaler(split.train, features, "standard");
    const trainRaw = raw.slice(1, 1023).map((r) => r.tmax);
    const mean = trainRaw.reduce((a, b) => a + b, 0) / trainRaw.length;
    const std = Math.sqrt(trainRaw.reduce((a, b) => a + (b - mean) ** 2, 0) / trainRaw.length);
    assert.ok(Math.abs((scaler.center[0] as number) - mean) < 1e-9);
    assert.ok(Math.abs((scaler.scale[0] as number) - std) < 1e-9);

    const w = splitWindows({ train: split.train, val: split.val }, { features, targets: ["temp_max"], lookback: 14, horizon: 3, timeColumn: "date", scaler });
    // first val window: inputs are val rows 0..13 (raw rows 1023..1036), targets val rows 14..16 (raw 1037..1039)
    const firstTarget = new Date(w.val.targetTimes![0] as number).toISOString().slice(0, 10);
    assert.equal(firstTarget, raw[1037]!.date);
    const back = scaler.inverseArray(w.val.yData.subarray(0, 3), ["temp_max"]);
    assert.deepEqual(Array.from(back).map((v) => Math.round(v * 10) / 10), [raw[1037]!.tmax, raw[1038]!.tmax, raw[1039]!.tmax]);
    // the last train window's targets end before the first val row
    const lastTrainTarget = w.train.targetTimes![w.train.targetTimes!.length - 1] as number;
    assert.ok(lastTrainTarget < Date.parse(raw[1023]!.date));
    w.train.dispose();
    w.val.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});

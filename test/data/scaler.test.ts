import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { fitScaler, Scaler } from "../../src/data/scaler.js";
import { ConfigError, DataError } from "../../src/errors.js";

const close = (a: ArrayLike<number>, b: readonly number[], tol = 1e-9) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs((a[i] as number) - (b[i] as number)) <= tol, `at ${i}: ${a[i]} vs ${b[i]}`);
};

// x = [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, population std 2 (the textbook example), sample std 2.138
const train = aq.table({ x: [2, 4, 4, 4, 5, 5, 7, 9], c: [3, 3, 3, 3, 3, 3, 3, 3], s: ["a", "b", "c", "d", "e", "f", "g", "h"] });

describe("fitScaler", () => {
  it("standard scaler uses the mean and the population std", () => {
    const s = fitScaler(train, ["x"], "standard");
    assert.equal(s.center[0], 5);
    assert.equal(s.scale[0], 2);
    close(s.transform(train).array("x") as ArrayLike<number>, [-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]);
  });

  it("minmax scaler maps min and max onto the feature range", () => {
    const s = fitScaler(train, ["x"], { kind: "minmax", featureRange: [-1, 1] });
    // (x - 2) / 7 * 2 - 1
    close(s.transform(aq.table({ x: [2, 9, 5.5, 16] })).array("x") as ArrayLike<number>, [-1, 1, 0, 3]);
  });

  it("robust scaler uses the median and the linear-interpolated IQR", () => {
    // sorted x: q25 at position 1.75 -> 4, q75 at 5.25 -> 5 + 0.25*2 = 5.5, median 4.5; IQR 1.5
    const s = fitScaler(train, ["x"], "robust");
    assert.equal(s.center[0], 4.5);
    assert.equal(s.scale[0], 1.5);
    close(s.transform(aq.table({ x: [4.5, 6, 3] })).array("x") as ArrayLike<number>, [0, 1, -1]);
  });

  it("gives a constant column no NaN in any kind", () => {
    for (const kind of ["standard", "minmax", "robust"] as const) {
      const out = fitScaler(train, ["c"], kind).transform(train).array("c") as ArrayLike<number>;
      for (const v of Array.from(out)) assert.ok(Number.isFinite(v), `${kind} gave ${v}`);
      assert.equal(out[0], 0);
    }
  });

  it("scales a constant minmax column as scikit-learn does with featureRange [-1, 1]: 3 maps to 1, and back", () => {
    // sklearn takes the constant column's range (0) as 1: scale_ = (1 - -1) / 1 = 2 and
    // min_ = -1 - 2 * 2 = -5, so x maps to 2x - 5 (2 -> -1, 3 -> 1, 2.5 -> 0) and back to (x + 5) / 2.
    const s = fitScaler(aq.table({ c: [2, 2, 2] }), ["c"], { kind: "minmax", featureRange: [-1, 1] });
    close(s.transform(aq.table({ c: [2, 3, 2.5] })).array("c") as ArrayLike<number>, [-1, 1, 0]);
    close(s.inverse(aq.table({ c: [-1, 1, 0] })).array("c") as ArrayLike<number>, [2, 3, 2.5]);
    close(s.inverseArray([1, 0]), [3, 2.5]);
  });

  it("gives a constant standard or robust column the spread 1: 5, 5, 5 puts 7 at 2", () => {
    for (const kind of ["standard", "robust"] as const) {
      close(fitScaler(aq.table({ c: [5, 5, 5] }), ["c"], kind).transform(aq.table({ c: [7] })).array("c") as ArrayLike<number>, [2]);
    }
  });

  it("scales a column at 1e9 + k·1e-4 in every kind instead of calling it constant", () => {
    // At 1e9 one ulp is 2^-23; 1e9 + 1e-4 and 1e9 + 2e-4 are stored 839 and 1678 ulps above 1e9,
    // exactly one and two equal steps, so minmax gives exactly 0, 1/2, 1.
    const literal = aq.table({ c: [1e9, 1e9 + 1e-4, 1e9 + 2e-4] });
    close(fitScaler(literal, ["c"], "minmax").transform(literal).array("c") as ArrayLike<number>, [0, 0.5, 1]);
    close(fitScaler(literal, ["c"], { kind: "minmax", featureRange: [-1, 1] }).transform(literal).array("c") as ArrayLike<number>, [-1, 0, 1]);
    // A step of 2^-13 (1.22e-4) is exact at 1e9, so every kind's numbers are worked by hand:
    const step = 2 ** -13;
    const three = aq.table({ c: [0, 1, 2].map((k) => 1e9 + k * step) });
    // standard: mean 1e9 + step, deviations -step, 0, step, population std step·sqrt(2/3): ±sqrt(3/2)
    close(fitScaler(three, ["c"], "standard").transform(three).array("c") as ArrayLike<number>, [-Math.sqrt(1.5), 0, Math.sqrt(1.5)]);
    // robust on five values: median 1e9 + 2·step, q25 and q75 fall on values 1 and 3, IQR 2·step
    const five = aq.table({ c: [0, 1, 2, 3, 4].map((k) => 1e9 + k * step) });
    close(fitScaler(five, ["c"], "robust").transform(five).array("c") as ArrayLike<number>, [-1, -0.5, 0, 0.5, 1]);
  });

  it("counts a column as constant by its own spread (below 10 eps = 2.2e-16 · 10), whatever featureRange", () => {
    // A range of 2e-9 is far above 10 eps: mapped onto [0, 10000] it spreads to 0, 5000, 10000.
    const tiny = aq.table({ c: [0, 1e-9, 2e-9] });
    close(fitScaler(tiny, ["c"], { kind: "minmax", featureRange: [0, 10000] }).transform(tiny).array("c") as ArrayLike<number>, [0, 5000, 10000], 1e-6);
    // A range of 2e-15 is below 10 eps (2.22e-15): constant, range taken as 1, values pass through.
    const flat = aq.table({ c: [0, 1e-15, 2e-15] });
    close(fitScaler(flat, ["c"], "minmax").transform(flat).array("c") as ArrayLike<number>, [0, 1e-15, 2e-15], 1e-30);
    // 3e-15 is above it: scaled to 0 and 1.
    const justAbove = aq.table({ c: [0, 3e-15] });
    close(fitScaler(justAbove, ["c"], "minmax").transform(justAbove).array("c") as ArrayLike<number>, [0, 1]);
  });

  it("inverts transform on tables, arrays and tensors", async () => {
    await ready();
    const s = fitScaler(train, ["x", "c"], "minmax");
    const back = s.inverse(s.transform(train));
    close(back.array("x") as ArrayLike<number>, [2, 4, 4, 4, 5, 5, 7, 9]);
    assert.deepEqual(back.array("s"), train.array("s"));
    // model output for targets [x] with horizon 2: [[0, 1], [0.5, 0]] -> [[2, 9], [5.5, 2]]
    close(s.inverseArray([0, 1, 0.5, 0], ["x"]), [2, 9, 5.5, 2], 1e-6);
    const before = tf.memory().numTensors;
    const y = tf.tensor2d([[0, 1], [0.5, 0]]);
    const inv = s.inverseTensor(y, ["x"]);
    close(inv.dataSync(), [2, 9, 5.5, 2], 1e-5);
    // two targets interleaved step-major: [x, c] per step
    close(s.inverseArray([1, 0, 0, 0], ["x", "c"]), [9, 3, 2, 3], 1e-6);
    y.dispose();
    inv.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("round-trips through JSON and transforms the same", () => {
    const s = fitScaler(train, ["x"], "robust");
    const r = Scaler.fromJSON(JSON.parse(JSON.stringify(s)));
    assert.deepEqual(r.toJSON(), s.toJSON());
    assert.throws(() => Scaler.fromJSON({ kind: "zscore", columns: ["x"], center: [0], scale: [1], offset: [0] }), /Unknown scaler kind "zscore"/);
    assert.throws(() => Scaler.fromJSON({ kind: "standard", columns: ["x"], center: [0, 1], scale: [1], offset: [0] }), /`center` must be an array of 1/);
  });

  it("rejects bad input with the column or option and the value, and leaves the table alone", () => {
    const before = train.objects();
    assert.throws(() => fitScaler(train, ["nope"], "standard"), (e: Error) => e instanceof DataError && /"nope"/.test(e.message));
    assert.throws(() => fitScaler(train, ["s"], "standard"), /Column "s" is not numeric: row 0 holds "a"/);
    assert.throws(() => fitScaler(aq.table({ x: [1, NaN] }), ["x"], "standard"), /Column "x" has NaN at row 1/);
    assert.throws(() => fitScaler(train, ["x"], { kind: "minmax", featureRange: [1, 1] }), (e: Error) => e instanceof ConfigError && /featureRange/.test(e.message));
    assert.throws(() => fitScaler(aq.table({ x: [] as number[] }), ["x"]), /empty/);
    assert.throws(() => fitScaler(train, ["x"]).inverseArray([1], ["c"]), /"c" was not fitted/);
    fitScaler(train, ["x"]).transform(train);
    assert.deepEqual(train.objects(), before);
  });
});

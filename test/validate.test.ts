import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { positiveInt, inRange, oneOf, nonNegativeInt } from "../src/validate.js";
import { ConfigError } from "../src/errors.js";

describe("validate", () => {
  it("names the option and the value", () => {
    assert.throws(() => positiveInt("lookback", 0), (e: unknown) =>
      e instanceof ConfigError && e.message === "`lookback` must be a positive integer, got 0.");
    assert.throws(() => nonNegativeInt("gap", -1), /`gap` must be a non-negative integer, got -1/);
    assert.throws(() => inRange("dropout", 1, 0, 1, { highOpen: true }), /`dropout` must be in \[0, 1\), got 1/);
    assert.throws(() => oneOf("optimizer", "adamm", ["adam", "sgd"]), /Unknown optimizer "adamm". Choose one of: adam, sgd./);
  });
  it("returns valid values unchanged", () => {
    assert.equal(positiveInt("n", 3), 3);
    assert.equal(inRange("p", 0, 0, 1), 0);
    assert.equal(oneOf("c", "gru", ["lstm", "gru"]), "gru");
  });
});

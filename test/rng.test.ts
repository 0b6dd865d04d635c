import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../src/rng.js";

describe("Rng", () => {
  it("gives the same stream for the same seed and a different one for another seed", () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const xa = Array.from({ length: 20 }, () => a.next());
    const xb = Array.from({ length: 20 }, () => b.next());
    const xc = Array.from({ length: 20 }, () => c.next());
    assert.deepEqual(xa, xb);
    assert.notDeepEqual(xa, xc);
  });

  it("draws uniforms in [0, 1) with the mean and variance of U(0,1)", () => {
    const r = new Rng(7);
    const n = 200_000;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1);
      s += x; s2 += x * x;
    }
    const mean = s / n, variance = s2 / n - mean * mean;
    // U(0,1): mean 1/2, variance 1/12; tolerances are ~5 standard errors.
    assert.ok(Math.abs(mean - 0.5) < 0.004, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
  });

  it("draws normals with mean 0 and standard deviation 1", () => {
    const r = new Rng(1);
    const n = 100_000;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const z = r.normal(); s += z; s2 += z * z; }
    assert.ok(Math.abs(s / n) < 0.02);
    assert.ok(Math.abs(Math.sqrt(s2 / n) - 1) < 0.02);
  });

  it("int covers both ends and nothing outside", () => {
    const r = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(2, 5));
    assert.deepEqual([...seen].sort(), [2, 3, 4, 5]);
  });

  it("permutation is a permutation and fork streams are independent of draw order", () => {
    const p = new Rng(9).permutation(100);
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    const a = new Rng(5); a.next(); a.next();
    const b = new Rng(5);
    assert.equal(a.fork("x").next(), b.fork("x").next());
    assert.notEqual(b.fork("x").next(), b.fork("y").next());
  });

  it("rejects a non-integer seed naming it", () => {
    assert.throws(() => new Rng(1.5), /`seed` must be an integer, got 1.5/);
  });
});

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DataError, ShapeError } from "../../src/errors.js";
import { attentionFigure, attentionInfo } from "../../src/plots/attention.js";

describe("attention heatmap", () => {
  it("labels a weight vector over time steps t-(T-1) … t", () => {
    const info = attentionInfo([0.1, 0.2, 0.7]);
    assert.deepEqual(info.keys, ["t-2", "t-1", "t"]);
    assert.deepEqual(info.queries, ["0"]);
    assert.deepEqual(info.argmax, [2]);
    assert.equal(info.xTitle, "Input time step");
    const f = attentionFigure(info);
    assert.equal(f.data[0]!.type, "heatmap");
    assert.deepEqual((f.layout["xaxis"] as { ticktext: string[] }).ticktext, ["t-2", "t-1", "t"]);
  });

  it("uses the tokens on both axes for square self-attention and keeps repeated tokens apart", () => {
    const w = [
      [0.5, 0.25, 0.25],
      [0.1, 0.8, 0.1],
      [0.3, 0.3, 0.4],
    ];
    const info = attentionInfo(w, { keys: ["the", "cat", "the"] });
    assert.deepEqual(info.queries, ["the", "cat", "the"]);
    info.rowSums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-12));
    assert.equal(info.xTitle, "Token");
    const f = attentionFigure(info);
    assert.deepEqual(f.data[0]!["x"], [0, 1, 2]);
    assert.deepEqual((f.data[0]!["z"] as number[][])[1], [0.1, 0.8, 0.1]);
    assert.equal((f.layout["yaxis"] as { title: { text: string } }).title.text, "Query");
  });

  it("rejects ragged rows, wrong label counts and non-finite weights", () => {
    assert.throws(() => attentionInfo([[1, 2], [3]]), (e: unknown) => e instanceof ShapeError && /row 1 has 1/.test(e.message));
    assert.throws(() => attentionInfo([[1, 2]], { keys: ["a"] }), ShapeError);
    assert.throws(() => attentionInfo([[1, NaN]]), (e: unknown) => e instanceof DataError && /weights\[0\]\[1\]/.test(e.message));
  });
});

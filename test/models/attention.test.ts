import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError, ShapeError } from "../../src/errors.js";
import { attentionWeights, buildModel, TemporalAttention, withDropoutKey } from "../../src/models/index.js";
import { Rng } from "../../src/rng.js";

before(async () => {
  await ready();
});

const softmax = (e: number[]) => {
  const m = Math.max(...e);
  const x = e.map((v) => Math.exp(v - m));
  const s = x.reduce((a, b) => a + b, 0);
  return x.map((v) => v / s);
};
const close = (a: number[], b: number[], tol = 1e-6) => a.every((v, i) => Math.abs(v - (b[i] as number)) < tol);

// One sequence of three 2-d states.
const H3 = [
  [1, 0],
  [0, 1],
  [1, 1],
];

describe("TemporalAttention", () => {
  it("scores dot-product attention as h_t·h_T/√H and returns the weighted sum of the states", () => {
    const att = new TemporalAttention({ kind: "dot" });
    const seq = tf.tensor3d([H3]);
    const ctx = (att.apply(seq) as tf.Tensor).arraySync() as number[][];
    // h_T = [1, 1]: e = [1, 1, 2] / √2.
    const alpha = softmax([1, 1, 2].map((v) => v / Math.SQRT2));
    assert.ok(close(att.scores(seq).arraySync()[0] as number[], alpha));
    const expected = [0, 1].map((j) => alpha.reduce((s, a, t) => s + a * (H3[t] as number[])[j]!, 0));
    assert.ok(close(ctx[0] as number[], expected), `${ctx[0]} vs ${expected}`);
  });

  it("scores additive attention as vᵀ tanh(h_t·W + b)", () => {
    const att = new TemporalAttention({ kind: "additive", units: 2 });
    const seq = tf.tensor3d([H3]);
    att.apply(seq);
    att.setWeights([tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([0, 0.5]), tf.tensor2d([[1], [-1]])]);
    const e = H3.map(([a, b]) => Math.tanh(a as number) - Math.tanh((b as number) + 0.5));
    assert.ok(close(att.scores(seq).arraySync()[0] as number[], softmax(e)));
  });

  it("gives padded steps zero weight and renormalises the rest", () => {
    const att = new TemporalAttention({ kind: "dot" });
    const seq = tf.tensor3d([H3]);
    const alpha = att.scores(seq, tf.tensor2d([[1, 0, 1]])).arraySync()[0] as number[];
    const e = softmax([1 / Math.SQRT2, 2 / Math.SQRT2]);
    assert.ok(close(alpha, [e[0] as number, 0, e[1] as number]), String(alpha));
  });
});

describe("TemporalAttention dropout", () => {
  it("drops attention weights in training with the keyed mask, a fresh one per batch, and none at inference", () => {
    // Two sequences of H3; dot attention with dropout 0.5: context = Σ_t (α_t · m_t) h_t, m_t ∈ {0, 2}.
    const input = tf.input({ shape: [3, 2] });
    const att = new TemporalAttention({ kind: "dot", dropout: 0.5, name: "att" });
    const model = tf.model({ inputs: input, outputs: att.apply(input) as tf.SymbolicTensor });
    const seq = tf.tensor3d([H3, H3]);
    const alpha = softmax([1, 1, 2].map((v) => v / Math.SQRT2));
    const contextWith = (mask: number[]) => [0, 1].map((j) => alpha.reduce((s, a, t) => s + a * (mask[t] as number) * (H3[t] as number[])[j]!, 0));
    // The mask of batch b: Rng(seed 5) forked by "dropout|epoch|batch|layer position|weights", row by row.
    const expectedMask = (batch: number) => {
      const rng = new Rng(5).fork(`dropout|0|${batch}|1|weights`);
      return [0, 1].map(() => [0, 1, 2].map(() => (rng.next() < 0.5 ? 0 : 2)));
    };
    const run = (batch: number) =>
      (withDropoutKey(model, { seed: 5, epoch: 0, batch }, () => model.apply(seq, { training: true })) as tf.Tensor).arraySync() as number[][];
    for (const batch of [0, 1]) {
      const got = run(batch);
      expectedMask(batch).forEach((m, i) => assert.ok(close(got[i] as number[], contextWith(m), 1e-5), `batch ${batch}, row ${i}: ${got[i]} vs ${contextWith(m)}`));
    }
    assert.notDeepEqual(expectedMask(0), expectedMask(1), "the two batches' masks differ");
    const inferred = (model.predict(seq) as tf.Tensor).arraySync() as number[][];
    for (const row of inferred) assert.ok(close(row, contextWith([1, 1, 1])));
  });

  it("refuses a dropout outside [0, 1) naming the option and the value", () => {
    assert.throws(() => new TemporalAttention({ dropout: -0.5 }), (e: unknown) => e instanceof ConfigError && /`dropout` must be in \[0, 1\), got -0.5/.test(e.message));
  });
});

describe("attentionWeights", () => {
  it("returns one row of step weights per sample, summing to 1, zero on padded steps", () => {
    const model = buildModel({ inputShape: [6, 2], units: [4], attention: "additive", maskValue: 0, seed: 3 });
    const x = tf.tidy(() => {
      const v = tf.randomUniform([2, 6, 2], 0.1, 1, "float32", 1);
      return tf.mul(v, tf.tensor3d([[[1], [1], [1], [1], [0], [0]], [[1], [1], [1], [1], [1], [1]]]));
    });
    const w = attentionWeights(model, x);
    assert.equal(w.length, 2);
    for (const row of w) {
      assert.equal(row.length, 6);
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    }
    assert.ok((w[0]?.[4] as number) < 1e-6 && (w[0]?.[5] as number) < 1e-6, String(w[0]));
    assert.ok((w[1]?.[5] as number) > 0);
  });

  it("rejects an input that does not fit the model with a ShapeError", () => {
    const model = buildModel({ inputShape: [6, 2], units: [4], attention: "dot", seed: 3 });
    assert.throws(() => attentionWeights(model, tf.zeros([1, 6, 3])), (e: unknown) => {
      assert.ok(e instanceof ShapeError);
      assert.match((e as Error).message, /Input shape \[1,6,3\] does not fit the model's input \[null,6,2\]/);
      return true;
    });
  });

  it("says so when the model has no attention layer", () => {
    const model = buildModel({ inputShape: [6, 2], units: [4], seed: 3, name: "plain" });
    assert.throws(() => attentionWeights(model, tf.zeros([1, 6, 2])), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match((e as Error).message, /Model "plain" has no attention layer/);
      return true;
    });
  });
});

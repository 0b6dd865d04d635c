import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { Rng } from "../../src/rng.js";
import { buildBaseline, buildModel, FusedLSTM, KeyedDropout } from "../../src/models/index.js";
import { withDropoutKey } from "../../src/models/dropout-key.js";
import { ConfigError } from "../../src/errors.js";

/** Two KeyedDropout layers on [rows, cols] inputs: fed ones, the model's outputs are the two masks. */
function maskModel(cols: number, rate: number): tf.LayersModel {
  const input = tf.input({ shape: [cols] });
  const a = new KeyedDropout({ rate, seed: 1, name: "drop_a" }).apply(input) as tf.SymbolicTensor;
  const b = new KeyedDropout({ rate, seed: 1, name: "drop_b" }).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [a, b] });
}

function masksAt(model: tf.LayersModel, ones: tf.Tensor, seed: number, epoch: number, batch: number): number[][] {
  return tf.tidy(() => {
    const out = withDropoutKey(model, { seed, epoch, batch }, () => model.apply(ones, { training: true })) as tf.Tensor[];
    return out.map((t) => Array.from(t.dataSync()));
  });
}

/** The mask worked out from the documented key: Rng(seed) forked by "dropout|epoch|batch|layer position|part". */
function expectedMask(seed: number, epoch: number, batch: number, position: number, n: number, rate: number): number[] {
  const rng = new Rng(seed).fork(`dropout|${epoch}|${batch}|${position}|output`);
  return Array.from({ length: n }, () => (rng.next() < rate ? 0 : Math.fround(1 / (1 - rate))));
}

describe("Dropout keyed by (seed, epoch, batch, layer)", () => {
  before(async () => {
    await ready();
  });

  it("draws a different mask for each batch, epoch and layer, and the same mask again for the same key", () => {
    const rows = 8, cols = 16;
    const model = maskModel(cols, 0.5);
    const ones = tf.ones([rows, cols]);
    const [a00, b00] = masksAt(model, ones, 7, 0, 0) as [number[], number[]];
    const [a01] = masksAt(model, ones, 7, 0, 1) as [number[]];
    const [a10] = masksAt(model, ones, 7, 1, 0) as [number[]];
    const [a00again, b00again] = masksAt(model, ones, 7, 0, 0) as [number[], number[]];
    const [aOtherSeed] = masksAt(model, ones, 8, 0, 0) as [number[]];
    assert.notDeepEqual(a01, a00, "batch 1 must not reuse batch 0's mask");
    assert.notDeepEqual(a10, a00, "epoch 1 must not reuse epoch 0's mask");
    assert.notDeepEqual(b00, a00, "two layers must not share a mask");
    assert.notDeepEqual(aOtherSeed, a00, "another seed gives another mask");
    assert.deepEqual(a00again, a00);
    assert.deepEqual(b00again, b00);
    // Layer positions in the model: 0 is the input, 1 and 2 the two dropouts.
    assert.deepEqual(a00, expectedMask(7, 0, 0, 1, rows * cols, 0.5));
    assert.deepEqual(b00, expectedMask(7, 0, 0, 2, rows * cols, 0.5));
    assert.deepEqual(a01, expectedMask(7, 0, 1, 1, rows * cols, 0.5));
    ones.dispose();
  });

  it("drops about the rate's share and scales the rest by 1 / (1 − rate)", () => {
    const model = maskModel(100, 0.2);
    const ones = tf.ones([100, 100]);
    const [a] = masksAt(model, ones, 3, 0, 0) as [number[]];
    const zeros = a.filter((v) => v === 0).length;
    // 10,000 Bernoulli(0.2) draws: mean 2,000, standard deviation 40; this seed gives a count within 3σ.
    assert.ok(Math.abs(zeros - 2000) < 120, `${zeros} zeros`);
    assert.ok(a.every((v) => v === 0 || v === Math.fround(1.25)));
    ones.dispose();
  });

  it("drops nothing at inference, inside or outside a key", () => {
    const model = maskModel(4, 0.5);
    const ones = tf.ones([4, 4]);
    const inside = tf.tidy(() =>
      (withDropoutKey(model, { seed: 1, epoch: 0, batch: 0 }, () => model.apply(ones, { training: false })) as tf.Tensor[]).map((t) =>
        Array.from(t.dataSync()),
      ),
    );
    const outside = tf.tidy(() => (model.predict(ones) as tf.Tensor[]).map((t) => Array.from(t.dataSync())));
    for (const m of [...inside, ...outside]) assert.deepEqual(m, new Array(16).fill(1));
    ones.dispose();
  });

  it("outside train() draws a fresh mask per call from the layer's seed, the same sequence for the same seed", () => {
    const x = tf.ones([6, 10]);
    const draws = (seed: number) => {
      const layer = new KeyedDropout({ rate: 0.5, seed });
      return [0, 1].map(() => tf.tidy(() => Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync())));
    };
    const [first, second] = draws(4) as [number[], number[]];
    assert.notDeepEqual(second, first);
    assert.deepEqual(draws(4), [first, second]);
    x.dispose();
  });

  it("gives fused LSTM input and recurrent dropout a fresh pair of masks per batch, repeatable by key", () => {
    const model = tf.sequential({
      layers: [new FusedLSTM({ units: 4, dropout: 0.3, recurrentDropout: 0.3, seed: 2, inputShape: [5, 3] }), tf.layers.dense({ units: 1 })],
    });
    const x = tf.tidy(() => tf.sin(tf.reshape(tf.range(0, 8 * 5 * 3), [8, 5, 3])));
    const out = (batch: number) =>
      tf.tidy(() => Array.from((withDropoutKey(model, { seed: 9, epoch: 2, batch }, () => model.apply(x, { training: true })) as tf.Tensor).dataSync()));
    const plain = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
    assert.notDeepEqual(out(0), out(1), "two batches must get different masks");
    assert.deepEqual(out(0), out(0));
    assert.notDeepEqual(out(0), plain, "training output must differ from inference");
    x.dispose();
    model.dispose();
  });

  for (const fused of [true, false]) {
    it(`gives buildModel's ${fused ? "fused" : "stock"} bidirectional layers fresh masks per batch, repeatable by key, also in a second model built alike`, () => {
      const mk = () => buildModel({ inputShape: [5, 3], units: [4], bidirectional: true, dropout: 0.3, recurrentDropout: 0.3, seed: 2, fused });
      const m1 = mk(), m2 = mk();
      const x = tf.tidy(() => tf.cos(tf.reshape(tf.range(0, 6 * 5 * 3), [6, 5, 3])));
      const out = (m: tf.LayersModel, batch: number) =>
        tf.tidy(() => Array.from((withDropoutKey(m, { seed: 1, epoch: 0, batch }, () => m.apply(x, { training: true })) as tf.Tensor).dataSync()));
      const plain = tf.tidy(() => Array.from((m1.predict(x) as tf.Tensor).dataSync()));
      assert.notDeepEqual(out(m1, 0), out(m1, 1));
      assert.notDeepEqual(out(m1, 0), plain);
      assert.deepEqual(out(m2, 0), out(m1, 0));
      assert.deepEqual(out(m2, 1), out(m1, 1));
      x.dispose();
      m1.dispose();
      m2.dispose();
    });
  }

  it("makes buildBaseline's MLP dropout a KeyedDropout", () => {
    const m = buildBaseline({ inputShape: [4, 2], kind: "mlp", hidden: [8], dropout: 0.25, seed: 1 });
    assert.deepEqual(
      m.layers.filter((l) => l instanceof KeyedDropout).map((l) => (l as KeyedDropout).rate),
      [0.25],
    );
    m.dispose();
  });

  it("refuses a rate outside [0, 1) naming the option and the value", () => {
    assert.throws(() => new KeyedDropout({ rate: 1 }), (e: unknown) => e instanceof ConfigError && /`rate` must be in \[0, 1\), got 1/.test(e.message));
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { ConfigError, ShapeError } from "../../src/errors.js";
import { Rng } from "../../src/rng.js";
import { FusedGRU, FusedLSTM } from "../../src/models/index.js";
import { copyWeights, gradsOf, maxAbsDiff, maxRelDiff, rand } from "./helpers.js";

const B = 3;
const T = 5;
const F = 2;
const H = 4;

type Cell = "lstm" | "gru";
interface RnnOpts {
  returnSequences?: boolean;
  goBackwards?: boolean;
}

function stock(cell: Cell, o: RnnOpts & { inputShape?: number[] }): tf.layers.Layer {
  const args = { units: H, recurrentActivation: "sigmoid" as const, ...o };
  return cell === "lstm" ? tf.layers.lstm(args) : tf.layers.gru(args);
}
function fused(cell: Cell, o: RnnOpts & { inputShape?: number[] }): tf.layers.Layer {
  const args = { units: H, seed: 7, ...o };
  return cell === "lstm" ? new FusedLSTM(args) : new FusedGRU(args);
}

/** A model pair (stock, fused) with the fused one holding the stock one's weights (bias made non-zero). */
function pair(build: (mk: (o: RnnOpts & { inputShape?: number[] }) => tf.layers.Layer) => tf.layers.Layer[], cell: Cell) {
  const ref = tf.sequential({ layers: build((o) => stock(cell, o)) });
  const mine = tf.sequential({ layers: build((o) => fused(cell, o)) });
  ref.setWeights(ref.getWeights().map((w, i) => (w.rank === 1 ? rand(w.shape, 100 + i, 0.5) : w)));
  copyWeights(ref, mine);
  return { ref, mine };
}

function assertSameForwardAndGrads(ref: tf.LayersModel, mine: tf.LayersModel, x: tf.Tensor, withInput = true): void {
  tf.tidy(() => {
    const yRef = ref.predict(x) as tf.Tensor;
    const yMine = mine.predict(x) as tf.Tensor;
    assert.deepEqual(yMine.shape, yRef.shape);
    assert.ok(maxAbsDiff(yMine, yRef) < 1e-5, `forward differs by ${maxAbsDiff(yMine, yRef)}`);
    const proj = rand(yRef.shape, 99);
    const gRef = gradsOf(ref, x, proj, withInput);
    const gMine = gradsOf(mine, x, proj, withInput);
    assert.equal(gMine.length, gRef.length);
    gRef.forEach((g, i) => {
      const rel = maxRelDiff(gMine[i] as tf.Tensor, g);
      assert.ok(rel < 1e-4, `gradient ${i} (${ref.trainableWeights[i]?.name ?? "input"}) differs by ${rel} relative`);
    });
  });
}

before(async () => {
  await ready();
});

for (const cell of ["lstm", "gru"] as const) {
  describe(`Fused${cell.toUpperCase()} against tf.layers.${cell} with the same weights`, () => {
    const input = () => rand([B, T, F], 1, 1.5);

    it("gives the same last output and gradients for a single layer", () => {
      const { ref, mine } = pair((mk) => [mk({ inputShape: [T, F] })], cell);
      assertSameForwardAndGrads(ref, mine, input());
    });

    it("gives the same sequence output and gradients with returnSequences", () => {
      const { ref, mine } = pair((mk) => [mk({ inputShape: [T, F], returnSequences: true })], cell);
      assertSameForwardAndGrads(ref, mine, input());
    });

    it("gives the same output and gradients when walking backwards", () => {
      const { ref, mine } = pair((mk) => [mk({ inputShape: [T, F], returnSequences: true, goBackwards: true })], cell);
      assertSameForwardAndGrads(ref, mine, input());
    });

    it("gives the same output and gradients stacked two deep under a dense head", () => {
      const { ref, mine } = pair(
        (mk) => [mk({ inputShape: [T, F], returnSequences: true }), mk({}), tf.layers.dense({ units: 2 })],
        cell,
      );
      assertSameForwardAndGrads(ref, mine, input());
    });

    it("gives the same output and gradients inside a bidirectional wrapper", () => {
      const { ref, mine } = pair(
        (mk) => [
          tf.layers.bidirectional({
            layer: mk({ returnSequences: true }) as tf.RNN,
            inputShape: [T, F],
            mergeMode: "concat",
          }),
        ],
        cell,
      );
      assertSameForwardAndGrads(ref, mine, input());
    });

    it("carries state over masked (padded) steps exactly as tf.layers does", () => {
      // Rows padded with zeros at the end (row 0) and in the middle (row 2).
      const padded = tf.tidy(() => {
        const m = tf.tensor3d(
          [
            [[1], [1], [1], [0], [0]],
            [[1], [1], [1], [1], [1]],
            [[1], [0], [1], [1], [0]],
          ],
          [B, T, 1],
        );
        return tf.mul(input(), m);
      });
      const { ref, mine } = pair(
        (mk) => [tf.layers.masking({ maskValue: 0, inputShape: [T, F] }), mk({ returnSequences: true }), mk({})],
        cell,
      );
      // tf.layers.masking has no gradient wrt its input (tf.any), so compare weight gradients only.
      assertSameForwardAndGrads(ref, mine, padded, false);
      const bi = pair(
        (mk) => [
          tf.layers.masking({ maskValue: 0, inputShape: [T, F] }),
          tf.layers.bidirectional({ layer: mk({ returnSequences: true }) as tf.RNN, mergeMode: "ave" }),
        ],
        cell,
      );
      assertSameForwardAndGrads(bi.ref, bi.mine, padded, false);
    });

    it("rejects an input whose feature count does not fit the built kernel with a ShapeError", () => {
      const layer = fused(cell, {});
      tf.tidy(() => layer.apply(tf.zeros([1, T, F])) as tf.Tensor);
      assert.throws(() => layer.apply(tf.zeros([1, T, F + 1])), (e: unknown) => {
        assert.ok(e instanceof ShapeError, String(e));
        assert.match((e as Error).message, new RegExp(`expects input \\[batch, steps, ${F}\\], got shape \\[1,${T},${F + 1}\\]`));
        return true;
      });
    });
  });
}

describe("FusedLSTM states", () => {
  it("starts from given initial states and returns the same final h and c as tf.layers.lstm", () => {
    tf.tidy(() => {
      const x = rand([B, T, F], 2) as tf.Tensor3D;
      const h0 = rand([B, H], 3);
      const c0 = rand([B, H], 4);
      const ref = tf.layers.lstm({ units: H, recurrentActivation: "sigmoid", returnState: true, returnSequences: true });
      const mine = new FusedLSTM({ units: H, returnState: true, returnSequences: true, seed: 1 });
      ref.apply(x);
      mine.apply(x);
      mine.setWeights(ref.getWeights());
      const r = ref.apply(x, { initialState: [h0, c0] }) as tf.Tensor[];
      const m = mine.apply([x, h0, c0]) as tf.Tensor[];
      assert.equal(m.length, 3);
      for (let i = 0; i < 3; i++) assert.ok(maxAbsDiff(m[i] as tf.Tensor, r[i] as tf.Tensor) < 1e-5, `output ${i}`);
      // Gradient wrt the initial states matches too.
      const proj = rand([B, H], 5);
      const gRef = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul((ref.apply(x, { initialState: [a, b] }) as tf.Tensor[])[2] as tf.Tensor, proj)),
      )([h0, c0]);
      const gMine = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul((mine.apply([x, a, b]) as tf.Tensor[])[2] as tf.Tensor, proj)),
      )([h0, c0]);
      for (let i = 0; i < 2; i++) assert.ok(maxRelDiff(gMine[i] as tf.Tensor, gRef[i] as tf.Tensor) < 1e-4);
    });
  });

  it("starts the forget-gate bias at 1 and the others at 0 (Keras unit_forget_bias)", () => {
    const layer = new FusedLSTM({ units: 2, seed: 3 });
    layer.apply(tf.zeros([1, 3, 1]));
    assert.deepEqual(Array.from(layer.getWeights()[2]?.dataSync() ?? []), [0, 0, 1, 1, 0, 0, 0, 0]);
  });
});

describe("Fused layer dropout", () => {
  it("is off at inference, on in training, and the same for the same seed", () => {
    tf.tidy(() => {
      const x = rand([8, T, F], 6) as tf.Tensor3D;
      const make = () => new FusedLSTM({ units: H, dropout: 0.5, recurrentDropout: 0.3, seed: 11 });
      const plain = new FusedLSTM({ units: H, seed: 11 });
      const a = make();
      const b = make();
      const yPlain = plain.apply(x) as tf.Tensor;
      const yInfer = a.apply(x) as tf.Tensor;
      b.apply(x);
      assert.ok(maxAbsDiff(yInfer, yPlain) < 1e-7, "inference output must not depend on dropout");
      const yTrainA = a.apply(x, { training: true }) as tf.Tensor;
      const yTrainB = b.apply(x, { training: true }) as tf.Tensor;
      assert.ok(maxAbsDiff(yTrainA, yInfer) > 1e-3, "training output must differ");
      assert.ok(maxAbsDiff(yTrainA, yTrainB) < 1e-7, "same seed gives the same masks");
    });
  });

  for (const cell of ["lstm", "gru"] as const) {
    it(`${cell}: drops whole input features of a sample, scaled by 1/(1-rate), matching the stock layer fed the masked input`, () => {
      tf.tidy(() => {
        // With only input dropout, the fused output equals the stock layer on x·mask for the mask the
        // layer drew; with F = 1 the mask per sample is 0 or 2, so one candidate input must match per row.
        const x = rand([16, T, 1], 7) as tf.Tensor3D;
        const ref = stock(cell, {});
        const mine = cell === "lstm" ? new FusedLSTM({ units: H, dropout: 0.5, seed: 5 }) : new FusedGRU({ units: H, dropout: 0.5, seed: 5 });
        ref.apply(x);
        mine.apply(x);
        mine.setWeights(ref.getWeights().map((w, i) => (w.rank === 1 ? rand(w.shape, 50 + i, 0.5) : w)));
        ref.setWeights(mine.getWeights());
        const y = (mine.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][];
        const y0 = (ref.apply(tf.mul(x, 0)) as tf.Tensor).arraySync() as number[][];
        const y2 = (ref.apply(tf.mul(x, 2)) as tf.Tensor).arraySync() as number[][];
        let dropped = 0;
        y.forEach((row, i) => {
          const d0 = Math.max(...row.map((v, j) => Math.abs(v - (y0[i] as number[])[j]!)));
          const d2 = Math.max(...row.map((v, j) => Math.abs(v - (y2[i] as number[])[j]!)));
          assert.ok(Math.min(d0, d2) < 1e-5, `row ${i} matches neither a dropped nor a kept input`);
          if (d0 < 1e-5) dropped++;
        });
        assert.ok(dropped > 0 && dropped < 16, `expected some but not all rows dropped, got ${dropped}`);
      });
    });
  }
});

/** The inverted-dropout mask of rate 0.5 drawn from Rng(seed): 0 where the draw is below 0.5, else 1 / (1 − 0.5) = 2. */
function handMask(seed: number, shape: [number, number], rate: 0.5): tf.Tensor2D {
  const rng = new Rng(seed);
  const values = Array.from({ length: shape[0] * shape[1] }, () => (rng.next() < rate ? 0 : 2));
  return tf.tensor2d(values, shape);
}

describe("Fused layer recurrent dropout", () => {
  it("multiplies h_{t-1} by one mask per sequence where it enters the gates, as the textbook LSTM with Keras' mask", () => {
    tf.tidy(() => {
      const b = 4;
      const x = rand([b, T, F], 12) as tf.Tensor3D;
      const layer = new FusedLSTM({ units: H, recurrentDropout: 0.5, seed: 21, returnSequences: true });
      layer.apply(x);
      const y = layer.apply(x, { training: true }) as tf.Tensor3D;
      // Outside train() the layer draws from its own stream (seed 21, "dropout"): the call's first mask
      // comes from an Rng seeded by that stream's first draw, element by element: 0 below the rate, else 2.
      const mask = handMask(new Rng(21).fork("dropout").nextSeed(), [b, H], 0.5);
      const [k, u, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      let h: tf.Tensor2D = tf.zeros([b, H]);
      let c: tf.Tensor2D = tf.zeros([b, H]);
      const outs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const xt = tf.reshape(tf.slice(x, [0, t, 0], [b, 1, F]), [b, F]) as tf.Tensor2D;
        const z = tf.add(tf.add(tf.matMul(xt, k), tf.matMul(tf.mul(h, mask), u)), bias);
        const [i, f, g, o] = tf.split(z, 4, 1) as tf.Tensor2D[];
        c = tf.add(tf.mul(tf.sigmoid(f as tf.Tensor2D), c), tf.mul(tf.sigmoid(i as tf.Tensor2D), tf.tanh(g as tf.Tensor2D)));
        h = tf.mul(tf.sigmoid(o as tf.Tensor2D), tf.tanh(c));
        outs.push(h);
      }
      const ref = tf.stack(outs, 1);
      assert.ok(maxAbsDiff(y, ref) < 1e-5, `differs by ${maxAbsDiff(y, ref)}`);
      const noDrop = layer.apply(x) as tf.Tensor;
      assert.ok(maxAbsDiff(y, noDrop) > 1e-3, "the mask must change the output");
    });
  });
});

describe("Fused GRU recurrent dropout", () => {
  it("masks h_{t-1} where it enters the gate and candidate matMuls and keeps it whole in the z-interpolation", () => {
    tf.tidy(() => {
      const b = 4;
      const x = rand([b, T, F], 13) as tf.Tensor3D;
      const layer = new FusedGRU({ units: H, recurrentDropout: 0.5, seed: 22, returnSequences: true });
      layer.apply(x);
      const y = layer.apply(x, { training: true }) as tf.Tensor3D;
      const mask = handMask(new Rng(22).fork("dropout").nextSeed(), [b, H], 0.5);
      const [k, u, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      const [kz, kr, kh] = tf.split(k, 3, 1) as tf.Tensor2D[];
      const [uz, ur, uh] = tf.split(u, 3, 1) as tf.Tensor2D[];
      const [bz, br, bh] = tf.split(bias, 3) as tf.Tensor1D[];
      let h: tf.Tensor2D = tf.zeros([b, H]);
      const outs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const xt = tf.reshape(tf.slice(x, [0, t, 0], [b, 1, F]), [b, F]) as tf.Tensor2D;
        const hm = tf.mul(h, mask) as tf.Tensor2D;
        const z = tf.sigmoid(tf.add(tf.add(tf.matMul(xt, kz as tf.Tensor2D), tf.matMul(hm, uz as tf.Tensor2D)), bz as tf.Tensor1D));
        const r = tf.sigmoid(tf.add(tf.add(tf.matMul(xt, kr as tf.Tensor2D), tf.matMul(hm, ur as tf.Tensor2D)), br as tf.Tensor1D));
        const hh = tf.tanh(tf.add(tf.add(tf.matMul(xt, kh as tf.Tensor2D), tf.matMul(tf.mul(r, hm) as tf.Tensor2D, uh as tf.Tensor2D)), bh as tf.Tensor1D));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D;
        outs.push(h);
      }
      const ref = tf.stack(outs, 1);
      assert.ok(maxAbsDiff(y, ref) < 1e-5, `differs by ${maxAbsDiff(y, ref)}`);
    });
  });
});

describe("Fused layer options", () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["units 0", { units: 0 }, /`units` must be a positive integer, got 0/],
    ["dropout 1", { units: 2, dropout: 1 }, /`dropout` must be in \[0, 1\), got 1/],
    ["recurrentDropout -0.1", { units: 2, recurrentDropout: -0.1 }, /`recurrentDropout` must be in \[0, 1\), got -0.1/],
    ["recurrentInitializer", { units: 2, recurrentInitializer: "eye" }, /Unknown recurrentInitializer "eye"/],
    ["useBias", { units: 2, useBias: "yes" }, /useBias/],
    ["l1 -1", { units: 2, l1: -1 }, /`l1` must be a non-negative number, got -1/],
  ];
  for (const Layer of [FusedLSTM, FusedGRU]) {
    for (const [what, args, message] of bad) {
      it(`${Layer.name} rejects ${what} with a ConfigError naming the option and value`, () => {
        assert.throws(
          () => new Layer(args as unknown as ConstructorParameters<typeof Layer>[0]),
          (e: unknown) => e instanceof ConfigError && message.test(e.message),
        );
      });
    }
  }
});

describe("Fused layer memory", () => {
  it("holds exactly its weight tensors after building", () => {
    const x = tf.zeros([1, T, F]);
    const before = tf.memory().numTensors;
    const lstm = new FusedLSTM({ units: H, seed: 1 });
    const gru = new FusedGRU({ units: H, seed: 1, useBias: false });
    tf.tidy(() => {
      lstm.apply(x);
      gru.apply(x);
    });
    assert.equal(tf.memory().numTensors, before + 3 + 2);
    lstm.dispose();
    gru.dispose();
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });

  it("leaves no tensors behind after a gradient step", () => {
    const model = tf.sequential({
      layers: [
        tf.layers.masking({ maskValue: 0, inputShape: [T, F] }),
        new FusedLSTM({ units: H, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2, seed: 1 }),
        new FusedGRU({ units: H, seed: 2 }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const x = rand([B, T, F], 8);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        model.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      tf.dispose([value, ...Object.values(grads)]);
    }
    tf.dispose(tf.tidy(() => model.predict(x) as tf.Tensor));
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});

import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../src/backend/index.js";

describe("wasm kernels lstm-lab adds", () => {
  before(async () => {
    const info = await ready();
    assert.equal(info.name, "wasm");
  });

  it("computes unsortedSegmentSum as worked by hand, dropping out-of-range ids", () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const ids = tf.tensor1d([0, 2, 0, 5], "int32");
    const out = tf.unsortedSegmentSum(x, ids, 3);
    assert.deepEqual(out.arraySync(), [[6, 8], [0, 0], [3, 4]]);
    tf.dispose([x, ids, out]);
  });

  it("lets an embedding layer train on wasm, with the same gradient as the cpu backend", async () => {
    const grad = () =>
      tf.tidy(() => {
        const table = tf.variable(tf.tensor2d([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]), true, "emb_table_" + tf.getBackend());
        const ids = tf.tensor1d([2, 0, 2, 1], "int32");
        const g = tf.variableGrads(() => tf.gather(table, ids).mul(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]])).sum() as tf.Scalar, [table]);
        const out = (g.grads[table.name] as tf.Tensor).arraySync() as number[][];
        table.dispose();
        return out;
      });
    const onWasm = grad();
    await tf.setBackend("cpu");
    const onCpu = grad();
    await tf.setBackend("wasm");
    // d/d table[r] = sum of the multiplier rows that gathered r: r0 ← row1, r1 ← row3, r2 ← rows 0 and 2.
    assert.deepEqual(onCpu, [[3, 4], [7, 8], [6, 8]]);
    assert.deepEqual(onWasm, onCpu);
  });
});

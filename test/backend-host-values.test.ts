import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../src/backend/index.js";
import { hostValues } from "../src/backend/host-values.js";

describe("hostValues", () => {
  before(async () => {
    assert.equal((await ready()).name, "wasm");
  });

  it("reads a tensor's values straight from the wasm backend's heap, the same as dataSync", () => {
    const t = tf.tensor2d([0.5, -1.25, 3, 4, 1e-3, -7], [2, 3]);
    const v = hostValues(t);
    assert.deepEqual(Array.from(v), [0.5, -1.25, 3, 4, 1e-3, -7].map(Math.fround));
    // A view of the backend's heap (at the tensor's malloc'd offset), not dataSync's fresh array.
    assert.notEqual(v.byteOffset, 0);
    t.dispose();
  });

  it("takes int32 tensors and cpu-backend tensors through dataSync, as floats", async () => {
    const ints = tf.tensor1d([1, -2, 3], "int32");
    const v = hostValues(ints);
    assert.ok(v instanceof Float32Array);
    assert.deepEqual(Array.from(v), [1, -2, 3]);
    ints.dispose();
    await tf.setBackend("cpu");
    try {
      const c = tf.tensor1d([0.5, 1.5]);
      assert.deepEqual(Array.from(hostValues(c)), [0.5, 1.5]);
      c.dispose();
    } finally {
      await tf.setBackend("wasm");
    }
  });
});

import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { installKernelHost } from "../../src/host.js";
import { train } from "../../src/training/train.js";
import { regressionData, tinyMlp } from "./helpers.js";

describe("a History interrupted in epoch 0", () => {
  before(async () => {
    await ready();
  });

  it("has an empty array for every logged key, not a missing one", async () => {
    const { x, y } = regressionData(16);
    const controller = new AbortController();
    controller.abort();
    const restore = installKernelHost({ display: () => {}, interruptSignal: controller.signal, sessionFlags: new Set() });
    try {
      const h = await train(tinyMlp(2), { x, y }, { epochs: 5, batchSize: 4, validationSplit: 0.25, metrics: ["mae"], progress: "silent" });
      assert.equal(h.interrupted, true);
      assert.equal(h.stopReason, "interrupted during epoch 0 after batch 1 of 3");
      assert.deepEqual(h.epoch, []);
      assert.deepEqual(h.metrics, { loss: [], mae: [], val_loss: [], val_mae: [] });
    } finally {
      restore();
      tf.dispose([x, y]);
    }
  });
});

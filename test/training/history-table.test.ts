import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { historyFromJSON, historyTable, historyToJSON } from "../../src/training/history-table.js";
import { emptyHistory, type History } from "../../src/training/history.js";
import { DataError } from "../../src/errors.js";
import { Progress, progressText } from "../../src/training/progress.js";
import type { TrainContext } from "../../src/training/callback.js";
import type * as tf from "@tensorflow/tfjs";

function sample(): History {
  return {
    ...emptyHistory(),
    epoch: [0, 1, 2],
    metrics: { loss: [1, 0.5, NaN], val_loss: [1.2, 0.7, Infinity] },
    lr: [0.1, 0.05, 0.025],
    seconds: [0.2, 0.1, 0.1],
    gradNorm: [3, 2, 1],
    layerGradNorms: { lstm: [2, 1, 0.5], out: [1, 1, 1] },
    monitor: "val_loss",
    bestEpoch: 1,
    stopReason: "early stopping: no val_loss improvement",
    seed: 42,
  };
}

describe("History table and JSON", () => {
  it("has one row per epoch and a column per log key, lr, seconds and gradient norm", () => {
    const t = historyTable(sample());
    assert.equal(t.numRows(), 3);
    assert.deepEqual(t.columnNames(), ["epoch", "loss", "val_loss", "lr", "seconds", "grad_norm", "grad_norm/lstm", "grad_norm/out"]);
    assert.deepEqual(t.array("lr"), [0.1, 0.05, 0.025]);
    assert.deepEqual(t.array("grad_norm/lstm"), [2, 1, 0.5]);
  });

  it("round-trips through JSON, NaN and Infinity included", () => {
    const h = sample();
    assert.deepEqual(historyFromJSON(historyToJSON(h)), h);
  });

  it("rejects JSON whose columns do not have one value per epoch", () => {
    const bad = JSON.stringify({ ...sample(), lr: [0.1] });
    assert.throws(() => historyFromJSON(bad), (e: Error) => e instanceof DataError && /"lr" must be an array of 3 numbers/.test(e.message));
  });
});

describe("Progress", () => {
  const ctx = (h: History): TrainContext => ({
    model: {} as tf.LayersModel, history: h, epochs: 3, initialEpoch: 0, batchesPerEpoch: 4,
    gradNorms: null, stop() {}, stopRequested: false, interrupted: false, stopReason: null,
  });

  it("writes one plain line per epoch when piped", () => {
    const out: string[] = [];
    const p = new Progress({ mode: "lines", write: (t) => out.push(t) });
    const h = emptyHistory();
    p.onTrainBegin(ctx(h));
    for (let e = 0; e < 3; e++) {
      p.onEpochBegin(ctx(h), e);
      p.onBatchEnd(ctx(h), 0, { loss: 1 });
      p.onEpochEnd(ctx(h), e, { loss: 1 / (e + 1), val_loss: 2, lr: 0.001 });
    }
    p.onTrainEnd(ctx(h));
    assert.equal(out.length, 3);
    assert.match(out[0] ?? "", /^epoch 1\/3  loss 1\.0000  val_loss 2\.0000  lr 1\.000e-3  .*\/epoch  ETA .*\n$/);
    assert.match(out[2] ?? "", /^epoch 3\/3  loss 0\.3333/);
  });

  it("redraws one terminal line with \\r in bar mode and ends it with a newline", () => {
    const out: string[] = [];
    const p = new Progress({ mode: "bar", throttleMs: 0, write: (t) => out.push(t) });
    const h = emptyHistory();
    p.onTrainBegin(ctx(h));
    p.onEpochBegin(ctx(h), 0);
    p.onBatchEnd(ctx(h), 1, { loss: 0.5 });
    p.onEpochEnd(ctx(h), 0, { loss: 0.5, lr: 0.01 });
    p.onTrainEnd(ctx(h));
    assert.ok(out.slice(0, -1).every((s) => s.startsWith("\r[")));
    // 2 of 12 batches done: round(20 / 6) = 3 of 20 cells filled.
    assert.match(out[0] ?? "", /^\r\[=== {17}\] epoch 1\/3  batch 2\/4  loss 0\.5000/);
    assert.equal(out[out.length - 1], "\n");
  });

  it("formats the ETA and time per epoch", () => {
    const text = progressText({ epoch: 1, lastEpoch: 9, batch: 4, batches: 4, logs: { loss: 0.25 }, secondsPerEpoch: 2, etaSeconds: 130, done: false });
    assert.equal(text, "epoch 2/10  loss 0.2500  2.0s/epoch  ETA 2m10s");
  });

  it("counts batches without a total while a lazy source has not told its length", () => {
    const info = { epoch: 0, lastEpoch: 2, logs: { loss: 0.5 }, secondsPerEpoch: null, etaSeconds: null, done: false };
    assert.equal(progressText({ ...info, batch: 7, batches: 0 }), "epoch 1/3  batch 7  loss 0.5000  -/epoch  ETA -");
    assert.equal(progressText({ ...info, batch: 7, batches: 20 }), "epoch 1/3  batch 7/20  loss 0.5000  -/epoch  ETA -");
  });
});

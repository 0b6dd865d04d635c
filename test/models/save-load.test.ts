import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import fsModule from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { DataError } from "../../src/errors.js";
import { buildModel, loadModel, saveModel, withDropoutKey } from "../../src/models/index.js";

let root = "";
before(async () => {
  await ready();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-models-"));
});
after(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const x = () => tf.randomUniform([3, 5, 2], -1, 1, "float32", 4);
function predictions(m: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((m.predict(x()) as tf.Tensor).dataSync()));
}

describe("saveModel / loadModel", () => {
  it("round-trips fused, bidirectional and attention layers with the same predictions, extras and config", async () => {
    const dir = path.join(root, "a");
    const m = buildModel({ inputShape: [5, 2], units: [4, 3], cell: "gru", bidirectional: true, attention: "dot", outputs: 2, seed: 1 });
    const extras = { scaler: { kind: "standard", mean: [0.5, 2], std: [1, 3] }, tokenizer: { vocab: ["<pad>", "a"] } };
    await saveModel(m, dir, { extras });
    const { model, extras: back, config } = await loadModel(dir);
    assert.deepEqual(back, extras);
    assert.deepEqual(config?.units, [4, 3]);
    assert.equal(config?.cell, "gru");
    const a = predictions(m);
    const b = predictions(model);
    assert.ok(a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-7));
    assert.equal(model.loss, "meanSquaredError");
  });

  it("keeps the optimizer's state so training resumes exactly where it stopped", async () => {
    const dir = path.join(root, "opt");
    const m = buildModel({ inputShape: [5, 2], units: 3, seed: 8 });
    const xs = x();
    const ys = tf.randomUniform([3, 1], -1, 1, "float32", 5);
    await m.fit(xs, ys, { epochs: 2, verbose: 0 });
    await saveModel(m, dir);
    const { model } = await loadModel(dir);
    const a = await m.fit(xs, ys, { epochs: 1, verbose: 0 });
    const b = await model.fit(xs, ys, { epochs: 1, verbose: 0 });
    assert.ok(Math.abs((a.history["loss"]?.[0] as number) - (b.history["loss"]?.[0] as number)) < 1e-6);
    assert.deepEqual(predictions(model).map((v) => v.toFixed(5)), predictions(m).map((v) => v.toFixed(5)));
  });

  it("writes the standard TF.js layers format: model.json with topology and a weights manifest", async () => {
    const dir = path.join(root, "b");
    const m = buildModel({ inputShape: [5, 2], units: 3, seed: 2 });
    await saveModel(m, dir);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    assert.equal(json.format, "layers-model");
    assert.equal(json.modelTopology.class_name, "Model");
    const manifest = json.weightsManifest[0];
    const bytes = fs.statSync(path.join(dir, manifest.paths[0])).size;
    type Spec = { shape: number[]; group?: string };
    const size = (ws: Spec[]) => ws.reduce((n, w) => n + w.shape.reduce((a, d) => a * d, 1), 0);
    assert.equal(bytes, 4 * size(manifest.weights));
    // Model weights first, then the optimizer's (an untrained Adam holds only its iteration count).
    assert.equal(size(manifest.weights.filter((w: Spec) => w.group !== "optimizer")), m.countParams());
    // tfjs' own loader reads it too.
    const viaTf = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: manifest.weights.filter((w: Spec) => w.group !== "optimizer"),
      weightData: new Uint8Array(fs.readFileSync(path.join(dir, manifest.paths[0]))).buffer.slice(0, 4 * m.countParams()),
    }));
    assert.deepEqual(predictions(viaTf), predictions(m));
  });

  it("round-trips a model of stock tf.layers too", async () => {
    const dir = path.join(root, "c");
    const m = buildModel({ inputShape: [5, 2], units: 3, fused: false, seed: 3 });
    await saveModel(m, dir);
    const { model, config } = await loadModel(dir);
    assert.equal(model.layers[1]?.getClassName(), "LSTM");
    assert.equal(config?.fused, false);
    assert.deepEqual(predictions(model), predictions(m));
  });

  it("writes fused layers as stock LSTM/GRU with portable: true, loadable by plain tf.loadLayersModel", async () => {
    const dir = path.join(root, "portable");
    const m = buildModel({ inputShape: [5, 2], units: [4, 3], bidirectional: true, outputs: 2, seed: 9 });
    const g = buildModel({ inputShape: [5, 2], units: [3], cell: "gru", l2: 0.01, seed: 10 });
    for (const [model, sub, cls] of [[m, "lstm", "LSTM"], [g, "gru", "GRU"]] as const) {
      await saveModel(model, path.join(dir, sub), { portable: true });
      const text = fs.readFileSync(path.join(dir, sub, "model.json"), "utf8");
      assert.ok(!/"class_name":"Fused/.test(text), "no fused class names left");
      assert.ok(text.includes(`"class_name":"${cls}"`));
      const json = JSON.parse(text);
      const manifest = json.weightsManifest[0];
      const viaTf = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: manifest.weights,
        weightData: new Uint8Array(fs.readFileSync(path.join(dir, sub, manifest.paths[0]))).buffer,
      }));
      const p = predictions(model);
      const q = predictions(viaTf);
      assert.ok(p.every((v, i) => Math.abs(v - (q[i] as number)) < 1e-5), `${p} vs ${q}`);
    }
  });

  it("round-trips embedding and attention dropout, and writes KeyedDropout as a stock Dropout with portable: true", async () => {
    const m = buildModel({ inputShape: [5], embedding: { vocabSize: 10, dim: 3, dropout: 0.2 }, units: 3, attention: "dot", attentionDropout: 0.1, task: "binary", seed: 12 });
    const ids = () => tf.tensor2d([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], [2, 5], "int32");
    const predict = (model: tf.LayersModel) => tf.tidy(() => Array.from((model.predict(ids()) as tf.Tensor).dataSync()));
    await saveModel(m, path.join(root, "dropouts"));
    const { model, config } = await loadModel(path.join(root, "dropouts"));
    assert.equal(config?.embedding?.dropout, 0.2);
    assert.equal(config?.attentionDropout, 0.1);
    assert.deepEqual(model.layers.map((l) => l.getClassName()), m.layers.map((l) => l.getClassName()));
    assert.deepEqual(model.layers[2]?.getConfig()["rate"], 0.2);
    assert.deepEqual(predict(model), predict(m));
    await saveModel(m, path.join(root, "dropouts-portable"), { portable: true });
    const text = fs.readFileSync(path.join(root, "dropouts-portable", "model.json"), "utf8");
    assert.ok(!text.includes("KeyedDropout") && text.includes(`"class_name":"Dropout"`));
    // TemporalAttention is ours, so load through loadModel; the Dropout must be the stock one.
    const portable = await loadModel(path.join(root, "dropouts-portable"));
    assert.equal(portable.model.layers[2]?.getClassName(), "Dropout");
    assert.deepEqual(predict(portable.model), predict(m));
  });

  it("gives the stock layers of a loaded model the same keyed dropout masks as the model that was saved", async () => {
    const m = buildModel({ inputShape: [5, 2], units: [3], bidirectional: true, dropout: 0.4, recurrentDropout: 0.4, fused: false, seed: 13 });
    await saveModel(m, path.join(root, "stock-dropout"));
    const { model } = await loadModel(path.join(root, "stock-dropout"));
    const trained = (mm: tf.LayersModel, batch: number) =>
      tf.tidy(() => Array.from((withDropoutKey(mm, { seed: 2, epoch: 1, batch }, () => mm.apply(x(), { training: true })) as tf.Tensor).dataSync()));
    assert.deepEqual(trained(model, 0), trained(m, 0));
    assert.deepEqual(trained(model, 3), trained(m, 3));
    assert.notDeepEqual(trained(model, 0), trained(model, 3));
    assert.notDeepEqual(trained(model, 0), predictions(model));
  });

  it("swaps stock LSTM/GRU for fused layers on load with fused: true, same predictions", async () => {
    const dir = path.join(root, "refuse");
    const m = buildModel({ inputShape: [5, 2], units: [4, 3], bidirectional: true, l2: 0.01, outputs: 2, seed: 11 });
    await saveModel(m, dir, { portable: true });
    const plain = await loadModel(dir);
    assert.deepEqual(plain.model.layers.map((l) => (l as tf.layers.Layer & { layer?: tf.layers.Layer }).layer?.getClassName()).filter(Boolean), ["LSTM", "LSTM"]);
    const { model, config } = await loadModel(dir, { fused: true });
    const inner = model.layers.map((l) => (l as tf.layers.Layer & { layer?: tf.layers.Layer }).layer?.getClassName()).filter(Boolean);
    assert.deepEqual(inner, ["FusedLSTM", "FusedLSTM"]);
    assert.equal(config?.fused, true);
    const p = predictions(m);
    const q = predictions(model);
    assert.ok(p.every((v, i) => Math.abs(v - (q[i] as number)) < 1e-5));
    // The L2 penalty survives the round trip: 0.01·Σw² over both bidirectional layers' weights.
    const recurrent = model.layers.filter((l) => l.getClassName() === "Bidirectional");
    const expected = recurrent.flatMap((l) => l.getWeights()).reduce((s, w) => s + 0.01 * Array.from(w.dataSync()).reduce((a, v) => a + v * v, 0), 0);
    const got = model.calculateLosses().reduce((s, l) => s + (l.dataSync()[0] as number), 0);
    assert.ok(Math.abs(got - expected) < 1e-5 * Math.max(1, expected), `${got} vs ${expected}`);
    await assert.rejects(loadModel(dir, { fused: "yes" as unknown as boolean }), /`fused` must be true, false or "auto", got "yes"/);
  });

  it("leaves the previous save intact when a save dies before model.json is replaced", async () => {
    const dir = path.join(root, "d");
    const first = buildModel({ inputShape: [5, 2], units: 3, seed: 4 });
    await saveModel(first, dir, { extras: { version: 1 } });
    const second = buildModel({ inputShape: [5, 2], units: 3, seed: 5 });
    // Patch the module object file-io.ts reads through (its namespace import binds live to it).
    const realRename = fsModule.renameSync;
    fsModule.renameSync = ((from: fs.PathLike, to: fs.PathLike) => {
      if (String(to).endsWith("model.json")) throw new Error("simulated crash");
      realRename(from, to);
    }) as typeof fs.renameSync;
    try {
      await assert.rejects(saveModel(second, dir, { extras: { version: 2 } }), /simulated crash/);
    } finally {
      fsModule.renameSync = realRename;
    }
    const { model, extras } = await loadModel(dir);
    assert.deepEqual(extras, { version: 1 });
    assert.deepEqual(predictions(model), predictions(first));
    // The next good save replaces it and cleans up weight files model.json no longer names.
    await saveModel(second, dir, { extras: { version: 2 } });
    const again = await loadModel(dir);
    assert.deepEqual(again.extras, { version: 2 });
    assert.deepEqual(predictions(again.model), predictions(second));
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".bin")).length, 1);
  });

  it("reports a missing folder or weights file as a DataError naming the path", async () => {
    await assert.rejects(loadModel(path.join(root, "nope")), (e: unknown) => e instanceof DataError && /No saved model at/.test((e as Error).message));
    const dir = path.join(root, "e");
    await saveModel(buildModel({ inputShape: [5, 2], units: 3, seed: 6 }), dir);
    for (const f of fs.readdirSync(dir)) if (f.endsWith(".bin")) fs.rmSync(path.join(dir, f));
    await assert.rejects(loadModel(dir), (e: unknown) => e instanceof DataError && /names weights file "weights-[0-9a-f]+\.bin", which is missing/.test((e as Error).message));
  });

  it("rejects extras that are not JSON", async () => {
    const big = { n: BigInt(1) };
    await assert.rejects(saveModel(buildModel({ inputShape: [5, 2], units: 3, seed: 7 }), path.join(root, "f"), { extras: big }), /`extras` must be JSON-serialisable/);
  });
});

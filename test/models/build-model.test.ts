import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { fusedTrainsFaster } from "../../src/models/fused-by-default.js";
import { ConfigError, ShapeError } from "../../src/errors.js";
import {
  buildBaseline,
  buildModel,
  fusedByDefault,
  KeyedDropout,
  modelConfig,
  modelSummary,
  showSummary,
  taskHead,
  TemporalAttention,
  withDropoutKey,
} from "../../src/models/index.js";
import { installKernelHost, type MimeBundle } from "../../src/host.js";

before(async () => {
  await ready();
});

const lstmParams = (f: number, h: number) => 4 * (f * h + h * h + h);
const gruParams = (f: number, h: number) => 3 * (f * h + h * h + h);

describe("buildModel", () => {
  it("stacks recurrent layers with returnSequences on all but the last and counts Keras' parameters", () => {
    const m = buildModel({ inputShape: [12, 3], units: [8, 5], outputs: 4, seed: 1 });
    const rec = m.layers.filter((l) => l.getClassName() === "FusedLSTM");
    assert.equal(rec.length, 2);
    assert.deepEqual(rec[0]?.outputShape, [null, 12, 8]);
    assert.deepEqual(rec[1]?.outputShape, [null, 5]);
    assert.deepEqual(m.outputs[0]?.shape, [null, 4]);
    // LSTM: 4·(F·H + H·H + H); Dense: H·out + out.
    assert.equal(m.countParams(), lstmParams(3, 8) + lstmParams(8, 5) + (5 * 4 + 4));
  });

  it("builds GRU layers, bidirectional wrappers with the merge mode, and the stock layers when fused is false", () => {
    const g = buildModel({ inputShape: [6, 2], cell: "gru", units: 4, bidirectional: true, mergeMode: "sum", seed: 2 });
    assert.equal(g.countParams(), 2 * gruParams(2, 4) + (4 + 1));
    assert.deepEqual(g.layers[1]?.outputShape, [null, 4]);
    const s = buildModel({ inputShape: [6, 2], cell: "gru", units: 4, fused: false, seed: 2 });
    assert.equal(s.layers[1]?.getClassName(), "GRU");
    assert.equal(s.countParams(), gruParams(2, 4) + 5);
  });

  it("puts the task's activation and loss on the head and compiles the model", () => {
    const cases = [
      ["regression", "linear", "meanSquaredError", 3],
      ["binary", "sigmoid", "binaryCrossentropy", 1],
      ["multiclass", "softmax", "categoricalCrossentropy", 5],
    ] as const;
    for (const [task, activation, loss, outputs] of cases) {
      const m = buildModel({ inputShape: [4, 2], units: 3, task, outputs, seed: 3 });
      const head = m.layers[m.layers.length - 1] as tf.layers.Layer;
      assert.equal(head.getConfig()["activation"], activation, task);
      assert.equal(m.loss, loss, task);
      assert.deepEqual(taskHead(task), { ...taskHead(task), loss });
    }
    const sparse = buildModel({ inputShape: [4, 2], units: 3, task: "multiclass", outputs: 3, sparseLabels: true, seed: 3 });
    assert.equal(sparse.loss, "sparseCategoricalCrossentropy");
  });

  it("gives identical weights for the same seed and different ones for another seed", () => {
    const w = (seed: number) => buildModel({ inputShape: [5, 2], units: [4, 4], seed }).getWeights().map((t) => Array.from(t.dataSync()));
    assert.deepEqual(w(7), w(7));
    assert.notDeepEqual(w(7), w(8));
  });

  it("initialises kernels as Keras: glorot-uniform limits, he-normal spread, orthogonal recurrent, forget bias 1", () => {
    const h = 16;
    const f = 40;
    const m = buildModel({ inputShape: [3, f], units: h, seed: 4 });
    const [kernel, rec, bias] = (m.layers[1] as tf.layers.Layer).getWeights() as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const lim = Math.sqrt(6 / (f + 4 * h));
    const k = Array.from(kernel.dataSync());
    assert.ok(Math.max(...k.map(Math.abs)) <= lim + 1e-7);
    assert.ok(Math.max(...k.map(Math.abs)) > 0.9 * lim, "uniform draws should reach near the limit");
    // Orthogonal [H, 4H]: rows orthonormal, so U·Uᵀ = I.
    const uut = tf.matMul(rec, tf.transpose(rec)).arraySync() as number[][];
    uut.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (i === j ? 1 : 0)) < 1e-4, `U·Uᵀ[${i}][${j}] = ${v}`)));
    const b = Array.from(bias.dataSync());
    assert.deepEqual(b, [...Array(h).fill(0), ...Array(h).fill(1), ...Array(2 * h).fill(0)]);
    const he = buildModel({ inputShape: [3, 200], units: 16, kernelInitializer: "heNormal", seed: 5 });
    const hk = Array.from(((he.layers[1] as tf.layers.Layer).getWeights()[0] as tf.Tensor).dataSync());
    const std = Math.sqrt(hk.reduce((s, v) => s + v * v, 0) / hk.length);
    // He normal: std sqrt(2 / fanIn) = 0.1 for fanIn 200 (12 800 draws: within 3%).
    assert.ok(Math.abs(std - 0.1) < 0.003, `he-normal std ${std}`);
  });

  it("adds L1 and L2 penalties on kernel, recurrent kernel and bias", () => {
    const m = buildModel({ inputShape: [3, 2], units: 3, l1: 0.1, l2: 0.5, seed: 6 });
    const layer = m.layers[1] as tf.layers.Layer;
    const ws = layer.getWeights().map((t) => Array.from(t.dataSync()));
    const expected = ws.reduce((s, w) => s + w.reduce((a, v) => a + 0.1 * Math.abs(v) + 0.5 * v * v, 0), 0);
    const got = layer.calculateLosses().reduce((s, l) => s + (l.dataSync()[0] as number), 0);
    assert.ok(Math.abs(got - expected) < 1e-4 * Math.max(1, expected), `${got} vs ${expected}`);
  });

  it("counts the penalties of stock layers and of both directions of a bidirectional layer in model.calculateLosses()", () => {
    const sumSq = (ws: tf.Tensor[]) => ws.reduce((s, w) => s + Array.from(w.dataSync()).reduce((a, v) => a + v * v, 0), 0);
    for (const [fused, bidirectional] of [[false, false], [true, true], [false, true]] as const) {
      const m = buildModel({ inputShape: [3, 2], units: 3, l2: 0.5, fused, bidirectional, seed: 6 });
      const recurrentWeights = (m.layers[1] as tf.layers.Layer).getWeights();
      assert.equal(recurrentWeights.length, bidirectional ? 6 : 3);
      const got = m.calculateLosses().reduce((s, l) => s + (l.dataSync()[0] as number), 0);
      const expected = 0.5 * sumSq(recurrentWeights);
      assert.ok(Math.abs(got - expected) < 1e-4 * Math.max(1, expected), `fused ${fused}, bidirectional ${bidirectional}: ${got} vs ${expected}`);
    }
  });

  it("puts an embedding with mask_zero in front of token inputs and a masking layer in front of padded windows", () => {
    const t = buildModel({ inputShape: [7], embedding: { vocabSize: 20, dim: 4 }, units: 3, task: "binary", seed: 1 });
    assert.equal(t.layers[1]?.getClassName(), "Embedding");
    assert.equal(t.layers[1]?.getConfig()["maskZero"], true);
    assert.equal(t.countParams(), 20 * 4 + lstmParams(4, 3) + 4);
    const p = buildModel({ inputShape: [7, 2], maskValue: -1, units: 3, seed: 1 });
    assert.equal(p.layers[1]?.getClassName(), "Masking");
    // A window padded with -1 at the front predicts the same as the unpadded tail.
    tf.tidy(() => {
      const tail = tf.randomUniform([1, 4, 2], 0, 1, "float32", 3);
      const padded = tf.concat([tf.fill([1, 3, 2], -1), tail], 1);
      const short = buildModel({ inputShape: [4, 2], units: 3, seed: 1 });
      short.setWeights(p.getWeights());
      const a = (p.predict(padded) as tf.Tensor).dataSync()[0] as number;
      const b = (short.predict(tail) as tf.Tensor).dataSync()[0] as number;
      assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);
    });
  });

  it("adds attention over the last layer's sequence output and records its config", () => {
    const m = buildModel({ inputShape: [5, 2], units: [4, 3], attention: "dot", seed: 2 });
    const att = m.layers.find((l) => l instanceof TemporalAttention);
    assert.ok(att);
    assert.deepEqual(m.layers[2]?.outputShape, [null, 5, 3]);
    assert.deepEqual(modelConfig(m)?.units, [4, 3]);
    assert.equal(modelConfig(m)?.attention, "dot");
  });

  it("adds embedding dropout as a KeyedDropout after the embedding and attention dropout to the attention layer, leaving the initial weights as without them", () => {
    const base = { inputShape: [6], embedding: { vocabSize: 12, dim: 4 }, units: 3, attention: "additive", task: "binary", seed: 4 } as const;
    const plain = buildModel(base);
    const m = buildModel({ ...base, embedding: { ...base.embedding, dropout: 0.25 }, attentionDropout: 0.1 });
    assert.deepEqual(m.layers.map((l) => l.getClassName()), ["InputLayer", "Embedding", "KeyedDropout", "FusedLSTM", "TemporalAttention", "Dense"]);
    assert.equal((m.layers[2] as KeyedDropout).rate, 0.25);
    assert.equal((m.layers[4] as TemporalAttention).dropout, 0.1);
    assert.deepEqual(modelConfig(m)?.embedding?.dropout, 0.25);
    assert.equal(modelConfig(m)?.attentionDropout, 0.1);
    const same = m.getWeights().every((w, i) => Array.from(w.dataSync()).join() === Array.from(plain.getWeights()[i]!.dataSync()).join());
    assert.ok(same, "the dropout layers must not shift the initialisers' seeds");
    tf.tidy(() => {
      const ids = tf.tensor2d([[0, 0, 3, 5, 7, 2], [1, 4, 4, 9, 11, 6]], [2, 6], "int32");
      assert.deepEqual(Array.from((m.predict(ids) as tf.Tensor).dataSync()), Array.from((plain.predict(ids) as tf.Tensor).dataSync()), "no dropout at inference");
      const trained = withDropoutKey(m, { seed: 1, epoch: 0, batch: 0 }, () => m.apply(ids, { training: true })) as tf.Tensor;
      assert.notDeepEqual(Array.from(trained.dataSync()), Array.from((plain.predict(ids) as tf.Tensor).dataSync()));
    });
    plain.dispose();
    m.dispose();
  });

  it("trains with model.fit straight away (loss goes down on a learnable target)", async () => {
    const x = tf.randomUniform([32, 4, 1], -1, 1, "float32", 9);
    const y = tf.sum(x, 1);
    const m = buildModel({ inputShape: [4, 1], units: 8, learningRate: 0.02, seed: 3 });
    const h = await m.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0, shuffle: false });
    const loss = h.history["loss"] as number[];
    assert.ok((loss[loss.length - 1] as number) < 0.7 * (loss[0] as number), `loss ${loss.join(", ")}`);
    tf.dispose([x, y]);
  });

  for (const [label, opts, pattern] of [
    ["units 0", { units: 0 }, /`units\[0\]` must be a positive integer, got 0/],
    ["a negative layer width", { units: [8, -2] }, /`units\[1\]` must be a positive integer, got -2/],
    ["dropout 1", { dropout: 1 }, /`dropout` must be in \[0, 1\), got 1/],
    ["recurrentDropout -0.1", { recurrentDropout: -0.1 }, /`recurrentDropout` must be in \[0, 1\), got -0.1/],
    ["cell rnn", { cell: "rnn" }, /Unknown cell "rnn". Choose one of: lstm, gru/],
    ["initializer xavier", { kernelInitializer: "xavier" }, /Unknown kernelInitializer "xavier"/],
    ["attention bahdanau", { attention: "bahdanau" }, /Unknown attention "bahdanau". Choose one of: none, additive, dot/],
    ["a 1-D input shape without embedding", { inputShape: [30] }, /`inputShape` must be \[timesteps, features\], got \[30\]/],
    ["multiclass with 1 output", { task: "multiclass", outputs: 1 }, /at least 2\) for task "multiclass", got 1/],
    ["l2 -1", { l2: -1 }, /`l2` must be a non-negative number, got -1/],
    ["attentionDropout without attention", { attentionDropout: 0.2 }, /`attentionDropout` 0.2 needs attention; set `attention` to "additive" or "dot"/],
    ["attentionDropout 1", { attention: "dot", attentionDropout: 1 }, /`attentionDropout` must be in \[0, 1\), got 1/],
    ["embedding.dropout 1.5", { inputShape: [5], embedding: { vocabSize: 9, dropout: 1.5 } }, /`embedding.dropout` must be in \[0, 1\), got 1.5/],
  ] as const) {
    it(`rejects ${label} with a ConfigError naming the option and the value`, () => {
      assert.throws(() => buildModel({ inputShape: [5, 2], ...(opts as object) } as Parameters<typeof buildModel>[0]), (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.match((e as Error).message, pattern);
        return true;
      });
    });
  }

  it("refuses attention on a layer that does not return sequences with a ShapeError", () => {
    const input = tf.input({ shape: [5, 2] });
    const last = tf.layers.lstm({ units: 3 }).apply(input) as tf.SymbolicTensor;
    assert.throws(() => new TemporalAttention().apply(last), (e: unknown) => {
      assert.ok(e instanceof ShapeError);
      assert.match((e as Error).message, /returnSequences: true\), got shape \[null,3\]/);
      return true;
    });
  });
});

describe("fused layer choice", () => {
  it("uses the fused layers on wasm and cpu without measuring", () => {
    assert.ok(["wasm", "cpu"].includes(tf.getBackend()));
    assert.equal(fusedByDefault(), true);
    const m = buildModel({ inputShape: [4, 2], units: 3, seed: 1 });
    assert.equal(m.layers[1]?.getClassName(), "FusedLSTM");
  });

  it("probes fused against stock training for tfjs-node's choice and leaves no tensors behind", () => {
    const before = tf.memory().numTensors;
    const r = fusedTrainsFaster({ steps: 4, units: 4, batch: 4, batches: 1 });
    assert.equal(typeof r, "boolean");
    assert.equal(tf.memory().numTensors, before);
    assert.throws(() => fusedTrainsFaster({ units: 0 }), /`units` must be a positive integer, got 0/);
  });
});

describe("buildBaseline", () => {
  it("builds a linear model on the flattened window with the task's activation", () => {
    const m = buildBaseline({ kind: "linear", inputShape: [6, 2], outputs: 3, seed: 1 });
    assert.equal(m.countParams(), 12 * 3 + 3);
    const b = buildBaseline({ kind: "linear", inputShape: [6, 2], task: "binary", seed: 1 });
    assert.equal(b.layers[b.layers.length - 1]?.getConfig()["activation"], "sigmoid");
    assert.equal(b.loss, "binaryCrossentropy");
  });

  it("builds a relu MLP whose linear part matches a hand computation", () => {
    const m = buildBaseline({ kind: "mlp", inputShape: [2, 1], hidden: [2], seed: 1 });
    assert.equal(m.countParams(), 2 * 2 + 2 + 2 + 1);
    m.setWeights([tf.tensor2d([[1, -1], [2, 1]]), tf.tensor1d([0, 0.5]), tf.tensor2d([[1], [3]]), tf.tensor1d([0.25])]);
    // x = [1, 2]: hidden = relu([1+4, -1+2+0.5]) = [5, 1.5]; out = 5 + 4.5 + 0.25.
    const y = (m.predict(tf.tensor3d([[[1], [2]]])) as tf.Tensor).dataSync()[0] as number;
    assert.ok(Math.abs(y - 9.75) < 1e-5, String(y));
  });

  it("rejects an unknown kind", () => {
    assert.throws(() => buildBaseline({ kind: "cnn" as "mlp", inputShape: [2, 1] }), /Unknown baseline kind "cnn". Choose one of: mlp, linear/);
  });
});

describe("modelSummary", () => {
  it("lists every layer with its type, output shape and parameter count", () => {
    const m = buildModel({ inputShape: [10, 3], units: [8], outputs: 2, seed: 1 });
    const t = modelSummary(m);
    assert.deepEqual(t.columnNames(), ["layer", "type", "outputShape", "params", "trainable"]);
    assert.deepEqual(Array.from(t.array("type")), ["InputLayer", "FusedLSTM", "Dense"]);
    assert.deepEqual(Array.from(t.array("outputShape")), ["[null, 10, 3]", "[null, 8]", "[null, 2]"]);
    assert.deepEqual(Array.from(t.array("params")), [0, lstmParams(3, 8), 8 * 2 + 2]);
  });
});

describe("showSummary", () => {
  it("prints and returns the text table in plain Node", () => {
    const m = buildModel({ inputShape: [10, 3], units: [8], outputs: 2, seed: 1, name: "plain" });
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void printed.push(args.join(" "));
    let text: string | undefined;
    try {
      text = showSummary(m);
    } finally {
      console.log = log;
    }
    assert.deepEqual(printed, [text]);
    assert.match(text ?? "", /^Model: "plain"\nLayer\s+Type\s+Output shape\s+Params\n/);
    assert.match(text ?? "", /lstm_1\s+FusedLSTM\s+\[null, 8\]\s+384\n/);
  });

  it("sends one HTML table with the totals to the notebook (returning nothing, so the cell shows it once)", () => {
    const m = buildModel({ inputShape: [10, 3], units: [8], outputs: 2, seed: 1, name: "demo" });
    const sent: MimeBundle[] = [];
    const restore = installKernelHost({
      display: (data) => void sent.push(data),
      interruptSignal: new AbortController().signal,
      sessionFlags: new Set(),
    });
    let returned: string | undefined = "not called";
    try {
      returned = showSummary(m);
    } finally {
      restore();
    }
    assert.equal(returned, undefined);
    const text = String(sent[0]?.["text/plain"]);
    const total = lstmParams(3, 8) + 18;
    assert.equal(sent.length, 1);
    const html = String(sent[0]?.["text/html"]);
    assert.match(html, /<table>/);
    assert.equal((html.match(/<tr>/g) ?? []).length, 1 + 3);
    assert.match(html, new RegExp(`Total params: ${total}`));
    assert.match(text, /^Model: "demo"/);
    // 4·(3·8 + 8·8 + 8) = 384
    assert.match(text, /FusedLSTM\s+\[null, 8\]\s+384\n/);
  });
});

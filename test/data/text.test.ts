import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/index.js";
import { padArrays, padSequences } from "../../src/data/pad.js";
import { Tokenizer } from "../../src/data/tokenizer.js";
import { ConfigError, DataError, ShapeError } from "../../src/errors.js";

const seqs = [[1, 2], [3, 4, 5, 6], [7]];

describe("padSequences", () => {
  it("pre-pads and pre-truncates by default, like Keras' pad_sequences", async () => {
    await ready();
    const before = tf.memory().numTensors;
    const p = padSequences(seqs, { maxLen: 3 });
    // keras.utils.pad_sequences([[1,2],[3,4,5,6],[7]], maxlen=3) -> [[0,1,2],[4,5,6],[0,0,7]]
    assert.deepEqual(p.x.arraySync(), [[0, 1, 2], [4, 5, 6], [0, 0, 7]]);
    assert.equal(p.x.dtype, "int32");
    assert.equal(p.mask.dtype, "bool");
    assert.deepEqual(Array.from(p.mask.dataSync()).map(Number), [0, 1, 1, 1, 1, 1, 0, 0, 1]);
    assert.deepEqual(Array.from(p.lengths), [2, 3, 1]);
    p.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("post-pads, post-truncates, uses the pad value and the longest length", () => {
    const p = padArrays(seqs, { padding: "post", truncating: "post", value: -1 });
    assert.equal(p.maxLen, 4);
    assert.deepEqual(Array.from(p.data), [1, 2, -1, -1, 3, 4, 5, 6, 7, -1, -1, -1]);
    const q = padArrays(seqs, { maxLen: 2, padding: "post", truncating: "post" });
    assert.deepEqual(Array.from(q.data), [1, 2, 3, 4, 7, 0]);
    assert.deepEqual(Array.from(q.maskData), [1, 1, 1, 1, 1, 0]);
  });

  it("pads multivariate sequences to [n, maxLen, features] in float32", () => {
    const p = padArrays([[[1, 10], [2, 20]], [[3.5, 30]]], { maxLen: 2 });
    assert.equal(p.dtype, "float32");
    assert.equal(p.features, 2);
    assert.deepEqual(Array.from(p.data), [1, 10, 2, 20, 0, 0, 3.5, 30]);
  });

  it("rejects empty input, bad sizes, NaN and mixed feature counts", () => {
    assert.throws(() => padArrays([]), (e: Error) => e instanceof DataError && /empty array/.test(e.message));
    assert.throws(() => padArrays(seqs, { maxLen: 0 }), (e: Error) => e instanceof ConfigError && /`maxLen`.*got 0/.test(e.message));
    assert.throws(() => padArrays([[1, NaN]]), /Sequence 0 has NaN at step 1/);
    assert.throws(() => padArrays([[[1, 2]], [[1]]]), (e: Error) => e instanceof ShapeError && /Sequence 1 step 0 has 1 features/.test(e.message));
    assert.throws(() => padArrays(seqs, { padding: "middle" as "pre" }), /Unknown padding "middle"/);
  });
});

describe("Tokenizer", () => {
  const texts = ["The cat sat on the mat.", "The dog sat!"];

  it("ranks words by frequency with padding 0 and OOV 1, like Keras' Tokenizer(oov_token=...)", () => {
    const tok = Tokenizer.fit(texts);
    // Keras word_index: <oov> 1, the 2, sat 3, cat 4, on 5, mat 6, dog 7
    assert.deepEqual(tok.state.vocab, ["", "<oov>", "the", "sat", "cat", "on", "mat", "dog"]);
    assert.deepEqual(tok.state.counts, [0, 0, 3, 2, 1, 1, 1, 1]);
    assert.deepEqual(tok.encode(["The cat ATE, the end"]), [[2, 4, 1, 2, 1]]);
    assert.equal(tok.decode([0, 2, 4, 1]), "the cat <oov>");
    assert.equal(tok.vocabSize, 8);
  });

  it("limits the vocabulary by size and minimum frequency", () => {
    // num_words = 4 keeps ids < 4: the, sat
    assert.deepEqual(Tokenizer.fit(texts, { maxVocab: 4 }).encode(["the cat sat"]), [[2, 1, 3]]);
    assert.deepEqual(Tokenizer.fit(texts, { minFreq: 2 }).state.vocab, ["", "<oov>", "the", "sat"]);
  });

  it("pads encoded texts into an int32 tensor", async () => {
    await ready();
    const tok = Tokenizer.fit(texts);
    const p = tok.toTensor(["the dog", "the cat sat on"], { maxLen: 3 });
    assert.deepEqual(p.x.arraySync(), [[0, 2, 7], [4, 3, 5]]);
    p.dispose();
  });

  it("saves the vocabulary as JSON and restores the same encoding", () => {
    const tok = Tokenizer.fit(texts, { maxVocab: 6 });
    const back = Tokenizer.fromJSON(JSON.stringify(tok));
    assert.deepEqual(back.encode(texts), tok.encode(texts));
    assert.deepEqual(back.toJSON(), tok.toJSON());
    assert.throws(() => Tokenizer.fromJSON({ vocab: ["x"], counts: [0] }), /`vocab` must be/);
  });

  it("rejects non-string texts and bad options by name", () => {
    assert.throws(() => Tokenizer.fit(["ok", 3 as unknown as string]), /`texts\[1\]` must be a string, got 3/);
    assert.throws(() => Tokenizer.fit(texts, { minFreq: 0 }), /`minFreq` must be a positive integer, got 0/);
    assert.throws(() => Tokenizer.fit(texts, { maxVocab: 1 }), /`maxVocab` must be 0/);
  });
});

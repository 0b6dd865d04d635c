/**
 * A word tokenizer in the manner of Keras' Tokenizer: lowercase, strip Keras' default punctuation,
 * split on whitespace, rank words by frequency (ties by first appearance). Id 0 is padding and id 1
 * the out-of-vocabulary token. The fitted vocabulary is plain JSON, saved with the model.
 */
import { ConfigError, DataError } from "../errors.js";
import { bool, nonNegativeInt, positiveInt, show } from "../validate.js";
import { padSequences, type PadOptions, type Padded } from "./pad.js";

/** Options of Tokenizer.fit. */
export interface TokenizerOptions {
  /** Lowercase before splitting. @default true */
  lower?: boolean;
  /** Largest id + 1 that `encode` emits (counting padding 0 and OOV 1), like Keras' num_words; 0 keeps every word. @default 0 */
  maxVocab?: number;
  /** Words seen fewer times than this while fitting become OOV. @default 1 */
  minFreq?: number;
  /** The out-of-vocabulary token (id 1). @default "<oov>" */
  oovToken?: string;
}
const DEFAULTS: Required<TokenizerOptions> = { lower: true, maxVocab: 0, minFreq: 1, oovToken: "<oov>" };

/** The JSON form of a fitted tokenizer. */
export interface TokenizerState {
  lower: boolean;
  maxVocab: number;
  minFreq: number;
  oovToken: string;
  /** Words by id: `vocab[0]` is "" (padding), `vocab[1]` the OOV token. */
  vocab: string[];
  /** How often each word of `vocab` was seen while fitting (0 for padding and OOV). */
  counts: number[];
}

// Keras' default `filters`: these characters become spaces.
const FILTERS = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~\t\n\r]/g;

function checkTexts(texts: readonly unknown[]): void {
  if (!Array.isArray(texts)) throw new DataError(`\`texts\` must be an array of strings, got ${show(texts)}.`);
  texts.forEach((t, i) => {
    if (typeof t !== "string") throw new DataError(`\`texts[${i}]\` must be a string, got ${show(t)}.`);
  });
}

/**
 * A fitted word tokenizer: `encode` texts to id sequences, `toTensor` to padded tensors.
 * @example
 * const tok = Tokenizer.fit(["the cat sat", "the dog ran"], { maxVocab: 100 });
 * tok.encode(["the cat ran"]) // one id per known word
 * const again = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tok))); // saved and restored
 */
export class Tokenizer {
  readonly state: Readonly<TokenizerState>;
  readonly #ids: Map<string, number>;

  constructor(state: TokenizerState) {
    this.state = Object.freeze({ ...state, vocab: [...state.vocab], counts: [...state.counts] });
    this.#ids = new Map(state.vocab.map((w, i) => [w, i]));
  }

  /**
   * Fits the vocabulary on `texts`.
   *
   * @example
   * declare const train: ReturnType<typeof dataset>;
   * declare const test: ReturnType<typeof dataset>;
   * const tok = Tokenizer.fit(train.array("text") as string[], { maxVocab: 10_000, minFreq: 2 });
   * const p = tok.toTensor(test.array("text") as string[], { maxLen: 200 });
   */
  static fit(texts: readonly string[], options: TokenizerOptions = {}): Tokenizer {
    const o = { ...DEFAULTS, ...options };
    bool("lower", o.lower);
    nonNegativeInt("maxVocab", o.maxVocab);
    if (o.maxVocab === 1) throw new ConfigError("`maxVocab` must be 0 (no limit) or at least 2 (padding and OOV), got 1.");
    positiveInt("minFreq", o.minFreq);
    if (typeof o.oovToken !== "string" || o.oovToken === "") throw new ConfigError(`\`oovToken\` must be a non-empty string, got ${show(o.oovToken)}.`);
    checkTexts(texts);
    const counts = new Map<string, number>();
    for (const text of texts) for (const w of Tokenizer.split(text, o.lower)) counts.set(w, (counts.get(w) ?? 0) + 1);
    counts.delete(o.oovToken);
    // Map keeps first-appearance order and sort is stable, so ties stay in order of appearance.
    const ranked = [...counts].filter(([, c]) => c >= o.minFreq).sort((a, b) => b[1] - a[1]);
    const kept = o.maxVocab > 0 ? ranked.slice(0, o.maxVocab - 2) : ranked;
    return new Tokenizer({
      ...o,
      vocab: ["", o.oovToken, ...kept.map(([w]) => w)],
      counts: [0, 0, ...kept.map(([, c]) => c)],
    });
  }

  /** The words of `text` as this tokenizer sees them (lowercased, punctuation removed). */
  static split(text: string, lower = true): string[] {
    const s = lower ? text.toLowerCase() : text;
    return s.replace(FILTERS, " ").split(/\s+/).filter((w) => w.length > 0);
  }

  /** Number of ids `encode` can emit (padding and OOV included): the embedding's input size. */
  get vocabSize(): number {
    return this.state.vocab.length;
  }

  /** The id of `word` (1 for unknown words). */
  id(word: string): number {
    return this.#ids.get(this.state.lower ? word.toLowerCase() : word) ?? 1;
  }

  /** Id sequences of `texts`; unknown words map to 1 (OOV). */
  encode(texts: readonly string[]): number[][] {
    checkTexts(texts);
    return texts.map((t) => Tokenizer.split(t, this.state.lower).map((w) => this.#ids.get(w) ?? 1));
  }

  /** Words of an id sequence joined by spaces; padding (0) is skipped. */
  decode(ids: ArrayLike<number>): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (id === 0) continue;
      out.push(this.state.vocab[id] ?? this.state.oovToken);
    }
    return out.join(" ");
  }

  /** Encodes and pads to an int32 `[n, maxLen]` tensor with its mask (Keras defaults: pre-padding, pre-truncation). */
  toTensor(texts: readonly string[], options: PadOptions = {}): Padded {
    const seqs = this.encode(texts);
    const maxLen = options.maxLen ?? Math.max(1, ...seqs.map((s) => s.length));
    return padSequences(seqs, { dtype: "int32", ...options, maxLen });
  }

  toJSON(): TokenizerState {
    return { ...this.state, vocab: [...this.state.vocab], counts: [...this.state.counts] };
  }

  /** Restores a tokenizer from `toJSON()` output (or its JSON text). */
  static fromJSON(json: unknown): Tokenizer {
    const s = (typeof json === "string" ? JSON.parse(json) : json) as Partial<TokenizerState> | null;
    if (s === null || typeof s !== "object") throw new ConfigError(`Tokenizer.fromJSON needs an object, got ${show(json)}.`);
    if (!Array.isArray(s.vocab) || s.vocab.length < 2 || s.vocab[0] !== "" || s.vocab.some((w) => typeof w !== "string")) {
      throw new ConfigError(`Tokenizer.fromJSON: \`vocab\` must be ["", oovToken, ...words], got ${show(s.vocab)}.`);
    }
    if (!Array.isArray(s.counts) || s.counts.length !== s.vocab.length) {
      throw new ConfigError(`Tokenizer.fromJSON: \`counts\` must have one number per vocab entry (${s.vocab.length}), got ${show(s.counts)}.`);
    }
    return new Tokenizer({
      lower: s.lower ?? DEFAULTS.lower,
      maxVocab: s.maxVocab ?? DEFAULTS.maxVocab,
      minFreq: s.minFreq ?? DEFAULTS.minFreq,
      oovToken: s.oovToken ?? (s.vocab[1] as string),
      vocab: s.vocab,
      counts: s.counts,
    });
  }
}


/**
 * Padding and truncating ragged sequences to one length, with a mask of the real steps, like
 * Keras' pad_sequences: padding and truncation each "pre" (at the start) or "post" (at the end).
 * Sequences are numbers (token ids → `[n, maxLen]`) or rows of numbers (`[n, maxLen, features]`).
 */
import * as tf from "@tensorflow/tfjs";
import { DataError, ShapeError } from "../errors.js";
import { finiteNumber, oneOf, positiveInt } from "../validate.js";

/** One ragged sequence: numbers (token ids) or rows of numbers (steps × features). */
export type Sequence = readonly number[] | ArrayLike<number> | readonly (readonly number[])[];

/** Options of padSequences / padArrays (Keras' pad_sequences defaults). */
export interface PadOptions {
  /** Length after padding; null means the longest sequence. @default null */
  maxLen?: number | null;
  /** Where padding goes: "pre" (before, Keras' default) or "post". @default "pre" */
  padding?: "pre" | "post";
  /** Which end longer sequences lose: "pre" (keep the last maxLen steps, Keras' default) or "post". @default "pre" */
  truncating?: "pre" | "post";
  /** The pad value. @default 0 */
  value?: number;
  /** Output type; null picks int32 for integer token sequences and float32 otherwise. @default null */
  dtype?: "int32" | "float32" | null;
}
const DEFAULTS: Required<PadOptions> = { maxLen: null, padding: "pre", truncating: "pre", value: 0, dtype: null };

/** Padded sequences as typed arrays. */
export interface PaddedArrays {
  readonly n: number;
  readonly maxLen: number;
  /** Features per step; 0 for plain number sequences (data is `[n, maxLen]`). */
  readonly features: number;
  readonly dtype: "int32" | "float32";
  /** Row-major `[n, maxLen]` or `[n, maxLen, features]`. */
  readonly data: Int32Array | Float32Array;
  /** `[n, maxLen]`: 1 where a real step is, 0 where padding is. */
  readonly maskData: Uint8Array;
  /** Real steps kept per sequence (after truncation). */
  readonly lengths: Int32Array;
}

/** Padded sequences with tensors; `dispose()` frees `x` and `mask`. */
export interface Padded extends PaddedArrays {
  readonly x: tf.Tensor;
  /** Boolean `[n, maxLen]` mask, true on real steps. */
  readonly mask: tf.Tensor2D;
  dispose(): void;
}

/**
 * Pads / truncates to typed arrays only (no TensorFlow.js). Same options as {@link padSequences}.
 * @example
 * const p = padArrays([[5, 2], [7, 1, 9]], { maxLen: 3 });
 */
export function padArrays(sequences: readonly Sequence[], options: PadOptions = {}): PaddedArrays {
  const o = { ...DEFAULTS, ...options };
  if (!Array.isArray(sequences) || sequences.length === 0) throw new DataError(`\`sequences\` must be a non-empty array of sequences, got ${Array.isArray(sequences) ? "an empty array" : typeof sequences}.`);
  if (o.maxLen !== null) positiveInt("maxLen", o.maxLen);
  oneOf("padding", o.padding, ["pre", "post"] as const);
  oneOf("truncating", o.truncating, ["pre", "post"] as const);
  finiteNumber("value", o.value);
  if (o.dtype !== null) oneOf("dtype", o.dtype, ["int32", "float32"] as const);
  // features per step from the first non-empty sequence
  let features = -1;
  let longest = 0;
  let integral = Number.isInteger(o.value);
  sequences.forEach((seq, i) => {
    if (seq === null || typeof seq !== "object" || typeof (seq as ArrayLike<unknown>).length !== "number") {
      throw new DataError(`Sequence ${i} is not an array, got ${String(seq)}.`);
    }
    const s = seq as ArrayLike<unknown>;
    longest = Math.max(longest, s.length);
    for (let t = 0; t < s.length; t++) {
      const step = s[t];
      const f = Array.isArray(step) || ArrayBuffer.isView(step) ? (step as ArrayLike<unknown>).length : 0;
      if (features === -1) features = f;
      else if (f !== features) {
        throw new ShapeError(`Sequence ${i} step ${t} has ${f === 0 ? "a single number" : `${f} features`}, but earlier steps have ${features === 0 ? "single numbers" : `${features} features`}.`);
      }
      const vals: ArrayLike<unknown> = f === 0 ? [step] : (step as ArrayLike<unknown>);
      for (let k = 0; k < vals.length; k++) {
        const v = vals[k];
        if (typeof v !== "number" || !Number.isFinite(v)) throw new DataError(`Sequence ${i} has ${String(v)} at step ${t}; values must be finite numbers.`);
        if (integral && !Number.isInteger(v)) integral = false;
      }
    }
  });
  if (features === -1) features = 0;
  const maxLen = o.maxLen ?? longest;
  if (maxLen === 0) throw new DataError("Every sequence is empty; there is nothing to pad (pass maxLen to get all-padding rows).");
  const dtype = o.dtype ?? (integral && features === 0 ? "int32" : "float32");
  const width = Math.max(1, features);
  const n = sequences.length;
  const data = dtype === "int32" ? new Int32Array(n * maxLen * width) : new Float32Array(n * maxLen * width);
  if (o.value !== 0) data.fill(o.value);
  const maskData = new Uint8Array(n * maxLen);
  const lengths = new Int32Array(n);
  sequences.forEach((seq, i) => {
    const s = seq as ArrayLike<number | ArrayLike<number>>;
    const keep = Math.min(s.length, maxLen);
    const from = o.truncating === "pre" ? s.length - keep : 0;
    const at = o.padding === "pre" ? maxLen - keep : 0;
    lengths[i] = keep;
    for (let t = 0; t < keep; t++) {
      const step = s[from + t] as number | ArrayLike<number>;
      const base = (i * maxLen + at + t) * width;
      if (features === 0) data[base] = step as number;
      else for (let k = 0; k < width; k++) data[base + k] = (step as ArrayLike<number>)[k] as number;
      maskData[i * maxLen + at + t] = 1;
    }
  });
  return { n, maxLen, features, dtype, data, maskData, lengths };
}

/**
 * Pads / truncates ragged sequences to `[n, maxLen]` (or `[n, maxLen, features]`) tensors plus a
 * boolean mask, with Keras' pad_sequences defaults (pre-padding, pre-truncation, value 0).
 *
 * @example
 * const p = padSequences([[5, 2], [7, 1, 9, 4]], { maxLen: 3, padding: "post" });
 * // p.x = [[5, 2, 0], [1, 9, 4]], p.mask = [[true, true, false], [true, true, true]]
 */
export function padSequences(sequences: readonly Sequence[], options: PadOptions = {}): Padded {
  const a = padArrays(sequences, options);
  const shape = a.features === 0 ? [a.n, a.maxLen] : [a.n, a.maxLen, a.features];
  const x = tf.tensor(a.data, shape, a.dtype);
  const mask = tf.tidy(() => tf.tensor2d(a.maskData, [a.n, a.maxLen], "int32").cast("bool")) as tf.Tensor2D;
  return {
    ...a,
    x,
    mask,
    dispose() {
      x.dispose();
      mask.dispose();
    },
  };
}


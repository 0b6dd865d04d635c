/**
 * Cross-validation splits as row indices: shuffled or ordered k-fold (scikit-learn's KFold), and
 * rolling-origin splits for time series (scikit-learn's TimeSeriesSplit: train on everything
 * before a block, validate on the block), which is what sequence models usually need.
 */
import { ConfigError } from "../errors.js";
import { Rng } from "../rng.js";
import { nonNegativeInt, oneOf, positiveInt } from "../validate.js";

/** One split: row indices to train on and to validate on. */
export interface Fold {
  train: Int32Array;
  validation: Int32Array;
}

/** Options of {@link cvFolds}: how many folds and how to cut them. */
export interface CvFoldsOptions {
  /** Number of folds. @default 5 */
  k?: number;
  /** "time": expanding window, validation always after training; "kfold": classic k-fold. @default "time" */
  kind?: "time" | "kfold";
  /** Shuffle rows before k-fold splitting (ignored for "time"). @default false */
  shuffle?: boolean;
  /** Seed of the shuffle. @default 0 */
  seed?: number;
  /** Rows left out between training and validation in "time" splits (avoids window leakage). @default 0 */
  gap?: number;
}

const DEFAULTS: Required<CvFoldsOptions> = { k: 5, kind: "time", shuffle: false, seed: 0, gap: 0 };

const range = (a: number, b: number) => Int32Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/**
 * Splits `n` rows into folds.
 * @example cvFolds(10, { k: 3 }) // train 0–3 / val 4–5, train 0–5 / val 6–7, train 0–7 / val 8–9
 */
export function cvFolds(n: number, options: CvFoldsOptions = {}): Fold[] {
  const o = { ...DEFAULTS, ...options };
  positiveInt("n", n);
  positiveInt("k", o.k);
  oneOf("kind", o.kind, ["time", "kfold"] as const);
  nonNegativeInt("gap", o.gap);
  if (o.kind === "time") {
    const size = Math.floor(n / (o.k + 1));
    if (size < 1 || n - o.k * size - o.gap < 1) {
      throw new ConfigError(`Cannot make ${o.k} time-series folds from ${n} rows with gap ${o.gap}: each fold needs at least one training and one validation row.`);
    }
    return Array.from({ length: o.k }, (_, i) => {
      const start = n - (o.k - i) * size;
      return { train: range(0, start - o.gap), validation: range(start, start + size) };
    });
  }
  if (o.k < 2 || o.k > n) throw new ConfigError(`\`k\` must be between 2 and the number of rows (${n}) for k-fold, got ${o.k}.`);
  const order = o.shuffle ? new Rng(o.seed).permutation(n) : range(0, n);
  const folds: Fold[] = [];
  let start = 0;
  for (let i = 0; i < o.k; i++) {
    const size = Math.floor(n / o.k) + (i < n % o.k ? 1 : 0);
    const validation = order.slice(start, start + size);
    const train = Int32Array.from([...order.slice(0, start), ...order.slice(start + size)]);
    folds.push({ train, validation });
    start += size;
  }
  return folds;
}

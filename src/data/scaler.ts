/**
 * Column scalers fitted on the training part only: MinMax (to a feature range), Standard
 * (mean / population std, like sklearn's StandardScaler) and Robust (median / IQR). A fitted
 * scaler is plain state (JSON in, JSON out) with pure transform and inverse.
 *
 * Every kind is the same affine map per column: `scaled = (x - center) / scale + offset`.
 * A column scikit-learn counts as constant has its spread (range, std or IQR) taken as 1, as
 * sklearn's `_handle_zeros_in_scale` does, so it scales to `offset`, never NaN; values off the
 * constant move as they do in sklearn (minmax on [-1, 1]: one unit in x is two scaled units).
 */
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { ConfigError, DataError, ShapeError } from "../errors.js";
import { finiteNumber, nonEmptyArray, oneOf, show } from "../validate.js";
import { numericColumn, requireColumns, requireRows } from "./columns.js";

/** Which scaler fitScaler fits. */
export type ScalerKind = "minmax" | "standard" | "robust";
/** Every ScalerKind. */
export const SCALER_KINDS: readonly ScalerKind[] = ["minmax", "standard", "robust"];

/** Options of fitScaler. */
export interface ScalerOptions {
  /** Which scaler. @default "standard" */
  kind?: ScalerKind;
  /** Output range of the minmax scaler. @default [0, 1] */
  featureRange?: readonly [number, number];
  /** Quantiles whose distance is the robust scaler's scale. @default [0.25, 0.75] */
  quantileRange?: readonly [number, number];
}
const DEFAULTS: Required<ScalerOptions> = { kind: "standard", featureRange: [0, 1], quantileRange: [0.25, 0.75] };

/** The JSON form of a fitted scaler. */
export interface ScalerState {
  kind: ScalerKind;
  columns: string[];
  center: number[];
  scale: number[];
  offset: number[];
}

/**
 * A fitted column scaler. `JSON.stringify(scaler)` saves it; `Scaler.fromJSON` restores it.
 * @example
 * const table = dataset("seattle-weather");
 * const scaler = fitScaler(table, ["temp_max"], "standard");
 * const back = scaler.inverse(scaler.transform(table)); // the original values again
 * JSON.stringify(scaler.toJSON()) // plain JSON, saved with the model
 */
export class Scaler {
  readonly kind: ScalerKind;
  readonly columns: readonly string[];
  /** Subtracted first: min, mean or median per column. */
  readonly center: readonly number[];
  /** Divided by next: range / (hi - lo), population std or IQR, with a constant column's spread taken as 1. */
  readonly scale: readonly number[];
  /** Added last: the feature range's low end for minmax, else 0. */
  readonly offset: readonly number[];

  constructor(state: ScalerState) {
    this.kind = state.kind;
    this.columns = Object.freeze([...state.columns]);
    this.center = Object.freeze([...state.center]);
    this.scale = Object.freeze([...state.scale]);
    this.offset = Object.freeze([...state.offset]);
  }

  /** A new table with this scaler's columns scaled; other columns untouched. Missing values stay NaN. */
  transform(table: ColumnTable): ColumnTable {
    return this.#apply(table, (x, j) => (x - (this.center[j] as number)) / (this.scale[j] as number) + (this.offset[j] as number));
  }

  /** A new table with this scaler's columns mapped back to the original units. */
  inverse(table: ColumnTable): ColumnTable {
    return this.#apply(table, (x, j) => (x - (this.offset[j] as number)) * (this.scale[j] as number) + (this.center[j] as number));
  }

  /**
   * Maps model outputs back to original units. `values` is row-major with a last axis that cycles
   * through `columns` (e.g. `y` of makeWindows: `[n, horizon × targets]` with `columns = targets`).
   * Returns a new Float32Array; `values` is not changed.
   */
  inverseArray(values: ArrayLike<number>, columns: readonly string[] = this.columns): Float32Array {
    const idx = this.#indices(columns);
    const out = new Float32Array(values.length);
    const c = idx.length;
    if (values.length % c !== 0) {
      throw new ShapeError(`inverseArray got ${values.length} values, not a multiple of ${c} columns (${columns.join(", ")}).`);
    }
    for (let i = 0; i < values.length; i++) {
      const j = idx[i % c] as number;
      out[i] = ((values[i] as number) - (this.offset[j] as number)) * (this.scale[j] as number) + (this.center[j] as number);
    }
    return out;
  }

  /** Like {@link inverseArray} for a tensor whose last axis size is a multiple of `columns.length`. */
  inverseTensor<T extends tf.Tensor>(values: T, columns: readonly string[] = this.columns): T {
    const idx = this.#indices(columns);
    const last = values.shape[values.shape.length - 1] ?? 1;
    if (last % idx.length !== 0) {
      throw new ShapeError(`inverseTensor: last axis has size ${last}, not a multiple of ${idx.length} columns (${columns.join(", ")}).`);
    }
    const pick = (a: readonly number[]) => Array.from({ length: last }, (_, k) => a[idx[k % idx.length] as number] as number);
    return tf.tidy(() => {
      const scaled = tf.mul(tf.sub(values, tf.tensor1d(pick(this.offset))), tf.tensor1d(pick(this.scale)));
      return tf.add(scaled, tf.tensor1d(pick(this.center))).cast(values.dtype) as T;
    });
  }

  toJSON(): ScalerState {
    return { kind: this.kind, columns: [...this.columns], center: [...this.center], scale: [...this.scale], offset: [...this.offset] };
  }

  /** Restores a scaler from `toJSON()` output (or its parsed JSON text), checking every field. */
  static fromJSON(json: unknown): Scaler {
    const s = (typeof json === "string" ? JSON.parse(json) : json) as Partial<ScalerState> | null;
    if (s === null || typeof s !== "object") throw new ConfigError(`Scaler.fromJSON needs an object, got ${show(json)}.`);
    oneOf("scaler kind", s.kind, SCALER_KINDS);
    nonEmptyArray("columns", s.columns);
    const n = (s.columns as string[]).length;
    for (const key of ["center", "scale", "offset"] as const) {
      const a = s[key];
      if (!Array.isArray(a) || a.length !== n) throw new ConfigError(`Scaler.fromJSON: \`${key}\` must be an array of ${n} numbers, got ${show(a)}.`);
      a.forEach((v, i) => finiteNumber(`${key}[${i}]`, v));
    }
    return new Scaler(s as ScalerState);
  }

  #indices(columns: readonly string[]): number[] {
    return columns.map((c) => {
      const j = this.columns.indexOf(c);
      if (j < 0) throw new ConfigError(`Column ${show(c)} was not fitted by this scaler (it knows: ${this.columns.join(", ")}).`);
      return j;
    });
  }

  #apply(table: ColumnTable, f: (x: number, j: number) => number): ColumnTable {
    requireColumns(table, this.columns);
    const cols: Record<string, Float64Array> = {};
    this.columns.forEach((name, j) => {
      const x = numericColumn(table, name, true);
      for (let i = 0; i < x.length; i++) x[i] = f(x[i] as number, j);
      cols[name] = x;
    });
    return table.assign(cols);
  }
}

/** Quantile with linear interpolation between order statistics (numpy's default, R type 7). */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/** Machine epsilon of float64, scikit-learn's `np.finfo(np.float64).eps`. */
const EPS = Number.EPSILON;

/**
 * A spread (range or IQR) of a column that counts as constant: below 10 eps, whatever the
 * column's magnitude or the output range (scikit-learn's `_handle_zeros_in_scale`).
 */
const flatSpread = (spread: number): boolean => spread < 10 * EPS;

/**
 * A variance that cannot be told from that of a constant column by the error bound of the
 * two-pass algorithm (scikit-learn's `_is_constant_feature`, after Chan, Golub and LeVeque).
 */
const flatVariance = (variance: number, mean: number, n: number): boolean => variance <= n * EPS * variance + (n * mean * EPS) ** 2;

/**
 * Fits a scaler on `columns` of `table` (pass only the training part). The standard scaler uses
 * the population std (divide by n, like sklearn); robust uses the median and the 25–75 % IQR.
 *
 * @example
 * declare const split: TimeSplit;
 * declare const model: tf.LayersModel;
 * declare const w: Windows;
 * const scaler = fitScaler(split.train, ["temp_max", "wind"], { kind: "minmax", featureRange: [-1, 1] });
 * const train = scaler.transform(split.train), val = scaler.transform(split.val);
 * const preds = scaler.inverseTensor(model.predict(w.x) as tf.Tensor, ["temp_max"]);
 */
export function fitScaler(table: ColumnTable, columns: readonly string[], options: ScalerOptions | ScalerKind = {}): Scaler {
  const o = { ...DEFAULTS, ...(typeof options === "string" ? { kind: options } : options) };
  oneOf("scaler kind", o.kind, SCALER_KINDS);
  nonEmptyArray("columns", columns);
  const [lo, hi] = o.featureRange;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new ConfigError(`\`featureRange\` must be [low, high] with finite low < high, got ${show(o.featureRange)}.`);
  }
  const [qlo, qhi] = o.quantileRange;
  if (!(qlo >= 0 && qhi <= 1 && qlo < qhi)) {
    throw new ConfigError(`\`quantileRange\` must be [low, high] with 0 <= low < high <= 1, got ${show(o.quantileRange)}.`);
  }
  requireColumns(table, columns);
  requireRows(table, 1, "to fit a scaler");
  const state: ScalerState = { kind: o.kind, columns: [...columns], center: [], scale: [], offset: [] };
  for (const name of columns) {
    const x = numericColumn(table, name);
    let center: number, scale: number, offset = 0;
    if (o.kind === "minmax") {
      let mn = Infinity, mx = -Infinity;
      for (const v of x) {
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      const range = mx - mn;
      center = mn;
      scale = (flatSpread(range) ? 1 : range) / (hi - lo);
      offset = lo;
    } else if (o.kind === "standard") {
      let sum = 0;
      for (const v of x) sum += v;
      let mean = sum / x.length;
      // One correction pass: the sum of 1e9-sized values loses the small digits the spread lives in.
      let residual = 0;
      for (const v of x) residual += v - mean;
      mean += residual / x.length;
      let ss = 0;
      for (const v of x) ss += (v - mean) * (v - mean);
      const variance = ss / x.length;
      center = mean;
      scale = flatVariance(variance, mean, x.length) ? 1 : Math.sqrt(variance);
    } else {
      const sorted = x.slice().sort();
      center = quantile(sorted, 0.5);
      const iqr = quantile(sorted, qhi) - quantile(sorted, qlo);
      scale = flatSpread(iqr) ? 1 : iqr;
    }
    if (!Number.isFinite(scale)) throw new DataError(`Column "${name}" overflows when scaled (range too large).`);
    state.center.push(center);
    state.scale.push(scale);
    state.offset.push(offset);
  }
  return new Scaler(state);
}

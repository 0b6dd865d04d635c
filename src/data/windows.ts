/**
 * Sliding windows over a time-ordered table: `lookback` input rows of the feature columns, then
 * `gap` skipped rows, then `horizon` rows of the target columns. Inputs are built straight into one
 * Float32Array (row-major `[n, lookback, features]`): each window is a contiguous slice of the
 * interleaved source, so building it is a memcpy per window and the data is copied once.
 */
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { DataError } from "../errors.js";
import { nonEmptyArray, nonNegativeInt, positiveInt } from "../validate.js";
import { numericColumn, requireColumns, requireSorted, timeColumn as readTime } from "./columns.js";

/** Options of makeWindows / windowArrays. */
export interface WindowOptions {
  /** Input columns, in the order of the last axis of `x`. Required. */
  features: readonly string[];
  /** Target columns; `y[i]` holds step 0's targets, then step 1's, ... Required. */
  targets: readonly string[];
  /** Input rows per window. @default 24 */
  lookback?: number;
  /** Future steps to predict per window. @default 1 */
  horizon?: number;
  /** Rows between the starts of consecutive windows. @default 1 */
  stride?: number;
  /** Rows skipped between the last input row and the first target row. @default 0 */
  gap?: number;
  /** Column of Dates or numbers; must be strictly increasing. Fills `targetTimes`. @default null */
  timeColumn?: string | null;
}

type Resolved = Required<WindowOptions>;
const DEFAULTS: Omit<Resolved, "features" | "targets"> = { lookback: 24, horizon: 1, stride: 1, gap: 0, timeColumn: null };

/** Windows as plain typed arrays (no TensorFlow.js), e.g. for a generator or a worker. */
export interface WindowArrays {
  /** Number of windows. */
  readonly n: number;
  readonly lookback: number;
  readonly horizon: number;
  readonly features: readonly string[];
  readonly targets: readonly string[];
  /** Inputs, row-major `[n, lookback, features.length]`. */
  readonly xData: Float32Array;
  /** Targets, row-major `[n, horizon * targets.length]`, step-major: `y[i][h * targets.length + t]`. */
  readonly yData: Float32Array;
  /** Table row of each window's first input row. */
  readonly starts: Int32Array;
  /** Table row of each window's first target row (`start + lookback + gap`). */
  readonly targetStarts: Int32Array;
  /** Epoch ms (or the numbers) of each target step, `[n, horizon]` row-major; null without a timeColumn. */
  readonly targetTimes: Float64Array | null;
}

/** Windows with tensors; `dispose()` frees `x` and `y`. */
export interface Windows extends WindowArrays {
  /** `[n, lookback, features.length]` float32. */
  readonly x: tf.Tensor3D;
  /** `[n, horizon * targets.length]` float32. */
  readonly y: tf.Tensor2D;
  dispose(): void;
}

/** Checks the options and the table; returns the resolved options. Throws ConfigError / DataError. */
export function resolveWindowOptions(table: ColumnTable, o: WindowOptions): Resolved {
  const r: Resolved = { ...DEFAULTS, ...o } as Resolved;
  nonEmptyArray("features", r.features);
  nonEmptyArray("targets", r.targets);
  positiveInt("lookback", r.lookback);
  positiveInt("horizon", r.horizon);
  positiveInt("stride", r.stride);
  nonNegativeInt("gap", r.gap);
  requireColumns(table, r.features, "feature column");
  requireColumns(table, r.targets, "target column");
  if (r.timeColumn !== null) requireColumns(table, [r.timeColumn], "time column");
  const need = r.lookback + r.gap + r.horizon;
  const rows = table.numRows();
  if (rows === 0) throw new DataError("The table is empty (0 rows); windows need at least lookback + gap + horizon rows.");
  if (need > rows) {
    throw new DataError(
      `lookback (${r.lookback}) + gap (${r.gap}) + horizon (${r.horizon}) = ${need} is larger than the table's ${rows} rows; use a shorter lookback or horizon, or more data.`,
    );
  }
  return r;
}

/** Interleaves columns into one row-major Float32Array `[rows, columns]`, checking every value is finite. */
export function interleave(table: ColumnTable, columns: readonly string[]): Float32Array {
  const rows = table.numRows();
  const c = columns.length;
  const out = new Float32Array(rows * c);
  columns.forEach((name, j) => {
    const col = numericColumn(table, name);
    for (let i = 0; i < rows; i++) out[i * c + j] = col[i] as number;
  });
  return out;
}

/** How many windows fit in `rows` rows with these (resolved) options. */
export function windowCount(rows: number, o: Pick<Resolved, "lookback" | "gap" | "horizon" | "stride">): number {
  return Math.floor((rows - o.lookback - o.gap - o.horizon) / o.stride) + 1;
}

/**
 * Sliding windows as typed arrays only. Same options and checks as {@link makeWindows}.
 */
export function windowArrays(table: ColumnTable, options: WindowOptions): WindowArrays {
  const o = resolveWindowOptions(table, options);
  const rows = table.numRows();
  const times = o.timeColumn === null ? null : readTime(table, o.timeColumn);
  if (times && o.timeColumn !== null) requireSorted(o.timeColumn, times, true);
  const src = interleave(table, o.features);
  const tgt = interleave(table, o.targets);
  const F = o.features.length;
  const T = o.targets.length;
  const n = windowCount(rows, o);
  const xLen = o.lookback * F;
  const yLen = o.horizon * T;
  const xData = new Float32Array(n * xLen);
  const yData = new Float32Array(n * yLen);
  const starts = new Int32Array(n);
  const targetStarts = new Int32Array(n);
  const targetTimes = times ? new Float64Array(n * o.horizon) : null;
  for (let i = 0; i < n; i++) {
    const s = i * o.stride;
    const ts = s + o.lookback + o.gap;
    starts[i] = s;
    targetStarts[i] = ts;
    xData.set(src.subarray(s * F, s * F + xLen), i * xLen);
    yData.set(tgt.subarray(ts * T, ts * T + yLen), i * yLen);
    if (targetTimes && times) targetTimes.set(times.subarray(ts, ts + o.horizon), i * o.horizon);
  }
  return { n, lookback: o.lookback, horizon: o.horizon, features: [...o.features], targets: [...o.targets], xData, yData, starts, targetStarts, targetTimes };
}

/**
 * Sliding windows for sequence models: `x` `[n, lookback, features]` and `y` `[n, horizon × targets]`,
 * plus the raw Float32Arrays and each target step's timestamp for plotting. Windows start every
 * `stride` rows; the last one ends at or before the last row. Inputs never include target-time rows.
 *
 * @example
 * const w = makeWindows(train, { features: ["temp_max", "wind"], targets: ["temp_max"], lookback: 30, horizon: 7, timeColumn: "date" });
 * model.fit(w.x, w.y); // w.targetTimes[i * 7 + h] is the date of step h of window i
 * w.dispose();
 */
export function makeWindows(table: ColumnTable, options: WindowOptions): Windows {
  const a = windowArrays(table, options);
  const x = tf.tensor3d(a.xData, [a.n, a.lookback, a.features.length], "float32");
  const y = tf.tensor2d(a.yData, [a.n, a.horizon * a.targets.length], "float32");
  return {
    ...a,
    x,
    y,
    dispose() {
      x.dispose();
      y.dispose();
    },
  };
}

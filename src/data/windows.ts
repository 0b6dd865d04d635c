/**
 * Sliding windows over a time-ordered table: `lookback` input rows of the feature columns, then
 * `gap` skipped rows, then `horizon` rows of the target columns. Inputs are built straight into one
 * Float32Array (row-major `[n, lookback, features]`): each window is a contiguous slice of the
 * interleaved source, so building it is a memcpy per window and the data is copied once.
 */
import * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { ConfigError, DataError } from "../errors.js";
import { bool, nonEmptyArray, nonNegativeInt, positiveInt, show } from "../validate.js";
import { numericColumn, requireColumns, requireSorted, timeColumn as readTime } from "./columns.js";
import { groupRows } from "./group-rows.js";

/** Options of makeWindows / windowArrays. */
export interface WindowOptions {
  /** Input columns, first on the last axis of `x`. Required. */
  features: readonly string[];
  /** Target columns; `y[i]` holds step 0's targets, then step 1's, ... Required. */
  targets: readonly string[];
  /** Input rows per window. @default 24 */
  lookback?: number;
  /** Future steps to predict per window. @default 1 */
  horizon?: number;
  /** Rows between the starts of consecutive windows (within each series). @default 1 */
  stride?: number;
  /** Rows skipped between the last input row and the first target row. @default 0 */
  gap?: number;
  /** Column of Dates or numbers; must be strictly increasing (within each series). Fills `targetTimes`. @default null */
  timeColumn?: string | null;
  /** Columns known only up to the forecast origin; they follow `features` on `x`'s last axis. @default [] */
  pastCovariates?: readonly string[];
  /**
   * Columns known ahead (calendar parts, planned events): their history follows the past covariates
   * on `x`'s last axis, and their values at the `horizon` target rows make `future`. @default []
   */
  futureCovariates?: readonly string[];
  /** Column naming the series of a long table; windows are cut per series, never across two. @default null */
  group?: string | null;
  /** Add each window's series index (`[n, 1]`) as the last model input, for a series embedding. @default false */
  seriesInput?: boolean;
}

type Resolved = Required<WindowOptions>;
const DEFAULTS: Omit<Resolved, "features" | "targets"> = {
  lookback: 24, horizon: 1, stride: 1, gap: 0, timeColumn: null, pastCovariates: [], futureCovariates: [], group: null, seriesInput: false,
};

/** Windows as plain typed arrays (no TensorFlow.js), e.g. for a generator or a worker. */
export interface WindowArrays {
  /** Number of windows. */
  readonly n: number;
  readonly lookback: number;
  readonly horizon: number;
  readonly features: readonly string[];
  readonly targets: readonly string[];
  readonly pastCovariates: readonly string[];
  readonly futureCovariates: readonly string[];
  /** The columns of `x`'s last axis: features, then past covariates, then future covariates. */
  readonly inputColumns: readonly string[];
  /** Inputs, row-major `[n, lookback, inputColumns.length]`. */
  readonly xData: Float32Array;
  /** Targets, row-major `[n, horizon * targets.length]`, step-major: `y[i][h * targets.length + t]`. */
  readonly yData: Float32Array;
  /** Future covariates at each target step, `[n, horizon, futureCovariates.length]`; null without them. */
  readonly futureData: Float32Array | null;
  /** Table row of each window's first input row. */
  readonly starts: Int32Array;
  /** Table row of each window's first target row (`lookback + gap` rows of its series after `starts`). */
  readonly targetStarts: Int32Array;
  /** Epoch ms (or the numbers) of each target step, `[n, horizon]` row-major; null without a timeColumn. */
  readonly targetTimes: Float64Array | null;
  /** Index into `seriesNames` of each window's series (all 0 without a `group`). */
  readonly series: Int32Array;
  /** The series, in order of first appearance; `[]` without a `group`. */
  readonly seriesNames: readonly string[];
}

/** Windows with tensors; `dispose()` frees every tensor. */
export interface Windows extends WindowArrays {
  /** `[n, lookback, inputColumns.length]` float32. */
  readonly x: tf.Tensor3D;
  /** `[n, horizon * targets.length]` float32. */
  readonly y: tf.Tensor2D;
  /** `[n, horizon, futureCovariates.length]` float32, or null without future covariates. */
  readonly future: tf.Tensor3D | null;
  /** Each window's series index as `[n, 1]` float32 with `seriesInput`, else null. */
  readonly seriesIds: tf.Tensor2D | null;
  /** The model inputs in order: `x`, then `future` and `seriesIds` when present. */
  readonly inputs: readonly tf.Tensor[];
  dispose(): void;
}

function noRepeats(name: string, list: readonly string[], others: Readonly<Record<string, readonly string[]>>): void {
  list.forEach((c, i) => {
    if (list.indexOf(c) !== i) throw new ConfigError(`\`${name}\` names ${show(c)} twice; give each column once.`);
    for (const [other, cols] of Object.entries(others)) {
      if (cols.includes(c)) throw new ConfigError(`Column ${show(c)} is in both \`${other}\` and \`${name}\`; a column has one role.`);
    }
  });
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
  bool("seriesInput", r.seriesInput);
  noRepeats("pastCovariates", r.pastCovariates, { targets: r.targets, features: r.features });
  noRepeats("futureCovariates", r.futureCovariates, { targets: r.targets, features: r.features, pastCovariates: r.pastCovariates });
  requireColumns(table, r.features, "feature column");
  requireColumns(table, r.targets, "target column");
  requireColumns(table, r.pastCovariates, "past covariate column");
  requireColumns(table, r.futureCovariates, "future covariate column");
  if (r.timeColumn !== null) requireColumns(table, [r.timeColumn], "time column");
  if (r.group !== null) {
    for (const [role, cols] of Object.entries({ features: r.features, targets: r.targets, pastCovariates: r.pastCovariates, futureCovariates: r.futureCovariates })) {
      if (cols.includes(r.group)) throw new ConfigError(`\`group\` ${show(r.group)} is also in \`${role}\`; the series name cannot be an input or a target.`);
    }
  } else if (r.seriesInput) {
    throw new ConfigError("`seriesInput` is true but `group` is null; name the column of series ids in `group`.");
  }
  const need = r.lookback + r.gap + r.horizon;
  const rows = table.numRows();
  if (rows === 0) throw new DataError("The table is empty (0 rows); windows need at least lookback + gap + horizon rows.");
  if (r.group !== null) {
    const g = groupRows(table, r.group);
    g.rows.forEach((list, k) => {
      if (list.length < need) {
        throw new DataError(
          `\`group\` "${r.group}": series ${show(g.names[k])} has ${list.length} row${list.length === 1 ? "" : "s"}, fewer than lookback (${r.lookback}) + gap (${r.gap}) + horizon (${r.horizon}) = ${need}.`,
        );
      }
    });
  } else if (need > rows) {
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
 * Where every window lies: the input, target and future-covariate columns interleaved in series
 * order (each series' rows contiguous, in table order), and each window's first row in that order.
 * makeWindows copies all windows out of it at once, windowDataset one batch at a time.
 */
export interface WindowPlan {
  readonly o: Resolved;
  readonly inputColumns: readonly string[];
  /** `[rows, inputColumns]`, `[rows, targets]` and `[rows, futureCovariates]` in series order. */
  readonly src: Float32Array;
  readonly tgt: Float32Array;
  readonly fut: Float32Array | null;
  /** Table row of each row in series order. */
  readonly rowOf: Int32Array;
  /** Time of each row in series order; null without a timeColumn. */
  readonly times: Float64Array | null;
  /** First input row (in series order) and series index of each window. */
  readonly first: Int32Array;
  readonly series: Int32Array;
  readonly seriesNames: readonly string[];
}

function gather(buf: Float32Array, width: number, order: Int32Array): Float32Array {
  const out = new Float32Array(order.length * width);
  for (let i = 0; i < order.length; i++) out.set(buf.subarray((order[i] as number) * width, ((order[i] as number) + 1) * width), i * width);
  return out;
}

/** Checks the table and options and lays out every window; throws before anything is built. */
export function planWindows(table: ColumnTable, options: WindowOptions): WindowPlan {
  const o = resolveWindowOptions(table, options);
  const rows = table.numRows();
  const groups = o.group === null ? { names: [] as string[], rows: [Int32Array.from({ length: rows }, (_, i) => i)] } : groupRows(table, o.group);
  const rowOf = new Int32Array(rows);
  let at = 0;
  for (const list of groups.rows) {
    rowOf.set(list, at);
    at += list.length;
  }
  let times: Float64Array | null = null;
  if (o.timeColumn !== null) {
    const all = readTime(table, o.timeColumn);
    times = new Float64Array(rows);
    for (let i = 0; i < rows; i++) times[i] = all[rowOf[i] as number] as number;
    let off = 0;
    groups.rows.forEach((list, k) => {
      try {
        requireSorted(o.timeColumn as string, times!.subarray(off, off + list.length), true);
      } catch (e) {
        if (e instanceof DataError && o.group !== null) throw new DataError(`In series ${show(groups.names[k])} of \`group\` "${o.group}": ${e.message}`);
        throw e;
      }
      off += list.length;
    });
  }
  const inputColumns = [...o.features, ...o.pastCovariates, ...o.futureCovariates];
  const ordered = o.group !== null;
  const src = interleave(table, inputColumns);
  const tgt = interleave(table, o.targets);
  const fut = o.futureCovariates.length > 0 ? interleave(table, o.futureCovariates) : null;
  const counts = groups.rows.map((list) => windowCount(list.length, o));
  const n = counts.reduce((a, b) => a + b, 0);
  const first = new Int32Array(n);
  const series = new Int32Array(n);
  let w = 0, base = 0;
  groups.rows.forEach((list, k) => {
    for (let i = 0; i < (counts[k] as number); i++, w++) {
      first[w] = base + i * o.stride;
      series[w] = k;
    }
    base += list.length;
  });
  return {
    o,
    inputColumns,
    src: ordered ? gather(src, inputColumns.length, rowOf) : src,
    tgt: ordered ? gather(tgt, o.targets.length, rowOf) : tgt,
    fut: fut && ordered ? gather(fut, o.futureCovariates.length, rowOf) : fut,
    rowOf,
    times,
    first,
    series,
    seriesNames: groups.names,
  };
}

/**
 * Copies windows `index[k]` of a plan into `x` `[b, lookback, inputs]`, `y` `[b, horizon × targets]`
 * and `future` `[b, horizon, futureCovariates]` at position k.
 */
export function copyWindows(p: WindowPlan, index: ArrayLike<number>, x: Float32Array, y: Float32Array, future: Float32Array | null): void {
  const { o } = p;
  const F = p.inputColumns.length, T = o.targets.length, C = o.futureCovariates.length;
  const xLen = o.lookback * F, yLen = o.horizon * T, fLen = o.horizon * C;
  for (let k = 0; k < index.length; k++) {
    const s = p.first[index[k] as number] as number;
    const ts = s + o.lookback + o.gap;
    x.set(p.src.subarray(s * F, s * F + xLen), k * xLen);
    y.set(p.tgt.subarray(ts * T, ts * T + yLen), k * yLen);
    if (future && p.fut) future.set(p.fut.subarray(ts * C, ts * C + fLen), k * fLen);
  }
}

/**
 * Sliding windows as typed arrays only. Same options and checks as {@link makeWindows}.
 * @example
 * const a = windowArrays(dataset("unemployment-across-industries"), { features: ["rate"], targets: ["rate"], lookback: 24, group: "series" });
 * console.log(a.seriesNames[a.series[0] as number]); // "Government", the series of window 0
 */
export function windowArrays(table: ColumnTable, options: WindowOptions): WindowArrays {
  const p = planWindows(table, options);
  const { o } = p;
  const n = p.first.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const xData = new Float32Array(n * o.lookback * p.inputColumns.length);
  const yData = new Float32Array(n * o.horizon * o.targets.length);
  const futureData = p.fut ? new Float32Array(n * o.horizon * o.futureCovariates.length) : null;
  copyWindows(p, all, xData, yData, futureData);
  const starts = new Int32Array(n);
  const targetStarts = new Int32Array(n);
  const targetTimes = p.times ? new Float64Array(n * o.horizon) : null;
  for (let i = 0; i < n; i++) {
    const s = p.first[i] as number;
    const ts = s + o.lookback + o.gap;
    starts[i] = p.rowOf[s] as number;
    targetStarts[i] = p.rowOf[ts] as number;
    if (targetTimes && p.times) targetTimes.set(p.times.subarray(ts, ts + o.horizon), i * o.horizon);
  }
  return {
    n, lookback: o.lookback, horizon: o.horizon, features: [...o.features], targets: [...o.targets],
    pastCovariates: [...o.pastCovariates], futureCovariates: [...o.futureCovariates], inputColumns: p.inputColumns,
    xData, yData, futureData, starts, targetStarts, targetTimes, series: p.series, seriesNames: p.seriesNames,
  };
}

/**
 * Sliding windows for sequence models: `x` `[n, lookback, features]` and `y` `[n, horizon × targets]`,
 * plus the raw Float32Arrays and each target step's timestamp for plotting. Windows start every
 * `stride` rows; the last one ends at or before the last row. Inputs never include target-time rows.
 * With a `group`, each series of a long table is windowed on its own rows; with covariates, `x`
 * carries their history and `future` the future-known ones at the target steps (a seq2seq decoder's input).
 *
 * @example
 * const w = makeWindows(dataset("seattle-weather"), { features: ["temp_max", "wind"], targets: ["temp_max"], lookback: 30, horizon: 7, timeColumn: "date" });
 * console.log(w.x.shape, w.y.shape); // w.targetTimes[i * 7 + h] is the date of step h of window i
 * w.dispose();
 * // 14 series in one long table; the month is known ahead, so it also comes for the 12 forecast steps
 * const g = makeWindows(dataset("unemployment-across-industries"), { features: ["rate"], targets: ["rate"], futureCovariates: ["month"], lookback: 24, horizon: 12, group: "series" });
 * console.log(g.inputs.map((t) => t.shape)); // [x, future]: [1218, 24, 2] and [1218, 12, 1] (14 series × 87 windows)
 * g.dispose();
 */
export function makeWindows(table: ColumnTable, options: WindowOptions): Windows {
  const a = windowArrays(table, options);
  const x = tf.tensor3d(a.xData, [a.n, a.lookback, a.inputColumns.length], "float32");
  const y = tf.tensor2d(a.yData, [a.n, a.horizon * a.targets.length], "float32");
  const future = a.futureData ? tf.tensor3d(a.futureData, [a.n, a.horizon, a.futureCovariates.length], "float32") : null;
  const seriesIds = options.seriesInput === true ? tf.tensor2d(Float32Array.from(a.series), [a.n, 1], "float32") : null;
  const inputs = [x, ...(future ? [future] : []), ...(seriesIds ? [seriesIds] : [])];
  return {
    ...a,
    x,
    y,
    future,
    seriesIds,
    inputs,
    dispose() {
      for (const t of [x, y, future, seriesIds]) t?.dispose();
    },
  };
}

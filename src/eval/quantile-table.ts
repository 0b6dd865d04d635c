/**
 * Quantile forecasts as table columns in original units: one column per (output, level), named
 * `<output>_q<percent>` (temp_max_q10, temp_max_h2_q90; 2.5% is q2_5). Each level's matrix goes
 * through the inverse on its own, so quantiles stay quantiles under any increasing transform.
 */
import { DataError } from "../errors.js";
import { applyInverse, outputNames, type Inverse } from "./inverse.js";
import type { Matrix } from "./values.js";

/**
 * The column suffix of a quantile level: 0.1 → "q10", 0.025 → "q2_5".
 * @example
 * levelName(0.9) // "q90"
 */
export function levelName(level: number): string {
  return `q${String(Number((level * 100).toPrecision(12))).replace(".", "_")}`;
}

/**
 * Columns from `m`, rows × (outputs × levels) with the level innermost, inverse-scaled.
 * @example
 * declare const m: Parameters<typeof quantileColumns>[0]; // rows × (1 output × 3 levels)
 * declare const scaler: Scaler;
 * Object.keys(quantileColumns(m, [0.1, 0.5, 0.9], ["y"], scaler)) // ["y_q10", "y_q50", "y_q90"]
 */
export function quantileColumns(m: Matrix, levels: readonly number[], targets: readonly string[], inverse: Inverse | null): Record<string, Float64Array> {
  const k = levels.length;
  const outputs = m.cols / k;
  const names = outputNames(outputs, targets);
  const perLevel = levels.map((_, j) => {
    const data = new Float64Array(m.rows * outputs);
    for (let r = 0; r < m.rows; r++) for (let c = 0; c < outputs; c++) data[r * outputs + c] = m.data[(r * outputs + c) * k + j] as number;
    return applyInverse(inverse, { data, rows: m.rows, cols: outputs }, targets);
  });
  const cols: Record<string, Float64Array> = {};
  names.forEach((name, c) =>
    levels.forEach((level, j) => {
      const src = perLevel[j] as Matrix;
      cols[`${name}_${levelName(level)}`] = Float64Array.from({ length: m.rows }, (_, r) => src.data[r * outputs + c] as number);
    }),
  );
  return cols;
}

/** A table as predict and predictInterval return it (any arquero table). */
interface ColumnsLike {
  columnNames(): string[];
  array(name: string): ArrayLike<unknown>;
}

/**
 * The quantile columns of one output in a predict / predictInterval table, as the forecast fan takes
 * them: `[{ level, values }]` in ascending level.
 * @example
 * declare const t: ReturnType<typeof predict>; // columns y_h1_q10, y_h1_q50, y_h1_q90, ...
 * quantilesOf(t, "y_h1").map((q) => q.level) // [0.1, 0.5, 0.9]
 */
export function quantilesOf(table: ColumnsLike, output: string): { level: number; values: number[] }[] {
  const prefix = `${output}_q`;
  const found = table
    .columnNames()
    .filter((c) => c.startsWith(prefix) && /^\d+(_\d+)?$/.test(c.slice(prefix.length)))
    .map((c) => ({ level: Number(c.slice(prefix.length).replace("_", ".")) / 100, values: Array.from(table.array(c), Number) }))
    .sort((a, b) => a.level - b.level);
  if (found.length === 0) {
    throw new DataError(`The table has no quantile columns for output ${JSON.stringify(output)} (${prefix}10, ...); its columns: ${table.columnNames().join(", ")}.`);
  }
  return found;
}

/**
 * Quantile forecasts as table columns in original units: one column per (output, level), named
 * `<output>_q<percent>` (temp_max_q10, temp_max_h2_q90; 2.5% is q2_5). Each level's matrix goes
 * through the inverse on its own, so quantiles stay quantiles under any increasing transform.
 */
import { applyInverse, outputNames, type Inverse } from "./inverse.js";
import type { Matrix } from "./values.js";

/** The column suffix of a quantile level: 0.1 → "q10", 0.025 → "q2_5". */
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

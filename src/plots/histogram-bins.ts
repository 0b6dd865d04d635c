/** Equal-width histogram bins, numpy's convention: every bin half-open except the last. */
import { positiveInt } from "../validate.js";

/** Equal-width histogram bins (numpy's convention): edges, counts, centers. */
export interface HistogramBins {
  /** Bin edges, `bins + 1` of them. */
  edges: number[];
  /** Count per bin. */
  counts: number[];
  /** Bin centres (where the bars go). */
  centers: number[];
  /** Values counted (non-finite values are left out). */
  n: number;
}

/**
 * Counts `values` in `bins` equal-width bins from min to max (default: Sturges' rule,
 * ceil(log2 n) + 1). Non-finite values are skipped.
 *
 * @example histogramBins([0, 1, 2, 3, 4], 2) // edges [0, 2, 4], counts [2, 3]
 */
export function histogramBins(values: ArrayLike<number>, bins?: number): HistogramBins {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) xs.push(v);
  }
  const n = xs.length;
  const k = bins === undefined ? Math.max(1, Math.ceil(Math.log2(Math.max(n, 1))) + 1) : positiveInt("bins", bins);
  if (n === 0) return { edges: [], counts: [], centers: [], n: 0 };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of xs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? hi : lo + i * width));
  const counts = new Array<number>(k).fill(0);
  for (const v of xs) {
    const b = Math.min(k - 1, Math.floor((v - lo) / width));
    counts[b] = (counts[b] as number) + 1;
  }
  const centers = counts.map((_, i) => ((edges[i] as number) + (edges[i + 1] as number)) / 2);
  return { edges, counts, centers, n };
}

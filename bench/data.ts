/**
 * Windowing benchmark: 1,000,000 rows × 8 features, lookback 64, horizon 1 (about 512 M input
 * values), built by windowArrays, against a naive baseline (nested JS arrays, then tf.tensor) run in
 * the same process on a smaller slice, where the fast path is timed too for a like-for-like ratio.
 * Run: node --import tsx bench/data.ts [rows]   (numbers are noisy while other work runs)
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../src/backend/index.js";
import { makeWindows, windowArrays } from "../src/data/windows.js";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const FEATURES = 8;
const LOOKBACK = 64;
const SLICE = 50_000;
const names = Array.from({ length: FEATURES }, (_, j) => `f${j}`);

function makeTable(rows: number): ColumnTable {
  const cols: Record<string, Float64Array> = {};
  names.forEach((n, j) => {
    const a = new Float64Array(rows);
    for (let i = 0; i < rows; i++) a[i] = Math.sin(i * 0.01 * (j + 1)) + j;
    cols[n] = a;
  });
  return aq.table(cols);
}

/** The way windows are often built by hand: row objects, nested arrays, then tf.tensor. */
function naive(table: ColumnTable, lookback: number): { x: tf.Tensor; y: tf.Tensor } {
  const rows = table.objects() as Record<string, number>[];
  const xs: number[][][] = [];
  const ys: number[][] = [];
  for (let s = 0; s + lookback < rows.length; s++) {
    const w: number[][] = [];
    for (let t = s; t < s + lookback; t++) w.push(names.map((n) => (rows[t] as Record<string, number>)[n] as number));
    xs.push(w);
    ys.push([(rows[s + lookback] as Record<string, number>)["f0"] as number]);
  }
  return { x: tf.tensor3d(xs), y: tf.tensor2d(ys) };
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const rate = (values: number, ms: number) => `${((values / ms) * 1e3 / 1e6).toFixed(1)} M values/s`;
function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

async function main(): Promise<void> {
  const backend = await ready();
  console.log(`backend: ${backend.name}; windowing ${ROWS.toLocaleString()} rows × ${FEATURES} features, lookback ${LOOKBACK}, horizon 1\n`);

  // like for like on a slice: naive vs windowArrays + tensors (makeWindows)
  const small = makeTable(SLICE);
  const [nv, tNaive] = time(() => naive(small, LOOKBACK));
  const nValuesSmall = nv.x.size + nv.y.size;
  nv.x.dispose();
  nv.y.dispose();
  const [fast, tFast] = time(() => makeWindows(small, { features: names, targets: ["f0"], lookback: LOOKBACK }));
  fast.dispose();
  console.log(`slice of ${SLICE.toLocaleString()} rows (${(nValuesSmall / 1e6).toFixed(1)} M values, tensors included):`);
  console.log(`  naive nested arrays + tf.tensor: ${tNaive.toFixed(0)} ms  ${rate(nValuesSmall, tNaive)}`);
  console.log(`  makeWindows:                     ${tFast.toFixed(0)} ms  ${rate(nValuesSmall, tFast)}`);
  console.log(`  speed-up: ${(tNaive / tFast).toFixed(1)}×\n`);

  // full size, typed arrays (a tensor of this size would be a second 2 GB copy inside the wasm heap)
  const table = makeTable(ROWS);
  if (global.gc) global.gc();
  const m0 = process.memoryUsage();
  const [w, tFull] = time(() => windowArrays(table, { features: names, targets: ["f0"], lookback: LOOKBACK }));
  const m1 = process.memoryUsage();
  const values = w.xData.length + w.yData.length;
  const inputBytes = ROWS * FEATURES * 8;
  console.log(`full size: ${w.n.toLocaleString()} windows, ${(values / 1e6).toFixed(0)} M values (x ${mb(w.xData.byteLength)})`);
  console.log(`  windowArrays: ${tFull.toFixed(0)} ms  ${rate(values, tFull)}  (target ≥ 50 M values/s)`);
  console.log(`  array buffers: ${mb(m0.arrayBuffers)} before → ${mb(m1.arrayBuffers)} after (+${mb(m1.arrayBuffers - m0.arrayBuffers)}; output itself ${mb(w.xData.byteLength + w.yData.byteLength)}, input table ${mb(inputBytes)})`);
  console.log(`  extra beyond the output: ${mb(m1.arrayBuffers - m0.arrayBuffers - w.xData.byteLength - w.yData.byteLength)} (the interleaved float32 source and per-window indices)`);
  console.log(`  peak RSS of the process: ${mb(process.resourceUsage().maxRSS * 1024)}`);
  console.log(`  ratio vs naive (values/s): ${((values / tFull) / (nValuesSmall / tNaive)).toFixed(1)}×`);
}

void main();

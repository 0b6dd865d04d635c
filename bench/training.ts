/**
 * Overhead of our training loop against model.fit on the same model, data, optimizer and batch
 * size, run side by side in this process (alternating, best of a few repeats). Prints samples per
 * second and the ratio ours / fit (1.0 = no overhead). Numbers are noisy on a shared machine.
 *
 * Streaming: one epoch over every window of a 2-million-row series (lookback 168) read from
 * windowDataset, through train() and through model.fitDataset, printing the peak resident memory
 * each reached beside the 1.3 GB that the windows would take if held (--quick: the first 400 batches).
 *
 *   node --import tsx bench/training.ts [--quick]
 */
import * as tf from "@tensorflow/tfjs";
import { ready, describeBackend } from "../src/backend/index.js";
import * as aq from "arquero";
import { windowDataset } from "../src/data/window-dataset.js";
import { train } from "../src/training/train.js";

interface Case {
  name: string;
  build: () => tf.LayersModel;
  x: tf.Tensor;
  y: tf.Tensor;
}

const quick = process.argv.includes("--quick");
const EPOCHS = quick ? 1 : 2;
const REPEATS = quick ? 1 : 3;
const BATCH = 32;

function lstmCase(n: number, lookback: number, features: number, units: number): Case {
  const x = tf.randomNormal([n, lookback, features], 0, 1, "float32", 1);
  const y = tf.tidy(() => tf.mean(x, [1, 2]).reshape([n, 1]));
  return {
    name: `LSTM(${units}) on [${n}, ${lookback}, ${features}]`,
    build: () => {
      const m = tf.sequential();
      m.add(tf.layers.lstm({ units, inputShape: [lookback, features], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }) }));
      m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
      return m;
    },
    x,
    y,
  };
}

function mlpCase(n: number, d: number): Case {
  const x = tf.randomNormal([n, d], 0, 1, "float32", 4);
  const y = tf.tidy(() => tf.sum(x, 1, true));
  return {
    name: `MLP(${d}→64→1) on [${n}, ${d}]`,
    build: () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 64, inputShape: [d], activation: "relu", kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }));
      m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
      return m;
    },
    x,
    y,
  };
}

async function timeOurs(c: Case): Promise<number> {
  const m = c.build();
  const t0 = performance.now();
  await train(m, { x: c.x, y: c.y }, { epochs: EPOCHS, batchSize: BATCH, optimizer: "adam", learningRate: 1e-3, seed: 1, progress: "silent" });
  const s = (performance.now() - t0) / 1000;
  m.dispose();
  return ((c.x.shape[0] as number) * EPOCHS) / s;
}

async function timeFit(c: Case): Promise<number> {
  const m = c.build();
  m.compile({ optimizer: tf.train.adam(1e-3), loss: "meanSquaredError" });
  const t0 = performance.now();
  await m.fit(c.x, c.y, { epochs: EPOCHS, batchSize: BATCH, shuffle: true, verbose: 0 });
  const s = (performance.now() - t0) / 1000;
  m.dispose();
  return ((c.x.shape[0] as number) * EPOCHS) / s;
}

async function main(): Promise<void> {
  await ready();
  console.log(`backend: ${describeBackend()}; epochs ${EPOCHS}, batch ${BATCH}, best of ${REPEATS}`);
  const cases = [mlpCase(quick ? 1024 : 4096, 16), lstmCase(quick ? 256 : 512, 24, 4, 16)];
  console.log(["case".padEnd(34), "train() samples/s".padStart(18), "fit samples/s".padStart(14), "ratio".padStart(7)].join("  "));
  for (const c of cases) {
    let ours = 0, fit = 0;
    await timeOurs(c); // warm-up: kernels, allocator
    await timeFit(c);
    for (let r = 0; r < REPEATS; r++) {
      if (r % 2 === 0) {
        ours = Math.max(ours, await timeOurs(c));
        fit = Math.max(fit, await timeFit(c));
      } else {
        fit = Math.max(fit, await timeFit(c));
        ours = Math.max(ours, await timeOurs(c));
      }
    }
    console.log([c.name.padEnd(34), ours.toFixed(0).padStart(18), fit.toFixed(0).padStart(14), (ours / fit).toFixed(2).padStart(7)].join("  "));
    tf.dispose([c.x, c.y]);
  }
  console.log("ratio = train() / model.fit samples per second; our loop also records per-layer gradient norms every batch.");
  await streaming();
}

/** Peak RSS and windows/s of one epoch over a 2M-row series, train() against model.fitDataset. */
async function streaming(): Promise<void> {
  const n = 2_000_000, lookback = 168, batchSize = 512;
  const load = new Float32Array(n);
  for (let i = 0; i < n; i++) load[i] = Math.sin(i * 0.01) + 0.1 * Math.sin(i * 0.37);
  const table = aq.table({ load });
  const dataset = () => {
    const ds = windowDataset(table, { features: ["load"], targets: ["load"], lookback, batchSize });
    return quick ? ds.take(400) : ds;
  };
  const model = () => {
    const m = tf.sequential();
    m.add(tf.layers.flatten({ inputShape: [lookback, 1] }));
    m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.zeros() }));
    return m;
  };
  const held = ((n - lookback) * lookback * 4) / 1e9;
  console.log(`\nstreaming: ${n} rows, lookback ${lookback}, batch ${batchSize}; all windows held would take ${held.toFixed(2)} GB`);
  const measure = async (name: string, run: (m: tf.LayersModel, tick: () => void) => Promise<number>) => {
    const m = model();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const tick = () => void (peak = Math.max(peak, process.memoryUsage().rss));
    const t0 = performance.now();
    const windows = await run(m, tick);
    const s = (performance.now() - t0) / 1000;
    m.dispose();
    console.log(`${name.padEnd(18)} rss at start ${(rss0 / 1e6).toFixed(0)} MB, peak +${((peak - rss0) / 1e6).toFixed(0)} MB, ${(windows / s).toFixed(0)} windows/s`);
  };
  await measure("train()", async (m, tick) => {
    let rows = 0;
    await train(m, dataset(), { epochs: 1, learningRate: 1e-3, seed: 1, progress: "silent", callbacks: [{ onBatchEnd: (_c, _b, l) => { rows += l["size"] as number; tick(); } }] });
    return rows;
  });
  await measure("model.fitDataset", async (m, tick) => {
    let rows = 0;
    m.compile({ optimizer: tf.train.adam(1e-3), loss: "meanSquaredError" });
    await m.fitDataset(dataset(), { epochs: 1, verbose: 0, callbacks: { onBatchEnd: async (_b, l) => { rows += (l?.["size"] as number) ?? batchSize; tick(); } } });
    return rows;
  });
}

void main();

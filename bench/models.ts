/**
 * Fused vs stock recurrent layers, side by side in one process on the active backend (wasm here):
 * training and inference samples/s for 2 × LSTM(64) on [T=30, F=4] → Dense(1), MSE, Adam, batch 64,
 * then T=100 with H=128, and GRU the same; plus the loss curves of both from identical weights.
 *
 *   node --import tsx bench/models.ts            # default, a couple of minutes
 *   node --import tsx bench/models.ts --batches 8  # more timed batches per measurement
 *
 * Numbers are noisy when other processes share the machine; the ratio is what to read. Each pair is
 * timed in alternating rounds (best round kept) after two warm-up batches.
 */
import * as tf from "@tensorflow/tfjs";
import { ready, describeBackend } from "../src/backend/index.js";
import { buildModel } from "../src/models/index.js";
import { Optimizer } from "../src/training/index.js";
import { BATCH, F, flag, trainStep, type RecurrentCase } from "./recurrent-common.js";

const BATCHES = Number(flag("batches", "4"));

type Case = RecurrentCase;

function pairOfModels(c: Case): { fused: tf.LayersModel; stock: tf.LayersModel } {
  const opts = { inputShape: [c.t, F], units: [c.h, c.h], cell: c.cell, outputs: 1, seed: 1 } as const;
  const fused = buildModel({ ...opts, fused: true });
  const stock = buildModel({ ...opts, fused: false });
  stock.setWeights(fused.getWeights());
  return { fused, stock };
}

/**
 * samples/s of `a` and `b`, each run `n` times on a batch of BATCH after two warm-up runs; timed in
 * two alternating rounds and the better round kept, so a burst of load from other processes hits
 * both sides alike.
 */
function rates(a: () => void, b: () => void, n: number): [number, number] {
  for (let i = 0; i < 2; i++) {
    a();
    b();
  }
  const best = [0, 0];
  for (let round = 0; round < 2; round++) {
    [a, b].forEach((fn, k) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      best[k] = Math.max(best[k] as number, (BATCH * n) / ((performance.now() - t0) / 1000));
    });
  }
  return best as [number, number];
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

async function main(): Promise<void> {
  const info = await ready();
  console.log(`backend: ${describeBackend(info)}; batch ${BATCH}, F=${F}, ${BATCHES} timed batches per round, 2 rounds, 2 warm-up batches`);
  const cases: Case[] = [
    { cell: "lstm", t: 30, h: 64, batches: BATCHES },
    { cell: "gru", t: 30, h: 64, batches: BATCHES },
    { cell: "lstm", t: 100, h: 128, batches: Math.max(1, Math.ceil(BATCHES / 4)) },
    { cell: "gru", t: 100, h: 128, batches: Math.max(1, Math.ceil(BATCHES / 4)) },
  ];
  for (const c of cases) {
    const name = `${c.cell.toUpperCase()} T=${c.t} H=${c.h}`;
    const { fused, stock } = pairOfModels(c);
    const x = tf.randomUniform([BATCH, c.t, F], -1, 1, "float32", 1);
    const y = tf.randomUniform([BATCH, 1], -1, 1, "float32", 2);
    const optF = new Optimizer("adam");
    const optS = new Optimizer("adam");
    const [trainF, trainS] = rates(() => trainStep(fused, optF, x, y), () => trainStep(stock, optS, x, y), c.batches);
    console.log(`${name} train: fused ${fmt(trainF)} samples/s vs stock ${fmt(trainS)} -> ${(trainF / trainS).toFixed(1)}x`);
    const predict = (m: tf.LayersModel) => () => tf.dispose(m.predict(x));
    const [inferF, inferS] = rates(predict(fused), predict(stock), c.batches);
    console.log(`${name} inference: fused ${fmt(inferF)} samples/s vs stock ${fmt(inferS)} -> ${(inferF / inferS).toFixed(1)}x`);
    tf.dispose([x, y]);
    optF.dispose();
    optS.dispose();
    fused.dispose();
    stock.dispose();
  }

  // Loss curves from identical weights: 2 × LSTM(16), T=20, a learnable target, 4 epochs of 4 batches.
  const { fused, stock } = pairOfModels({ cell: "lstm", t: 20, h: 16, batches: 0 });
  const xs = tf.randomUniform([4 * BATCH, 20, F], -1, 1, "float32", 3);
  const ys = tf.mean(tf.slice(xs, [0, 15, 0], [4 * BATCH, 5, 1]), 1);
  const curves = [fused, stock].map((m) => {
    const opt = new Optimizer("adam");
    const losses: number[] = [];
    for (let epoch = 0; epoch < 4; epoch++) {
      let sum = 0;
      for (let b = 0; b < 4; b++) {
        const xb = tf.slice(xs, [b * BATCH, 0, 0], [BATCH, 20, F]);
        const yb = tf.slice(ys, [b * BATCH, 0], [BATCH, 1]);
        sum += trainStep(m, opt, xb, yb, 1e-2);
        tf.dispose([xb, yb]);
      }
      losses.push(sum / 4);
    }
    return losses;
  });
  const [lf, ls] = curves as [number[], number[]];
  const maxDiff = Math.max(...lf.map((v, i) => Math.abs(v - (ls[i] as number))));
  console.log(`loss curve fused: ${lf.map((v) => v.toFixed(5)).join(" ")}`);
  console.log(`loss curve stock: ${ls.map((v) => v.toFixed(5)).join(" ")}`);
  console.log(`loss curves max abs diff: ${maxDiff.toExponential(2)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

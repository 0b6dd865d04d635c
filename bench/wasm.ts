/**
 * The WebAssembly SIMD engine of the fused layers (and the native AVX-512/AVX2 one, where its addon
 * loads here) against the tf-op engine and PyTorch CPU, side by
 * side in one run: training and inference samples/s for 2 × LSTM(64) on [T=30, F=4] → Dense(1), MSE,
 * Adam, batch 64, then 2 × LSTM(128) at T=100, and GRU the same. PyTorch runs bench/torch_lstm.py
 * (/usr/bin/python3, Debian's python3-torch) on the identical model, data and batch, in rounds that
 * alternate with ours (so a change in the machine's load hits both sides). PyTorch runs at its best:
 * one server per setting — each OpenBLAS core type the CPU supports (Debian's OpenBLAS may detect a
 * narrower one than the CPU has), with OpenMP's default spin-waiting and with OMP_WAIT_POLICY=PASSIVE
 * (spinning pool threads cost a loaded machine dearly) — plays alternating rounds on 1 and 2 threads,
 * the winner serves the rounds against ours, and its best of 1 and 2 threads is the baseline. The
 * machine's FMA peak (bench/peak) is printed beside the figures, with the share of it that PyTorch's and
 * our engine's matrix products reach; for the native engine, each goal of issue 17 (2x PyTorch's best on
 * one thread, 3x on two) is printed met, or short with the share of the peak it would need.
 *
 *   node --import tsx bench/wasm.ts               # default, a couple of minutes
 *   node --import tsx bench/wasm.ts --seconds 1   # longer timed rounds (default 0.4 s)
 *   node --import tsx bench/wasm.ts --warm 0      # no untimed batches before each round (default 0.1 s)
 *   node --import tsx bench/wasm.ts --only lstm   # one cell
 *
 * Each configuration is warmed up (V8's first tier runs ~5x slower), then timed in alternating rounds
 * (one round of every engine and of PyTorch on 1 and 2 threads, again and again) and the median round
 * reported. A round runs batches for --seconds (at least one batch), ours and PyTorch's alike, so a
 * round is long against a thread pool's wake-up and a cold cache after the switch from another engine;
 * and each round, ours and PyTorch's, follows --warm seconds (0.1) of untimed batches.
 * Numbers are noisy when other processes share the machine; read the ratios.
 */
import * as tf from "@tensorflow/tfjs";
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ready, describeBackend } from "../src/backend/index.js";
import { buildModel } from "../src/models/index.js";
import { describeRnnEngine, RnnKernel, rnnEngine, setRnnEngine, type RnnEngineOptions } from "../src/models/wasm/index.js";
import { Optimizer } from "../src/training/index.js";
import { BATCH, F, flag, trainStep, type RecurrentCase } from "./recurrent-common.js";
import { describePeak, measurePeak, type MachinePeak } from "./peak/peak.js";
import { loadNativeKernel } from "../src/models/native/native-kernel.js";

/** Batches of one PyTorch round when picking its best setting (a round also stops after PICK_ROUND_SECONDS). */
const BATCHES = Number(flag("batches", "4"));
const ROUNDS = Number(flag("rounds", "5"));
/** Seconds of one timed round (ours and PyTorch's): batches run until it has passed. */
const ROUND_SECONDS = Number(flag("seconds", "0.4"));
/** A batch count no timed round reaches: PyTorch's rounds then end on ROUND_SECONDS as ours do. */
const UNTIL_TIME = 1e9;
/**
 * Untimed seconds before every round, ours and PyTorch's: the round then measures the steady state a
 * training loop runs in, not the caches and sleeping pool threads another engine's round left behind.
 */
const ROUND_WARM_SECONDS = Number(flag("warm", "0.1"));
const ONLY = flag("only", "");

type Case = RecurrentCase;

interface Engine {
  label: string;
  options: RnnEngineOptions;
}

/** The native kernel (src/models/native), where its addon loads here: its build ("avx512", "avx2") or null. */
const NATIVE = ((): string | null => {
  try {
    const k = loadNativeKernel({ threads: 1 });
    void k.close();
    return k.variant;
  } catch {
    return null;
  }
})();

const ENGINES: Engine[] = [
  { label: "wasm-simd 1 thread", options: { engine: "wasm", threads: 1 } },
  { label: "wasm-simd 2 threads", options: { engine: "wasm", threads: 2 } },
  ...(NATIVE
    ? [
        { label: `native ${NATIVE} 1 thread`, options: { engine: "native", threads: 1 } } as Engine,
        { label: `native ${NATIVE} 2 threads`, options: { engine: "native", threads: 2 } } as Engine,
      ]
    : []),
  { label: "tf ops", options: { engine: "tf" } },
];

/** The same data formula as bench/torch_lstm.py. */
function data(t: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const xs = new Float32Array(BATCH * t * F);
  for (let i = 0; i < xs.length; i++) xs[i] = Math.sin(0.01 * i + 0.3 * (i % F));
  const ys = new Float32Array(BATCH);
  for (let b = 0; b < BATCH; b++) {
    let s = 0;
    for (let k = 0; k < t; k++) s += xs[(b * t + k) * F] as number;
    ys[b] = s / t;
  }
  return { x: tf.tensor3d(xs, [BATCH, t, F]), y: tf.tensor2d(ys, [BATCH, 1]) };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

/** PyTorch's thread counts; the best of them is the baseline. */
const TORCH_THREADS = [1, 2];
/**
 * Pause after PyTorch's rounds before ours (ms): its idle pool threads keep spinning for a while
 * (OpenMP / BLAS block time, up to ~200 ms) and would take a core from our next round.
 */
const TORCH_SETTLE_MS = 400;
/** Alternating rounds per setting when picking PyTorch's best, and the seconds after which such a round stops. */
const PICK_ROUNDS = 3;
const PICK_ROUND_SECONDS = 1;

/** One timed PyTorch round on `threads` threads: samples/s. */
type TorchRound = (threads: number) => Promise<number>;

/** samples/s of each engine for `step` and of PyTorch per thread count: medians of alternating rounds of ROUND_SECONDS after warm-ups. */
async function measure(step: () => void, torchRound: TorchRound | null): Promise<{ ours: number[]; torch: number[] }> {
  const rounds: number[][] = ENGINES.map(() => []);
  const torchRounds: number[][] = TORCH_THREADS.map(() => []);
  for (const e of ENGINES) {
    setRnnEngine(e.options);
    const t0 = performance.now();
    do step();
    while (performance.now() - t0 < 500);
  }
  for (let r = 0; r < ROUNDS; r++) {
    ENGINES.forEach((e, k) => {
      setRnnEngine(e.options);
      const w0 = performance.now();
      do step();
      while (performance.now() - w0 < 1000 * ROUND_WARM_SECONDS);
      const t0 = performance.now();
      let batches = 0;
      do {
        step();
        batches++;
      } while (performance.now() - t0 < 1000 * ROUND_SECONDS);
      (rounds[k] as number[]).push((BATCH * batches) / ((performance.now() - t0) / 1000));
    });
    if (!torchRound) continue;
    for (const [k, n] of TORCH_THREADS.entries()) (torchRounds[k] as number[]).push(await torchRound(n));
    await new Promise((resolve) => setTimeout(resolve, TORCH_SETTLE_MS));
  }
  return { ours: rounds.map(median), torch: torchRound ? torchRounds.map(median) : [] };
}

/** bench/torch_lstm.py --serve for one case: the same model, answering one timed round per request. */
class Torch {
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly setting: TorchSetting;

  private constructor(proc: ChildProcessWithoutNullStreams, setting: TorchSetting) {
    this.#proc = proc;
    this.#lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
    this.setting = setting;
  }

  /** Starts the server with `setting`, or says in one line why PyTorch is not available. */
  static async start(c: Case, setting: TorchSetting = { coretype: "auto", passive: false }): Promise<Torch | string> {
    const py = "/usr/bin/python3";
    if (!existsSync(py)) return "PyTorch: /usr/bin/python3 not found; skipping the PyTorch baseline";
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OMP_WAIT_POLICY;
    if (setting.coretype !== "auto") env.OPENBLAS_CORETYPE = setting.coretype;
    if (setting.passive) env.OMP_WAIT_POLICY = "PASSIVE";
    const proc = spawn(py, [
      join(__dirname, "torch_lstm.py"), "--serve", "--cell", c.cell, "--t", `${c.t}`, "--h", `${c.h}`, "--f", `${F}`, "--batch", `${BATCH}`,
    ], { env });
    let stderr = "";
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const t = new Torch(proc, setting);
    const first = await t.#lines.next();
    if (first.done) {
      await new Promise((resolve) => proc.once("close", resolve));
      const why = stderr.includes("No module named 'torch'") ? "python3-torch not installed" : stderr.trim().split("\n").pop();
      return `PyTorch: not available (${why}); skipping the PyTorch baseline`;
    }
    return t;
  }

  /** One timed round of `kind` on `threads` threads over `batches` batches (fewer after `seconds` once one is done): samples/s. */
  async round(kind: "train" | "infer", threads: number, batches: number, seconds?: number, warm = 0): Promise<number> {
    this.#proc.stdin.write(`${kind} ${threads} ${batches}${seconds === undefined ? "" : ` ${seconds} ${warm}`}\n`);
    const line = await this.#lines.next();
    if (line.done) throw new Error("bench/torch_lstm.py --serve stopped answering");
    return (JSON.parse(line.value) as { rate: number }).rate;
  }

  close(): void {
    this.#proc.stdin.end();
  }
}

/** One way to run PyTorch: an OPENBLAS_CORETYPE ("auto": unset) and whether OMP_WAIT_POLICY=PASSIVE. */
interface TorchSetting {
  coretype: string;
  passive: boolean;
}

/** "Haswell", "auto (Cooperlake), passive". */
function describeSetting(s: TorchSetting, auto: string | null): string {
  return `${s.coretype}${s.coretype === "auto" ? ` (${auto ?? "no OpenBLAS"})` : ""}${s.passive ? ", passive" : ""}`;
}

/**
 * PyTorch at its best for case `c`: one server per setting (each core type `torch_lstm.py
 * --coretypes` lists, with and without OMP_WAIT_POLICY=PASSIVE), alternating training and inference
 * rounds on every thread count; the winner has the highest geometric mean of its median training and
 * inference rates, each at its best thread count. Prints every setting's rates, closes the others
 * and returns the winner and how it is called.
 */
async function bestTorch(c: Case): Promise<{ torch: Torch; label: string } | string> {
  const listed = spawnSync("/usr/bin/python3", [join(__dirname, "torch_lstm.py"), "--coretypes"], { encoding: "utf8" });
  const { coretypes, auto } = listed.status === 0 ? (JSON.parse(listed.stdout) as { coretypes: string[]; auto: string | null }) : { coretypes: ["auto"], auto: null };
  const servers: Torch[] = [];
  for (const setting of coretypes.flatMap((coretype) => [false, true].map((passive) => ({ coretype, passive })))) {
    const t = await Torch.start(c, setting);
    if (typeof t === "string") {
      servers.forEach((s) => s.close());
      return t;
    }
    servers.push(t);
  }
  const rates = servers.map(() => ({ train: TORCH_THREADS.map((): number[] => []), infer: TORCH_THREADS.map((): number[] => []) }));
  for (let r = 0; r < PICK_ROUNDS; r++) {
    for (const [k, t] of servers.entries()) {
      for (const kind of ["train", "infer"] as const) {
        for (const [i, n] of TORCH_THREADS.entries()) (rates[k]?.[kind][i] as number[]).push(await t.round(kind, n, kind === "train" ? c.batches : 2 * c.batches, PICK_ROUND_SECONDS));
      }
      await new Promise((resolve) => setTimeout(resolve, TORCH_SETTLE_MS));
    }
  }
  const scored = servers.map((t, k) => {
    const best = (kind: "train" | "infer") => Math.max(...(rates[k] as { train: number[][]; infer: number[][] })[kind].map(median));
    return { t, train: best("train"), infer: best("infer"), score: Math.sqrt(best("train") * best("infer")) };
  });
  const winner = scored.reduce((a, b) => (b.score > a.score ? b : a));
  const label = describeSetting(winner.t.setting, auto);
  const cols = scored.map((s) => `${describeSetting(s.t.setting, auto)} ${fmt(s.train)}/${fmt(s.infer)}`);
  console.log(`  PyTorch settings, train/infer samples/s at the best thread count (median of ${PICK_ROUNDS} alternating rounds): ${cols.join("; ")}; best: ${label}`);
  for (const s of scored) if (s !== winner) s.t.close();
  return { torch: winner.t, label };
}

/** "N % of the T-thread peak" for a GEMM rate, or "" without a measured peak. */
function shareOfPeak(gflops: number, peak: MachinePeak | string, threads: number): string {
  const p = typeof peak === "string" ? undefined : peak.best(threads);
  return p ? `${percentOfPeak(gflops, peak, threads)} of the ${threads}-thread FMA peak (${p.gflops.toFixed(1)}, ${p.isa})` : "";
}

/** `gflops` as a share of the machine's FMA peak on `threads` threads ("N %"), "" where it was not measured. */
function percentOfPeak(gflops: number, peak: MachinePeak | string, threads: number): string {
  const p = typeof peak === "string" ? undefined : peak.best(threads);
  return p ? `${((100 * gflops) / p.gflops).toFixed(0)} %` : "";
}

/**
 * Issue 17's goal for an engine on `threads` threads: `goal` times PyTorch's best. Met, or short by how
 * much, with the ceiling beside it: the matrix-product rate the goal needs over the whole step (cell
 * arithmetic, dense head, loss and Adam included) as a share of that thread count's FMA peak, and the
 * share the engine reaches. A need at or above 100 % is out of reach on this machine whatever the code.
 */
function goalLine(label: string, samples: number, goal: number, torchBest: number, flops: number, peak: MachinePeak | string, threads: number): string {
  const ratio = samples / torchBest;
  const head = `  goal ${goal}x on ${threads} thread${threads > 1 ? "s" : ""} (${label}): ${ratio.toFixed(2)}x`;
  if (ratio >= goal) return `${head}, met`;
  const need = (goal * torchBest * flops) / 1e9;
  const needShare = percentOfPeak(need, peak, threads);
  if (!needShare) return `${head}, short`;
  return `${head}, short: it needs ${need.toFixed(1)} GFLOP/s of matrix products over the whole step, ${needShare} of the ${threads}-thread FMA peak; this engine reaches ${percentOfPeak((samples * flops) / 1e9, peak, threads)}`;
}

/**
 * Multiply-add work of the model's matrix products per sample (2 flops each): per step and layer
 * [x, h]·W with W [(in + H), gates·H]; training does it three times (forward, input gradients,
 * weight gradients), inference once. The cell arithmetic is left out: it is a few percent.
 */
function gemmFlops(c: Case, training: boolean): number {
  const gates = c.cell === "lstm" ? 4 : 3;
  const perStep = 2 * (F + c.h) * gates * c.h + 2 * (2 * c.h) * gates * c.h;
  return perStep * c.t * (training ? 3 : 1);
}

/**
 * GFLOP/s of the kernel's own GEMM on one thread on a cache-resident 240³ product: the practical
 * ceiling of 128-bit WebAssembly SIMD here (4 lanes, fused multiply-add with relaxed SIMD), which no
 * recurrent step can beat. PyTorch's CPU build uses 256-bit AVX2 and has twice the lanes. Measures
 * kernel `k` (a 1-thread wasm kernel unless given) and closes it.
 */
function gemmPeak(k: RnnKernel = RnnKernel.load({ threads: 1 })): number {
  try {
    return gemmRate(k, 240, 240, 240, false);
  } finally {
    void k.close();
  }
}

/** GFLOP/s of kernel k's GEMM on one thread for C[M, N] = A[M, K]·B[K, N], B packed or not (best of 5 timed runs). */
function gemmRate(k: RnnKernel, M: number, N: number, K: number, packed: boolean): number {
  const [a, b, c, bp] = k.buffers([M * K, K * N, M * N, K * N]) as [number, number, number, number];
  k.write(a, Float32Array.from({ length: M * K }, (_, i) => Math.sin(i)));
  k.write(b, Float32Array.from({ length: K * N }, (_, i) => Math.cos(i)));
  if (packed) k.pack(b, K, N, bp);
  const args = packed ? [M, N, K, a, K, bp, 0, c, N, 0, 0] : [M, N, K, a, K, b, N, c, N, 0, 0];
  const reps = Math.max(1, Math.round(2e8 / (2 * M * N * K)));
  const t0 = performance.now();
  while (performance.now() - t0 < 300) k.call("gemm", args); // warm-up: V8's first tier
  let best = 0;
  for (let r = 0; r < 5; r++) {
    const t1 = performance.now();
    for (let i = 0; i < reps; i++) k.call("gemm", args);
    best = Math.max(best, (reps * 2 * M * N * K) / ((performance.now() - t1) / 1000) / 1e9);
  }
  return best;
}

/**
 * The step shapes' GEMMs on one thread, each kernel, with the share of the machine's 1-thread FMA
 * peak: per step the gates [B, F + H]·[F + H, 4H] (forward), the input gradients [B, 4H]·[4H, F + H]
 * (backward), and a weight-gradient chunk [F + H, 256]·[256, 4H].
 */
function stepGemms(machine: MachinePeak | string): void {
  const kernels: [string, RnnKernel][] = [["wasm", RnnKernel.load({ threads: 1 })]];
  if (NATIVE) kernels.push([`native ${NATIVE}`, loadNativeKernel({ threads: 1 })]);
  for (const h of [64, 128]) {
    const shapes: [string, number, number, number][] = [
      ["gates", BATCH, 4 * h, F + h],
      ["input grads", BATCH, F + h, 4 * h],
      ["weight grads", F + h, 4 * h, 256],
    ];
    for (const [what, M, N, K] of shapes) {
      const cols = kernels.map(([name, k]) => {
        const r = gemmRate(k, M, N, K, true);
        const share = percentOfPeak(r, machine, 1);
        return `${name} ${r.toFixed(1)} GFLOP/s${share ? ` (${share})` : ""}`;
      });
      console.log(`  step GEMM H=${h} ${what} [${M}×${K}]·[${K}×${N}], 1 thread: ${cols.join(", ")}`);
    }
  }
  for (const [, k] of kernels) void k.close();
}

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

async function main(): Promise<void> {
  const info = await ready();
  setRnnEngine({ engine: "wasm" });
  const k = rnnEngine();
  console.log(`backend: ${describeBackend(info)}; ${describeRnnEngine(k)}; batch ${BATCH}, F=${F}, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s, median`);
  const machine = measurePeak(TORCH_THREADS);
  console.log(describePeak(machine));
  const peak = gemmPeak();
  const ofPeak = shareOfPeak(peak, machine, 1);
  console.log(`the kernel's GEMM on one thread (240³, cache-resident): ${peak.toFixed(1)} GFLOP/s${ofPeak ? ` = ${ofPeak}` : ""}, the ceiling of 128-bit wasm SIMD here`);
  if (NATIVE) {
    const np = gemmPeak(loadNativeKernel({ threads: 1 }));
    const nOf = shareOfPeak(np, machine, 1);
    console.log(`the native ${NATIVE} kernel's GEMM on one thread (240³, cache-resident): ${np.toFixed(1)} GFLOP/s${nOf ? ` = ${nOf}` : ""}`);
  } else {
    console.log("the native kernel does not run here (not built for this platform, or no AVX2): the wasm columns are what users get");
  }
  stepGemms(machine);
  const cases: Case[] = [
    { cell: "lstm", t: 30, h: 64, batches: BATCHES },
    { cell: "lstm", t: 100, h: 128, batches: Math.max(1, Math.ceil(BATCHES / 2)) },
    { cell: "gru", t: 30, h: 64, batches: BATCHES },
    { cell: "gru", t: 100, h: 128, batches: Math.max(1, Math.ceil(BATCHES / 2)) },
  ].filter((c) => !ONLY || c.cell === ONLY) as Case[];
  for (const c of cases) {
    const name = `2 × ${c.cell.toUpperCase()}(${c.h}) T=${c.t}`;
    const model = buildModel({ inputShape: [c.t, F], units: [c.h, c.h], cell: c.cell, outputs: 1, seed: 1, fused: true });
    const { x, y } = data(c.t);
    const opt = new Optimizer("adam");
    const picked = await bestTorch(c);
    const pt = typeof picked === "string" ? picked : picked.torch;
    const torch = typeof pt === "string" ? null : pt;
    const train = await measure(() => trainStep(model, opt, x, y), torch && ((n) => torch.round("train", n, UNTIL_TIME, ROUND_SECONDS, ROUND_WARM_SECONDS)));
    // The whole batch in one call, as PyTorch (predict would otherwise split it into batches of 32).
    const infer = await measure(
      () => tf.dispose(model.predict(x, { batchSize: BATCH })),
      torch && ((n) => torch.round("infer", n, UNTIL_TIME, ROUND_SECONDS, ROUND_WARM_SECONDS)),
    );
    torch?.close();
    for (const [what, m, key] of [["train", train, "train"], ["inference", infer, "infer"]] as const) {
      const ours = m.ours;
      const cols = ENGINES.map((e, i) => `${e.label} ${fmt(ours[i] as number)}`).join(", ");
      console.log(`${name} ${what} samples/s: ${cols}`);
      if (typeof pt === "string") {
        console.log(`  ${pt}`);
        continue;
      }
      const best = Math.max(...m.torch);
      const bestThreads = TORCH_THREADS[m.torch.indexOf(best)] as number;
      const tcols = TORCH_THREADS.map((n, i) => `${n} thread${n > 1 ? "s" : ""} ${fmt(m.torch[i] as number)}`).join(", ");
      console.log(`  PyTorch CPU, ${typeof picked === "string" ? "" : picked.label}: ${tcols} (best ${fmt(best)}, ${bestThreads} thread${bestThreads > 1 ? "s" : ""})`);
      // Against PyTorch's best (of 1 and 2 threads), and against PyTorch on the same thread count.
      ENGINES.forEach((e, i) => {
        const same = e.options.threads === undefined ? -1 : TORCH_THREADS.indexOf(e.options.threads);
        const vsSame = same < 0 ? "" : `; vs PyTorch on ${e.options.threads} thread${(e.options.threads as number) > 1 ? "s" : ""}: ${((ours[i] as number) / (m.torch[same] as number)).toFixed(2)}x`;
        console.log(`  ${e.label} vs PyTorch: ${((ours[i] as number) / best).toFixed(2)}x${vsSame}`);
      });
      // What the shape allows: PyTorch's matrix-product rate against our GEMM's one-thread ceiling.
      const flops = gemmFlops(c, key === "train");
      const ptRate = (best * flops) / 1e9;
      const oursRate = ((ours[0] as number) * flops) / 1e9;
      console.log(
        `  GEMM work ${(flops / 1e6).toFixed(1)} MFLOP/sample: PyTorch ${ptRate.toFixed(1)} GFLOP/s, wasm-simd 1 thread ${oursRate.toFixed(1)} GFLOP/s;` +
          ` at the ${peak.toFixed(1)} GFLOP/s ceiling one thread could reach at most ${(peak / ptRate).toFixed(2)}x`,
      );
      if (typeof machine !== "string") {
        console.log(`  share of the machine's peak: PyTorch ${shareOfPeak(ptRate, machine, bestThreads)}; wasm-simd 1 thread ${shareOfPeak(oursRate, machine, 1)}`);
        if (NATIVE) {
          const ni = ENGINES.findIndex((e) => e.options.engine === "native");
          console.log(`  native ${NATIVE} 1 thread, whole training/inference step: ${shareOfPeak(((ours[ni] as number) * flops) / 1e9, machine, 1)}`);
          for (const [threads, goal] of [[1, 2], [2, 3]] as const) {
            const i = ENGINES.findIndex((e) => e.options.engine === "native" && e.options.threads === threads);
            console.log(goalLine(`native ${NATIVE}`, ours[i] as number, goal, best, flops, machine, threads));
          }
        }
      }
    }
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

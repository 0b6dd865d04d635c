// Tuning benchmark.
// 1. Quality: Branin (2-D) and Hartmann-6, N seeds (default 20) × 50 trials: median simple regret of
//    the best-so-far after 10, 30 and 50 trials for random, Bayesian (GP) and grid (Branin only),
//    all through createStudy/optimize as a notebook would run them.
// 2. Throughput: trials/hour on a cheap objective (200 ms sleep) in-process, and with 1 and 2
//    worker processes sharing a journal study.
// 3. GP proposal time: seconds per suggestion of the GP sampler on Hartmann-6 after 10, 50, 150 and
//    1,000 finished trials (the first suggestion of a fresh sampler, then the median and worst of the
//    next eight, each added to the history), against the goals.
// 4. Storage (bench/tuning-storage.ts): overhead per trial for in-memory, journal and PostgreSQL
//    storage; trials/hour with 1, 2 and 4 workers on PostgreSQL; time to open a 10,000-trial study.
// Usage: node --import tsx bench/tuning.ts [--seeds N] [--trials N] [--ucb] [--skip-quality] [--skip-parallel] [--skip-gp-time] [--skip-storage]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createStudy, floatParam, GPSampler, GridSampler, optimizeParallel, RandomSampler, space } from "../src/tuning/index.js";
import type { FrozenTrial, Params, Sampler, SearchSpace } from "../src/tuning/index.js";
import { sampleSpaceUniform } from "../src/tuning/samplers/random.js";
import { Rng } from "../src/rng.js";
import { storageBench } from "./tuning-storage.js";
import { printTable } from "./print-table.js";

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SEEDS = arg("--seeds", 20);
const TRIALS = arg("--trials", 50);
const CHECKPOINTS = [10, 30, 50].filter((k) => k <= TRIALS);

function branin(x: number, y: number): number {
  const b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
}
const H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]].map((r) => r.map((v) => v * 1e-4));
const H_ALPHA = [1, 1.2, 3, 3.2];
function hartmann6(x: number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let e = 0;
    for (let j = 0; j < 6; j++) e += (H_A[i] as number[])[j] as number * ((x[j] as number) - ((H_P[i] as number[])[j] as number)) ** 2;
    s += (H_ALPHA[i] as number) * Math.exp(-e);
  }
  return -s;
}

interface Problem { name: string; space: SearchSpace; f: (p: Params) => number; optimum: number; grid: boolean }
const problems: Problem[] = [
  { name: "Branin", space: space({ x: floatParam(-5, 10), y: floatParam(0, 15) }), f: (p) => branin(p.x as number, p.y as number), optimum: 0.397887357729739, grid: true },
  {
    name: "Hartmann-6",
    space: space(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i + 1}`, floatParam(0, 1)]))),
    f: (p) => hartmann6(Array.from({ length: 6 }, (_, i) => p[`x${i + 1}`] as number)),
    optimum: -3.32236801141551,
    grid: false,
  },
];

const median = (v: number[]) => {
  const s = v.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function regretCurve(p: Problem, sampler: Sampler, seed: number): Promise<number[]> {
  const study = await createStudy({ space: p.space, sampler, seed, name: `${p.name}-${sampler.name}-${seed}` });
  await study.optimize((t) => p.f(t.params), { nTrials: TRIALS });
  let best = Infinity;
  return study.trials.map((t) => (best = Math.min(best, t.value ?? Infinity)) - p.optimum);
}

async function quality(): Promise<void> {
  console.log(`\nQuality: median simple regret of the best-so-far over ${SEEDS} seeds, ${TRIALS} trials each (lower is better)`);
  const header = ["problem", "sampler", ...CHECKPOINTS.map((k) => `@${k}`), "random/this @30", "random/this @50", "seconds"];
  const rows: string[][] = [];
  for (const p of problems) {
    const samplers: [string, () => Sampler][] = [
      ["random", () => new RandomSampler()],
      ["gp (EI)", () => new GPSampler()],
      ...(args.includes("--ucb") ? [["gp (UCB)", () => new GPSampler({ acquisition: "ucb" })] as [string, () => Sampler]] : []),
      ...(p.grid ? [["grid 7×7", () => new GridSampler({ floatPoints: 7 })] as [string, () => Sampler]] : []),
    ];
    const medians: Record<string, number[]> = {};
    for (const [label, make] of samplers) {
      const t0 = Date.now();
      const curves: number[][] = [];
      for (let s = 0; s < SEEDS; s++) curves.push(await regretCurve(p, make(), s));
      // a grid that ran out keeps its last best
      const at = (k: number) => median(curves.map((c) => c[Math.min(k, c.length) - 1] as number));
      medians[label] = CHECKPOINTS.map(at);
      const ratio = (k: number) => {
        const i = CHECKPOINTS.indexOf(k);
        return i < 0 ? "" : (((medians.random as number[])[i] as number) / ((medians[label] as number[])[i] as number)).toFixed(1) + "×";
      };
      rows.push([p.name, label, ...(medians[label] as number[]).map((v) => v.toExponential(2)), ratio(30), ratio(50), ((Date.now() - t0) / 1000).toFixed(1)]);
      console.log(rows[rows.length - 1]?.join("\t"));
    }
  }
  printTable(header, rows);
}

/** Trial `number` of Hartmann-6 at `params`, finished. */
function hartmannTrial(number: number, params: Params): FrozenTrial {
  const value = (problems[1] as Problem).f(params);
  return { number, state: "complete", params, distributions: {}, value, intermediate: {}, start: "", end: "", error: null, userAttrs: {} };
}

async function gpSuggestionTime(): Promise<void> {
  const sizes = [10, 50, 150, 1000];
  const goals: Record<number, number> = { 150: 0.2, 1000: 2 };
  const next = 8;
  console.log(`\nGP proposal time on Hartmann-6 (6 dims): a history of n uniform random trials, a fresh GPSampler's first suggestion, then the next ${next}, each added to the history; seconds of CPU time (the sampler runs on one thread: on an idle machine this is the wall time) and of wall time`);
  const p = problems[1] as Problem;
  const rows: string[][] = [];
  for (const n of sizes) {
    const rng = new Rng(7);
    const trials: FrozenTrial[] = [];
    for (let i = 0; i < n; i++) trials.push(hartmannTrial(i, sampleSpaceUniform(p.space, rng)));
    const sampler = new GPSampler();
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let k = 0; k <= next; k++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const params = sampler.sample(p.space, trials, rng.fork(`trial:${trials.length}`), { direction: "minimize", seed: 7, budget: null });
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
      wall.push((performance.now() - t0) / 1000);
      trials.push(hartmannTrial(trials.length, params));
    }
    const later = cpu.slice(1);
    const goal = goals[n];
    rows.push([String(n), (cpu[0] as number).toFixed(3), median(later).toFixed(3), Math.max(...later).toFixed(3), median(wall.slice(1)).toFixed(3), goal === undefined ? "" : `≤ ${goal}`]);
    console.log(rows[rows.length - 1]?.join("\t"));
  }
  printTable(["trials", "first (cpu)", `median of next ${next} (cpu)`, "worst of next (cpu)", "median (wall)", "goal"], rows);
}

async function throughput(): Promise<void> {
  const n = 40;
  const sleepMs = 200;
  process.env.LSTM_LAB_TEST_SLEEP_MS = String(sleepMs);
  const fixture = path.join(__dirname, "..", "test", "tuning", "fixtures", "quadratic-objective.ts");
  console.log(`\nThroughput: ${n} trials of a ${sleepMs} ms objective, random sampler (numbers are noisy while others use the machine)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-bench-"));
  const rows: string[][] = [];
  // baseline: in-process, in-memory storage
  let t0 = Date.now();
  const inproc = await createStudy({ space: { x: floatParam(-3, 3) }, sampler: "random" });
  await inproc.optimize(async (t) => {
    await new Promise((r) => setTimeout(r, sleepMs));
    return ((t.params.x as number) - 1) ** 2;
  }, { nTrials: n });
  const base = n / ((Date.now() - t0) / 3_600_000);
  rows.push(["in-process, memory", String(n), base.toFixed(0), "1.00×"]);
  for (const workers of [1, 2]) {
    t0 = Date.now();
    const { study } = await optimizeParallel({ storage: path.join(dir, `w${workers}.jsonl`), study: "bench", objectiveModule: fixture, nWorkers: workers, maxTotalTrials: n, sampler: "random" });
    const rate = study.trials.length / ((Date.now() - t0) / 3_600_000);
    rows.push([`${workers} worker process${workers > 1 ? "es" : ""}, journal`, String(study.trials.length), rate.toFixed(0), (rate / base).toFixed(2) + "×"]);
  }
  printTable(["setup", "trials", "trials/hour", "vs in-process"], rows);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  if (!args.includes("--skip-quality")) await quality();
  if (!args.includes("--skip-gp-time")) await gpSuggestionTime();
  if (!args.includes("--skip-parallel")) await throughput();
  if (!args.includes("--skip-storage")) await storageBench();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

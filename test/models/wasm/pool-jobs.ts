/**
 * The jobs the thread-pool tests abandon and check, in a module of their own so a child process
 * (the real-SIGINT test) can load the same code.
 */
import { RnnKernel, weightGradScratch } from "../../../src/models/wasm/index.js";
import { wave } from "./helpers.js";

interface Problem {
  R: number;
  K: number;
  N: number;
}
/** A large weight gradient (about 200 MFLOP): what the interruptions cut short. */
export const BIG: Problem = { R: 6000, K: 64, N: 256 };
/** A small one: what is checked after each interruption. */
export const SMALL: Problem = { R: 700, K: 24, N: 40 };
/** Floats before the small problem's buffers: they start where the large one's output and scratch are. */
const OVERLAP = BIG.R * (BIG.K + BIG.N);

const inputs = new Map<string, [Float32Array, Float32Array]>();
/** The inputs of a problem, made once (so the check starts right after an interruption). */
function data(p: Problem, seed: number): [Float32Array, Float32Array] {
  const key = `${p.R}/${p.K}/${p.N}/${seed}`;
  let d = inputs.get(key);
  if (!d) inputs.set(key, (d = [wave(p.R * p.K, seed), wave(p.R * p.N, seed + 1)]));
  return d;
}

/** Lays out and fills a weight-gradient problem after `skip` floats, with scratch for two parts per thread (run's split). */
function setUp(kern: RnnKernel, p: Problem, seed: number, skip: number): { args: number[]; out: () => Buffer } {
  const { R, K, N } = p;
  const [, px, pz, pw, pb, ps] = kern.buffers([skip, R * K, R * N, K * N, N, weightGradScratch(2 * kern.threads, K, N)]) as number[] as [
    number, number, number, number, number, number,
  ];
  const [x, z] = data(p, seed);
  kern.write(px, x);
  kern.write(pz, z);
  return { args: [R, K, N, px, pz, pw, pb, ps], out: () => Buffer.concat([Buffer.from(kern.read(pw, K * N).buffer), Buffer.from(kern.read(pb, N).buffer)]) };
}

/** The large job as the layers run it (weightGrad, one part per thread) or in two parts per thread (run). */
export function bigJob(kern: RnnKernel, i: number): () => void {
  const big = setUp(kern, BIG, 7, 0);
  return i % 2 ? () => kern.weightGrad(big.args) : () => kern.run("weightGrad", big.args);
}

/** dw and db of the small job on `kern` (its buffers over the large job's output and scratch), split both ways, as bytes. */
export function smallJobs(kern: RnnKernel): Buffer[] {
  return [0, 1].map((i) => {
    const s = setUp(kern, SMALL, 3, OVERLAP);
    if (i === 0) kern.weightGrad(s.args);
    else kern.run("weightGrad", s.args);
    return s.out();
  });
}

/** dw and db of the small job on a fresh one-thread kernel, as bytes. */
export function reference(): Buffer {
  const one = RnnKernel.load({ threads: 1 });
  const s = setUp(one, SMALL, 3, 0);
  one.weightGrad(s.args);
  return s.out();
}

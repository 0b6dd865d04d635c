/**
 * Runs one kernel entry point split into parts over the calling thread and worker threads sharing one
 * WebAssembly.Memory. Parts are claimed one compare-and-swap at a time, so the caller never waits on a
 * worker that is slow to start or busy: it takes the remaining parts itself. One job at a time,
 * synchronous.
 *
 * Which thread runs which part never changes a result: every kernel entry point writes each output
 * element from exactly one part, summing in an order fixed by the problem (see assembly/index.ts), so
 * any split and any claim order give the same bits.
 *
 * A job can be abandoned: a Jupyter kernel interrupt (vm's breakOnSigint) or a vm timeout ends the
 * calling thread's synchronous code at any point, inside its own part, in the wait for the workers or
 * between two stores of the dispatch. The pool then still has a job open whose parts may be running
 * on workers and writing into memory the next call reuses. So a job is marked pending until its
 * caller has seen every part done; the next use of the kernel (`settle`, called by RnnKernel before it
 * lays out or writes memory, and by `run`) first closes such a job (no new claims) and waits, in
 * bounded sleeps, for the workers still inside it. A job that ran to the end needs none of this.
 */
// Imported, not the global: Node's global `performance` is a lazy getter, and a vm timeout or a
// kernel interrupt that lands during its first use left it undefined for every later job.
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { WasmMemory, WasmModule } from "./wasm-api.js";
import { CTRL, WORKER_SOURCE } from "./worker-source.js";

type KernelFn = (...args: number[]) => void;

const MAX_ARGS = 56;
/** How long the caller spins for the last part before sleeping (ms): parts are balanced, so it is usually a moment away. */
const SPIN_MS = 0.3;
/** Longest single sleep of the caller (ms): it wakes on the workers' notify, this only bounds each wait. */
const WAIT_MS = 50;

export class ThreadPool {
  /** Threads: the calling thread plus `threads − 1` workers. */
  readonly threads: number;
  /**
   * Parts each job is split into: two per thread when threaded, so a thread the OS leaves waiting
   * (busy machine) holds up at most a quarter of the work while the others take the rest.
   */
  readonly parts: number;
  readonly #ctrl: Int32Array;
  readonly #fns: KernelFn[];
  readonly #index: Map<string, number>;
  readonly #workers: Worker[] = [];
  /** A job was published and its caller has not yet seen all its parts done. */
  #pending = false;

  constructor(module: WasmModule, memory: WasmMemory, fns: Record<string, KernelFn>, threads: number) {
    this.threads = threads;
    this.parts = threads === 1 ? 1 : Math.min(2 * threads, CTRL.MAX_PARTS);
    const names = Object.keys(fns);
    this.#fns = names.map((n) => fns[n] as KernelFn);
    this.#index = new Map(names.map((n, i) => [n, i]));
    const sab = new SharedArrayBuffer(4 * (CTRL.ARGS + MAX_ARGS));
    this.#ctrl = new Int32Array(sab);
    for (let i = 1; i < threads; i++) {
      // execArgv: [] — the worker needs no loader hooks (tsx) or profiling flags of the parent; V8 flags
      // set at run time (relaxed SIMD) are process-wide and reach it anyway.
      const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, ctrl: sab, names } });
      // Workers sleep in Atomics.wait between jobs; they must not keep the process alive.
      w.unref();
      this.#workers.push(w);
    }
  }

  /**
   * Calls `name(...args, part, parts)` for every part, spread over the threads; returns when all are
   * done. `parts` defaults to this.parts; one per thread suits jobs whose parts repeat shared work.
   */
  run(name: string, args: readonly number[], parts = this.parts): void {
    const fi = this.#index.get(name) as number;
    const fn = this.#fns[fi] as KernelFn;
    this.settle();
    if (parts === 1 || this.#workers.length === 0) {
      for (let p = 0; p < parts; p++) fn(...args, p, parts);
      return;
    }
    const c = this.#ctrl;
    // The claim word is closed (no job open, or the last one's parts all taken), so no worker reads
    // these until the claim word below opens the job.
    c[CTRL.FN] = fi;
    c[CTRL.ARGC] = args.length;
    for (let i = 0; i < args.length; i++) c[CTRL.ARGS + i] = args[i] as number;
    Atomics.store(c, CTRL.FAILED, 0);
    Atomics.store(c, CTRL.DONE, 0);
    this.#pending = true;
    Atomics.store(c, CTRL.CLAIM, parts << 16);
    Atomics.add(c, CTRL.SEQ, 1);
    Atomics.notify(c, CTRL.SEQ);
    for (;;) {
      const w = Atomics.load(c, CTRL.CLAIM);
      const part = w & 0xffff;
      if (part >= w >>> 16) break;
      if (Atomics.compareExchange(c, CTRL.CLAIM, w, w + 1) !== w) continue;
      try {
        fn(...args, part, parts);
      } catch {
        Atomics.store(c, CTRL.FAILED, 1);
      }
      Atomics.add(c, CTRL.DONE, 1);
    }
    // Every part is claimed; the workers' last ones are usually a moment away: spin briefly, then sleep.
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(c, CTRL.DONE) < parts && performance.now() < until);
    for (let done = Atomics.load(c, CTRL.DONE); done < parts; done = Atomics.load(c, CTRL.DONE)) Atomics.wait(c, CTRL.DONE, done, WAIT_MS);
    this.#pending = false;
    if (Atomics.load(c, CTRL.FAILED)) throw new Error(`the wasm kernel's ${name} failed (a trap in one of its parts)`);
  }

  /**
   * Makes the memory the kernel's alone again after an abandoned job: closes it to new claims and
   * waits until no worker is inside it. Free when the last job ran to the end.
   */
  settle(): void {
    if (!this.#pending) return;
    const c = this.#ctrl;
    Atomics.store(c, CTRL.CLAIM, 0);
    // Terminated workers (close) never leave the loop; there is nothing of theirs to wait for.
    if (this.#workers.length > 0) {
      Atomics.store(c, CTRL.SETTLING, 1);
      for (let busy = Atomics.load(c, CTRL.BUSY); busy > 0; busy = Atomics.load(c, CTRL.BUSY)) Atomics.wait(c, CTRL.BUSY, busy, WAIT_MS);
      Atomics.store(c, CTRL.SETTLING, 0);
    }
    this.#pending = false;
  }

  /** Stops the workers (after any abandoned job's parts end); later jobs run on the calling thread alone. */
  async close(): Promise<void> {
    this.settle();
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

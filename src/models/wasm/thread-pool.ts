/**
 * Runs one kernel entry point split into parts over the calling thread and worker threads sharing one
 * WebAssembly.Memory. Parts are claimed with Atomics.add, so the caller never waits on a worker that
 * is slow to start or busy: it takes the remaining parts itself. One job at a time, synchronous.
 */
import { Worker } from "node:worker_threads";
import type { WasmMemory, WasmModule } from "./wasm-api.js";
import { WORKER_SOURCE } from "./worker-source.js";

type KernelFn = (...args: number[]) => void;

const MAX_ARGS = 56;
/** How long the caller spins for the last part before sleeping (ms): parts are balanced, so it is usually a moment away. */
const SPIN_MS = 0.3;

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

  constructor(module: WasmModule, memory: WasmMemory, fns: Record<string, KernelFn>, threads: number) {
    this.threads = threads;
    this.parts = threads === 1 ? 1 : 2 * threads;
    const names = Object.keys(fns);
    this.#fns = names.map((n) => fns[n] as KernelFn);
    this.#index = new Map(names.map((n, i) => [n, i]));
    const sab = new SharedArrayBuffer(4 * (8 + MAX_ARGS));
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
    if (parts === 1) {
      fn(...args, 0, 1);
      return;
    }
    const c = this.#ctrl;
    c[1] = fi;
    c[2] = args.length;
    for (let i = 0; i < args.length; i++) c[8 + i] = args[i] as number;
    Atomics.store(c, 5, parts);
    Atomics.store(c, 6, 0);
    Atomics.store(c, 4, 0);
    Atomics.store(c, 3, 0);
    Atomics.add(c, 0, 1);
    Atomics.notify(c, 0);
    for (;;) {
      const part = Atomics.add(c, 3, 1);
      if (part >= parts) break;
      try {
        fn(...args, part, parts);
      } catch {
        Atomics.store(c, 6, 1);
      }
      Atomics.add(c, 4, 1);
    }
    // The last part is usually a moment away: spin briefly, then sleep.
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(c, 4) < parts && performance.now() < until);
    for (let done = Atomics.load(c, 4); done < parts; done = Atomics.load(c, 4)) Atomics.wait(c, 4, done, 1000);
    if (Atomics.load(c, 6)) throw new Error(`the wasm kernel's ${name} failed (a trap in one of its parts)`);
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#workers.length = 0;
  }
}

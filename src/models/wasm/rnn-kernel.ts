/**
 * The compiled recurrent kernel: finds the built .wasm (relaxed SIMD if the runtime validates it, else
 * plain SIMD), instantiates it on a shared memory, and hands out that memory to the sequence glue.
 *
 * The .wasm files are built by `npm run build:wasm` into <package root>/dist/wasm/ (git-ignored,
 * shipped with the package); the root is found by walking up from this file, so the same code works
 * from src/ (tsx, tests) and from dist/src/ (kernel, scripts).
 */
import * as tf from "@tensorflow/tfjs";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { ThreadPool } from "./thread-pool.js";
import { MAX_PAGES, PAGE, wasmApi, type WasmMemory } from "./wasm-api.js";

/** Which build of the kernel runs: a wasm one, or a native one (src/models/native) by instruction set. */
export type KernelVariant = "relaxed-simd" | "simd" | "avx512" | "avx2";

/** The native builds, by instruction set. */
export const NATIVE_VARIANTS: readonly KernelVariant[] = ["avx512", "avx2"];

export type KernelFn = (...args: number[]) => void;

/**
 * What spreads an entry point over threads: the wasm ThreadPool, or the native addon's own pool. The
 * partitions (part, parts) are the kernel's, so either gives the same bits at any thread count.
 */
export interface KernelRunner {
  run(name: KernelFunction, args: readonly number[], parts?: number): void;
  /** Makes the memory the kernel's alone again after an abandoned job. */
  settle(): void;
  close(): Promise<void>;
}

/** Kernel entry points; see src/models/wasm/assembly/index.ts for their arguments. */
export const KERNEL_FUNCTIONS = [
  "init",
  "tanhArray",
  "sigmoidArray",
  "gemm",
  "packB",
  "transpose",
  "weightGrad",
  "lstmForward",
  "lstmBackward",
  "gruForward",
  "gruBackward",
] as const;
export type KernelFunction = (typeof KERNEL_FUNCTIONS)[number];

/** Rows per weight-gradient chunk: WG_CHUNK in assembly/index.ts. */
export const WG_CHUNK = 256;

/** Floats of weightGrad's scratch for a [K, N] gradient: each part transposes and packs a chunk of rows. */
export const weightGradScratch = (parts: number, K: number, N: number): number => parts * (K + N) * WG_CHUNK;

/**
 * Most parts a weight gradient is split into (RnnKernel.weightGradParts). The layers' size checks
 * (wasmLstmFits, wasmGruFits) budget scratch for this many whatever the thread count, so whether a
 * call runs on the kernel or on tf ops, and with it the result, never depends on the thread count.
 */
export const WG_MAX_PARTS = 16;

/** Byte offset of the first buffer: the modules have no data segments, keep page 0's head clear anyway. */
const BASE = 1024;

/** Saved-state regions in the ring (see RnnKernel.claim): one per layer call, so up to 16 layer calls may come between a forward and its backward without a recompute. */
const SLOTS = 16;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Buffers claimed for a forward's saved state. */
export interface Claim {
  readonly index: number;
  readonly gen: number;
  /** Byte offsets, one per requested length. */
  readonly ptrs: readonly number[];
}

/** Where the built kernels live: <package root>/dist/wasm. */
export function kernelDir(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "lstm-lab") return join(dir, "dist", "wasm");
      } catch {
        // not ours; keep walking
      }
    }
    const up = dirname(dir);
    if (up === dir) return join(__dirname, "..", "..", "..", "dist", "wasm");
    dir = up;
  }
}

let relaxedFlagSet = false;

/** Node 20 validates relaxed SIMD only behind a V8 flag, which workers inherit; set it once. */
function enableRelaxedSimd(): void {
  if (relaxedFlagSet) return;
  relaxedFlagSet = true;
  try {
    setFlagsFromString("--experimental-wasm-relaxed-simd");
  } catch {
    // newer V8 has it on by default and may reject the flag
  }
}

/**
 * The loaded kernel. `buffers(n)` lays out float buffers in its memory for one call; `run` spreads
 * an entry point over the threads; `call` runs one on the calling thread only.
 *
 * @example
 * // not run: internal; starts the kernel's worker threads (test/models/wasm runs it)
 * const k = RnnKernel.load({ threads: 2, variant: "simd" });
 * const [a, b] = k.buffers([16, 16]);
 */
export class RnnKernel {
  readonly variant: KernelVariant;
  readonly threads: number;
  /** Parts of a weight gradient: one per thread, at most WG_MAX_PARTS; its scratch is weightGradScratch(weightGradParts, K, N). */
  readonly weightGradParts: number;
  readonly memory: WasmMemory;
  readonly #fns: Record<KernelFunction, KernelFn>;
  readonly #pool: KernelRunner;
  readonly #ring: ({ ptr: number; bytes: number; gen: number } | undefined)[] = [];
  #next = 0;
  #gen = 0;
  /** End of the claimed regions; scratch buffers start here. */
  #top = BASE;

  private constructor(variant: KernelVariant, threads: number, memory: WasmMemory, fns: Record<KernelFunction, KernelFn>, pool: KernelRunner) {
    this.variant = variant;
    this.threads = threads;
    this.weightGradParts = Math.min(threads, WG_MAX_PARTS);
    this.memory = memory;
    this.#fns = fns;
    // The activations' constant table (bytes 64..304, below BASE); the memory is shared with the workers.
    fns.init();
    this.#pool = pool;
  }

  /**
   * A kernel on a fresh shared memory whose entry points and runner `make` provides: the native
   * engine (src/models/native) lays its buffers out exactly as the wasm one.
   */
  static withRunner(
    variant: KernelVariant,
    threads: number,
    make: (memory: WasmMemory) => { fns: Record<KernelFunction, KernelFn>; runner: KernelRunner },
  ): RnnKernel {
    const api = wasmApi();
    if (!api) throw new Error("this runtime has no WebAssembly (the kernels' memory is a WebAssembly.Memory)");
    const memory = new api.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
    const { fns, runner } = make(memory);
    return new RnnKernel(variant, threads, memory, fns, runner);
  }

  /**
   * Loads a build from `dir` (default kernelDir()): `variant` picks one (throws if it does not
   * validate), else relaxed SIMD when the runtime validates it, else plain SIMD. Throws with the
   * reason when neither is usable; the engine then falls back to tf ops.
   */
  static load(o: { threads: number; variant?: "relaxed-simd" | "simd"; dir?: string }): RnnKernel {
    const api = wasmApi();
    if (!api) throw new Error("this runtime has no WebAssembly");
    const dir = o.dir ?? kernelDir();
    const order: ("relaxed-simd" | "simd")[] = o.variant ? [o.variant] : ["relaxed-simd", "simd"];
    const why: string[] = [];
    for (const v of order) {
      const file = join(dir, v === "relaxed-simd" ? "rnn-relaxed.wasm" : "rnn-simd.wasm");
      if (!existsSync(file)) {
        why.push(`${file} not built (run npm run build:wasm)`);
        continue;
      }
      if (v === "relaxed-simd") enableRelaxedSimd();
      const bytes = new Uint8Array(readFileSync(file));
      if (!api.validate(bytes)) {
        why.push(`${v} does not validate on this runtime`);
        continue;
      }
      return RnnKernel.withRunner(v, o.threads, (memory) => {
        const module = new api.Module(bytes);
        const instance = new api.Instance(module, { env: { memory } });
        const fns = {} as Record<KernelFunction, KernelFn>;
        for (const n of KERNEL_FUNCTIONS) fns[n] = instance.exports[n] as KernelFn;
        return { fns, runner: new ThreadPool(module, memory, fns, o.threads) };
      });
    }
    throw new Error(why.join("; "));
  }

  /**
   * Byte offsets of fresh float buffers of the given lengths (16-byte aligned), growing the memory to
   * hold them. Scratch: valid until the next call, which lays its buffers out at the same place.
   */
  buffers(lengths: readonly number[]): number[] {
    this.#pool.settle();
    return this.#layout(this.#top, lengths);
  }

  /**
   * Buffers that outlive the call: a forward's saved state, read back by its backward. They come from
   * a ring of SLOTS regions, so they are never copied out of the kernel's memory and nothing leaks
   * when no backward follows (inference); a backward whose slot was reused since (more than SLOTS
   * layer calls in between) finds `alive(claim)` false and recomputes its forward.
   */
  claim(lengths: readonly number[]): Claim {
    this.#pool.settle();
    const need = lengths.reduce((s, n) => s + align(n * 4), 0);
    const index = this.#next;
    let slot = this.#ring[index];
    if (!slot || slot.bytes < need) {
      // Grow in place when it is the last region, else take a new one on top. In this order, an
      // interrupt between two steps at worst leaves a region unused: the memory is there before
      // #top moves past it, and #top has moved before a slot points there, so scratch (laid out
      // from #top) never lands on a slot.
      const ptr = slot && slot.ptr + slot.bytes === this.#top ? slot.ptr : this.#top;
      this.#ensure(ptr + need);
      this.#top = ptr + need;
      slot = { ptr, bytes: need, gen: 0 };
      this.#ring[index] = slot;
    }
    this.#next = (index + 1) % SLOTS;
    slot.gen = ++this.#gen;
    return { index, gen: slot.gen, ptrs: this.#layout(slot.ptr, lengths) };
  }

  /**
   * Whether a call needing about `bytes` (saved state plus scratch) fits under the memory's 2 GiB
   * maximum, with room for one more saved-state region; the layers use tf ops for calls that do not.
   */
  fits(bytes: number): boolean {
    return this.#top + 2 * bytes <= MAX_PAGES * PAGE;
  }

  /** Whether a claim's buffers still hold what its call left there. */
  alive(c: Claim): boolean {
    return this.#ring[c.index]?.gen === c.gen;
  }

  #layout(from: number, lengths: readonly number[]): number[] {
    let at = from;
    const out = lengths.map((n) => {
      const p = at;
      at += align(n * 4);
      return p;
    });
    this.#ensure(at);
    return out;
  }

  #ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /** A float view of the memory (taken fresh: growing replaces the buffer). */
  f32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  /** Writes `data` at byte offset `ptr`. */
  write(ptr: number, data: ArrayLike<number>): void {
    this.#pool.settle();
    this.f32().set(data, ptr >> 2);
  }

  /** Zeroes `n` floats at byte offset `ptr`. */
  zero(ptr: number, n: number): void {
    this.#pool.settle();
    this.f32().fill(0, ptr >> 2, (ptr >> 2) + n);
  }

  /** A copy of `n` floats at byte offset `ptr` (new + set: ~1.7x faster than slice on shared memory). */
  read(ptr: number, n: number): Float32Array {
    const out = new Float32Array(n);
    out.set(new Float32Array(this.memory.buffer, ptr, n));
    return out;
  }

  /**
   * `n` floats at byte offset `ptr` to make a tensor from at once: on the wasm backend, which copies
   * a tensor's values into its own heap when it makes it, a view of the kernel's memory (one copy
   * instead of two); elsewhere (the cpu backend keeps the array it is given) a copy.
   */
  tensorData(ptr: number, n: number): Float32Array {
    return tf.getBackend() === "wasm" ? new Float32Array(this.memory.buffer, ptr, n) : this.read(ptr, n);
  }

  /**
   * Packs the [K, N] matrix at `src` (row stride `ld`, N unless given: a column slice of a wider
   * matrix otherwise) into the GEMM's strip layout at `dst` (see packB).
   */
  pack(src: number, K: number, N: number, dst: number, ld = N): void {
    this.#pool.settle();
    this.#fns.packB(src, ld, K, N, dst);
  }

  /** Writes the transpose [cols, rows] of the row-major [rows, cols] matrix at `src` to `dst`. */
  transpose(src: number, rows: number, cols: number, dst: number): void {
    this.#pool.settle();
    this.#fns.transpose(src, rows, cols, dst);
  }

  /** Packs the transpose [N, K] of the [K, N] matrix at `src`, through `tmp` (K·N floats), into `dst`. */
  packTransposed(src: number, K: number, N: number, tmp: number, dst: number): void {
    this.transpose(src, K, N, tmp);
    this.pack(tmp, N, K, dst);
  }

  /** Runs an entry point on the calling thread only (part 0 of 1 for partitioned ones). */
  call(name: KernelFunction, args: readonly number[]): void {
    this.#pool.settle();
    this.#fns[name](...args);
  }

  /** Runs a partitioned entry point (its last two arguments are part, parts) over all threads. */
  run(name: KernelFunction, args: readonly number[]): void {
    this.#pool.run(name, args);
  }

  /**
   * The weight gradient (weightGrad) in weightGradParts parts, one per thread: every part transposes
   * the whole chunk of step inputs, so more parts would repeat that work. Its scratch (last argument)
   * holds weightGradScratch(weightGradParts, K, N) floats.
   */
  weightGrad(args: readonly number[]): void {
    this.#pool.run("weightGrad", args, this.weightGradParts);
  }

  /** Stops the worker threads. */
  close(): Promise<void> {
    return this.#pool.close();
  }
}

/**
 * The native recurrent kernel: a Node-API addon (src/models/native/kernel.cpp, addon.cpp; built by
 * scripts/build-native.mjs into dist/native/rnn-<platform>-<arch>.node) with the wasm kernel's entry
 * points, arguments and partitions, on AVX-512 or AVX2 FMA, chosen by CPUID. It runs on the same
 * shared WebAssembly.Memory the glue lays out (RnnKernel), so wasm-lstm-sequence.ts and
 * wasm-gru-sequence.ts drive it unchanged; its own std::thread pool splits each call into the same
 * parts the wasm ThreadPool would.
 *
 * Results are the same bits at any thread count, and on AVX2 and AVX-512 alike: each GEMM element is
 * one FMA chain in k order and the element-wise code rounds per element (see kernel.cpp's header).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { KERNEL_FUNCTIONS, kernelDir, RnnKernel, type KernelFn, type KernelFunction, type KernelRunner } from "../wasm/rnn-kernel.js";
import type { WasmMemory } from "../wasm/wasm-api.js";

/** The instruction sets the addon is built for. */
export type NativeIsa = "avx512" | "avx2";

type Handle = object;

/** The addon's exports (addon.cpp). */
interface NativeAddon {
  isa(): NativeIsa | null;
  open(memory: Uint8Array, args: Int32Array, threads: number, isa: NativeIsa): Handle;
  remap(h: Handle, memory: Uint8Array): void;
  call(h: Handle, fn: number): void;
  run(h: Handle, fn: number, parts: number): void;
  close(h: Handle): void;
}

/** Most arguments of an entry point (gruBackward: 25) with room to spare; addon.cpp's MAX_ARGS. */
const MAX_ARGS = 32;
/** Most parts of one job; the wasm pool's CTRL.MAX_PARTS. */
const MAX_PARTS = 32;

/** Where the built addon for this platform lives: <package root>/dist/native/rnn-<platform>-<arch>.node. */
export function nativeAddonFile(): string {
  return join(kernelDir(), "..", "native", `rnn-${process.platform}-${process.arch}.node`);
}

/** Loads the addon at `file` (Node caches it); throws with the reason where it is not there. */
function loadAddon(file: string): NativeAddon {
  if (!existsSync(file)) throw new Error(`${file} not built for ${process.platform}-${process.arch} (npm run build:native builds it on linux-x64)`);
  return createRequire(__filename)(file) as NativeAddon;
}

/** The addon's pool behind RnnKernel's runner interface; entry points are called by index. */
class NativeRunner implements KernelRunner {
  readonly fns: Record<KernelFunction, KernelFn>;
  readonly #addon: NativeAddon;
  readonly #memory: WasmMemory;
  readonly #args = new Int32Array(MAX_ARGS);
  readonly #handle: Handle;
  readonly #parts: number;
  readonly #index = new Map<string, number>(KERNEL_FUNCTIONS.map((n, i) => [n, i]));
  #buffer: ArrayBufferLike;
  #open = true;

  constructor(a: NativeAddon, memory: WasmMemory, threads: number, isa: NativeIsa) {
    this.#addon = a;
    this.#memory = memory;
    this.#buffer = memory.buffer;
    this.#handle = a.open(new Uint8Array(memory.buffer), this.#args, threads, isa);
    this.#parts = threads === 1 ? 1 : Math.min(2 * threads, MAX_PARTS);
    const fns = {} as Record<KernelFunction, KernelFn>;
    KERNEL_FUNCTIONS.forEach((n, i) => {
      fns[n] = (...args: number[]) => {
        this.#prepare(args);
        this.#addon.call(this.#handle, i);
      };
    });
    this.fns = fns;
  }

  // Writes the arguments where the addon reads them; after a grow, hands it the memory again (a
  // shared memory keeps its address, so this only refreshes the view it was given).
  #prepare(args: readonly number[]): void {
    if (!this.#open) throw new Error("the native kernel was closed");
    const buf = this.#memory.buffer;
    if (buf !== this.#buffer) {
      this.#buffer = buf;
      this.#addon.remap(this.#handle, new Uint8Array(buf));
    }
    this.#args.set(args);
  }

  run(name: KernelFunction, args: readonly number[], parts = this.#parts): void {
    this.#prepare(args);
    this.#addon.run(this.#handle, this.#index.get(name) as number, parts);
  }

  /** A native call cannot be abandoned half way (an interrupt waits for it), so there is nothing to settle. */
  settle(): void {}

  close(): Promise<void> {
    if (this.#open) this.#addon.close(this.#handle);
    this.#open = false;
    return Promise.resolve();
  }
}

/**
 * Loads the native kernel on `threads` threads: `variant` forces an instruction set (throws if this
 * CPU lacks it), else the widest the CPU has. Throws with the reason where the addon cannot run (not
 * built for this platform, no AVX2 + FMA); the engine then keeps the wasm kernel.
 *
 * @example
 * const k = loadNativeKernel({ threads: 2 });   // k.variant: "avx512" on an AVX-512 machine
 */
export function loadNativeKernel(o: { threads: number; variant?: NativeIsa; file?: string }): RnnKernel {
  const a = loadAddon(o.file ?? nativeAddonFile());
  const best = a.isa();
  if (best === null) throw new Error("this CPU has neither AVX-512 nor AVX2 with FMA");
  const isa = o.variant ?? best;
  if (isa === "avx512" && best !== "avx512") throw new Error("this CPU has no AVX-512");
  return RnnKernel.withRunner(isa, o.threads, (memory) => {
    const runner = new NativeRunner(a, memory, o.threads, isa);
    return { fns: runner.fns, runner };
  });
}

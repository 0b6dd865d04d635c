/**
 * Which engine runs the fused LSTM/GRU layers: the native AVX-512/AVX2 kernel ("native", a Node-API
 * addon built into dist/native for linux-x64, src/models/native), the WebAssembly SIMD kernel ("wasm")
 * or TensorFlow.js ops ("tf", the reference implementation in lstm-sequence.ts / gru-sequence.ts).
 *
 * Default "auto": on the wasm and cpu backends the native kernel where the addon loads and the CPU
 * has AVX2 + FMA, else the wasm kernel when it validates; tf ops otherwise (tfjs-node has its own
 * native kernels). Every engine passes the same equality tests against tf.layers; each kernel gives
 * the same bits at any thread count (the native one also on AVX2 and AVX-512 alike), so "auto" stays
 * repeatable on a machine. "native" and "wasm" insist, "tf" opts out.
 * `LSTM_LAB_RNN_ENGINE=auto|native|wasm|tf` and `LSTM_LAB_RNN_THREADS=n` set the defaults from the
 * environment; `setRnnEngine` overrides them.
 */
import * as tf from "@tensorflow/tfjs";
import { availableParallelism } from "node:os";
import { ConfigError } from "../../errors.js";
import { oneOf, positiveInt } from "../../validate.js";
import { loadNativeKernel } from "../native/native-kernel.js";
import { NATIVE_VARIANTS, RnnKernel, type KernelVariant } from "./rnn-kernel.js";

/** "auto": native, else wasm, where it helps and loads, else tf; "native", "wasm" or "tf" force one. */
export type RnnEngineChoice = "auto" | "native" | "wasm" | "tf";
/** The engine choices, for validation and messages. */
export const RNN_ENGINES: readonly RnnEngineChoice[] = ["auto", "native", "wasm", "tf"];
/** The kernel builds, for validation and messages. */
const VARIANTS: readonly KernelVariant[] = ["relaxed-simd", "simd", "avx512", "avx2"];

/** Options of setRnnEngine. */
export interface RnnEngineOptions {
  /** "auto" uses the native kernel, else wasm, on the wasm/cpu backends when it loads; "native" or "wasm" insist (errors if unusable); "tf" uses TensorFlow.js ops (the reference). @default "auto" (or LSTM_LAB_RNN_ENGINE) */
  engine?: RnnEngineChoice;
  /** Threads the kernel splits each batch over. @default os.availableParallelism() (or LSTM_LAB_RNN_THREADS) */
  threads?: number;
  /** Force one build of the kernel: "avx512"/"avx2" (native) or "relaxed-simd"/"simd" (wasm); by default the widest that runs. @default null */
  variant?: KernelVariant | null;
}

/** What runs the fused layers now, for describeBackend-like reporting. */
export interface RnnEngineInfo {
  /** The engine the next fused-layer call uses. */
  readonly engine: "native" | "wasm" | "tf";
  /** The kernel build when the engine is native or wasm. */
  readonly variant: KernelVariant | null;
  /** Threads of the kernel (1 for tf). */
  readonly threads: number;
  /** Why, in one line. */
  readonly reason: string;
}

const DEFAULTS: Omit<Required<RnnEngineOptions>, "threads"> = { engine: "auto", variant: null };

/** The defaults with LSTM_LAB_RNN_ENGINE / LSTM_LAB_RNN_THREADS applied; threads default to the cores. */
function envDefaults(): Required<RnnEngineOptions> {
  const e = process.env["LSTM_LAB_RNN_ENGINE"]?.trim() ?? "";
  if (e !== "" && !(RNN_ENGINES as readonly string[]).includes(e)) {
    throw new ConfigError(`Unknown LSTM_LAB_RNN_ENGINE ${JSON.stringify(e)}. Choose one of: ${RNN_ENGINES.join(", ")}.`);
  }
  const t = process.env["LSTM_LAB_RNN_THREADS"]?.trim() ?? "";
  const threads = t !== "" ? Number(t) : availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ConfigError(`LSTM_LAB_RNN_THREADS must be a positive integer, got ${JSON.stringify(t)}.`);
  }
  return { ...DEFAULTS, ...(e !== "" ? { engine: e as RnnEngineChoice } : {}), threads };
}

let options: Required<RnnEngineOptions> | null = null;
/** Loaded kernels by threads/variant: switching back and forth (benchmarks) reuses the workers. */
const loaded = new Map<string, RnnKernel>();
const loadErrors = new Map<string, string>();

function current(): Required<RnnEngineOptions> {
  options ??= envDefaults();
  return options;
}

type KernelEngine = "native" | "wasm";

/** Which kernel engine a forced variant belongs to. */
const engineOfVariant = (v: KernelVariant): KernelEngine => ((NATIVE_VARIANTS as readonly string[]).includes(v) ? "native" : "wasm");

const keyOf = (e: KernelEngine, o: Required<RnnEngineOptions>): string => `${e}/${o.threads}/${o.variant ?? "best"}`;

/**
 * Chooses the engine of the fused layers (and the wasm kernel's threads); returns what is now active.
 * Throws a ConfigError for engine "wasm" when the kernel cannot load.
 *
 * @example
 * setRnnEngine({ engine: "wasm", threads: 2 });   // force the kernel on 2 threads
 * setRnnEngine({ engine: "tf" });                  // TensorFlow.js ops (the reference)
 */
export function setRnnEngine(o: RnnEngineOptions = {}): RnnEngineInfo {
  const r: Required<RnnEngineOptions> = { ...current(), ...o, variant: o.variant ?? null };
  oneOf("engine", r.engine, RNN_ENGINES);
  positiveInt("threads", r.threads);
  if (r.variant !== null) {
    oneOf("variant", r.variant, VARIANTS);
    if ((r.engine === "native" || r.engine === "wasm") && engineOfVariant(r.variant) !== r.engine) {
      throw new ConfigError(`variant "${r.variant}" is a ${engineOfVariant(r.variant)} build, not one of engine "${r.engine}".`);
    }
  }
  options = r;
  if (r.engine === "native" || r.engine === "wasm") {
    if (!kernelOf(r.engine)) throw new ConfigError(`engine "${r.engine}" is not usable here: ${loadErrors.get(keyOf(r.engine, r)) ?? "unknown reason"}.`);
  }
  return rnnEngine();
}

/** The `engine` kernel for the current options (loading it on first use), or null when it cannot load. */
function kernelOf(engine: KernelEngine): RnnKernel | null {
  const o = current();
  const key = keyOf(engine, o);
  const have = loaded.get(key);
  if (have) return have;
  if (loadErrors.has(key)) return null;
  try {
    const v = o.variant;
    let k: RnnKernel;
    if (engine === "native") {
      if (v !== null && v !== "avx512" && v !== "avx2") throw new Error(`variant "${v}" is a wasm build`);
      k = loadNativeKernel({ threads: o.threads, ...(v ? { variant: v } : {}) });
    } else {
      if (v !== null && v !== "relaxed-simd" && v !== "simd") throw new Error(`variant "${v}" is a native build`);
      k = RnnKernel.load({ threads: o.threads, ...(v ? { variant: v } : {}) });
    }
    loaded.set(key, k);
    return k;
  } catch (e) {
    loadErrors.set(key, e instanceof Error ? e.message : String(e));
    return null;
  }
}

/**
 * The kernel for the current options: the forced engine's, or for "auto" the native one where it
 * loads (or where a native variant is forced), else the wasm one.
 */
function kernel(): { k: RnnKernel; engine: KernelEngine } | { k: null; why: string } {
  const o = current();
  const order: KernelEngine[] =
    o.engine === "native" || o.engine === "wasm" ? [o.engine] : o.variant !== null ? [engineOfVariant(o.variant)] : ["native", "wasm"];
  const why: string[] = [];
  for (const e of order) {
    const k = kernelOf(e);
    if (k) return { k, engine: e };
    why.push(`${e} kernel unavailable: ${loadErrors.get(keyOf(e, o)) ?? "unknown"}`);
  }
  return { k: null, why: why.join("; ") };
}

/** The kernel the fused layers should run on now, or null for the tf-op engine. */
export function activeKernel(): RnnKernel | null {
  const o = current();
  if (o.engine === "tf") return null;
  if (o.engine === "auto" && !["wasm", "cpu"].includes(tf.getBackend())) return null;
  return kernel().k;
}

/**
 * Which engine the fused layers use now, and why.
 * @example
 * await ready();
 * rnnEngine().engine // which engine the fused layers run on
 */
export function rnnEngine(): RnnEngineInfo {
  const o = current();
  if (o.engine === "tf") {
    return { engine: "tf", variant: null, threads: 1, reason: 'engine "tf" (TensorFlow.js ops, the reference; engine "auto", the default, runs the native or wasm kernel)' };
  }
  const backend = tf.getBackend();
  if (o.engine === "auto" && !["wasm", "cpu"].includes(backend)) {
    const why = backend ? `backend ${backend} runs its own kernels` : "no TensorFlow.js backend yet (await ready())";
    return { engine: "tf", variant: null, threads: 1, reason: why };
  }
  const got = kernel();
  if (!got.k) return { engine: "tf", variant: null, threads: 1, reason: got.why };
  let why = o.engine !== "auto" ? `chosen (engine "${o.engine}")` : `engine "auto" on the ${backend} backend`;
  // Say why "auto" passed over the native kernel.
  if (o.engine === "auto" && got.engine === "wasm" && o.variant === null) why += `; native kernel unavailable: ${loadErrors.get(keyOf("native", o)) ?? "unknown"}`;
  return { engine: got.engine, variant: got.k.variant, threads: got.k.threads, reason: why };
}

/**
 * One line for logs and notebooks, like describeBackend.
 *
 * @example
 * describeRnnEngine(); // 'native kernel (avx512, 2 threads; engine "auto" on the wasm backend)'
 */
export function describeRnnEngine(info: RnnEngineInfo = rnnEngine()): string {
  if (info.engine === "tf") return `tf ops (${info.reason})`;
  return `${info.engine} kernel (${info.variant}, ${info.threads} thread${info.threads > 1 ? "s" : ""}; ${info.reason})`;
}

/**
 * Which engine runs the fused LSTM/GRU layers: the WebAssembly SIMD kernel ("wasm") or TensorFlow.js
 * ops ("tf", the reference implementation in lstm-sequence.ts / gru-sequence.ts).
 *
 * Default "auto": the wasm kernel on the wasm and cpu backends when it loads and validates, tf ops
 * otherwise (tfjs-node has its own native kernels). Both engines pass the same equality tests against
 * tf.layers; the kernel trains several times faster (bench/wasm.ts). "wasm" insists, "tf" opts out.
 * `LSTM_LAB_RNN_ENGINE=tf|wasm|auto` and `LSTM_LAB_RNN_THREADS=n` set the defaults from the
 * environment; `setRnnEngine` overrides them.
 */
import * as tf from "@tensorflow/tfjs";
import { availableParallelism } from "node:os";
import { ConfigError } from "../../errors.js";
import { oneOf, positiveInt } from "../../validate.js";
import { RnnKernel, type KernelVariant } from "./rnn-kernel.js";

/** "auto": wasm where it helps and loads, else tf; "wasm" or "tf" force one. */
export type RnnEngineChoice = "auto" | "wasm" | "tf";
/** The engine choices, for validation and messages. */
export const RNN_ENGINES: readonly RnnEngineChoice[] = ["auto", "wasm", "tf"];

/** Options of setRnnEngine. */
export interface RnnEngineOptions {
  /** "auto" uses wasm on the wasm/cpu backends when it loads; "wasm" insists (errors if unusable); "tf" uses TensorFlow.js ops (the reference). @default "auto" (or LSTM_LAB_RNN_ENGINE) */
  engine?: RnnEngineChoice;
  /** Threads the wasm kernel splits each batch over. @default os.availableParallelism() (or LSTM_LAB_RNN_THREADS) */
  threads?: number;
  /** Force one build of the kernel; by default relaxed SIMD when the runtime validates it, else SIMD. @default null */
  variant?: KernelVariant | null;
}

/** What runs the fused layers now, for describeBackend-like reporting. */
export interface RnnEngineInfo {
  /** The engine the next fused-layer call uses. */
  readonly engine: "wasm" | "tf";
  /** The kernel build when the engine is wasm. */
  readonly variant: KernelVariant | null;
  /** Threads of the wasm kernel (1 for tf). */
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

const keyOf = (o: Required<RnnEngineOptions>): string => `${o.threads}/${o.variant ?? "best"}`;

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
  if (r.variant !== null) oneOf("variant", r.variant, ["relaxed-simd", "simd"] as const);
  options = r;
  if (r.engine === "wasm" && !kernel()) {
    throw new ConfigError(`engine "wasm" is not usable here: ${loadErrors.get(keyOf(r)) ?? "unknown reason"}.`);
  }
  return rnnEngine();
}

/** The kernel for the current options (loading it on first use), or null when it cannot load. */
function kernel(): RnnKernel | null {
  const o = current();
  const key = keyOf(o);
  const have = loaded.get(key);
  if (have) return have;
  if (loadErrors.has(key)) return null;
  try {
    const k = RnnKernel.load({ threads: o.threads, ...(o.variant ? { variant: o.variant } : {}) });
    loaded.set(key, k);
    return k;
  } catch (e) {
    loadErrors.set(key, e instanceof Error ? e.message : String(e));
    return null;
  }
}

/** The kernel the fused layers should run on now, or null for the tf-op engine. */
export function activeKernel(): RnnKernel | null {
  const o = current();
  if (o.engine === "tf") return null;
  if (o.engine === "auto" && !["wasm", "cpu"].includes(tf.getBackend())) return null;
  return kernel();
}

/** Which engine the fused layers use now, and why. */
export function rnnEngine(): RnnEngineInfo {
  const o = current();
  if (o.engine === "tf") {
    return { engine: "tf", variant: null, threads: 1, reason: 'engine "tf" (TensorFlow.js ops, the reference; engine "auto", the default, runs the wasm kernel)' };
  }
  const backend = tf.getBackend();
  if (o.engine === "auto" && !["wasm", "cpu"].includes(backend)) {
    const why = backend ? `backend ${backend} runs its own kernels` : "no TensorFlow.js backend yet (await ready())";
    return { engine: "tf", variant: null, threads: 1, reason: why };
  }
  const k = kernel();
  if (!k) return { engine: "tf", variant: null, threads: 1, reason: `wasm kernel unavailable: ${loadErrors.get(keyOf(o)) ?? "unknown"}` };
  const why = o.engine === "wasm" ? "chosen (engine \"wasm\")" : `engine "auto" on the ${backend} backend`;
  return { engine: "wasm", variant: k.variant, threads: k.threads, reason: why };
}

/**
 * One line for logs and notebooks, like describeBackend.
 *
 * @example
 * describeRnnEngine(); // 'wasm kernel (relaxed-simd, 2 threads; engine "auto" on the wasm backend)'
 */
export function describeRnnEngine(info: RnnEngineInfo = rnnEngine()): string {
  if (info.engine === "tf") return `tf ops (${info.reason})`;
  return `wasm kernel (${info.variant}, ${info.threads} thread${info.threads > 1 ? "s" : ""}; ${info.reason})`;
}

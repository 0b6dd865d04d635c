/**
 * Picks the TensorFlow.js backend on first use: tfjs-node-gpu if it loads, else tfjs-node if
 * the user installed it, else wasm, else cpu. `LSTM_LAB_BACKEND=tensorflow|wasm|cpu` forces one.
 * A broken optional backend is explained in one line, never a stack dump.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { registerWasmKernels } from "./wasm-kernels.js";

/** A TensorFlow.js backend lstm-lab can pick: native TensorFlow, WebAssembly or pure JS. */
export type BackendName = "tensorflow" | "wasm" | "cpu";
export const BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

/** Which TensorFlow.js backend runs and why it was chosen, as {@link backendInfo} reports it. */
export interface BackendInfo {
  /** The TensorFlow.js backend in use. */
  readonly name: BackendName;
  /** The npm package that provides it. */
  readonly package: string;
  /** Whether it runs on a GPU. */
  readonly gpu: boolean;
  /** Why this one was chosen, in one line, e.g. "tfjs-node-gpu not installed". */
  readonly reason: string;
}

let chosen: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

/** First line of an error message, without the stack. */
function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split("\n")[0] ?? "").trim().slice(0, 160);
}

type LoadResult = { ok: true } | { ok: false; why: string };

function tryRequire(pkg: string): LoadResult {
  try {
    require.resolve(pkg);
  } catch {
    return { ok: false, why: `${pkg.replace("@tensorflow/", "")} not installed` };
  }
  try {
    require(pkg);
    return { ok: true };
  } catch (e) {
    return { ok: false, why: `${pkg.replace("@tensorflow/", "")} failed to load: ${firstLine(e)}` };
  }
}

type ProcessEvent = "uncaughtException" | "unhandledRejection";
const PROCESS_EVENTS: readonly ProcessEvent[] = ["uncaughtException", "unhandledRejection"];

/**
 * Runs `fn` and then removes the process-wide error handlers it added. The wasm backend's
 * Emscripten module installs handlers that rethrow: in a kernel that turns an error thrown in a
 * user's timer into a crash of the whole kernel, and in a script it prints the module's whole
 * minified source instead of the error.
 */
async function withoutNewErrorHandlers<T>(fn: () => Promise<T>): Promise<T> {
  // Through the EventEmitter interface: Node's typings of process overload these by event name.
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(PROCESS_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  try {
    return await fn();
  } finally {
    for (const e of PROCESS_EVENTS) {
      for (const l of emitter.listeners(e)) {
        if (!before.get(e)?.has(l)) emitter.removeListener(e, l as (...args: unknown[]) => void);
      }
    }
  }
}

async function activate(name: BackendName): Promise<boolean> {
  try {
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

async function pick(): Promise<BackendInfo> {
  const forced = process.env["LSTM_LAB_BACKEND"]?.trim();
  if (forced !== undefined && forced !== "" && !(BACKENDS as readonly string[]).includes(forced)) {
    throw new ConfigError(
      `Unknown LSTM_LAB_BACKEND ${JSON.stringify(forced)}. Choose one of: ${BACKENDS.join(", ")}.`,
    );
  }
  const notes: string[] = [];
  if (forced === undefined || forced === "" || forced === "tensorflow") {
    for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
      const r = tryRequire(pkg);
      if (r.ok && (await activate("tensorflow"))) {
        const gpu = pkg.endsWith("-gpu");
        const why = forced === "tensorflow" ? "forced by LSTM_LAB_BACKEND" : notes.length ? notes.join("; ") : "native TensorFlow found";
        return { name: "tensorflow", package: pkg, gpu, reason: why };
      }
      notes.push(r.ok ? `${pkg.replace("@tensorflow/", "")} loaded but did not initialise` : r.why);
    }
    if (forced === "tensorflow") {
      throw new ConfigError(`LSTM_LAB_BACKEND="tensorflow" but no native backend works: ${notes.join("; ")}.`);
    }
  }
  if (forced === undefined || forced === "" || forced === "wasm") {
    try {
      const ok = await withoutNewErrorHandlers(async () => {
        require("@tensorflow/tfjs-backend-wasm");
        registerWasmKernels();
        return activate("wasm");
      });
      if (ok) {
        return {
          name: "wasm",
          package: "@tensorflow/tfjs-backend-wasm",
          gpu: false,
          reason: forced === "wasm" ? "forced by LSTM_LAB_BACKEND" : notes.join("; "),
        };
      }
      notes.push("wasm did not initialise");
    } catch (e) {
      notes.push(`tfjs-backend-wasm failed to load: ${firstLine(e)}`);
    }
    if (forced === "wasm") throw new ConfigError(`LSTM_LAB_BACKEND="wasm" but ${notes[notes.length - 1]}.`);
  }
  if (!(await activate("cpu"))) throw new ConfigError("No TensorFlow.js backend could be initialised.");
  return {
    name: "cpu",
    package: "@tensorflow/tfjs-backend-cpu",
    gpu: false,
    reason: forced === "cpu" ? "forced by LSTM_LAB_BACKEND" : notes.join("; "),
  };
}

/**
 * Makes sure a backend is chosen and active; call (and await) before building models.
 * Safe to call many times: the choice is made once per process.
 * @example
 * await ready();
 * console.log(describeBackend()); // e.g. "wasm (tfjs-node-gpu not installed; tfjs-node not installed)"
 */
export async function ready(): Promise<BackendInfo> {
  if (chosen && tf.getBackend() === chosen.name) return chosen;
  pending ??= pick().then((info) => {
    chosen = info;
    return info;
  });
  try {
    return await pending;
  } finally {
    pending = null;
  }
}

/**
 * The backend chosen so far, or null before `ready()` resolved.
 * @example
 * await ready();
 * backendInfo()?.name // "wasm" where no native TensorFlow is installed
 */
export function backendInfo(): BackendInfo | null {
  return chosen;
}

/**
 * One line: what was chosen and why, e.g. `wasm (tfjs-node-gpu not installed; tfjs-node not installed)`.
 * @example
 * await ready();
 * describeBackend()
 */
export function describeBackend(info: BackendInfo | null = chosen): string {
  if (!info) return "no backend chosen yet (await ready() first)";
  const base = info.name === "tensorflow" ? `tensorflow (${info.package}${info.gpu ? ", GPU" : ""})` : info.name;
  return info.reason ? `${base} (${info.reason})` : base;
}

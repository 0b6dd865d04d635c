/**
 * lstm-lab: the public surface. Everything a notebook imports comes from here.
 */
import * as tf from "@tensorflow/tfjs";

export { tf };
export * from "./errors.js";
export { Rng } from "./rng.js";
export { ready, backendInfo, describeBackend } from "./backend/index.js";
export type { BackendInfo, BackendName } from "./backend/index.js";
export { kernelHost, interruptSignal, interruptRequested, installKernelHost } from "./host.js";
export type { KernelHost, MimeBundle, DisplayOptions } from "./host.js";
export { display, mimeBundleOf, MIME_BUNDLE } from "./display.js";
export type { Displayable } from "./display.js";

export * from "./data/index.js";
export * from "./models/index.js";
export * from "./training/index.js";
export * from "./eval/index.js";
export * from "./tuning/index.js";
export * from "./plots/index.js";

/** The engine behind the fused LSTM/GRU layers on wasm/cpu: TensorFlow.js ops or our WebAssembly SIMD kernel. */
export { setRnnEngine, rnnEngine, describeRnnEngine, RNN_ENGINES } from "./models/wasm/index.js";
export type { RnnEngineChoice, RnnEngineInfo, RnnEngineOptions } from "./models/wasm/index.js";

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

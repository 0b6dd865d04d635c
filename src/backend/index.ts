export { ready, backendInfo, describeBackend, BACKENDS } from "./select.js";
export type { BackendInfo, BackendName } from "./select.js";

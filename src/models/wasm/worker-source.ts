/**
 * The worker thread's script, run with `new Worker(WORKER_SOURCE, { eval: true })` so it needs no file
 * path (the same code runs from src/ under tsx and from dist/). Each worker instantiates the compiled
 * kernel on the shared memory and then loops: wait for a new job sequence number, claim parts of the
 * job with Atomics.add until none is left, count each finished part and wake the caller on the last.
 *
 * Control block (Int32Array over a SharedArrayBuffer), see ThreadPool:
 *   [0] job sequence  [1] function index  [2] argument count  [3] next part  [4] parts done
 *   [5] parts  [6] a part failed  [8 ...] arguments (all i32: sizes, flags, byte offsets)
 */
export const WORKER_SOURCE = `
"use strict";
const { workerData } = require("node:worker_threads");
const { module, memory, ctrl: sab, names } = workerData;
const ctrl = new Int32Array(sab);
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((n) => instance.exports[n]);
// After a job, spin briefly before sleeping: a backward's calls come back to back, and waking from
// Atomics.wait costs tens of microseconds each time. Brief, so a busy machine loses little to it.
const SPIN_MS = 0.1;
let seen = 0;
for (;;) {
  if (Atomics.load(ctrl, 0) === seen) {
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(ctrl, 0) === seen && performance.now() < until);
  }
  Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  for (;;) {
    const parts = Atomics.load(ctrl, 5);
    const part = Atomics.add(ctrl, 3, 1);
    if (part >= parts) break;
    const n = ctrl[2];
    const args = new Array(n + 2);
    for (let i = 0; i < n; i++) args[i] = ctrl[8 + i];
    args[n] = part;
    args[n + 1] = parts;
    try {
      fns[ctrl[1]](...args);
    } catch (e) {
      // Count the part anyway so the caller never waits forever; it sees the failure flag.
      Atomics.store(ctrl, 6, 1);
    }
    if (Atomics.add(ctrl, 4, 1) + 1 === parts) Atomics.notify(ctrl, 4);
  }
}
`;

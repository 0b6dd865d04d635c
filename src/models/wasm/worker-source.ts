/**
 * The worker thread's script, run with `new Worker(WORKER_SOURCE, { eval: true })` so it needs no file
 * path (the same code runs from src/ under tsx and from dist/). Each worker instantiates the compiled
 * kernel on the shared memory and then loops: wait for the job sequence to move, claim parts of the
 * open job until none is left, count each finished part and wake the caller on the last.
 *
 * The protocol (see ThreadPool) keeps one invariant: a part runs only if it was claimed from the job
 * that is open at that moment. A claim is one compare-and-swap on a word holding both the job's part
 * count and its next part, so a worker cannot pair one job's part count with another job's part (the
 * race the old separate "parts" word and Atomics.add allowed: a late worker ran part 0 of 4 of a
 * 2-part job, leaving columns stale or waiting for a part that was never counted). BUSY counts the
 * workers inside the claim loop, so a caller that abandoned a job (kernel interrupt) can close it and
 * wait for the parts still running before it reuses their memory.
 */

/** Int32 slots of the control block (a SharedArrayBuffer) the caller and the workers share. */
export const CTRL = {
  /** Job sequence number: bumped for every job; workers sleep on it. */
  SEQ: 0,
  /** Index of the kernel function to run. */
  FN: 1,
  /** Number of arguments before (part, parts). */
  ARGC: 2,
  /** The claim word: parts << 16 | next part. 0 (no parts) when no job is open. */
  CLAIM: 3,
  /** Parts finished in the open job; the caller sleeps on it. */
  DONE: 4,
  /** Workers inside the claim loop (claiming or running a part). */
  BUSY: 5,
  /** Set when a part threw (a trap). */
  FAILED: 6,
  /** Set while the caller sleeps until BUSY is 0 (ThreadPool.settle), so only then the last worker out wakes it. */
  SETTLING: 7,
  /** First argument; the arguments follow (all i32: sizes, flags, byte offsets). */
  ARGS: 8,
  /** Parts per job: the part index has 16 bits in the claim word and the count 15. */
  MAX_PARTS: 0x7fff,
} as const;

export const WORKER_SOURCE = `
"use strict";
const { workerData } = require("node:worker_threads");
const { module, memory, ctrl: sab, names } = workerData;
const ctrl = new Int32Array(sab);
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((n) => instance.exports[n]);
const SEQ = ${CTRL.SEQ}, FN = ${CTRL.FN}, ARGC = ${CTRL.ARGC}, CLAIM = ${CTRL.CLAIM}, DONE = ${CTRL.DONE};
const BUSY = ${CTRL.BUSY}, FAILED = ${CTRL.FAILED}, SETTLING = ${CTRL.SETTLING}, ARGS = ${CTRL.ARGS};
// After a job, spin briefly before sleeping: a backward's calls come back to back, and waking from
// Atomics.wait costs tens of microseconds each time. Brief, so a busy machine loses little to it.
const SPIN_MS = 0.1;
let seen = 0;
for (;;) {
  if (Atomics.load(ctrl, SEQ) === seen) {
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(ctrl, SEQ) === seen && performance.now() < until);
  }
  Atomics.wait(ctrl, SEQ, seen);
  seen = Atomics.load(ctrl, SEQ);
  Atomics.add(ctrl, BUSY, 1);
  for (;;) {
    const w = Atomics.load(ctrl, CLAIM);
    const parts = w >>> 16, part = w & 0xffff;
    if (part >= parts) break;
    // The word still holds (parts, part): this is part \`part\` of the job open now, whose function
    // and arguments stay put until every part is counted or the caller closed it and saw BUSY at 0.
    if (Atomics.compareExchange(ctrl, CLAIM, w, w + 1) !== w) continue;
    const n = ctrl[ARGC];
    const args = new Array(n + 2);
    for (let i = 0; i < n; i++) args[i] = ctrl[ARGS + i];
    args[n] = part;
    args[n + 1] = parts;
    try {
      fns[ctrl[FN]](...args);
    } catch (e) {
      // Count the part anyway so the caller never waits forever; it sees the failure flag.
      Atomics.store(ctrl, FAILED, 1);
    }
    if (Atomics.add(ctrl, DONE, 1) + 1 === parts) Atomics.notify(ctrl, DONE);
  }
  if (Atomics.sub(ctrl, BUSY, 1) === 1 && Atomics.load(ctrl, SETTLING)) Atomics.notify(ctrl, BUSY);
}
`;

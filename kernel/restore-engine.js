// @ts-check
"use strict";
/**
 * Puts TensorFlow.js's engine back in order after SIGINT broke into a synchronous cell in the middle
 * of a tf call. vm's breakOnSigint ends the script the way V8 terminates it: no `finally` block runs,
 * so the engine keeps what tidy() and kernel calls would have undone on the way out:
 *  - open tidy() scopes: every later tensor is tracked by a scope that never closes (a leak);
 *  - a raised kernel depth (and gradient depth): the gradient tape then never records again, and the
 *    next train() fails with "Cannot find a connection between any variable and the result of the
 *    loss function".
 * Between cells the engine has no open scope, no kernel running and no tape, so that is restored;
 * the open scopes' tensors (made inside a tidy() that never returned, not kept) are disposed, as
 * tidy() would have done. The engine is the global TensorFlow.js registers itself on, so the kernel
 * needs no import of it, and does nothing when it was never loaded.
 *
 * The WebAssembly backend's stack pointer is put back too: a call cut short never ran the epilogue
 * that pops its frame, so each such break would leave the stack lower, until a later call runs off its
 * end ("memory access out of bounds" in a cell that was never interrupted). Its height between calls
 * is noted at the start of every cell (markWasmStack).
 *
 * What cannot be put back is a WebAssembly heap cut short in the middle of a call (an allocation
 * half made): a small matrix product then checks the backend, and the caller tells the user to
 * restart when it fails.
 * @returns {{ closedScopes: number, broken: string | null }} `broken`: why the backend failed its check
 */
function restoreEngine() {
  const engine = /** @type {any} */ (globalThis)._tfengine;
  if (!engine || !engine.state || !Array.isArray(engine.state.scopeStack)) return { closedScopes: 0, broken: null };
  const wasm = wasmModule(engine);
  const top = wasm ? idleStack.get(wasm) : undefined;
  if (wasm && top !== undefined) wasm.stackRestore(top);
  const state = engine.state;
  state.kernelDepth = 0;
  state.gradientDepth = 0;
  state.activeTape = null;
  state.numDataMovesStack = [];
  let closed = 0;
  while (state.scopeStack.length > 0) {
    try {
      engine.endScope();
    } catch {
      // a tensor that cannot be disposed twice: drop the scope without it
      state.scopeStack.pop();
      state.activeScope = state.scopeStack[state.scopeStack.length - 1] ?? null;
    }
    closed++;
  }
  return { closedScopes: closed, broken: check(engine) };
}

/**
 * The Emscripten module of the active WebAssembly backend (it has stackSave and stackRestore), or null
 * on another backend or before TensorFlow.js has one.
 * @param {any} engine
 * @returns {{ stackSave(): number, stackRestore(sp: number): void } | null}
 */
function wasmModule(engine) {
  const wasm = engine && engine.backendInstance && engine.backendInstance.wasm;
  return wasm && typeof wasm.stackSave === "function" && typeof wasm.stackRestore === "function" ? wasm : null;
}

/** Per module: the stack pointer between calls, the highest seen (the stack grows down). */
const idleStack = new WeakMap();

/**
 * Notes the WebAssembly backend's stack pointer before a cell runs, when no call of it is under way;
 * restoreEngine puts it back after a break. Does nothing when TensorFlow.js is not loaded or not on wasm.
 */
function markWasmStack() {
  const wasm = wasmModule(/** @type {any} */ (globalThis)._tfengine);
  if (!wasm) return;
  const sp = wasm.stackSave();
  const seen = idleStack.get(wasm);
  if (seen === undefined || sp > seen) idleStack.set(wasm, sp);
}

/**
 * A 2×2 matrix product on the active backend, read back: null when right, else what went wrong.
 * @param {any} engine TensorFlow.js's engine, reached through its global (no import of tfjs here)
 * @returns {string | null}
 */
function check(engine) {
  const made = [];
  try {
    const a = engine.makeTensor(new Float32Array([1, 2, 3, 4]), [2, 2], "float32");
    made.push(a);
    const c = engine.runKernel("BatchMatMul", { a, b: a }, { transposeA: false, transposeB: false });
    made.push(c);
    const got = Array.from(c.dataSync());
    return got.join() === "7,10,15,22" ? null : `a 2×2 matrix product gave ${got.join(", ")}`;
  } catch (e) {
    return String((e && /** @type {{ message?: unknown }} */ (e).message) || e);
  } finally {
    for (const t of made) {
      try {
        t.dispose();
      } catch {
        // a tensor of a damaged backend: nothing more to free
      }
    }
  }
}

module.exports = { markWasmStack, restoreEngine };

/** Shared helpers for the wasm engine tests. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { kernelDir } from "../../../src/models/wasm/index.js";

/** Builds the kernels (npm run build:wasm) when a fresh clone runs the tests before any build. */
export function ensureKernelBuilt(): void {
  const dir = kernelDir();
  if (existsSync(join(dir, "rnn-simd.wasm")) && existsSync(join(dir, "rnn-relaxed.wasm"))) return;
  const r = spawnSync("npm", ["run", "-s", "build:wasm"], { cwd: join(dir, "..", ".."), stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm run build:wasm failed with ${r.status ?? r.signal}`);
}

/** Deterministic values in [-s, s] (a fixed formula, so tests need no generator). */
export function wave(n: number, seed: number, s = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = s * Math.sin(1.7 * i + seed * 0.37 + Math.cos(0.3 * i * seed));
  return out;
}

/** Shared helpers for the wasm engine tests. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadNativeKernel, nativeAddonFile } from "../../../src/models/native/native-kernel.js";
import { kernelDir, RnnKernel, type KernelVariant } from "../../../src/models/wasm/index.js";

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

/** A build of the recurrent kernel the shared numerical suites run against. */
export interface KernelUnderTest {
  /** "wasm relaxed-simd", "native avx512", ... */
  readonly name: string;
  readonly variant: KernelVariant;
  load(threads: number): RnnKernel;
}

/** Builds the native addon (npm run build:native) when a fresh clone runs the tests before any build. */
export function ensureNativeBuilt(): void {
  if (existsSync(nativeAddonFile())) return;
  const r = spawnSync(process.execPath, [join(kernelDir(), "..", "..", "scripts", "build-native.mjs")], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm run build:native failed with ${r.status ?? r.signal}`);
}

/**
 * Every kernel build this machine runs: both wasm builds, and the native AVX-512 and AVX2 builds where
 * the addon is built for this platform and the CPU has the instructions. The wasm and native kernels
 * are two sources (AssemblyScript, C++), so the same suites run against each.
 */
export function kernelsUnderTest(): KernelUnderTest[] {
  ensureKernelBuilt();
  ensureNativeBuilt();
  const out: KernelUnderTest[] = (["relaxed-simd", "simd"] as const).map((variant) => ({
    name: `wasm ${variant}`,
    variant,
    load: (threads: number) => RnnKernel.load({ threads, variant }),
  }));
  for (const variant of ["avx512", "avx2"] as const) {
    try {
      void loadNativeKernel({ threads: 1, variant }).close();
    } catch {
      continue; // not built for this platform, or the CPU lacks the instruction set
    }
    out.push({ name: `native ${variant}`, variant, load: (threads: number) => loadNativeKernel({ threads, variant }) });
  }
  return out;
}

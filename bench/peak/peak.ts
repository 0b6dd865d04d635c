/**
 * The machine's physical ceiling for the recurrent benchmarks: the single-precision FMA rate of
 * bench/peak/fma.c (independent register FMA chains, no memory traffic), compiled with the system's
 * C compiler into a temporary folder for each vector ISA the CPU's flags in /proc/cpuinfo allow
 * (avx512f, avx2 + fma, SSE2 as the fallback) and run on 1 and 2 threads.
 *
 *   node --import tsx bench/peak/peak.ts     # prints the figures
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One measured FMA rate. */
export interface PeakRun {
  /** "avx512f", "avx2+fma" or "sse2". */
  isa: string;
  threads: number;
  /** Single-precision GFLOP/s, a multiply-add counted as two. */
  gflops: number;
}

/** Every ISA's rate at every thread count asked, and the best per thread count. */
export interface MachinePeak {
  runs: PeakRun[];
  /** The highest rate on `threads` threads over the ISAs measured (undefined when not measured). */
  best(threads: number): PeakRun | undefined;
}

/** Compiler flags per ISA, widest first; an ISA is measured when the CPU has every listed flag. */
const ISAS: { isa: string; cpuFlags: string[]; ccFlags: string[] }[] = [
  { isa: "avx512f", cpuFlags: ["avx512f", "fma"], ccFlags: ["-mavx512f", "-mfma"] },
  { isa: "avx2+fma", cpuFlags: ["avx2", "fma"], ccFlags: ["-mavx2", "-mfma"] },
  { isa: "sse2", cpuFlags: ["sse2"], ccFlags: [] },
];

/** The CPU's feature flags (the first "flags" line of /proc/cpuinfo), empty where there is none. */
export function cpuFlags(): Set<string> {
  let text = "";
  try {
    text = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return new Set();
  }
  const line = text.split("\n").find((l) => l.startsWith("flags"));
  return new Set((line?.split(":")[1] ?? "").trim().split(/\s+/));
}

/**
 * Measures the FMA peak on each of `threadCounts` for every ISA the CPU supports (SSE2 only when
 * neither wider one is), or says in one line why it cannot (no x86 flags, no C compiler).
 */
export function measurePeak(threadCounts: readonly number[] = [1, 2]): MachinePeak | string {
  const flags = cpuFlags();
  const wide = ISAS.filter((i) => i.isa !== "sse2" && i.cpuFlags.every((f) => flags.has(f)));
  const isas = wide.length > 0 ? wide : ISAS.filter((i) => i.isa === "sse2" && flags.has("sse2"));
  if (isas.length === 0) return "FMA peak: no x86 vector flags in /proc/cpuinfo; not measured";
  const dir = mkdtempSync(join(tmpdir(), "lstm-lab-peak-"));
  try {
    const runs: PeakRun[] = [];
    for (const { isa, ccFlags } of isas) {
      const exe = join(dir, `fma-${isa.replace("+", "-")}`);
      const cc = spawnSync("cc", ["-O2", ...ccFlags, "-pthread", join(__dirname, "fma.c"), "-o", exe], { encoding: "utf8" });
      if (cc.status !== 0) return `FMA peak: cc ${ccFlags.join(" ")} failed (${cc.error?.message ?? cc.stderr.trim().split("\n")[0]}); not measured`;
      for (const threads of threadCounts) {
        const run = spawnSync(exe, [String(threads)], { encoding: "utf8" });
        if (run.status !== 0) return `FMA peak: ${exe} ${threads} exited with ${run.status ?? run.signal}; not measured`;
        runs.push(JSON.parse(run.stdout) as PeakRun);
      }
    }
    return {
      runs,
      best: (threads) => runs.filter((r) => r.threads === threads).sort((a, b) => b.gflops - a.gflops)[0],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line: every ISA's GFLOP/s per thread count. */
export function describePeak(peak: MachinePeak | string): string {
  if (typeof peak === "string") return peak;
  const isas = [...new Set(peak.runs.map((r) => r.isa))];
  const parts = isas.map((isa) => `${isa} ${peak.runs.filter((r) => r.isa === isa).map((r) => `${r.threads} thread${r.threads > 1 ? "s" : ""} ${r.gflops.toFixed(1)}`).join(", ")}`);
  return `machine FMA peak (native register FMA loop, fp32 GFLOP/s): ${parts.join("; ")}`;
}

if (require.main === module) console.log(describePeak(measurePeak()));

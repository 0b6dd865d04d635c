/**
 * Kernel benchmark: the lstm-lab kernel against stock tslab (node_modules/tslab, started the way
 * `tslab install` registers it), side by side through Jupyter's own client: cold start to the
 * first kernel_info reply, and a trivial cell's round trip (execute_request → idle), median of 20
 * per round. The two kernels alternate round by round. Targets (issue 13): cold start within
 * tslab's + 1.5 s; trivial cell at most 10 ms.
 * Run: node --import tsx bench/kernel.ts [rounds]   (needs Debian's /usr/bin/python3 with jupyter_client)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const PYTHON = "/usr/bin/python3";
const ROUNDS = Number(process.argv[2] ?? 5);
const CELLS = 20;
const OURS = "lstm-lab";
const TSLAB = "tslab-stock";

interface Timings {
  start_ms: number[];
  cell_ms: number[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const dataDir = mkdtempSync(join(tmpdir(), "lstm-lab-bench-kernel-"));
try {
  const env = { ...process.env, JUPYTER_DATA_DIR: dataDir, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  const install = spawnSync(process.execPath, [join(ROOT, "kernel", "install.js")], { env, encoding: "utf8" });
  if (install.status !== 0) throw new Error(`kernel install failed: ${install.stderr}`);
  const tslabDir = join(dataDir, "kernels", TSLAB);
  mkdirSync(tslabDir, { recursive: true });
  writeFileSync(
    join(tslabDir, "kernel.json"),
    JSON.stringify({
      argv: [process.execPath, join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: "tslab (stock)",
      language: "typescript",
    }),
  );

  const r = spawnSync(PYTHON, ["-X", "frozen_modules=off", join(__dirname, "kernel_client.py"), join(ROOT, "notebooks"), String(ROUNDS), String(CELLS), OURS, TSLAB], {
    env,
    encoding: "utf8",
    timeout: 30 * 60_000,
  });
  if (r.status !== 0) throw new Error(`bench/kernel_client.py failed (${r.status ?? r.signal}): ${r.stderr}`);
  const t = JSON.parse(r.stdout.trim().split("\n").pop() as string) as Record<string, Timings>;
  const ours = t[OURS] as Timings;
  const base = t[TSLAB] as Timings;

  const rows: [string, number, number, string][] = [
    [`cold start → first kernel_info reply (median of ${ROUNDS})`, median(ours.start_ms), median(base.start_ms), "target: ≤ tslab + 1500 ms"],
    [`trivial cell "1 + 1" round trip (median of ${ours.cell_ms.length})`, median(ours.cell_ms), median(base.cell_ms), "target: ≤ 10 ms"],
  ];
  console.log(`kernel: lstm-lab vs stock tslab ${require("tslab/package.json").version}, ${ROUNDS} alternating rounds`);
  console.log(`${"".padEnd(58)} ${"lstm-lab".padStart(10)} ${"tslab".padStart(10)} ${"ratio".padStart(7)}`);
  for (const [name, a, b, note] of rows) {
    console.log(`${name.padEnd(58)} ${`${a.toFixed(1)} ms`.padStart(10)} ${`${b.toFixed(1)} ms`.padStart(10)} ${(a / b).toFixed(2).padStart(7)}  ${note}`);
  }
  const startGap = median(ours.start_ms) - median(base.start_ms);
  console.log(`cold start: lstm-lab − tslab = ${startGap.toFixed(0)} ms (${startGap <= 1500 ? "within" : "over"} the 1500 ms allowance)`);
  console.log(`trivial cell: ${median(ours.cell_ms).toFixed(1)} ms (${median(ours.cell_ms) <= 10 ? "within" : "over"} the 10 ms target)`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

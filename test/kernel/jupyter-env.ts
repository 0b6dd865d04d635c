/**
 * Shared setup for tests that talk to the real kernel through Jupyter: Debian's Python with
 * Jupyter, and the lstm-lab kernelspec installed into a temporary JUPYTER_DATA_DIR so tests never
 * touch the user's own Jupyter configuration.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");
/** Debian's interpreter; the `python3` first on PATH may be another one without Jupyter. */
export const PYTHON = "/usr/bin/python3";

export function requireJupyter(): void {
  const r = spawnSync(PYTHON, ["-c", "import jupyter_client, nbclient, nbconvert, jupyter_kernel_test"], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(
      `${PYTHON} lacks Jupyter (${(r.stderr || String(r.error)).trim().split("\n").pop()}). Install it with: ` +
        "apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook python3-jupyter-kernel-test",
    );
  }
  if (!existsSync(join(ROOT, "dist", "src", "index.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does).");
}

/** Installs the kernel into a fresh data dir and returns the environment that points Jupyter at it. */
export function kernelEnv(): NodeJS.ProcessEnv {
  const dataDir = mkdtempSync(join(tmpdir(), "lstm-lab-jupyter-"));
  const env = { ...process.env, JUPYTER_DATA_DIR: dataDir, LSTM_LAB_ROOT: ROOT, PYDEVD_DISABLE_FILE_VALIDATION: "1" };
  const r = spawnSync(process.execPath, [join(ROOT, "kernel", "install.js")], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`kernel install failed: ${r.stderr}`);
  return env;
}

export interface UnittestRun {
  status: number | null;
  output: string;
  ran: number;
  skipped: number;
  ok: boolean;
}

/** Runs a Python unittest file and reads its summary. */
export function runUnittest(file: string, env: NodeJS.ProcessEnv, timeoutMs = 600_000): UnittestRun {
  const r = spawnSync(PYTHON, ["-X", "frozen_modules=off", file], { env, encoding: "utf8", timeout: timeoutMs, cwd: ROOT });
  const output = `${r.stdout}\n${r.stderr}`;
  const ran = Number(/Ran (\d+) tests?/.exec(output)?.[1] ?? 0);
  const skipped = Number(/skipped=(\d+)/.exec(output)?.[1] ?? 0);
  return { status: r.status, output, ran, skipped, ok: r.status === 0 && /\nOK\b/.test(output) };
}

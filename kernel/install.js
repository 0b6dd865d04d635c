#!/usr/bin/env node
"use strict";
/**
 * Registers (or removes) the `lstm-lab` kernelspec with Jupyter. Idempotent.
 *
 *   node kernel/install.js                 user install (JUPYTER_DATA_DIR honoured)
 *   node kernel/install.js --prefix DIR    into DIR/share/jupyter/kernels (e.g. a venv or /usr/local)
 *   node kernel/install.js --uninstall     remove it (same location options)
 *   node kernel/install.js --print         print where it would go and the kernel.json, change nothing
 *
 * Plain Node only: no Python is needed to register; `jupyter kernelspec list` finds it.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const NAME = "lstm-lab";
const DISPLAY_NAME = "LSTM Lab (TypeScript)";
const packageRoot = path.resolve(__dirname, "..");

function userDataDir() {
  if (process.env.JUPYTER_DATA_DIR) return path.resolve(process.env.JUPYTER_DATA_DIR);
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env.APPDATA || path.join(home, "AppData", "Roaming"), "jupyter");
  const xdg = process.env.XDG_DATA_HOME || path.join(home, ".local", "share");
  return path.join(xdg, "jupyter");
}

function parseArgs(argv) {
  const o = { uninstall: false, print: false, prefix: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--uninstall") o.uninstall = true;
    else if (a === "--print") o.print = true;
    else if (a === "--user") o.prefix = null;
    else if (a === "--prefix") {
      o.prefix = argv[++i];
      if (!o.prefix) fail("`--prefix` needs a directory, got nothing.");
    } else if (a.startsWith("--prefix=")) o.prefix = a.slice("--prefix=".length);
    else fail(`Unknown option ${JSON.stringify(a)}. Use --user (default), --prefix DIR, --uninstall or --print.`);
  }
  return o;
}

function fail(message) {
  process.stderr.write(`kernel install: ${message}\n`);
  process.exit(2);
}

/** Heap limit for the kernel: three quarters of the machine's memory, at least 2 GiB. */
function heapLimitMiB() {
  return Math.max(2048, Math.floor((os.totalmem() / 2 ** 20) * 0.75));
}

function kernelSpec() {
  return {
    argv: [process.execPath, `--max-old-space-size=${heapLimitMiB()}`, path.join(packageRoot, "kernel", "kernel.js"), "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "signal",
    env: {},
    metadata: { debugger: false, "lstm-lab": { packageRoot } },
  };
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const base = o.prefix ? path.join(path.resolve(o.prefix), "share", "jupyter") : userDataDir();
  const dir = path.join(base, "kernels", NAME);
  if (o.print) {
    process.stdout.write(`${dir}\n${JSON.stringify(kernelSpec(), null, 2)}\n`);
    return;
  }
  if (o.uninstall) {
    if (fs.existsSync(dir)) {
      fs.rmSync(dir, { recursive: true, force: true });
      process.stdout.write(`Removed kernel ${NAME} from ${dir}\n`);
    } else {
      process.stdout.write(`Kernel ${NAME} was not installed in ${dir}; nothing to do.\n`);
    }
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.kernel.json.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(kernelSpec(), null, 2) + "\n");
  fs.renameSync(tmp, path.join(dir, "kernel.json"));
  for (const size of ["32x32", "64x64"]) {
    const logo = path.join(__dirname, `logo-${size}.png`);
    if (fs.existsSync(logo)) fs.copyFileSync(logo, path.join(dir, `logo-${size}.png`));
  }
  process.stdout.write(`Installed kernel ${NAME} ("${DISPLAY_NAME}") in ${dir}\n`);
}

main();

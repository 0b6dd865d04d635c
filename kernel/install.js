#!/usr/bin/env node
// @ts-check
"use strict";
/**
 * Registers (or removes) the `lstm-lab` kernelspec with Jupyter. Idempotent. The kernel it registers
 * runs this copy of the package (the folder this file is in), with the Node that ran the installer.
 *
 *   node kernel/install.js                 user install (JUPYTER_DATA_DIR honoured)
 *   node kernel/install.js --prefix DIR    into DIR/share/jupyter/kernels (e.g. a venv or /usr/local)
 *   node kernel/install.js --name NAME     under another kernel name (one per project, say)
 *   node kernel/install.js --uninstall     remove it (same location and name options)
 *   node kernel/install.js --print         print where it would go and the kernel.json, change nothing
 *
 * `npx lstm-lab kernel install|uninstall` (bin/lstm-lab.js) runs the same code.
 * Plain Node only: no Python is needed to register; `jupyter kernelspec list` finds it.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const DISPLAY_NAME = "LSTM Lab (TypeScript)";
const packageRoot = path.resolve(__dirname, "..");

/**
 * @typedef {object} KernelInstallOptions
 * @property {string | null} [prefix]  install under PREFIX/share/jupyter instead of the user's data dir (default null: the user's)
 * @property {string} [name]  the kernel's name, as in `--ExecutePreprocessor.kernel_name=NAME` (default "lstm-lab")
 */
/** @type {Required<KernelInstallOptions>} */
const DEFAULTS = { prefix: null, name: "lstm-lab" };

/** Thrown for a bad option; the CLIs print its message and exit with status 2. */
class UsageError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
}

/** @param {KernelInstallOptions} o @returns {Required<KernelInstallOptions>} */
function resolveOptions(o = {}) {
  const r = { ...DEFAULTS, ...o };
  // Jupyter's own rule for kernel names; it lower-cases names it installs, so we ask for lower case.
  if (typeof r.name !== "string" || !/^[a-z0-9._-]+$/.test(r.name)) {
    throw new UsageError(`\`--name\` must be lower-case letters, digits, ".", "_" or "-", got ${JSON.stringify(r.name)}.`);
  }
  if (r.prefix !== null && (typeof r.prefix !== "string" || r.prefix === "")) {
    throw new UsageError(`\`--prefix\` needs a directory, got ${JSON.stringify(r.prefix)}.`);
  }
  return r;
}

function userDataDir() {
  if (process.env.JUPYTER_DATA_DIR) return path.resolve(process.env.JUPYTER_DATA_DIR);
  const home = os.homedir();
  if (process.platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? path.join(home, "AppData", "Roaming"), "jupyter");
  const xdg = process.env.XDG_DATA_HOME ?? path.join(home, ".local", "share");
  return path.join(xdg, "jupyter");
}

/** The kernelspec folder for these options: PREFIX/share/jupyter/kernels/NAME or the user's. */
function kernelDir(o = {}) {
  const r = resolveOptions(o);
  const base = r.prefix !== null ? path.join(path.resolve(r.prefix), "share", "jupyter") : userDataDir();
  return path.join(base, "kernels", r.name);
}

/** Heap limit for the kernel: three quarters of the machine's memory, at least 2 GiB. */
function heapLimitMiB() {
  return Math.max(2048, Math.floor((os.totalmem() / 2 ** 20) * 0.75));
}

/** The kernel.json written for these options. */
function kernelSpec(o = {}) {
  const r = resolveOptions(o);
  return {
    argv: [process.execPath, `--max-old-space-size=${heapLimitMiB()}`, path.join(packageRoot, "kernel", "kernel.js"), "{connection_file}"],
    display_name: r.name === DEFAULTS.name ? DISPLAY_NAME : `${DISPLAY_NAME}: ${r.name}`,
    language: "typescript",
    interrupt_mode: "signal",
    env: {},
    metadata: { debugger: false, "lstm-lab": { packageRoot } },
  };
}

/**
 * Writes the kernelspec (replacing one already there) and returns a line saying where.
 * @example installKernel({ prefix: "/tmp/venv" }) // "Installed kernel lstm-lab (…) in /tmp/venv/share/jupyter/kernels/lstm-lab"
 */
function installKernel(o = {}) {
  const r = resolveOptions(o);
  const dir = kernelDir(r);
  fs.mkdirSync(dir, { recursive: true });
  const spec = kernelSpec(r);
  const tmp = path.join(dir, `.kernel.json.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(spec, null, 2) + "\n");
  fs.renameSync(tmp, path.join(dir, "kernel.json"));
  for (const size of ["32x32", "64x64"]) {
    const logo = path.join(__dirname, `logo-${size}.png`);
    if (fs.existsSync(logo)) fs.copyFileSync(logo, path.join(dir, `logo-${size}.png`));
  }
  return `Installed kernel ${r.name} ("${spec.display_name}", running ${packageRoot}) in ${dir}`;
}

/** Removes the kernelspec if it is there and returns a line saying what happened. */
function uninstallKernel(o = {}) {
  const r = resolveOptions(o);
  const dir = kernelDir(r);
  if (!fs.existsSync(dir)) return `Kernel ${r.name} was not installed in ${dir}; nothing to do.`;
  fs.rmSync(dir, { recursive: true, force: true });
  return `Removed kernel ${r.name} from ${dir}`;
}

/**
 * Reads `--user`, `--prefix DIR` / `--prefix=DIR`, `--name NAME` / `--name=NAME`, plus the flags in
 * `flags` (e.g. "--uninstall"). Anything else is a UsageError naming it.
 * @param {string[]} argv
 * @param {string[]} [flags]
 * @returns {{ options: Required<KernelInstallOptions>, flags: Set<string> }}
 */
function parseKernelArgs(argv, flags = []) {
  const options = { ...DEFAULTS };
  const seen = new Set();
  /** @type {(a: string, i: number, key: string) => { value: string, next: number }} */
  const valueOf = (a, i, key) => {
    if (a.startsWith(`${key}=`)) return { value: a.slice(key.length + 1), next: i };
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new UsageError(`\`${key}\` needs a value, got ${value === undefined ? "nothing" : JSON.stringify(value)}.`);
    return { value, next: i + 1 };
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--user") options.prefix = null;
    else if (a === "--prefix" || a.startsWith("--prefix=")) ({ value: options.prefix, next: i } = valueOf(a, i, "--prefix"));
    else if (a === "--name" || a.startsWith("--name=")) ({ value: options.name, next: i } = valueOf(a, i, "--name"));
    else if (flags.includes(a)) seen.add(a);
    else {
      const known = ["--user (default)", "--prefix DIR", "--name NAME", ...flags].join(", ");
      throw new UsageError(`Unknown option ${JSON.stringify(a)}. Use ${known}.`);
    }
  }
  return { options: resolveOptions(options), flags: seen };
}

function main() {
  try {
    const { options, flags } = parseKernelArgs(process.argv.slice(2), ["--uninstall", "--print"]);
    if (flags.has("--print")) process.stdout.write(`${kernelDir(options)}\n${JSON.stringify(kernelSpec(options), null, 2)}\n`);
    else process.stdout.write(`${flags.has("--uninstall") ? uninstallKernel(options) : installKernel(options)}\n`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`kernel install: ${e.message}\n`);
    process.exitCode = 2;
  }
}

if (require.main === module) main();

module.exports = { installKernel, uninstallKernel, kernelSpec, kernelDir, parseKernelArgs, UsageError, DEFAULTS };

// What `npm start`, `npm run notebook` and `npm test` need before they can run: node_modules, a built
// dist/, Debian's Jupyter (and for the tests its kernel test suite and Chromium), and the registered
// kernel. Each step says in one line what it does.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
export const PYTHON = "/usr/bin/python3";
export const DEBIAN_PACKAGES = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "python3-ipykernel", "jupyter-notebook"];
/** Debian packages only the tests need (PostgreSQL 15: the tuning tests start a throwaway server; Optuna: the journal interop tests; g++: the native kernel's build, whose tests run beside the wasm kernel's). */
export const TEST_PACKAGES = ["python3-jupyter-kernel-test", "chromium", "postgresql", "python3-optuna", "g++"];

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  return r.status === 0;
}

function quiet(cmd, args) {
  return spawnSync(cmd, args, { cwd: root, encoding: "utf8" });
}

export function fail(message) {
  console.error(`✖ ${message}`);
  process.exit(1);
}

export function ensureNodeModules() {
  if (existsSync(join(root, "node_modules", "tslab")) && existsSync(join(root, "node_modules", "@tensorflow", "tfjs"))) return;
  const ci = existsSync(join(root, "package-lock.json"));
  console.log(`• installing npm packages (npm ${ci ? "ci" : "install"})`);
  if (!run("npm", [ci ? "ci" : "install"])) fail("npm install failed; see the messages above.");
}

export function build() {
  console.log("• building dist/ (wasm kernels + tsc)");
  if (!run("npm", ["run", "--silent", "build"])) {
    fail("the TypeScript build failed; see the errors above.");
  }
}

function hasJupyter() {
  if (!existsSync(PYTHON)) return false;
  return quiet(PYTHON, ["-c", "import nbclient, nbconvert, jupyter_client, nbformat"]).status === 0;
}

/** Installs Debian `packages` when `present()` is false: as root on Debian, else fails with the command to run. */
function ensureDebianPackages(what, packages, present) {
  if (present()) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = existsSync("/usr/bin/apt-get") && existsSync("/etc/debian_version");
  const cmd = `apt-get install -y ${packages.join(" ")}`;
  if (!(isRoot && apt)) {
    fail(`${what} is missing. Install it with: sudo apt-get update && sudo ${cmd}`);
  }
  console.log(`• installing ${what} from Debian packages (${packages.join(", ")})`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!run("apt-get", ["update", "-qq"], { env }) || !run("apt-get", ["install", "-y", "-qq", ...packages], { env }) || !present()) {
    fail(`installing ${what} failed; try: apt-get update && ${cmd}`);
  }
}

export function ensureJupyter() {
  ensureDebianPackages(`Jupyter (for ${PYTHON})`, DEBIAN_PACKAGES, hasJupyter);
}

/** What `npm test` needs beyond Jupyter: the kernel conformance suite, a headless Chromium, PostgreSQL 15, Optuna and g++. */
export function ensureTestTools() {
  const present = () =>
    hasJupyter() && quiet(PYTHON, ["-c", "import jupyter_kernel_test"]).status === 0 && existsSync("/usr/bin/chromium") &&
    existsSync("/usr/lib/postgresql/15/bin/pg_ctl") && quiet(PYTHON, ["-c", "import optuna"]).status === 0 && existsSync("/usr/bin/g++");
  ensureDebianPackages("Jupyter, its kernel test suite, Chromium, PostgreSQL, Optuna and g++", [...DEBIAN_PACKAGES, ...TEST_PACKAGES], present);
}

export function installKernel(extraEnv = {}) {
  console.log("• registering the lstm-lab kernel");
  if (!run(process.execPath, [join(root, "kernel", "install.js")], { env: { ...process.env, ...extraEnv } })) fail("kernel registration failed.");
}

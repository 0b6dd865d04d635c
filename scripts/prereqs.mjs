// What `npm start` and `npm run notebook` need before they can run: node_modules, a built dist/,
// Debian's Jupyter, and the registered kernel. Each step says in one line what it does.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
export const PYTHON = "/usr/bin/python3";
export const DEBIAN_PACKAGES = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "python3-ipykernel", "jupyter-notebook"];

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

export function ensureJupyter() {
  if (hasJupyter()) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = existsSync("/usr/bin/apt-get") && existsSync("/etc/debian_version");
  const cmd = `apt-get install -y ${DEBIAN_PACKAGES.join(" ")}`;
  if (!(isRoot && apt)) {
    fail(`Jupyter is missing from ${PYTHON}. Install it with: sudo apt-get update && sudo ${cmd}`);
  }
  console.log(`• installing Jupyter from Debian packages (${DEBIAN_PACKAGES.join(", ")})`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (!run("apt-get", ["update", "-qq"], { env }) || !run("apt-get", ["install", "-y", "-qq", ...DEBIAN_PACKAGES], { env }) || !hasJupyter()) {
    fail(`installing Jupyter failed; try: apt-get update && ${cmd}`);
  }
}

export function installKernel(extraEnv = {}) {
  console.log("• registering the lstm-lab kernel");
  if (!run(process.execPath, [join(root, "kernel", "install.js")], { env: { ...process.env, ...extraEnv } })) fail("kernel registration failed.");
}

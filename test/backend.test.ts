import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Each case runs in a fresh process because the backend is chosen once per process.
function pick(env: Record<string, string>): { status: number | null; out: string; err: string } {
  const script = `require("./src/backend/index.ts").ready()
    .then(() => console.log(require("./src/backend/index.ts").describeBackend()))
    .catch((e) => { console.error(e.name + ": " + e.message); process.exit(3); });`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { status: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

/** A folder on NODE_PATH holding a stand-in for @tensorflow/tfjs-node-gpu with the given body. */
function fakeGpuPackage(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "lstm-lab-fake-gpu-"));
  const pkg = join(dir, "@tensorflow", "tfjs-node-gpu");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@tensorflow/tfjs-node-gpu", version: "4.22.0", main: "index.js" }));
  writeFileSync(join(pkg, "index.js"), body);
  return dir;
}

describe("backend selection", () => {
  it("explains a tfjs-node-gpu that fails to load in one line, then falls back", () => {
    // What a machine without CUDA libraries reports when the native addon loads libtensorflow.
    const dir = fakeGpuPackage(
      'const e = new Error("libcudart.so.11.0: cannot open shared object file: No such file or directory\\n    at Module._extensions..node"); throw e;',
    );
    const r = pick({ LSTM_LAB_BACKEND: "", NODE_PATH: dir });
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out, "wasm (tfjs-node-gpu failed to load: libcudart.so.11.0: cannot open shared object file: No such file or directory; tfjs-node not installed)");
  });

  it("picks tfjs-node-gpu first when it loads and registers the tensorflow backend", () => {
    // Registers a backend under the name tfjs-node-gpu uses, as the real package does on load.
    const dir = fakeGpuPackage(
      'const tf = require("@tensorflow/tfjs"); const { MathBackendCPU } = require("@tensorflow/tfjs-backend-cpu");' +
        'tf.registerBackend("tensorflow", () => new MathBackendCPU(), 3);',
    );
    const r = pick({ LSTM_LAB_BACKEND: "", NODE_PATH: [dir, join(__dirname, "..", "node_modules")].join(":") });
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out, "tensorflow (@tensorflow/tfjs-node-gpu, GPU) (native TensorFlow found)");
  });

  it("falls back to wasm and says in one line why the native backends were skipped", () => {
    const r = pick({ LSTM_LAB_BACKEND: "" });
    assert.equal(r.status, 0, r.err);
    // On this machine tfjs-node(-gpu) cannot install, so the reason names both.
    assert.match(r.out, /^wasm \(tfjs-node-gpu (not installed|failed to load: .*); tfjs-node (not installed|failed to load: .*)\)$/);
    assert.equal(r.out.split("\n").length, 1);
  });

  it("leaves no process-wide error handler behind from the wasm backend (an uncaught error is reported, not rethrown from minified code)", () => {
    const script = `const before = process.listeners("uncaughtException").length + process.listeners("unhandledRejection").length;
      require("./src/backend/index.ts").ready().then(() => {
        const after = process.listeners("uncaughtException").length + process.listeners("unhandledRejection").length;
        console.log(before + " " + after);
        setTimeout(() => { throw new Error("late failure") }, 5);
      });`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { env: { ...process.env, LSTM_LAB_BACKEND: "wasm" }, encoding: "utf8" });
    assert.equal(r.stdout.trim(), "0 0");
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Error: late failure/);
    assert.ok(r.stderr.length < 5000, `stderr is ${r.stderr.length} characters: ${r.stderr.slice(0, 300)}`);
  });

  it("honours LSTM_LAB_BACKEND=cpu", () => {
    const r = pick({ LSTM_LAB_BACKEND: "cpu" });
    assert.equal(r.status, 0, r.err);
    assert.equal(r.out, "cpu (forced by LSTM_LAB_BACKEND)");
  });

  it("explains a forced tensorflow backend that is missing in one line, without a stack", () => {
    const r = pick({ LSTM_LAB_BACKEND: "tensorflow" });
    assert.equal(r.status, 3);
    assert.match(r.err, /^ConfigError: LSTM_LAB_BACKEND="tensorflow" but no native backend works: tfjs-node-gpu/);
  });

  it("rejects an unknown LSTM_LAB_BACKEND naming the value", () => {
    const r = pick({ LSTM_LAB_BACKEND: "webgpu" });
    assert.equal(r.status, 3);
    assert.match(r.err, /Unknown LSTM_LAB_BACKEND "webgpu". Choose one of: tensorflow, wasm, cpu./);
  });
});

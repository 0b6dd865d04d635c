import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

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

describe("backend selection", () => {
  it("falls back to wasm and says in one line why the native backends were skipped", () => {
    const r = pick({ LSTM_LAB_BACKEND: "" });
    assert.equal(r.status, 0, r.err);
    // On this machine tfjs-node(-gpu) cannot install, so the reason names both.
    assert.match(r.out, /^wasm \(tfjs-node-gpu (not installed|failed to load: .*); tfjs-node (not installed|failed to load: .*)\)$/);
    assert.equal(r.out.split("\n").length, 1);
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

import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, PYTHON, requireJupyter, kernelEnv, runUnittest } from "./jupyter-env.js";

function tail(s: string): string {
  return s.split("\n").filter((l) => !/Debugger warning|frozen modules|PYDEVD|^0\.00s/.test(l)).slice(-60).join("\n");
}

describe("the lstm-lab kernel", () => {
  let env: NodeJS.ProcessEnv;
  before(() => {
    requireJupyter();
    env = kernelEnv();
  });

  it("is listed by `jupyter kernelspec list` after install", () => {
    const r = spawnSync(PYTHON, ["-m", "jupyter", "kernelspec", "list"], { env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`lstm-lab\\s+${env["JUPYTER_DATA_DIR"]}/kernels/lstm-lab`));
    const spec = JSON.parse(readFileSync(join(env["JUPYTER_DATA_DIR"]!, "kernels", "lstm-lab", "kernel.json"), "utf8"));
    assert.equal(spec.display_name, "LSTM Lab (TypeScript)");
    assert.equal(spec.language, "typescript");
    assert.equal(spec.argv[2], join(ROOT, "kernel", "kernel.js"));
    assert.equal(spec.argv.at(-1), "{connection_file}");
  });

  it("installs idempotently, honours --prefix and uninstalls", () => {
    const prefix = mkdtempSync(join(tmpdir(), "lstm-lab-prefix-"));
    const install = () => spawnSync(process.execPath, [join(ROOT, "kernel", "install.js"), "--prefix", prefix], { env, encoding: "utf8" });
    assert.equal(install().status, 0);
    assert.equal(install().status, 0);
    const dir = join(prefix, "share", "jupyter", "kernels", "lstm-lab");
    assert.ok(existsSync(join(dir, "kernel.json")));
    const un = spawnSync(process.execPath, [join(ROOT, "kernel", "install.js"), "--prefix", prefix, "--uninstall"], { env, encoding: "utf8" });
    assert.equal(un.status, 0);
    assert.ok(!existsSync(dir));
    const bad = spawnSync(process.execPath, [join(ROOT, "kernel", "install.js"), "--prefx"], { env, encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown option "--prefx"/);
  });

  it("passes every case of Jupyter's standard conformance suite (jupyter_kernel_test), none skipped", () => {
    const r = runUnittest(join(ROOT, "test", "kernel", "conformance.py"), env);
    assert.ok(r.ok, tail(r.output));
    assert.equal(r.ran, 12, tail(r.output));
    assert.equal(r.skipped, 0, tail(r.output));
  });

  it("passes the protocol cases stock tslab gets wrong (results, errors, aborts, displays, interrupt, nbconvert)", () => {
    const r = runUnittest(join(ROOT, "test", "kernel", "protocol.py"), env);
    assert.ok(r.ok, tail(r.output));
    assert.ok(r.ran >= 21, tail(r.output));
    assert.equal(r.skipped, 0, tail(r.output));
  });

  it("honours 100 interrupts (SIGINT and interrupt_request) at random moments in the first second of a training cell (within 1 s, or as its type check ends) and 20 SIGINTs into a synchronous tf loop, keeping its variables, a working TensorFlow.js and its WebAssembly stack where it was", () => {
    const r = runUnittest(join(ROOT, "test", "kernel", "interrupts.py"), env);
    assert.ok(r.ok, tail(r.output));
    assert.equal(r.ran, 3, tail(r.output));
    assert.equal(r.skipped, 0, tail(r.output));
  });
});

/**
 * The kernelspec installer and the `lstm-lab` command, in plain Node: where a kernel goes, what it
 * runs, and how a bad command line is answered. Jupyter itself finds it in own-folder.test.ts.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "lstm-lab.js");

describe("lstm-lab kernel install / uninstall", () => {
  let work = "";
  let env: NodeJS.ProcessEnv = {};
  const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: "utf8" });

  before(() => {
    work = mkdtempSync(join(tmpdir(), "lstm-lab-install-"));
    env = { ...process.env, JUPYTER_DATA_DIR: join(work, "data") };
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("installs for the user by default, into JUPYTER_DATA_DIR/kernels/lstm-lab, a kernel running this copy with this Node", () => {
    const r = cli("kernel", "install");
    assert.equal(r.status, 0, r.stderr);
    const spec = JSON.parse(readFileSync(join(work, "data", "kernels", "lstm-lab", "kernel.json"), "utf8")) as { argv: string[]; display_name: string; interrupt_mode: string };
    assert.deepEqual([spec.argv[0], spec.argv[2], spec.argv[3]], [process.execPath, join(ROOT, "kernel", "kernel.js"), "{connection_file}"]);
    assert.match(spec.argv[1] ?? "", /^--max-old-space-size=\d+$/);
    assert.equal(spec.display_name, "LSTM Lab (TypeScript)");
    assert.equal(spec.interrupt_mode, "signal");
  });

  it("installs under --prefix DIR/share/jupyter/kernels/NAME with --name, twice to the same effect, and uninstalls only that one", () => {
    const prefix = join(work, "env");
    const dir = join(prefix, "share", "jupyter", "kernels", "proj-1");
    assert.equal(cli("kernel", "install", "--prefix", prefix, "--name", "proj-1").status, 0);
    const first = readFileSync(join(dir, "kernel.json"), "utf8");
    assert.equal(cli("kernel", "install", `--prefix=${prefix}`, "--name=proj-1").status, 0);
    assert.equal(readFileSync(join(dir, "kernel.json"), "utf8"), first);
    assert.equal((JSON.parse(first) as { display_name: string }).display_name, "LSTM Lab (TypeScript): proj-1");
    const un = cli("kernel", "uninstall", "--prefix", prefix, "--name", "proj-1");
    assert.equal(un.status, 0);
    assert.match(un.stdout, /^Removed kernel proj-1 from /);
    assert.ok(!existsSync(dir));
    assert.ok(existsSync(join(work, "data", "kernels", "lstm-lab", "kernel.json")), "the user's kernel was removed too");
    assert.match(cli("kernel", "uninstall", "--prefix", prefix, "--name", "proj-1").stdout, /was not installed .*; nothing to do\./);
  });

  it("answers an unknown command, subcommand or option, or a bad value, with status 2 and a message naming it", () => {
    const cases: [string[], RegExp][] = [
      // Other commands (tune, …) join the list; kernel is one of them.
      [[], /Missing a command\. Choose one of: (\w+, )*kernel(, \w+)*\./],
      [["kernal"], /Unknown command "kernal"\. Choose one of: (\w+, )*kernel(, \w+)*\./],
      [["kernel"], /`lstm-lab kernel` needs a subcommand\. Choose one of: install, uninstall\./],
      [["kernel", "list"], /Unknown subcommand "list" of `lstm-lab kernel`\. Choose one of: install, uninstall\./],
      [["kernel", "install", "--sys-prefix"], /Unknown option "--sys-prefix"\. Use --user \(default\), --prefix DIR, --name NAME\./],
      [["kernel", "install", "--prefix"], /`--prefix` needs a value, got nothing\./],
      [["kernel", "install", "--name", "My Kernel"], /`--name` must be lower-case letters, digits, "\.", "_" or "-", got "My Kernel"\./],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `lstm-lab ${args.join(" ")}`);
      assert.match(r.stderr, message);
    }
  });

  it("keeps the npm scripts' form, node kernel/install.js [--uninstall], working on the same code", () => {
    const prefix = join(work, "scripts");
    const dir = join(prefix, "share", "jupyter", "kernels", "lstm-lab");
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "kernel", "install.js"), ...args], { env, encoding: "utf8" });
    assert.equal(run("--prefix", prefix).status, 0);
    assert.ok(existsSync(join(dir, "kernel.json")));
    assert.equal(run("--prefix", prefix, "--uninstall").status, 0);
    assert.ok(!existsSync(dir));
    const bad = run("--prefx");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown option "--prefx"\. Use --user \(default\), --prefix DIR, --name NAME, --uninstall, --print\./);
  });
});

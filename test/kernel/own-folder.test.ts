/**
 * lstm-lab as a user gets it: `npm pack` here, `npm install <tgz>` in an empty folder of their own,
 * `npx lstm-lab kernel install`, and notebooks in that folder (and in a folder with no package.json
 * at all) run by `jupyter nbconvert --execute`. Everything happens in a fresh temporary folder; the
 * kernel goes under a temporary --prefix that JUPYTER_PATH points at, never into the user's own
 * Jupyter folders. The tarball is packed from the current dist/ (npm test builds it first).
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, PYTHON, requireJupyter } from "./jupyter-env.js";
import type { Cell } from "../helpers/ipynb.js";

const KERNEL = "lstm-lab-own-folder-test";


function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} exited with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Error outputs of an executed notebook, one line each. */
function errorsIn(ipynb: string): string[] {
  const nb = JSON.parse(readFileSync(ipynb, "utf8")) as { cells: Cell[] };
  return nb.cells.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`));
}

/** The README's "Use it in your own project" section: its shell command lines and its notebook cell. */
function readmeSteps(): { commands: string[]; cell: string } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = /\n## Use it in your own project\n([\s\S]*?)(?=\n## )/.exec(readme)?.[1] ?? "";
  const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => (m[1] ?? "").split("\n"))
    .map((l) => l.replace(/#.*$/, "").trim())
    .filter((l) => l !== "");
  const cell = /```ts\n([\s\S]*?)```/.exec(section)?.[1]?.trim() ?? "";
  return { commands, cell };
}

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { name: KERNEL, display_name: KERNEL, language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

describe("lstm-lab in the user's own folder, installed from the npm pack tarball", () => {
  let work = "";
  let project = "";
  let prefix = "";
  let env: NodeJS.ProcessEnv = {};

  const npx = (args: string[], cwd = project) => spawnSync("npx", ["--no", "lstm-lab", ...args], { cwd, env, encoding: "utf8" });
  const kernelspecDir = () => join(prefix, "share", "jupyter", "kernels", KERNEL);
  const nbconvert = (ipynb: string, cwd: string) =>
    spawnSync(
      PYTHON,
      ["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.kernel_name=${KERNEL}`, "--ExecutePreprocessor.timeout=900", "--output-dir", join(cwd, "executed"), ipynb],
      { cwd, env, encoding: "utf8", timeout: 20 * 60_000 },
    );

  before(() => {
    requireJupyter();
    work = mkdtempSync(join(tmpdir(), "lstm-lab-own-folder-"));
    project = join(work, "project");
    prefix = join(work, "prefix");
    mkdirSync(project);
    // Without the npm_* variables that `npm test` passes down (npm_config_local_prefix=<this repository>, …),
    // so the npm and npx run here act as in a user's own shell.
    env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_"))),
      JUPYTER_DATA_DIR: join(work, "jupyter-data"),
      JUPYTER_PATH: join(prefix, "share", "jupyter"),
      JUPYTER_CONFIG_DIR: join(work, "jupyter-config"),
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
    };
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("follows the README's steps: npm pack here, npm install <tgz> in an empty folder (no build step there), npx lstm-lab kernel install", () => {
    const { commands } = readmeSteps();
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const readmeTgz = `/path/to/lstm-lab-${version}.tgz`;
    assert.deepEqual(commands, ["npm pack", "npm init -y", `npm install ${readmeTgz}`, "npx lstm-lab kernel install"]);
    // npm test has just built dist/, so the pack skips `prepare` (which would build it again).
    const packed = ok(spawnSync("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT, encoding: "utf8" }), "npm pack");
    const tgz = join(work, packed.trim().split("\n").pop()!);
    assert.equal(tgz, join(work, `lstm-lab-${version}.tgz`));
    ok(spawnSync("npm", ["init", "-y"], { cwd: project, env, encoding: "utf8" }), "npm init -y");
    ok(spawnSync("npm", ["install", tgz], { cwd: project, env, encoding: "utf8", timeout: 10 * 60_000 }), "npm install <tgz>");
    // The default (--user) install goes to JUPYTER_DATA_DIR, a temporary folder here.
    ok(npx(["kernel", "install"]), "npx lstm-lab kernel install");
    const userSpec = JSON.parse(readFileSync(join(env["JUPYTER_DATA_DIR"]!, "kernels", "lstm-lab", "kernel.json"), "utf8")) as { argv: string[] };
    assert.equal(userSpec.argv[2], join(realpathSync(project), "node_modules", "lstm-lab", "kernel", "kernel.js"));
    ok(npx(["kernel", "uninstall"]), "npx lstm-lab kernel uninstall");
    assert.ok(!existsSync(join(env["JUPYTER_DATA_DIR"]!, "kernels", "lstm-lab")));
    const installed = join(project, "node_modules", "lstm-lab");
    for (const f of ["dist/src/index.js", "dist/src/index.d.ts", "dist/wasm/rnn-simd.wasm", "dist/wasm/rnn-relaxed.wasm", "kernel/kernel.js", "kernel/compiler.js", "bin/lstm-lab.js"]) {
      assert.ok(existsSync(join(installed, f)), `the tarball lacks ${f}`);
    }
  });

  it("resolves arquero's flechette to 2.6.0, deduplicated, so nothing asks for @uwdata/wk-geojson", () => {
    const versions = readdirSync(join(project, "node_modules", "@uwdata"));
    assert.deepEqual(versions, ["flechette"]);
    const flechette = JSON.parse(readFileSync(join(project, "node_modules", "@uwdata", "flechette", "package.json"), "utf8")) as { version: string };
    assert.equal(flechette.version, "2.6.0");
    assert.ok(!existsSync(join(project, "node_modules", "arquero", "node_modules")), "arquero got a nested copy of a dependency");
  });

  it("loads zeromq (tslab's transport) although the user's package.json allows no install scripts", () => {
    const out = ok(spawnSync(process.execPath, ["-e", "const z = require('zeromq'); process.stdout.write(typeof z.Dealer)"], { cwd: project, encoding: "utf8" }), "require('zeromq')");
    assert.equal(out, "function");
  });

  it("registers, with `npx lstm-lab kernel install --prefix`, a kernel that runs the folder's own copy, and registering again changes nothing", () => {
    ok(npx(["kernel", "install", "--prefix", prefix, "--name", KERNEL]), "npx lstm-lab kernel install");
    const first = readFileSync(join(kernelspecDir(), "kernel.json"), "utf8");
    ok(npx(["kernel", "install", "--prefix", prefix, "--name", KERNEL]), "npx lstm-lab kernel install (again)");
    assert.equal(readFileSync(join(kernelspecDir(), "kernel.json"), "utf8"), first);
    const spec = JSON.parse(first) as { argv: string[]; display_name: string };
    assert.equal(spec.argv[2], join(realpathSync(project), "node_modules", "lstm-lab", "kernel", "kernel.js"));
    assert.equal(spec.display_name, `LSTM Lab (TypeScript): ${KERNEL}`);
    const listed = JSON.parse(ok(spawnSync(PYTHON, ["-m", "jupyter", "kernelspec", "list", "--json"], { env, encoding: "utf8" }), "jupyter kernelspec list")) as {
      kernelspecs: Record<string, { resource_dir: string }>;
    };
    assert.equal(listed.kernelspecs[KERNEL]?.resource_dir, kernelspecDir());
  });

  it("rejects an unknown subcommand and an unknown option, naming each", () => {
    const sub = npx(["kernel", "instal"]);
    assert.equal(sub.status, 2);
    assert.match(sub.stderr, /Unknown subcommand "instal" of `lstm-lab kernel`\. Choose one of: install, uninstall\./);
    const opt = npx(["kernel", "install", "--prefx", prefix]);
    assert.equal(opt.status, 2);
    assert.match(opt.stderr, /Unknown option "--prefx"/);
    const cmd = npx(["kernal"]);
    assert.equal(cmd.status, 2);
    assert.match(cmd.stderr, /Unknown command "kernal"\. Choose one of: (\w+, )*kernel(, \w+)*\./);
  });

  it("runs every tutorial notebook, copied into the folder, with no error output", () => {
    const tutorials = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
    assert.ok(tutorials.length >= 6);
    const failures: string[] = [];
    for (const name of tutorials) {
      copyFileSync(join(ROOT, "notebooks", name), join(project, name));
      const r = nbconvert(name, project);
      if (r.status !== 0) failures.push(`${name}: nbconvert exited with ${r.status ?? r.signal}: ${r.stderr.split("\n").slice(-15).join("\n")}`);
      else failures.push(...errorsIn(join(project, "executed", name)).map((e) => `${name} ${e}`));
    }
    assert.deepEqual(failures, []);
  });

  it("runs a notebook in a folder with no package.json, on the registered kernel's copy, with tables keeping their real types", () => {
    const bare = join(work, "no-package-json");
    mkdirSync(bare);
    const { cell } = readmeSteps();
    assert.match(cell, /const w = dataset\("seattle-weather"\);/);
    const cells = [
      cell,
      // If `w` had lost its type (any), the directive would be unused: TS2578, an error output.
      `// @ts-expect-error numRowz is not a method of ColumnTable\nconst typo = () => w.numRowz();\nconst rows: number = w.numRows();\nrows`,
      `const rainy = w.filter((d: { weather: string }) => d.weather === "rain");\nrainy.numRows() < w.numRows()`,
    ];
    writeFileSync(join(bare, "mine.ipynb"), notebook(cells));
    ok(nbconvert("mine.ipynb", bare), "nbconvert mine.ipynb");
    const executed = join(bare, "executed", "mine.ipynb");
    assert.deepEqual(errorsIn(executed), []);
    const results = (JSON.parse(readFileSync(executed, "utf8")) as { cells: Cell[] }).cells.map((c) =>
      (c.outputs ?? []).filter((o) => o.output_type === "execute_result").map((o) => [o.data?.["text/plain"] ?? ""].flat().join("")),
    );
    // seattle-weather: 1,461 daily rows (2012-01-01 … 2015-12-31), some but not all of them rain.
    assert.deepEqual(results, [["1461"], ["1461"], ["true"]]);
  });

  it("removes the kernelspec with `npx lstm-lab kernel uninstall`", () => {
    ok(npx(["kernel", "uninstall", "--prefix", prefix, "--name", KERNEL]), "npx lstm-lab kernel uninstall");
    assert.ok(!existsSync(kernelspecDir()));
    const listed = JSON.parse(ok(spawnSync(PYTHON, ["-m", "jupyter", "kernelspec", "list", "--json"], { env, encoding: "utf8" }), "jupyter kernelspec list")) as {
      kernelspecs: Record<string, unknown>;
    };
    assert.ok(!(KERNEL in listed.kernelspecs));
  });
});

/**
 * Cells compiled in a folder outside this repository, where TypeScript can name arquero's types only
 * through a node_modules path (`lstm-lab/node_modules/arquero`): before kernel/compiler.js, the first
 * table failed its cell with TS2742 and every later cell with "Cannot find name 'w'".
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

type CellResult = { ok: true; hasValue: boolean; value?: unknown } | { ok: false; error: { ename: string; evalue: string; traceback: string[] } };
interface Executor {
  execute(src: string): Promise<CellResult>;
  close(): void;
}
const { createExecutor } = createRequire(__filename)(join(ROOT, "kernel", "executor.js")) as {
  createExecutor(o: { rootDir: string; packageRoot: string }): Executor;
};

function value(r: CellResult): unknown {
  assert.ok(r.ok, r.ok ? "" : r.error.traceback.join("\n"));
  return r.value;
}

describe("cells in a folder with no package.json, using the kernel's own copy of lstm-lab", () => {
  const home = process.cwd();
  let folder = "";
  let ex: Executor;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), "lstm-lab-bare-"));
    process.chdir(folder);
    ex = createExecutor({ rootDir: folder, packageRoot: ROOT });
  });
  after(() => {
    ex.close();
    process.chdir(home);
    rmSync(folder, { recursive: true, force: true });
  });

  it("runs a cell whose table's type TypeScript can only name through lstm-lab/node_modules/arquero", async () => {
    const r = await ex.execute(`import { dataset, ready } from "lstm-lab";\nawait ready();\nconst w = dataset("seattle-weather");\nw.numRows()`);
    // seattle-weather.csv: 1,461 daily rows, 2012-01-01 to 2015-12-31.
    assert.equal(value(r), 1461);
  });

  it("gives a later cell the table with its real type, so its methods type-check", async () => {
    assert.equal(value(await ex.execute(`const n: number = w.numRows();\nn`)), 1461);
    assert.deepEqual(value(await ex.execute(`w.columnNames()`)), ["date", "precipitation", "temp_max", "temp_min", "wind", "weather"]);
  });

  it("still reports a wrong method name on that table as a type error", async () => {
    const r = await ex.execute(`w.numRowz()`);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.ename === "TypeScriptError");
    assert.match(!r.ok ? r.error.evalue : "", /Property 'numRowz' does not exist on type 'ColumnTable'/);
  });

  it("runs a cell whose declaration TypeScript refuses to write (TS4094, a private member of a class expression) and keeps what it declared", async () => {
    const r = await ex.execute(`const Counter = class { private count = 1; get twice() { return this.count * 2; } };\nconst c = new Counter();\nc.twice`);
    assert.equal(value(r), 2);
    assert.equal(value(await ex.execute(`c.twice + w.numRows()`)), 2 + 1461);
  });

  it("keeps a table derived in a later cell typed too, through a cell that names no import", async () => {
    assert.equal(value(await ex.execute(`const rainy = w.filter((d: { weather: string }) => d.weather === "rain");\nrainy.numRows() > 0`)), true);
    const r = await ex.execute(`rainy.numRowz()`);
    assert.match(!r.ok ? r.error.evalue : "", /Property 'numRowz' does not exist on type 'ColumnTable'/);
  });
});

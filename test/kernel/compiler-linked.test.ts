/**
 * Cells in a project whose node_modules/lstm-lab is a link to this repository (what
 * `npm install /path/to/lstm-lab` makes): arquero is found only as lstm-lab/node_modules/arquero, so
 * before kernel/compiler.js the first table failed its cell with TS2742. Its own file, because an
 * executor takes over the process's working folder and tslab's globals.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

type CellResult = { ok: true; hasValue: boolean; value?: unknown } | { ok: false; error: { ename: string; evalue: string; traceback: string[] } };
interface Executor {
  execute(src: string): Promise<CellResult>;
  close(): void;
}

describe("cells in a project that links lstm-lab from this repository", () => {
  const home = process.cwd();
  let folder = "";
  let ex: Executor;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), "lstm-lab-linked-"));
    writeFileSync(join(folder, "package.json"), JSON.stringify({ name: "linked", version: "1.0.0", dependencies: { "lstm-lab": `file:${ROOT}` } }));
    mkdirSync(join(folder, "node_modules"));
    symlinkSync(ROOT, join(folder, "node_modules", "lstm-lab"), "dir");
    process.chdir(folder);
    // The kernel a user registers from that project runs the linked copy (its real path: this repository).
    const { createExecutor } = createRequire(__filename)(join(folder, "node_modules", "lstm-lab", "kernel", "executor.js")) as {
      createExecutor(o: { rootDir: string; packageRoot: string }): Executor;
    };
    ex = createExecutor({ rootDir: folder, packageRoot: ROOT });
  });
  after(() => {
    ex.close();
    process.chdir(home);
    rmSync(folder, { recursive: true, force: true });
  });

  it("runs the table cell, and a later cell sees the table's real type", async () => {
    const first = await ex.execute(`import { dataset, ready } from "lstm-lab";\nawait ready();\nconst w = dataset("seattle-weather");\nw.numRows()`);
    assert.ok(first.ok, first.ok ? "" : first.error.traceback.join("\n"));
    // seattle-weather.csv: 1,461 daily rows, 2012-01-01 to 2015-12-31.
    assert.equal(first.value, 1461);
    const later = await ex.execute(`const n: number = w.numRows();\nn`);
    assert.ok(later.ok && later.value === 1461);
    const typo = await ex.execute(`w.numRowz()`);
    assert.match(typo.ok ? "" : typo.error.evalue, /Property 'numRowz' does not exist on type 'ColumnTable'/);
  });
});

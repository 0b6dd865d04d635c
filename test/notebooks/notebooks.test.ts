/**
 * Executes every notebook in notebooks/ with the lstm-lab kernel (the same runner `npm start` uses),
 * fails on any error output, and opens each HTML export in headless Chromium to check that every
 * figure rendered. Screenshots are kept under out/screenshots/.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, PYTHON, requireJupyter, kernelEnv } from "../kernel/jupyter-env.js";
import { checkFiguresRender, requireChromium } from "../plots/browser-check.js";
import type { Cell } from "../helpers/ipynb.js";

interface NotebookResult {
  notebook: string;
  cells: number;
  seconds: number;
  status: string;
  message: string;
  figures: number;
  ipynb: string;
  html: string;
}


const notebooks = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();

describe("tutorial notebooks", () => {
  let results: NotebookResult[] = [];
  let runnerOutput = "";

  before(() => {
    requireJupyter();
    requireChromium();
    const env = kernelEnv();
    const out = mkdtempSync(join(tmpdir(), "lstm-lab-notebooks-"));
    const summary = join(out, "summary.json");
    const r = spawnSync(PYTHON, [join(ROOT, "scripts", "run_notebooks.py"), "--out", out, "--json", summary, ...notebooks.map((n) => join(ROOT, "notebooks", n))], {
      env,
      encoding: "utf8",
      timeout: 40 * 60_000,
    });
    runnerOutput = `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => !/Debugger warning|frozen modules|PYDEVD|^0\.00s/.test(l)).join("\n");
    results = JSON.parse(readFileSync(summary, "utf8")) as NotebookResult[];
  });

  it("found the notebooks to run", () => {
    assert.ok(notebooks.length >= 1);
    assert.deepEqual(results.map((r) => r.notebook + ".ipynb"), notebooks);
  });

  for (const name of notebooks) {
    const stem = name.replace(/\.ipynb$/, "");
    describe(stem, () => {
      it("runs every cell without an error output", () => {
        const r = results.find((x) => x.notebook === stem);
        assert.ok(r, runnerOutput);
        const nb = JSON.parse(readFileSync(r.ipynb, "utf8")) as { cells: Cell[] };
        const errors = nb.cells.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`));
        assert.deepEqual(errors, [], runnerOutput);
        assert.equal(r.status, "ok", `${r.message}\n${runnerOutput}`);
        const code = nb.cells.filter((c) => c.cell_type === "code").length;
        assert.equal(r.cells, code);
      });

      it("shows at least one figure, and its HTML export renders every figure in Chromium", async () => {
        const r = results.find((x) => x.notebook === stem);
        assert.ok(r);
        assert.ok(r.figures >= 1, `${stem} has no figure`);
        const report = await checkFiguresRender(r.html, r.figures, { screenshot: join(ROOT, "out", "screenshots", `${stem}.png`), timeoutMs: 120_000 });
        assert.equal(report.plotContainers, r.figures);
        assert.ok(report.mainSvgs >= r.figures);
      });
    });
  }
});

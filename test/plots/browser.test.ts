import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { show } from "../../src/plots/display.js";
import { figureTitle } from "../../src/plots/figure.js";
import { checkFiguresRender, requireChromium } from "./browser-check.js";
import { withFakeHost } from "./fake-host.js";
import { sampleFigures } from "./samples.js";

const PYTHON = "/usr/bin/python3";
const SCREENSHOTS = path.resolve(__dirname, "../../out/screenshots");

function requireNbconvert(): void {
  try {
    execFileSync(PYTHON, ["-m", "nbconvert", "--version"], { stdio: "pipe" });
  } catch {
    throw new Error(`nbconvert not available via ${PYTHON} -m nbconvert: install Debian's "jupyter-nbconvert" package.`);
  }
}

describe("figures render in headless Chromium", () => {
  let work = "";
  before(() => {
    requireChromium();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-browser-"));
  });

  it("renders every figure of a standalone page written by show()", async () => {
    const figs = sampleFigures();
    const file = show(figs, { dir: work, file: "standalone.html" });
    assert.ok(file);
    const report = await checkFiguresRender(file, figs.length, { screenshot: path.join(SCREENSHOTS, "standalone.png") });
    assert.equal(report.plotContainers, figs.length);
    assert.ok(report.mainSvgs >= figs.length);
    assert.deepEqual(report.pageErrors, []);
  });

  it("renders every figure of an nbconvert HTML export of a notebook whose outputs came from the kernel display", async () => {
    requireNbconvert();
    const figs = sampleFigures();
    const host = await withFakeHost(() => {
      for (const f of figs) show(f);
    });
    assert.equal(host.calls.length, figs.length);
    const cells = host.calls.map((c, i) => ({
      cell_type: "code",
      execution_count: i + 1,
      id: `cell-${i}`,
      metadata: {},
      source: [`show(${JSON.stringify(figureTitle(figs[i]!))})`],
      outputs: [{ output_type: "display_data", data: c.data, metadata: {} }],
    }));
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: "lstm-lab", display_name: "lstm-lab (TypeScript)", language: "typescript" },
        language_info: { name: "typescript" },
      },
      cells: [{ cell_type: "markdown", id: "intro", metadata: {}, source: ["# Figures"] }, ...cells],
    };
    const ipynb = path.join(work, "figures.ipynb");
    fs.writeFileSync(ipynb, JSON.stringify(nb));
    execFileSync(PYTHON, ["-m", "nbconvert", "--to", "html", ipynb], { stdio: "pipe" });
    const html = path.join(work, "figures.html");
    assert.ok(fs.existsSync(html), "nbconvert wrote figures.html");
    const report = await checkFiguresRender(html, figs.length, { screenshot: path.join(SCREENSHOTS, "nbconvert.png") });
    assert.equal(report.plotContainers, figs.length);
    assert.deepEqual(report.consoleErrors, []);
  });
});

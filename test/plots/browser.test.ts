import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { show } from "../../src/plots/display.js";
import { figureHtml } from "../../src/plots/html.js";
import type { Figure } from "../../src/plots/figure.js";
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

/** Simulates the kernel: shows each figure through a fake host and writes the outputs as an .ipynb. */
async function notebookOf(figs: readonly Figure[], file: string): Promise<void> {
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
  fs.writeFileSync(file, JSON.stringify(nb));
}

/** Runs nbconvert on `ipynb` with `template`; returns the HTML path. */
function nbconvert(ipynb: string, template: "lab" | "classic"): string {
  const out = ipynb.replace(/\.ipynb$/, `-${template}`);
  execFileSync(PYTHON, ["-m", "nbconvert", "--to", "html", "--template", template, "--output", path.basename(out), ipynb], { stdio: "pipe" });
  const html = `${out}.html`;
  assert.ok(fs.existsSync(html), `nbconvert wrote ${html}`);
  return html;
}

describe("figures render in headless Chromium", () => {
  let work = "";
  before(() => {
    requireChromium();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-browser-"));
  });
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
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

  it("renders every figure of an nbconvert HTML export (lab template) of a notebook whose outputs came from the kernel display", async () => {
    requireNbconvert();
    const figs = sampleFigures();
    const ipynb = path.join(work, "figures.ipynb");
    await notebookOf(figs, ipynb);
    const html = nbconvert(ipynb, "lab");
    const report = await checkFiguresRender(html, figs.length, { screenshot: path.join(SCREENSHOTS, "nbconvert-lab.png") });
    assert.equal(report.plotContainers, figs.length);
    assert.deepEqual(report.consoleErrors, []);
  });

  it("renders in the classic template too, where RequireJS defines `define.amd`", async () => {
    requireNbconvert();
    const figs = sampleFigures(50).slice(0, 3);
    const ipynb = path.join(work, "classic.ipynb");
    await notebookOf(figs, ipynb);
    const html = nbconvert(ipynb, "classic");
    assert.match(fs.readFileSync(html, "utf8"), /require(\.min)?\.js/);
    const report = await checkFiguresRender(html, figs.length, { screenshot: path.join(SCREENSHOTS, "nbconvert-classic.png") });
    assert.equal(report.plotContainers, figs.length);
  });

  it("reports a page whose figures never render", async () => {
    const figs = sampleFigures(50).slice(0, 2);
    const file = path.join(work, "no-plotly.html");
    fs.writeFileSync(file, `<!DOCTYPE html><html><body>${figs.map((f, i) => figureHtml(f, `f${i}`)).join("")}</body></html>`);
    await assert.rejects(checkFiguresRender(file, 2, { timeoutMs: 1500 }), /expected 2 \.plot-container, found 0/);
  });
});

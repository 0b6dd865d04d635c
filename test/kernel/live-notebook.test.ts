/**
 * The live classic Notebook UI (Debian's jupyter-notebook) driving the lstm-lab kernel in headless
 * Chromium: the kernel starts from the notebook's metadata, cells run from the page, a cell's
 * value shows as Out[n], an error shows as an error, and a Plotly figure renders live (RequireJS is
 * on that page, which is the case our inline plotly.js has to survive).
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { ROOT, PYTHON, requireJupyter, kernelEnv } from "./jupyter-env.js";
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from "../plots/browser-check.js";

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      s.close(() => (typeof addr === "object" && addr ? res(addr.port) : rej(new Error("no port"))));
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter notebook exited (${server.exitCode}):\n${log()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`jupyter notebook did not answer at ${url}:\n${log()}`);
}

// The error cell comes last: "Run All" in the Notebook asks to stop at the first error.
const CELLS = [
  "6 * 7",
  'import { plotSeries } from "lstm-lab";\nimport * as aq from "arquero";\n' +
    'plotSeries(aq.table({ t: [1, 2, 3, 4], y: [1, 4, 9, 16] }), { time: "t", columns: ["y"], title: "Live in the Notebook" });',
  "throw new RangeError('shown as an error')",
];

describe("the classic Notebook UI with the lstm-lab kernel", () => {
  let server: ChildProcess;
  let context: BrowserContext;
  let page: Page;
  let serverLog = "";
  const pageErrors: string[] = [];

  before(async () => {
    requireJupyter();
    requireChromium();
    const env = kernelEnv();
    const dir = mkdtempSync(join(tmpdir(), "lstm-lab-live-"));
    // Inside the repo tree the notebook would resolve lstm-lab by the kernel's alias; outside it,
    // as here, the alias applies as well because nothing named lstm-lab is installed there.
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "lstm-lab", display_name: "LSTM Lab (TypeScript)", language: "typescript" } },
      cells: CELLS.map((source, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, source, outputs: [], execution_count: null })),
    };
    writeFileSync(join(dir, "live.ipynb"), JSON.stringify(nb));
    const port = await freePort();
    server = spawn(
      PYTHON,
      ["-m", "notebook", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", "--NotebookApp.token=", "--NotebookApp.password=", `--notebook-dir=${dir}`, "--allow-root"],
      { env: { ...env, JUPYTER_CONFIG_DIR: join(dir, ".jupyter-config"), JUPYTER_RUNTIME_DIR: join(dir, ".jupyter-runtime") }, cwd: dir },
    );
    server.stdout?.on("data", (b: Buffer) => (serverLog += b.toString()));
    server.stderr?.on("data", (b: Buffer) => (serverLog += b.toString()));
    const base = `http://127.0.0.1:${port}`;
    await waitForServer(`${base}/api/status`, server, () => serverLog);

    const userDataDir = mkdtempSync(join(tmpdir(), "lstm-lab-chromium-"));
    mkdirSync(userDataDir, { recursive: true });
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1200, height: 1000 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${base}/notebooks/live.ipynb`, { waitUntil: "load" });
    await page.waitForFunction(
      `(() => { const J = window.Jupyter; return !!(J && J.notebook && J.notebook.kernel && J.notebook.kernel.is_connected() && J.notebook.kernel.info_reply && J.notebook.kernel.info_reply.implementation); })()`,
      undefined,
      { timeout: 90_000, polling: 250 },
    );
    await page.evaluate(`window.Jupyter.notebook.execute_all_cells()`);
    await page.waitForFunction(
      `(() => { const cells = window.Jupyter.notebook.get_cells(); return cells.every((c) => c.input_prompt_number !== null && c.input_prompt_number !== "*" && c.input_prompt_number !== undefined); })()`,
      undefined,
      { timeout: 120_000, polling: 250 },
    );
    await page.waitForSelector(".plot-container", { timeout: 60_000 });
  });

  after(async () => {
    if (page) await page.screenshot({ path: join(ROOT, "out", "screenshots", "live-notebook.png"), fullPage: true }).catch(() => undefined);
    await context?.close();
    server?.kill("SIGTERM");
  });

  it("starts the lstm-lab kernel named in the notebook", async () => {
    const info = (await page.evaluate(`(() => { const k = window.Jupyter.notebook.kernel; return { name: k.name, impl: k.info_reply.implementation }; })()`)) as { name: string; impl: string };
    assert.deepEqual(info, { name: "lstm-lab", impl: "lstm-lab" });
    const label = await page.locator("#kernel_indicator .kernel_indicator_name, .kernel_indicator_name").first().textContent();
    assert.equal(label?.trim(), "LSTM Lab (TypeScript)");
  });

  it("shows the first cell's value as Out[1]: 42", async () => {
    const first = page.locator(".cell").nth(0);
    assert.equal((await first.locator(".output_prompt").first().textContent())?.replace(/\s+/g, ""), "Out[1]:");
    assert.equal((await first.locator(".output_result").first().textContent())?.trim(), "42");
  });

  it("shows a thrown error as an error output with its name and message", async () => {
    const second = page.locator(".cell").nth(2);
    const text = (await second.locator(".output_error").first().textContent()) ?? "";
    assert.match(text, /RangeError/);
    assert.match(text, /shown as an error/);
    const prompts = (await page.evaluate(`window.Jupyter.notebook.get_cells().map((c) => c.input_prompt_number)`)) as number[];
    assert.deepEqual(prompts, [1, 2, 3]);
  });

  it("renders the Plotly figure live, with no JavaScript errors on the page", async () => {
    assert.equal(await page.locator(".cell").nth(1).locator(".plot-container").count(), 1);
    assert.ok((await page.locator(".cell").nth(1).locator(".main-svg").count()) >= 1);
    assert.match((await page.locator(".cell").nth(1).locator(".gtitle").first().textContent()) ?? "", /Live in the Notebook/);
    assert.deepEqual(pageErrors, []);
  });
});

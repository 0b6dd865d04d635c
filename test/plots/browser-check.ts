/**
 * Opens an HTML file (a standalone figure page or an nbconvert export of an executed notebook) in
 * headless Chromium and checks that every figure rendered: exactly one `.plot-container` per
 * figure and no JavaScript errors. Reusable for real executed notebooks.
 *
 * The page runs offline: requests to the network are answered from local copies where Debian has
 * them (RequireJS, so the AMD path nbconvert pages take is exercised) and refused otherwise;
 * refused requests are reported in `blockedRequests`, not counted as JavaScript errors.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Local stand-ins for CDN scripts nbconvert templates reference. */
const LOCAL_COPIES: [RegExp, string][] = [
  [/require(\.min)?\.js(\?.*)?$/, "/usr/share/javascript/requirejs/require.min.js"],
];

export interface RenderCheckOptions {
  /** Where to save a full-page screenshot (PNG). */
  screenshot?: string;
  /** How long to wait for the figures, in milliseconds. @default 60000 */
  timeoutMs?: number;
}

export interface RenderReport {
  plotContainers: number;
  mainSvgs: number;
  consoleErrors: string[];
  pageErrors: string[];
  blockedRequests: string[];
  screenshot: string | null;
}

/** Throws with a clear message when Chromium is not installed (CI installs Debian's package). */
export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's "chromium" package (apt-get install chromium).`);
  }
}

/**
 * Opens `htmlPath` and waits until `expectedCount` figures have rendered. Throws (with the
 * report in the message) unless there are exactly `expectedCount` `.plot-container` elements,
 * no console errors and no uncaught page errors.
 *
 * @example
 * await checkFiguresRender("notebooks/03-training.html", 4, { screenshot: "out/screenshots/03.png" });
 */
export async function checkFiguresRender(htmlPath: string, expectedCount: number, o: RenderCheckOptions = {}): Promise<RenderReport> {
  requireChromium();
  if (!fs.existsSync(htmlPath)) throw new Error(`HTML file not found: ${htmlPath}`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lstm-lab-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1200, height: 900 },
  });
  const report: RenderReport = { plotContainers: 0, mainSvgs: 0, consoleErrors: [], pageErrors: [], blockedRequests: [], screenshot: null };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.route(/^https?:/, async (route) => {
      const url = route.request().url();
      const local = LOCAL_COPIES.find(([re]) => re.test(url.split("#")[0] ?? url));
      if (local && fs.existsSync(local[1])) {
        await route.fulfill({ status: 200, contentType: "application/javascript", body: fs.readFileSync(local[1], "utf8") });
      } else {
        report.blockedRequests.push(url);
        await route.abort("blockedbyclient");
      }
    });
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const where = msg.location().url;
      // A refused network request shows up as a console error about the resource, not a script error.
      if (/^Failed to load resource/.test(msg.text()) && /^https?:/.test(where)) return;
      report.consoleErrors.push(`${msg.text()}${where ? ` (${where})` : ""}`);
    });
    page.on("pageerror", (err) => report.pageErrors.push(err.message));
    await page.goto("file://" + path.resolve(htmlPath), { waitUntil: "load", timeout: o.timeoutMs ?? 60000 });
    try {
      await page.waitForFunction(`document.querySelectorAll(".plot-container").length >= ${expectedCount}`, undefined, {
        timeout: o.timeoutMs ?? 60000,
        polling: 100,
      });
    } catch {
      // Fall through: the counts below say what did render.
    }
    await page.waitForTimeout(300);
    report.plotContainers = await page.locator(".plot-container").count();
    report.mainSvgs = await page.locator(".main-svg").count();
    if (o.screenshot) {
      fs.mkdirSync(path.dirname(o.screenshot), { recursive: true });
      await page.screenshot({ path: o.screenshot, fullPage: true });
      report.screenshot = o.screenshot;
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  const problems: string[] = [];
  if (report.plotContainers !== expectedCount) problems.push(`expected ${expectedCount} .plot-container, found ${report.plotContainers}`);
  if (report.consoleErrors.length) problems.push(`console errors: ${report.consoleErrors.join(" | ")}`);
  if (report.pageErrors.length) problems.push(`page errors: ${report.pageErrors.join(" | ")}`);
  if (problems.length) throw new Error(`${htmlPath}: ${problems.join("; ")}`);
  return report;
}

/**
 * HTML for figures: the `<div>` + `<script>` fragment a notebook output carries, the inline
 * plotly.js block (with RequireJS's `define` hidden so the bundle sets `window.Plotly` in classic
 * Notebook and nbconvert pages), and whole standalone pages.
 */
import * as fs from "node:fs";
import type { Figure } from "./figure.js";
import { figureTitle } from "./figure.js";
import { DEFAULT_HEIGHT } from "./theme.js";

let plotlySource: string | null = null;

/** Path of the plotly.js bundle to inline: plotly.js-dist-min, else plotly.js-dist. */
export function plotlyPath(): string {
  try {
    return require.resolve("plotly.js-dist-min/plotly.min.js");
  } catch {
    return require.resolve("plotly.js-dist/plotly.js");
  }
}

/** The plotly.js source, read once per process, made safe to sit inside a `<script>` element. */
export function plotlySourceForScript(): string {
  plotlySource ??= escapeScriptText(fs.readFileSync(plotlyPath(), "utf8"));
  return plotlySource;
}

/** Makes text safe inside `<script>…</script>`: no `</script`, no `<!--` that would end or confuse it. */
export function escapeScriptText(src: string): string {
  return src.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** JSON that can be pasted into a `<script>`: every `<`, `>`, `&` and line separator is \u-escaped. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/**
 * The inline plotly.js block. RequireJS (classic Notebook, nbconvert) defines `define.amd`; UMD
 * bundles then register an AMD module instead of a global, so `define` is hidden while the
 * bundle runs and put back after.
 */
export function plotlyInlineHtml(): string {
  return (
    '<script type="text/javascript">window.__lstmlab_define=window.define;window.define=undefined;</script>\n' +
    `<script type="text/javascript">${plotlySourceForScript()}</script>\n` +
    '<script type="text/javascript">window.define=window.__lstmlab_define;</script>\n'
  );
}

/**
 * The `<div>` and `<script>` that draw `fig` into a div with id `divId`. The script waits for
 * `window.Plotly` (or an AMD "plotly" module) for up to 30 s, then says in the div what is wrong.
 */
export function figureHtml(fig: Figure, divId: string): string {
  const height = typeof fig.layout["height"] === "number" ? (fig.layout["height"] as number) : DEFAULT_HEIGHT;
  const id = escapeHtml(divId);
  const spec = scriptJson({ data: fig.data, layout: fig.layout, config: fig.config });
  return (
    `<div id="${id}" class="lstm-lab-figure" style="width:100%;height:${height}px;" ` +
    `aria-label="${escapeHtml(figureTitle(fig))}"></div>\n` +
    '<script type="text/javascript">\n' +
    "(function () {\n" +
    `  var id = ${scriptJson(divId)};\n` +
    `  var spec = ${spec};\n` +
    "  var tries = 0;\n" +
    "  function draw(P) {\n" +
    "    var el = document.getElementById(id);\n" +
    "    if (el) P.newPlot(el, spec.data, spec.layout, spec.config);\n" +
    "  }\n" +
    "  function wait() {\n" +
    "    var P = window.Plotly;\n" +
    "    if (P && P.newPlot) return draw(P);\n" +
    '    var req = window.requirejs || window.require;\n' +
    '    if (typeof req === "function" && req.specified && req.specified("plotly")) {\n' +
    '      return req(["plotly"], function (p) { window.Plotly = window.Plotly || p; draw(p); });\n' +
    "    }\n" +
    "    if (++tries < 600) return setTimeout(wait, 50);\n" +
    "    var el = document.getElementById(id);\n" +
    '    if (el) el.textContent = "plotly.js is not loaded in this page: re-run the first cell that showed a figure, or call resetPlotlySession() and show the figure again.";\n' +
    "  }\n" +
    "  wait();\n" +
    "})();\n" +
    "</script>\n"
  );
}

/** How a standalone page gets plotly.js: inside the page, or as `plotly.min.js` next to it. */
export type PlotlyJsMode = "inline" | "file";

/** A whole HTML page showing `figs` one under the other. */
export function standaloneHtml(figs: readonly Figure[], ids: readonly string[], plotlyjs: PlotlyJsMode): string {
  const title = figs.length === 1 && figs[0] ? figureTitle(figs[0]) : `${figs.length} figures`;
  const head =
    plotlyjs === "inline" ? plotlyInlineHtml() : '<script type="text/javascript" src="plotly.min.js"></script>\n';
  const body = figs.map((f, i) => figureHtml(f, ids[i] ?? `figure-${i}`)).join("\n");
  return (
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(title)}</title>\n` +
    "<style>body{margin:0 auto;max-width:1100px;padding:16px;font-family:sans-serif;background:white}" +
    ".lstm-lab-figure{margin-bottom:24px}</style>\n" +
    head +
    "</head>\n<body>\n" +
    body +
    "</body>\n</html>\n"
  );
}

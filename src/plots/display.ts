/**
 * Showing a figure. In the lstm-lab kernel, one display_data bundle carries
 * `application/vnd.plotly.v1+json` (JupyterLab, VS Code), `text/html` (classic Notebook, nbconvert
 * HTML; plotly.js inlined once per kernel session) and `text/plain`. In plain Node the figure is
 * written to a standalone HTML file and its path returned.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../errors.js";
import { kernelHost } from "../host.js";
import type { MimeBundle } from "../host.js";
import { oneOf, show as showValue } from "../validate.js";
import type { Figure } from "./figure.js";
import { figureTitle } from "./figure.js";
import { figureHtml, plotlyInlineHtml, plotlyPath, standaloneHtml } from "./html.js";
import type { PlotlyJsMode } from "./html.js";

/** MIME type of Plotly's JSON renderer (jupyterlab-plotly, VS Code). */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The kernel session flag set once plotly.js has been inlined into an output. */
export const PLOTLY_SESSION_FLAG = "plotly.js";

/** Options of {@link show}: the output to replace in the notebook, or the HTML file in plain Node. */
export interface ShowOptions {
  /** Jupyter display_id, so later `show(fig, { displayId, update: true })` replaces this output. */
  displayId?: string;
  /** Replace the output (kernel) or file (plain Node) shown earlier with `displayId`. @default false */
  update?: boolean;
  /** Plain Node only: folder for the HTML file. @default "out/figures" (relative to the working directory) */
  dir?: string;
  /** Plain Node only: file name; default: the title as a slug plus a counter, e.g. "loss-3.html". */
  file?: string;
  /** Plain Node only: plotly.js inside the page ("inline", like plotly.py's write_html) or copied next to it ("file"). @default "inline" */
  plotlyjs?: PlotlyJsMode;
}

const DEFAULTS: Required<Omit<ShowOptions, "displayId" | "file">> = {
  update: false,
  dir: path.join("out", "figures"),
  plotlyjs: "inline",
};

let counter = 0;
const stamp = Date.now().toString(36);
/** Files written for a displayId outside the kernel, so `update: true` rewrites the same file. */
const filesById = new Map<string, string>();

/** A new id, unique within this process and very likely across processes. */
export function uniqueId(prefix = "lstm-lab"): string {
  counter += 1;
  return `${prefix}-${process.pid.toString(36)}-${stamp}-${counter}`;
}

function checkFigure(name: string, fig: unknown): Figure {
  const f = fig as Partial<Figure> | null;
  if (typeof f !== "object" || f === null || !Array.isArray(f.data) || typeof f.layout !== "object" || f.layout === null) {
    throw new ConfigError(`\`${name}\` must be a figure { data: Trace[], layout, config }, got ${showValue(fig)}.`);
  }
  return { data: f.data, layout: f.layout, config: f.config ?? {} };
}

/** One line for text/plain, e.g. `<Figure: Loss (2 traces)>`. */
export function figureSummary(fig: Figure): string {
  const n = fig.data.length;
  return `<Figure: ${figureTitle(fig)} (${n} trace${n === 1 ? "" : "s"})>`;
}

/**
 * The display bundle for one figure. `inlinePlotly` puts plotly.js in front of the figure in
 * text/html (the first figure of a kernel session).
 */
export function figureBundle(fig: Figure, o: { divId?: string; inlinePlotly?: boolean } = {}): MimeBundle {
  const f = checkFigure("figure", fig);
  const divId = o.divId ?? uniqueId();
  return {
    [PLOTLY_MIME]: { data: f.data, layout: f.layout, config: f.config },
    "text/html": (o.inlinePlotly ? plotlyInlineHtml() : "") + figureHtml(f, divId),
    "text/plain": figureSummary(f),
  };
}

/**
 * Forgets that plotly.js was inlined in this kernel session, so the next figure inlines it again
 * (use after clearing the output that carried it).
 */
export function resetPlotlySession(): void {
  const flags = kernelHost()?.sessionFlags;
  if (!flags) return;
  for (const f of [...flags]) if (f === PLOTLY_SESSION_FLAG || f.startsWith(`${PLOTLY_SESSION_FLAG}:display:`)) flags.delete(f);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "figure";
}

function writeHtml(figs: readonly Figure[], o: ShowOptions): string {
  const r = { ...DEFAULTS, ...o };
  oneOf("plotlyjs", r.plotlyjs, ["inline", "file"] as const);
  let file = o.update && o.displayId !== undefined ? filesById.get(o.displayId) : undefined;
  if (file === undefined) {
    const name = o.file ?? `${slug(figs.length === 1 && figs[0] ? figureTitle(figs[0]) : "figures")}-${++counter}.html`;
    file = path.resolve(r.dir, name);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (r.plotlyjs === "file") {
    const target = path.join(path.dirname(file), "plotly.min.js");
    if (!fs.existsSync(target)) fs.copyFileSync(plotlyPath(), target);
  }
  const ids = figs.map(() => uniqueId("figure"));
  fs.writeFileSync(file, standaloneHtml(figs, ids, r.plotlyjs));
  if (o.displayId !== undefined) filesById.set(o.displayId, file);
  return file;
}

/**
 * Shows one figure (or several). In the kernel: one display_data bundle per figure, returns
 * undefined. In plain Node: writes one standalone HTML page and returns its absolute path.
 *
 * @example
 * declare const history: History;
 * declare const fig: Figure;
 * declare const fig2: Figure;
 * show(lossCurveFigure(lossCurveInfo(history)));              // a new output
 * show(fig, { displayId: "loss" });  show(fig2, { displayId: "loss", update: true }); // in place
 */
export function show(figure: Figure | readonly Figure[], o: ShowOptions = {}): string | undefined {
  const figs = (Array.isArray(figure) ? figure : [figure]).map((f, i) => checkFigure(Array.isArray(figure) ? `figure[${i}]` : "figure", f));
  if (figs.length === 0) throw new ConfigError("`figure` must be a figure or a non-empty array of figures, got [].");
  if (o.update && o.displayId === undefined) {
    throw new ConfigError("`update: true` needs the `displayId` of the output to replace, got displayId undefined.");
  }
  if (o.displayId !== undefined && figs.length > 1) {
    throw new ConfigError(`\`displayId\` identifies one output; got ${figs.length} figures. Show them one at a time.`);
  }
  const host = kernelHost();
  if (!host) return writeHtml(figs, o);
  // An update replaces the whole output, so the output that carried plotly.js keeps carrying it
  // (otherwise a saved notebook would lose the script every later figure relies on).
  const carrier = o.displayId === undefined ? null : `${PLOTLY_SESSION_FLAG}:display:${o.displayId}`;
  for (const f of figs) {
    const inlinePlotly = !host.sessionFlags.has(PLOTLY_SESSION_FLAG) || (o.update === true && carrier !== null && host.sessionFlags.has(carrier));
    const bundle = figureBundle(f, { inlinePlotly });
    const opts = o.displayId === undefined ? {} : { displayId: o.displayId, update: o.update ?? false };
    host.display(bundle, opts);
    if (inlinePlotly) {
      host.sessionFlags.add(PLOTLY_SESSION_FLAG);
      if (carrier !== null) host.sessionFlags.add(carrier);
    }
  }
  return undefined;
}

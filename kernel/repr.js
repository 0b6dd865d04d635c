// @ts-check
"use strict";
/**
 * The MIME bundle for a cell's value (execute_result). Always text/plain; richer types when the
 * value can display itself:
 *  - an object with a `[Symbol.for("lstm-lab.mimeBundle")]()` method returns its own bundle
 *    (lstm-lab's figures and tables use this; any user class can too);
 *  - so does one with a `[Symbol.for("Jupyter.display")]()` method (the Deno kernel's convention,
 *    used by display.js and others);
 *  - an arquero table renders as an HTML table (first rows) plus a text table;
 *  - an object with `_repr_html_()` (the IPython convention) adds text/html.
 */
const util = require("node:util");
const { MIME_BUNDLE } = require("../dist/src/display.js");

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** @param {any} v a cell's value, duck-typed */
function isArqueroTable(v) {
  return v !== null && typeof v === "object" && typeof v.toHTML === "function" && typeof v.numRows === "function" && typeof v.columnNames === "function";
}

/** @param {any} v a cell's value, duck-typed */
function isTensor(v) {
  return v !== null && typeof v === "object" && typeof v.dataSync === "function" && Array.isArray(v.shape) && typeof v.dtype === "string";
}

/** @param {unknown} value */
function plain(value) {
  return util.inspect(value, { depth: 4, colors: false, maxArrayLength: 100, maxStringLength: 10000, breakLength: 100 });
}

/**
 * @param {import("arquero").ColumnTable} t
 * @param {number} limit
 */
function tableText(t, limit) {
  const names = t.columnNames();
  const rows = /** @type {Record<string, unknown>[]} */ (t.objects({ limit }));
  const cell = (/** @type {unknown} */ v) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === "number" ? String(Number.isInteger(v) ? v : +v.toPrecision(6)) : String(v));
  const cols = names.map((n) => [n, ...rows.map((r) => cell(r[n]))]);
  const widths = cols.map((c) => Math.max(...c.map((s) => s.length)));
  const line = (/** @type {number} */ i) => cols.map((c, j) => c[i].padStart(widths[j])).join("  ");
  const out = [`Table: ${t.numRows()} rows × ${names.length} columns`, line(0)];
  for (let i = 1; i <= rows.length; i++) out.push(line(i));
  if (t.numRows() > rows.length) out.push(`… ${t.numRows() - rows.length} more rows`);
  return out.join("\n");
}

/**
 * @param {any} value a cell's value, duck-typed
 * @returns {Record<string, unknown>}
 */
function mimeBundle(value) {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    for (const key of [MIME_BUNDLE, JUPYTER_DISPLAY]) {
      if (typeof value[key] !== "function") continue;
      const b = value[key]();
      if (b && typeof b === "object") return { "text/plain": plain(value), ...b };
    }
  }
  if (isArqueroTable(value)) {
    const limit = 20;
    return { "text/html": value.toHTML({ limit }), "text/plain": tableText(value, limit) };
  }
  if (isTensor(value)) {
    try {
      return { "text/plain": value.toString(true) };
    } catch {
      return { "text/plain": `Tensor (disposed) shape=${JSON.stringify(value.shape)}` };
    }
  }
  /** @type {Record<string, unknown>} */
  const bundle = { "text/plain": typeof value === "string" ? util.inspect(value) : plain(value) };
  if (value !== null && typeof value === "object" && typeof value._repr_html_ === "function") {
    try {
      bundle["text/html"] = String(value._repr_html_());
    } catch {
      // a broken _repr_html_ falls back to text
    }
  }
  return bundle;
}

module.exports = { mimeBundle, MIME_BUNDLE, JUPYTER_DISPLAY };

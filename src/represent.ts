/**
 * How a value looks in a notebook: the MIME bundle the kernel sends for a cell's value, and what
 * `display()` shows. Always text/plain; richer types when the value can display itself:
 *  - an object with a `[Symbol.for("lstm-lab.mimeBundle")]()` method returns its own bundle
 *    (lstm-lab's figures and tables use this; any user class can too);
 *  - so does one with a `[Symbol.for("Jupyter.display")]()` method (the Deno kernel's convention,
 *    used by display.js and others);
 *  - an arquero table renders as an HTML table (first rows) plus a text table;
 *  - a tensor shows its values;
 *  - an object with `_repr_html_()` (the IPython convention) adds text/html.
 */
import { inspect } from "node:util";
import type { ColumnTable } from "arquero";
import type { MimeBundle } from "./host.js";

/** Objects with this method display themselves: it returns their MIME bundle. */
export const MIME_BUNDLE: unique symbol = Symbol.for("lstm-lab.mimeBundle") as never;
/** The Deno kernel's display convention, honoured too. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** Rows of an arquero table shown in a cell's value. */
const TABLE_ROWS = 20;

type Duck = Record<string | symbol, unknown>;

function isObject(v: unknown): v is Duck {
  return v !== null && (typeof v === "object" || typeof v === "function");
}

function isArqueroTable(v: Duck): boolean {
  return typeof v["toHTML"] === "function" && typeof v["numRows"] === "function" && typeof v["columnNames"] === "function";
}

function isTensor(v: Duck): boolean {
  return typeof v["dataSync"] === "function" && Array.isArray(v["shape"]) && typeof v["dtype"] === "string";
}

function plain(value: unknown): string {
  return inspect(value, { depth: 4, colors: false, maxArrayLength: 100, maxStringLength: 10000, breakLength: 100 });
}

function cellText(v: unknown): string {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "number") return String(Number.isInteger(v) ? v : +v.toPrecision(6));
  return String(v);
}

/** A text table of the first `limit` rows, right-aligned columns, with the table's size on top. */
function tableText(t: ColumnTable, limit: number): string {
  const names = t.columnNames();
  const rows = t.objects({ limit }) as Record<string, unknown>[];
  const cols = names.map((n) => [n, ...rows.map((r) => cellText(r[n]))]);
  const widths = cols.map((c) => Math.max(...c.map((s) => s.length)));
  const line = (i: number) => cols.map((c, j) => (c[i] as string).padStart(widths[j] as number)).join("  ");
  const out = [`Table: ${t.numRows()} rows × ${names.length} columns`, line(0)];
  for (let i = 1; i <= rows.length; i++) out.push(line(i));
  if (t.numRows() > rows.length) out.push(`… ${t.numRows() - rows.length} more rows`);
  return out.join("\n");
}

function ownBundle(value: Duck): MimeBundle | null {
  for (const key of [MIME_BUNDLE, JUPYTER_DISPLAY]) {
    const method = value[key];
    if (typeof method !== "function") continue;
    const b: unknown = method.call(value);
    if (isObject(b)) return { "text/plain": plain(value), ...b };
  }
  return null;
}

/**
 * The MIME bundle for a value, as the lstm-lab kernel shows a cell's value (strings quoted, as
 * IPython's repr does).
 * @example
 * console.log(represent("hi")["text/plain"]); // 'hi' (quoted, as a cell's value)
 * console.log(Object.keys(represent({ _repr_html_: () => "<b>hi</b>" }))); // [ 'text/plain', 'text/html' ]
 */
export function represent(value: unknown): MimeBundle {
  if (isObject(value)) {
    const own = ownBundle(value);
    if (own) return own;
    if (isArqueroTable(value)) {
      const t = value as unknown as ColumnTable;
      return { "text/html": t.toHTML({ limit: TABLE_ROWS }), "text/plain": tableText(t, TABLE_ROWS) };
    }
    if (isTensor(value)) {
      try {
        return { "text/plain": (value["toString"] as (verbose: boolean) => string).call(value, true) };
      } catch {
        return { "text/plain": `Tensor (disposed) shape=${JSON.stringify(value["shape"])}` };
      }
    }
  }
  const bundle: MimeBundle = { "text/plain": typeof value === "string" ? inspect(value) : plain(value) };
  if (isObject(value) && typeof value["_repr_html_"] === "function") {
    try {
      bundle["text/html"] = String((value["_repr_html_"] as () => unknown).call(value));
    } catch {
      // a broken _repr_html_ falls back to text
    }
  }
  return bundle;
}

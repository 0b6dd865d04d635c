/**
 * showSummary: Keras' model.summary() for a notebook: an HTML table (via the kernel host) with the
 * totals underneath, or aligned text on the console in plain Node. Like the plots, it returns
 * nothing in a kernel (so the cell shows the table once) and the text in plain Node.
 */
import type * as tf from "@tensorflow/tfjs";
import { kernelHost } from "../host.js";
import { modelSummary } from "./model-summary.js";

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Shows the model's layers, output shapes and parameter counts (Keras' `model.summary()`).
 * @example
 * declare const model: tf.LayersModel;
 * showSummary(model)  // a table in the notebook; in plain Node the same printed as text
 */
export function showSummary(model: tf.LayersModel): string | undefined {
  const t = modelSummary(model);
  const cols = ["layer", "type", "outputShape", "params"] as const;
  const heads = ["Layer", "Type", "Output shape", "Params"];
  const rows = t.objects().map((r) => cols.map((c) => String((r as Record<string, unknown>)[c])));
  const total = model.countParams();
  const trainable = (Array.from(t.array("trainable")) as number[]).reduce((a, b) => a + b, 0);
  const footer = `Total params: ${total.toLocaleString("en-US")}  (trainable ${trainable.toLocaleString("en-US")}, non-trainable ${(total - trainable).toLocaleString("en-US")})`;
  const widths = heads.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 3 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join("  ");
  const text = [`Model: "${model.name}"`, line(heads), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line), footer].join("\n");
  const host = kernelHost();
  if (host) {
    const th = heads.map((h, i) => `<th style="text-align:${i === 3 ? "right" : "left"}">${escapeHtml(h)}</th>`).join("");
    const trs = rows
      .map((r) => `<tr>${r.map((c, i) => `<td style="text-align:${i === 3 ? "right" : "left"}">${escapeHtml(c)}</td>`).join("")}</tr>`)
      .join("");
    const html = `<div><b>Model: ${escapeHtml(model.name)}</b><table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table><p>${escapeHtml(footer)}</p></div>`;
    host.display({ "text/html": html, "text/plain": text });
    return undefined;
  }
  console.log(text);
  return text;
}

/**
 * History as an arquero table (one row per epoch) and as JSON text that reads back into the same
 * History, so a run can be saved next to its notebook and compared later.
 */
import * as aq from "arquero";
import { DataError } from "../errors.js";
import { emptyHistory, type History } from "./history.js";

type ColumnTable = ReturnType<typeof aq.table>;

/**
 * One row per epoch: `epoch`, every log key (`loss`, `val_loss`, ...), `lr`, `seconds`,
 * `grad_norm` and `grad_norm/<layer>` for each layer.
 * @example
 * declare const h: History;
 * import * as aq from "arquero";
 * historyTable(h).orderby(aq.desc("val_loss")).print()
 */
export function historyTable(h: History): ColumnTable {
  const cols: Record<string, number[]> = { epoch: h.epoch.slice() };
  for (const [k, v] of Object.entries(h.metrics)) cols[k] = v.slice();
  cols["lr"] = h.lr.slice();
  cols["seconds"] = h.seconds.slice();
  cols["grad_norm"] = h.gradNorm.slice();
  for (const [k, v] of Object.entries(h.layerGradNorms)) cols[`grad_norm/${k}`] = v.slice();
  return aq.table(cols);
}

/**
 * The History as JSON text (NaN and Infinity survive as strings).
 * @example
 * const json = historyToJSON(emptyHistory());
 * historyFromJSON(json).epoch // []
 */
export function historyToJSON(h: History): string {
  return JSON.stringify(h, (_k, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? String(v) : v,
  );
}

/**
 * Reads `historyToJSON` output (or any JSON of a History) back, checking its shape.
 * @example
 * historyFromJSON(historyToJSON(emptyHistory())).epoch // []
 */
export function historyFromJSON(text: string): History {
  const raw = JSON.parse(text, (_k, v: unknown) =>
    v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v,
  ) as Partial<History>;
  const h = { ...emptyHistory(), ...raw };
  const n = h.epoch.length;
  const check = (name: string, a: unknown) => {
    if (!Array.isArray(a) || a.length !== n) {
      throw new DataError(`History field "${name}" must be an array of ${n} numbers (one per epoch), got ${Array.isArray(a) ? a.length : typeof a}.`);
    }
  };
  check("lr", h.lr);
  check("seconds", h.seconds);
  check("gradNorm", h.gradNorm);
  for (const [k, v] of Object.entries(h.metrics)) check(`metrics.${k}`, v);
  for (const [k, v] of Object.entries(h.layerGradNorms)) check(`layerGradNorms.${k}`, v);
  return h;
}

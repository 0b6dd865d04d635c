/**
 * Loading tables from files with arquero's loaders (CSV, TSV, JSON, Arrow), picking the format
 * from the extension, and turning date columns into Dates.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { DataError } from "../errors.js";
import { bool, oneOf, show } from "../validate.js";
import { requireColumns } from "./columns.js";
import { isMissing } from "./missing.js";

/** A file format load() reads. */
export type FileFormat = "csv" | "tsv" | "json" | "arrow";
/** Every FileFormat. */
export const FILE_FORMATS: readonly FileFormat[] = ["csv", "tsv", "json", "arrow"];

/** Options of load(). */
export interface LoadOptions {
  /** File format; by default from the extension (.csv, .tsv/.tab, .json, .arrow/.feather). @default null */
  format?: FileFormat | null;
  /** Columns to parse into Dates (strings or epoch ms). ISO dates are parsed by arquero already. @default [] */
  dates?: readonly string[];
  /** Read date text without a time zone as UTC wall-clock time (so days do not shift). @default true */
  utc?: boolean;
  /** Delimiter for CSV; "\t" for TSV. @default null (by format) */
  delimiter?: string | null;
  /** Let arquero infer numbers, booleans and ISO dates. @default true */
  autoType?: boolean;
}
const DEFAULTS: Required<LoadOptions> = { format: null, dates: [], utc: true, delimiter: null, autoType: true };

function formatOf(path: string): FileFormat {
  const ext = /\.([a-z0-9]+)(?:\.gz)?$/i.exec(path)?.[1]?.toLowerCase() ?? "";
  if (ext === "csv" || ext === "txt") return "csv";
  if (ext === "tsv" || ext === "tab") return "tsv";
  if (ext === "json") return "json";
  if (ext === "arrow" || ext === "feather" || ext === "ipc") return "arrow";
  throw new DataError(`Cannot tell the format of ${show(path)} from its extension; pass \`format\` (one of: ${FILE_FORMATS.join(", ")}).`);
}

/**
 * Parses one date value; NaN when it cannot. Zone-less text is read as UTC wall-clock time when `utc`.
 * @example
 * parseDate("2015-01-02") // 1420156800000 (UTC milliseconds)
 */
export function parseDate(v: unknown, utc = true): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number") return v;
  if (typeof v !== "string") return NaN;
  const s = v.trim();
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return NaN;
  const iso = /^\d{4}-\d{2}(-\d{2})?$/.test(s) || /(Z|[+-]\d{2}:?\d{2}|UTC|GMT)$/i.test(s);
  if (!utc || iso) return d.getTime();
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
}

/**
 * A new table with `columns` turned into Dates. Missing values stay null; anything unparseable is a
 * DataError naming the column, row and value.
 */
export function parseDates(table: ColumnTable, columns: readonly string[], utc = true): ColumnTable {
  requireColumns(table, columns);
  const out: Record<string, (Date | null)[]> = {};
  for (const c of columns) {
    const a = table.array(c) as ArrayLike<unknown>;
    const dates = new Array<Date | null>(a.length);
    for (let i = 0; i < a.length; i++) {
      if (isMissing(a[i])) {
        dates[i] = null;
        continue;
      }
      const t = parseDate(a[i], utc);
      if (Number.isNaN(t)) throw new DataError(`Column "${c}" has ${show(a[i])} at row ${i}, which is not a date.`);
      dates[i] = new Date(t);
    }
    out[c] = dates;
  }
  return columns.length ? table.assign(out) : table;
}

/**
 * Loads a table from a file path (or URL) with arquero's loaders.
 *
 * @example
 * // not run: reads your file
 * const sales = await load("data/sales.csv", { dates: ["day"] });
 */
export async function load(path: string, options: LoadOptions = {}): Promise<ColumnTable> {
  const o = { ...DEFAULTS, ...options };
  const format = o.format === null ? formatOf(path) : oneOf("format", o.format, FILE_FORMATS);
  bool("utc", o.utc);
  bool("autoType", o.autoType);
  let table: ColumnTable;
  try {
    if (format === "csv" || format === "tsv") {
      table = await aq.loadCSV(path, { delimiter: o.delimiter ?? (format === "tsv" ? "\t" : ","), autoType: o.autoType });
    } else if (format === "json") {
      table = await aq.loadJSON(path, { autoType: o.autoType });
    } else {
      table = await aq.loadArrow(path);
    }
  } catch (e) {
    throw new DataError(`Could not load ${show(path)} as ${format}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseDates(table, o.dates, o.utc);
}

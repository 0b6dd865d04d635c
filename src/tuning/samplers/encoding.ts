/**
 * Maps parameter assignments to points of the unit cube and back, for model-based samplers:
 * numeric dimensions to [0, 1] (log dimensions in log space; ints and stepped floats as the
 * centres of equal cells, so rounding after is exact), categoricals one-hot, inactive
 * conditional parameters to a fixed neutral value.
 */
import { snap } from "../distributions.js";
import { contains } from "../distributions.js";
import type { SearchSpace, SpaceParam } from "../space.js";
import type { Distribution, ParamValue, Params } from "../frozen-trial.js";

interface Column {
  param: SpaceParam;
  /** First column of this parameter. */
  offset: number;
  /** Columns used (1 for numeric, number of choices for categorical). */
  width: number;
  /** Number of discrete values for ints / stepped floats; 0 for continuous. */
  levels: number;
}

type Numeric = Distribution & { kind: "float" | "int" };

function levelsOf(d: Numeric): number {
  if (d.log) return 0;
  const step = d.step ?? (d.kind === "int" ? 1 : undefined);
  return step === undefined ? 0 : Math.round((d.high - d.low) / step) + 1;
}

/** The unit-cube encoding of a search space. */
export class SpaceEncoding {
  readonly space: SearchSpace;
  readonly dim: number;
  readonly #cols: Column[];

  constructor(space: SearchSpace) {
    this.space = space;
    let offset = 0;
    this.#cols = space.params.map((param) => {
      const d = param.distribution;
      const width = d.kind === "categorical" ? d.choices.length : 1;
      const col: Column = { param, offset, width, levels: d.kind === "categorical" ? 0 : levelsOf(d) };
      offset += width;
      return col;
    });
    this.dim = offset;
  }

  /** Which columns belong to categorical parameters: [offset, width] pairs. */
  get categoricalBlocks(): [number, number][] {
    return this.#cols.filter((c) => c.param.distribution.kind === "categorical").map((c) => [c.offset, c.width]);
  }

  /** Which columns are numeric. */
  get numericColumns(): number[] {
    return this.#cols.filter((c) => c.param.distribution.kind !== "categorical").map((c) => c.offset);
  }

  /** Encodes the active parameters of `params`; null when a value does not fit the space. */
  encode(params: Params): number[] | null {
    const x = new Array<number>(this.dim).fill(0);
    for (const c of this.#cols) {
      const d = c.param.distribution;
      const active = this.space.isActive(c.param.name, params);
      const v = params[c.param.name];
      if (!active) {
        if (d.kind !== "categorical") x[c.offset] = 0.5;
        continue;
      }
      if (v === undefined || !contains(d, v)) return null;
      if (d.kind === "categorical") {
        x[c.offset + d.choices.findIndex((ch) => ch === v)] = 1;
      } else {
        x[c.offset] = this.#toUnit(d, c.levels, v as number);
      }
    }
    return x;
  }

  /** Decodes a point of the cube to valid values of the active parameters. */
  decode(x: ArrayLike<number>): Params {
    const out: Params = {};
    for (const c of this.#cols) {
      if (!this.space.isActive(c.param.name, out)) continue;
      const d = c.param.distribution;
      if (d.kind === "categorical") {
        let best = 0;
        for (let k = 1; k < c.width; k++) if ((x[c.offset + k] as number) > (x[c.offset + best] as number)) best = k;
        out[c.param.name] = d.choices[best] as ParamValue;
      } else {
        out[c.param.name] = this.#fromUnit(d, c.levels, x[c.offset] as number);
      }
    }
    return out;
  }

  /** Decode then encode: moves a point onto the nearest feasible one (ints on cell centres, one-hot). */
  snap(x: ArrayLike<number>): number[] {
    return this.encode(this.decode(x)) as number[];
  }

  #toUnit(d: Numeric, levels: number, v: number): number {
    if (d.low === d.high) return 0.5;
    if (d.log) {
      const lo = d.kind === "int" ? Math.log(d.low - 0.5) : Math.log(d.low);
      const hi = d.kind === "int" ? Math.log(d.high + 0.5) : Math.log(d.high);
      return (Math.log(v) - lo) / (hi - lo);
    }
    if (levels > 0) {
      const step = d.step ?? 1;
      return (Math.round((v - d.low) / step) + 0.5) / levels;
    }
    return (v - d.low) / (d.high - d.low);
  }

  #fromUnit(d: Numeric, levels: number, t: number): number {
    const u = Math.min(1, Math.max(0, t));
    if (d.low === d.high) return d.low;
    if (d.log) {
      const lo = d.kind === "int" ? Math.log(d.low - 0.5) : Math.log(d.low);
      const hi = d.kind === "int" ? Math.log(d.high + 0.5) : Math.log(d.high);
      return snap(d, Math.exp(lo + u * (hi - lo)));
    }
    if (levels > 0) {
      const k = Math.min(levels - 1, Math.floor(u * levels));
      return snap(d, d.low + k * (d.step ?? 1));
    }
    return snap(d, d.low + u * (d.high - d.low));
  }
}

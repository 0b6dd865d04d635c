/**
 * A declared search space: named distributions, some of them active only when earlier
 * parameters take given values (units of layer 2 only when there are 2 or more layers).
 * Printable as text (`toString()`) and as rows (`rows()`), so a notebook can show what it tunes.
 */
import { ConfigError } from "../errors.js";
import { show } from "../validate.js";
import { checkDistribution, contains, describeDistribution } from "./distributions.js";
import type { Distribution, DistributionValue, ParamValue, Params } from "./frozen-trial.js";

/** A parameter that exists only when each named earlier parameter takes one of the listed values. */
export interface ConditionalParam<D extends Distribution = Distribution> {
  kind: "conditional";
  /** Parent name → allowed values (a single value is shorthand for a one-element list). */
  when: Record<string, ParamValue | readonly ParamValue[]>;
  distribution: D;
}

/** What `space({...})` accepts for one parameter. */
export type SpaceEntry = Distribution | ConditionalParam;

/** Flattens an intersection of object types into one object type (for readable hovers). */
type Flat<T> = { [K in keyof T]: T[K] } & {};

/**
 * The parameters a declaration yields: each always-active parameter with its value type, each
 * conditional one optional (it is absent from trials where its condition is not met).
 * @example
 * // { lr: number; cell: "lstm" | "gru"; units2?: number }
 * type P = SpaceParams<{ lr: FloatDistribution; cell: CategoricalDistribution<"lstm" | "gru">; units2: ConditionalParam<IntDistribution> }>;
 */
export type SpaceParams<D extends Record<string, SpaceEntry>> = Flat<
  { -readonly [K in keyof D as D[K] extends ConditionalParam ? never : K]: DistributionValue<D[K]> } & {
    -readonly [K in keyof D as D[K] extends ConditionalParam ? K : never]?: D[K] extends ConditionalParam<infer X> ? DistributionValue<X> : never;
  }
>;

/**
 * The parameters' type of a space, or of a space declaration: what `trial.params` and
 * `study.bestParams` hold. Handy to type a function that takes a trial's parameters.
 * @example
 * const sp = space({ units: intParam(8, 64), optimizer: categoricalParam(["adam", "rmsprop"]) });
 * const build = (p: ParamsOf<typeof sp>) => buildModel({ inputShape: [7, 2], units: [p.units], optimizer: p.optimizer });
 */
export type ParamsOf<S> = S extends SearchSpace<infer P> ? P : S extends Record<string, SpaceEntry> ? SpaceParams<S> : Params;

/**
 * Marks `distribution` as active only under `when`.
 * @example space({ layers: intParam(1, 3), units2: conditional({ layers: [2, 3] }, intParam(8, 128, { step: 8 })) })
 */
export function conditional<D extends Distribution>(when: Record<string, ParamValue | readonly ParamValue[]>, distribution: D): ConditionalParam<D> {
  return { kind: "conditional", when, distribution };
}

/** One parameter of a space, as stored. */
export interface SpaceParam {
  readonly name: string;
  readonly distribution: Distribution;
  /** Parent name → allowed values; null for always-active parameters. */
  readonly when: Readonly<Record<string, readonly ParamValue[]>> | null;
}

/**
 * A checked search space. Build it with {@link space}. `P` is the type of the parameters it
 * yields (see {@link ParamsOf}).
 */
export class SearchSpace<P extends Params = Params> {
  readonly params: readonly SpaceParam[];
  readonly #byName: Map<string, SpaceParam>;

  /** Use {@link space}; this constructor trusts its input. */
  constructor(params: readonly SpaceParam[]) {
    this.params = params;
    this.#byName = new Map(params.map((p) => [p.name, p]));
  }

  /** Parameter names in declaration order. */
  get names(): string[] {
    return this.params.map((p) => p.name);
  }

  /** The distribution of `name`, or undefined. */
  get(name: string): SpaceParam | undefined {
    return this.#byName.get(name);
  }

  /** True when the space has at least one conditional parameter. */
  get hasConditions(): boolean {
    return this.params.some((p) => p.when !== null);
  }

  /** Whether `name` is active given the values of earlier parameters in `values`. */
  isActive(name: string, values: Params): boolean {
    const p = this.#byName.get(name);
    if (!p) return false;
    if (p.when === null) return true;
    for (const [parent, allowed] of Object.entries(p.when)) {
      if (!this.isActive(parent, values)) return false;
      const v = values[parent];
      if (v === undefined || !allowed.some((a) => a === v)) return false;
    }
    return true;
  }

  /** Keeps only the active parameters of a full assignment (values for every name). */
  activeOnly(values: Params): P {
    const out: Params = {};
    for (const p of this.params) {
      if (this.isActive(p.name, values) && values[p.name] !== undefined) out[p.name] = values[p.name] as ParamValue;
    }
    // the names and values come from this space's checked declaration
    return out as P;
  }

  /** The distributions of the active parameters in `params`. */
  distributionsOf(params: Params): Record<string, Distribution> {
    const out: Record<string, Distribution> = {};
    for (const name of Object.keys(params)) {
      const p = this.#byName.get(name);
      if (p) out[name] = p.distribution;
    }
    return out;
  }

  /** One row per parameter: name, kind, range or choices, scale, condition. */
  rows(): { name: string; kind: string; range: string; log: boolean; step: number | null; when: string }[] {
    return this.params.map((p) => {
      const d = p.distribution;
      return {
        name: p.name,
        kind: d.kind,
        range: d.kind === "categorical" ? `{${d.choices.map(String).join(", ")}}` : `[${d.low}, ${d.high}]`,
        log: d.kind !== "categorical" && Boolean(d.log),
        step: d.kind !== "categorical" && d.step !== undefined ? d.step : null,
        when: p.when === null ? "" : whenText(p.when),
      };
    });
  }

  /** Multi-line description: `lr      float [0.0001, 0.1] log`. */
  toString(): string {
    const width = Math.max(4, ...this.params.map((p) => p.name.length));
    const lines = this.params.map((p) => {
      const cond = p.when === null ? "" : `   if ${whenText(p.when)}`;
      return `  ${p.name.padEnd(width)}  ${describeDistribution(p.distribution)}${cond}`;
    });
    return `SearchSpace (${this.params.length} parameters)\n${lines.join("\n")}`;
  }

  /** Plain JSON form (what `space()` accepts back). */
  toJSON(): Record<string, SpaceEntry> {
    const out: Record<string, SpaceEntry> = {};
    for (const p of this.params) out[p.name] = p.when === null ? p.distribution : conditional({ ...p.when }, p.distribution);
    return out;
  }
}

function whenText(when: Readonly<Record<string, readonly ParamValue[]>>): string {
  return Object.entries(when)
    .map(([k, vs]) => (vs.length === 1 ? `${k} = ${String(vs[0])}` : `${k} in {${vs.map(String).join(", ")}}`))
    .join(" and ");
}

/**
 * Builds and checks a search space. Parameters keep their declaration order; a condition may
 * only name parameters declared before it, and only values those parameters can take.
 * The space carries its parameters' types, so an objective reads `trial.params.lr` as a number,
 * `trial.params.cell` as `"lstm" | "gru"` and `trial.params.units2` as `number | undefined`.
 * @example
 * const s = space({
 *   lr: floatParam(1e-4, 1e-1, { log: true }),
 *   layers: intParam(1, 2),
 *   units2: conditional({ layers: 2 }, intParam(8, 64, { step: 8 })),
 *   cell: categoricalParam(["lstm", "gru"]),
 * });
 */
export function space<P extends Params>(decl: SearchSpace<P>): SearchSpace<P>;
export function space<const D extends Record<string, SpaceEntry>>(decl: D): SearchSpace<SpaceParams<D>>;
export function space(decl: Record<string, SpaceEntry> | SearchSpace): SearchSpace;
export function space(decl: Record<string, SpaceEntry> | SearchSpace): SearchSpace {
  if (decl instanceof SearchSpace) return decl;
  if (decl === null || typeof decl !== "object" || Array.isArray(decl)) {
    throw new ConfigError(`\`space\` must be an object of name → distribution, got ${show(decl)}.`);
  }
  const entries = Object.entries(decl);
  if (entries.length === 0) throw new ConfigError("The search space is empty: declare at least one parameter, e.g. { lr: floatParam(1e-4, 1e-1, { log: true }) }.");
  const params: SpaceParam[] = [];
  const seen = new Map<string, Distribution>();
  for (const [name, entry] of entries) {
    if (entry === null || typeof entry !== "object") {
      throw new ConfigError(`Parameter ${show(name)}: expected a distribution, got ${show(entry)}.`);
    }
    let when: Record<string, readonly ParamValue[]> | null = null;
    let dist: Distribution;
    if (entry.kind === "conditional") {
      dist = checkDistribution(name, entry.distribution);
      when = {};
      const conds = Object.entries(entry.when ?? {});
      if (conds.length === 0) throw new ConfigError(`Parameter ${show(name)}: \`when\` names no parent parameter.`);
      for (const [parent, raw] of conds) {
        const parentDist = seen.get(parent);
        if (!parentDist) {
          throw new ConfigError(`Parameter ${show(name)}: condition names ${show(parent)}, which is not declared before it.`);
        }
        const allowed: readonly ParamValue[] = Array.isArray(raw) ? raw : [raw as ParamValue];
        if (allowed.length === 0) throw new ConfigError(`Parameter ${show(name)}: condition on ${show(parent)} lists no values.`);
        for (const v of allowed) {
          if (!contains(parentDist, v)) {
            throw new ConfigError(`Parameter ${show(name)}: condition value ${show(v)} is not a possible value of ${show(parent)} (${describeDistribution(parentDist)}).`);
          }
        }
        when[parent] = allowed.slice();
      }
    } else {
      dist = checkDistribution(name, entry);
    }
    seen.set(name, dist);
    params.push({ name, distribution: dist, when });
  }
  return new SearchSpace(params);
}

/**
 * Distributions are data (see trial.ts). These helpers build them, check them once at the edge
 * with messages that name the parameter and the value, and answer "is this value one of yours?".
 */
import { ConfigError } from "../errors.js";
import { show } from "../validate.js";
import type { CategoricalDistribution, Distribution, FloatDistribution, IntDistribution, ParamValue } from "./frozen-trial.js";

/** Options of {@link floatParam}. */
export interface FloatParamOptions {
  /** Sample in log space (low must be > 0). @default false */ log?: boolean;
  /** Quantisation step: values are low + k·step. Must divide high − low. */ step?: number;
}

/** Options of {@link intParam}. */
export interface IntParamOptions {
  /** Distance between allowed values: low, low + step, ..., high. @default 1 */ step?: number;
  /** Sample in log space (low must be ≥ 1, step 1). @default false */ log?: boolean;
}

/**
 * A float dimension in [low, high].
 * @example floatParam(1e-4, 1e-1, { log: true }) // a learning rate
 */
export function floatParam(low: number, high: number, o: FloatParamOptions = {}): FloatDistribution {
  const d: FloatDistribution = { kind: "float", low, high };
  if (o.log !== undefined) d.log = o.log;
  if (o.step !== undefined) d.step = o.step;
  return d;
}

/**
 * An integer dimension in [low, high] (both included), optionally with a step or in log space.
 * @example intParam(16, 128, { step: 16 }) // units: 16, 32, …, 128
 */
export function intParam(low: number, high: number, o: IntParamOptions = {}): IntDistribution {
  const d: IntDistribution = { kind: "int", low, high };
  if (o.step !== undefined) d.step = o.step;
  if (o.log !== undefined) d.log = o.log;
  return d;
}

/**
 * One of a list of choices (strings, numbers or booleans). The parameter's type is the union of
 * the choices as written, without `as const`: `"adam" | "rmsprop"` below, `boolean` for `[true, false]`.
 * @example categoricalParam(["adam", "rmsprop"]) // a trial's params.optimizer is "adam" | "rmsprop"
 */
export function categoricalParam<const T extends ParamValue>(choices: readonly T[]): CategoricalDistribution<T> {
  return { kind: "categorical", choices: choices.slice() };
}

const EPS = 1e-9;

/** True when `step` divides `high − low` (up to float rounding). */
function divides(low: number, high: number, step: number): boolean {
  const k = (high - low) / step;
  return Math.abs(k - Math.round(k)) <= EPS * Math.max(1, Math.abs(k));
}

/**
 * Throws ConfigError when `d` is not a usable distribution for the parameter `name`;
 * returns `d` otherwise. Samplers and the study trust distributions that passed this.
 */
export function checkDistribution(name: string, d: Distribution): Distribution {
  const p = `Parameter ${show(name)}`;
  if (d === null || typeof d !== "object") throw new ConfigError(`${p}: expected a distribution, got ${show(d)}.`);
  if (d.kind === "categorical") {
    if (!Array.isArray(d.choices) || d.choices.length === 0) {
      throw new ConfigError(`${p}: \`choices\` must be a non-empty array, got ${show(d.choices)}.`);
    }
    const seen = new Set<string>();
    for (const c of d.choices) {
      if (!["string", "number", "boolean"].includes(typeof c)) {
        throw new ConfigError(`${p}: choices must be strings, numbers or booleans, got ${show(c)}.`);
      }
      const key = `${typeof c}:${String(c)}`;
      if (seen.has(key)) throw new ConfigError(`${p}: choice ${show(c)} appears twice.`);
      seen.add(key);
    }
    return d;
  }
  if (d.kind !== "float" && d.kind !== "int") {
    throw new ConfigError(`${p}: unknown distribution kind ${show((d as { kind?: unknown }).kind)}. Choose one of: float, int, categorical.`);
  }
  const { low, high } = d;
  if (typeof low !== "number" || !Number.isFinite(low)) throw new ConfigError(`${p}: \`low\` must be a finite number, got ${show(low)}.`);
  if (typeof high !== "number" || !Number.isFinite(high)) throw new ConfigError(`${p}: \`high\` must be a finite number, got ${show(high)}.`);
  if (low > high) throw new ConfigError(`${p}: \`low\` (${low}) must not be greater than \`high\` (${high}).`);
  if (d.kind === "int") {
    if (!Number.isInteger(low)) throw new ConfigError(`${p}: \`low\` of an int parameter must be an integer, got ${low}.`);
    if (!Number.isInteger(high)) throw new ConfigError(`${p}: \`high\` of an int parameter must be an integer, got ${high}.`);
  }
  if (d.step !== undefined) {
    const s = d.step;
    const ok = typeof s === "number" && Number.isFinite(s) && s > 0 && (d.kind === "float" || Number.isInteger(s));
    if (!ok) throw new ConfigError(`${p}: \`step\` must be a positive ${d.kind === "int" ? "integer" : "number"}, got ${show(s)}.`);
    if (!divides(low, high, s)) {
      throw new ConfigError(`${p}: \`step\` ${s} does not divide the range [${low}, ${high}] (width ${high - low}).`);
    }
  }
  if (d.log) {
    if (d.kind === "float" && low <= 0) throw new ConfigError(`${p}: a log-scale parameter needs \`low\` > 0, got ${low}.`);
    if (d.kind === "int" && low < 1) throw new ConfigError(`${p}: a log-scale int parameter needs \`low\` ≥ 1, got ${low}.`);
    if (d.step !== undefined && !(d.kind === "int" && d.step === 1)) {
      throw new ConfigError(`${p}: \`step\` (${d.step}) cannot be combined with \`log: true\`.`);
    }
  }
  return d;
}

/**
 * True when `value` is a value `d` can produce (in range, on the step grid, one of the choices).
 * @example
 * contains(intParam(1, 4), 3) // true
 * contains(intParam(1, 4), 2.5) // false
 */
export function contains(d: Distribution, value: ParamValue): boolean {
  if (d.kind === "categorical") return d.choices.some((c) => c === value);
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (value < d.low - EPS * Math.max(1, Math.abs(d.low)) || value > d.high + EPS * Math.max(1, Math.abs(d.high))) return false;
  if (d.kind === "int" && !Number.isInteger(value)) return false;
  if (d.step !== undefined) return divides(d.low, value, d.step);
  return true;
}

/** True when two distributions are the same (same kind, bounds, step, log, choices). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "categorical" && b.kind === "categorical") {
    return a.choices.length === b.choices.length && a.choices.every((c, i) => c === b.choices[i]);
  }
  if (a.kind === "categorical" || b.kind === "categorical") return false;
  return a.low === b.low && a.high === b.high && (a.step ?? null) === (b.step ?? null) && Boolean(a.log) === Boolean(b.log);
}

/**
 * Short text of a distribution: `float [0.0001, 0.1] log`, `int [1, 3] step 1`, `categorical {adam, sgd}`.
 * @example
 * describeDistribution(floatParam(1e-4, 1e-1, { log: true }))
 */
export function describeDistribution(d: Distribution): string {
  if (d.kind === "categorical") return `categorical {${d.choices.map(String).join(", ")}}`;
  const extra = [d.log ? "log" : "", d.step !== undefined ? `step ${d.step}` : ""].filter(Boolean).join(" ");
  return `${d.kind} [${d.low}, ${d.high}]${extra ? " " + extra : ""}`;
}

/**
 * Snaps a number to the nearest allowed value of a numeric distribution (clamp to the bounds,
 * round to the step; ints become integers). Samplers use it after working in a continuous space.
 */
export function snap(d: FloatDistribution | IntDistribution, x: number): number {
  let v = Math.min(d.high, Math.max(d.low, x));
  const step = d.step ?? (d.kind === "int" ? 1 : undefined);
  if (step !== undefined) {
    const k = Math.round((v - d.low) / step);
    const kMax = Math.round((d.high - d.low) / step);
    v = d.low + Math.min(kMax, Math.max(0, k)) * step;
    if (d.kind === "int") v = Math.round(v);
    else v = Number(v.toPrecision(15));
  }
  return v;
}

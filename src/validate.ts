/**
 * Argument checks with one wording for every message. Each throws ConfigError naming the
 * option and the value; each returns the value so it can be used inline.
 */
import { ConfigError } from "./errors.js";

/** Formats a value for an error message: strings quoted, arrays and objects as JSON. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value === undefined) return "undefined";
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(value);
  }
}

export function finiteNumber(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ConfigError(`\`${name}\` must be a finite number, got ${show(value)}.`);
  }
  return value;
}

export function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`\`${name}\` must be a positive number, got ${show(value)}.`);
  }
  return value;
}

export function nonNegativeNumber(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`\`${name}\` must be a non-negative number, got ${show(value)}.`);
  }
  return value;
}

export function positiveInt(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`\`${name}\` must be a positive integer, got ${show(value)}.`);
  }
  return value;
}

export function nonNegativeInt(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`\`${name}\` must be a non-negative integer, got ${show(value)}.`);
  }
  return value;
}

/** `low <= value <= high` (or `low <= value < high` with `{ highOpen: true }`, likewise lowOpen). */
export function inRange(
  name: string,
  value: unknown,
  low: number,
  high: number,
  o: { lowOpen?: boolean; highOpen?: boolean } = {},
): number {
  const v = typeof value === "number" ? value : NaN;
  const okLow = o.lowOpen ? v > low : v >= low;
  const okHigh = o.highOpen ? v < high : v <= high;
  if (!Number.isFinite(v) || !okLow || !okHigh) {
    const range = `${o.lowOpen ? "(" : "["}${low}, ${high}${o.highOpen ? ")" : "]"}`;
    throw new ConfigError(`\`${name}\` must be in ${range}, got ${show(value)}.`);
  }
  return v;
}

export function oneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(`Unknown ${name} ${show(value)}. Choose one of: ${choices.join(", ")}.`);
  }
  return value as T;
}

export function bool(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ConfigError(`\`${name}\` must be true or false, got ${show(value)}.`);
  return value;
}

export function nonEmptyArray<T>(name: string, value: readonly T[] | undefined): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`\`${name}\` must be a non-empty array, got ${show(value)}.`);
  }
  return value;
}

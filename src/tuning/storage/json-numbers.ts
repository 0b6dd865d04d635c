/** JSON that keeps NaN and ±Infinity (reported values may be either): they are written as {"$num": "NaN"}. */

function replacer(_key: string, v: unknown): unknown {
  return typeof v === "number" && !Number.isFinite(v) ? { $num: String(v) } : v;
}

/** `JSON.parse` reviver that turns {"$num": "NaN"} back into the number. */
export function reviveJson(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && "$num" in v && Object.keys(v).length === 1) return Number((v as { $num: string }).$num);
  return v;
}

/** `JSON.stringify` that keeps non-finite numbers. */
export function stringifyJson(v: unknown): string {
  return JSON.stringify(v, replacer);
}

/**
 * Calendar features from a time column, encoded as sin/cos pairs so that December sits next to
 * January and Sunday next to Monday. Each row uses only its own timestamp.
 */
import type { ColumnTable } from "arquero";
import { bool, nonEmptyArray, oneOf } from "../validate.js";
import { requireColumns, timeColumn } from "./columns.js";

/** A calendar feature addCalendar can add. */
export type CalendarPart = "dayOfWeek" | "month" | "dayOfYear" | "hour";
/** Every CalendarPart, in a stable order. */
export const CALENDAR_PARTS: readonly CalendarPart[] = ["dayOfWeek", "month", "dayOfYear", "hour"];
const SHORT: Record<CalendarPart, string> = { dayOfWeek: "dow", month: "month", dayOfYear: "doy", hour: "hour" };

/** Options of addCalendar. */
export interface CalendarOptions {
  /** Which features. @default ["dayOfWeek", "month", "dayOfYear"] */
  parts?: readonly CalendarPart[];
  /** Read the dates in UTC (arquero parses ISO dates as UTC); false uses the local time zone. @default true */
  utc?: boolean;
  /** Prefix of the new column names. @default "" */
  prefix?: string;
}
const DEFAULTS: Required<CalendarOptions> = { parts: ["dayOfWeek", "month", "dayOfYear"], utc: true, prefix: "" };

/**
 * Adds `dow_sin`/`dow_cos` (day of week, period 7, Sunday = 0), `month_sin`/`month_cos` (period 12,
 * January = 0), `doy_sin`/`doy_cos` (day of year − 1 over 365 or 366) and optionally `hour_sin`/`hour_cos`.
 *
 * @example
 * declare const weather: ReturnType<typeof dataset>;
 * addCalendar(weather, "date", { parts: ["dayOfYear"] }) // doy_sin, doy_cos
 */
export function addCalendar(table: ColumnTable, column: string, options: CalendarOptions = {}): ColumnTable {
  const o = { ...DEFAULTS, ...options };
  nonEmptyArray("parts", o.parts);
  o.parts.forEach((p, i) => oneOf(`parts[${i}]`, p, CALENDAR_PARTS));
  bool("utc", o.utc);
  requireColumns(table, [column], "time column");
  const times = timeColumn(table, column);
  const cols: Record<string, Float64Array> = {};
  for (const part of o.parts) {
    const s = new Float64Array(times.length);
    const c = new Float64Array(times.length);
    for (let i = 0; i < times.length; i++) {
      const d = new Date(times[i] as number);
      const year = o.utc ? d.getUTCFullYear() : d.getFullYear();
      let value: number, period: number;
      if (part === "dayOfWeek") [value, period] = [o.utc ? d.getUTCDay() : d.getDay(), 7];
      else if (part === "month") [value, period] = [o.utc ? d.getUTCMonth() : d.getMonth(), 12];
      else if (part === "hour") [value, period] = [o.utc ? d.getUTCHours() : d.getHours(), 24];
      else {
        const start = o.utc ? Date.UTC(year, 0, 1) : new Date(year, 0, 1).getTime();
        const startOfDay = o.utc ? Date.UTC(year, d.getUTCMonth(), d.getUTCDate()) : new Date(year, d.getMonth(), d.getDate()).getTime();
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
        [value, period] = [Math.round((startOfDay - start) / 86_400_000), leap ? 366 : 365];
      }
      const a = (2 * Math.PI * value) / period;
      s[i] = Math.sin(a);
      c[i] = Math.cos(a);
    }
    cols[`${o.prefix}${SHORT[part]}_sin`] = s;
    cols[`${o.prefix}${SHORT[part]}_cos`] = c;
  }
  return table.assign(cols);
}

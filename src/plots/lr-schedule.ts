/** Preview of a learning-rate schedule before training: the LR per epoch (or step). */
import { ConfigError } from "../errors.js";
import { positiveInt } from "../validate.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link lrScheduleInfo} and {@link plotLrSchedule}. */
export interface LrScheduleOptions {
  /** How many epochs (or steps) to preview when `schedule` is a function. @default 100 */
  steps?: number;
  /** x-axis unit. @default "Epoch" */
  unit?: "Epoch" | "Step";
  /** Figure title. @default "Learning-rate schedule" */
  title?: string;
}

/** What {@link lrScheduleInfo} computes for {@link lrScheduleFigure}: plain data. */
export interface LrScheduleInfo {
  title: string;
  unit: "Epoch" | "Step";
  x: number[];
  lr: number[];
  /** True when the LR spans a factor of 10 or more (log axis). */
  log: boolean;
}

/**
 * Evaluates `schedule` at 0..steps-1 (or takes the given LR values).
 *
 * @example lrScheduleInfo((e) => 1e-3 * 0.5 ** Math.floor(e / 10), { steps: 50 })
 */
export function lrScheduleInfo(schedule: ((step: number) => number) | readonly number[], o: LrScheduleOptions = {}): LrScheduleInfo {
  const lr = typeof schedule === "function" ? Array.from({ length: positiveInt("steps", o.steps ?? 100) }, (_, i) => schedule(i)) : [...schedule];
  const bad = lr.findIndex((v) => !Number.isFinite(v) || v < 0);
  if (bad >= 0) throw new ConfigError(`The schedule gave learning rate ${String(lr[bad])} at ${(o.unit ?? "Epoch").toLowerCase()} ${bad}; it must be a finite number >= 0.`);
  const pos = lr.filter((v) => v > 0);
  const log = pos.length > 0 && Math.max(...pos) / Math.min(...pos) >= 10;
  return { title: o.title ?? "Learning-rate schedule", unit: o.unit ?? "Epoch", x: lr.map((_, i) => i), lr, log };
}

/**
 * A step line of the LR (log axis when it spans a decade).
 * @example
 * show(lrScheduleFigure(lrScheduleInfo((e) => 1e-3 * 0.5 ** Math.floor(e / 10), { steps: 50 })));
 */
export function lrScheduleFigure(info: LrScheduleInfo): Figure {
  return {
    data: [
      {
        type: "scatter",
        mode: "lines",
        name: "learning rate",
        x: info.x,
        y: info.lr,
        line: { color: COLORS[0], width: 2, shape: "hv" },
        hovertemplate: `${info.unit.toLowerCase()} %{x}<br>lr %{y:.3e}<extra></extra>`,
      },
    ],
    layout: baseLayout(
      { title: info.title, xTitle: info.unit, yTitle: info.log ? "Learning rate (log scale)" : "Learning rate" },
      { yaxis: { type: info.log ? "log" : "linear", exponentformat: "e" }, showlegend: false },
    ),
    config: baseConfig(info.title),
  };
}

/** Shows a learning-rate schedule. @example plotLrSchedule((e) => 1e-3 * Math.cos(e / 100), { steps: 100 }) */
export function plotLrSchedule(schedule: ((step: number) => number) | readonly number[], o: LrScheduleOptions & ShowOptions = {}): string | undefined {
  return show(lrScheduleFigure(lrScheduleInfo(schedule, o)), o);
}

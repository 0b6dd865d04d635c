/**
 * Per-layer gradient norms over epochs on a log axis, with the vanishing band (below
 * `vanishing`) and the exploding band (above `exploding`) shaded, and the layers that end
 * inside a band listed in the title.
 */
import { DataError, ShapeError } from "../errors.js";
import { positiveNumber } from "../validate.js";
import { ConfigError } from "../errors.js";
import type { History } from "../training/history.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Trace } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link gradNormsInfo} and {@link plotGradNorms}. */
export interface GradNormsOptions {
  /** Norms below this count as vanishing. @default 1e-5 */
  vanishing?: number;
  /** Norms above this count as exploding. @default 100 */
  exploding?: number;
  /** Draw the global norm too. @default true */
  global?: boolean;
  /** Figure title. @default "Gradient norms per layer" */
  title?: string;
}

const DEFAULTS: Required<GradNormsOptions> = { vanishing: 1e-5, exploding: 100, global: true, title: "Gradient norms per layer" };

/** What {@link gradNormsInfo} computes for {@link gradNormsFigure}: plain data. */
export interface GradNormsInfo {
  title: string;
  epochs: number[];
  layers: { name: string; values: (number | null)[] }[];
  global: (number | null)[] | null;
  vanishing: number;
  exploding: number;
  /** Layers whose last recorded norm is in a band. */
  flagged: { layer: string; kind: "vanishing" | "exploding"; value: number }[];
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) && v > 0 ? v : null);

/**
 * The data of the gradient-norm plot; zero or non-finite norms become gaps (log axis).
 * @example
 * declare const history: History; // from train(..., { ... }) with gradient norms logged
 * gradNormsInfo(history, { exploding: 10 })
 */
export function gradNormsInfo(h: History, o: GradNormsOptions = {}): GradNormsInfo {
  const r = { ...DEFAULTS, ...o };
  positiveNumber("vanishing", r.vanishing);
  positiveNumber("exploding", r.exploding);
  if (r.vanishing >= r.exploding) throw new ConfigError(`\`vanishing\` (${r.vanishing}) must be below \`exploding\` (${r.exploding}).`);
  const n = h.epoch.length;
  const names = Object.keys(h.layerGradNorms);
  if (names.length === 0 && h.gradNorm.length === 0) {
    throw new DataError("History has no gradient norms (layerGradNorms and gradNorm are empty); train with gradient-norm logging on.");
  }
  const layers = names.map((name) => {
    const v = h.layerGradNorms[name] as number[];
    if (v.length !== n) throw new ShapeError(`layerGradNorms[${JSON.stringify(name)}] has ${v.length} values for ${n} epochs.`);
    return { name, values: v.map(finiteOrNull) };
  });
  const global = r.global && h.gradNorm.length === n && n > 0 ? h.gradNorm.map(finiteOrNull) : null;
  const flagged: GradNormsInfo["flagged"] = [];
  for (const l of layers) {
    const last = [...l.values].reverse().find((v) => v !== null);
    if (last === undefined || last === null) continue;
    if (last < r.vanishing) flagged.push({ layer: l.name, kind: "vanishing", value: last });
    else if (last > r.exploding) flagged.push({ layer: l.name, kind: "exploding", value: last });
  }
  return { title: r.title, epochs: h.epoch.slice(), layers, global, vanishing: r.vanishing, exploding: r.exploding, flagged };
}

/**
 * Lines per layer on a log y axis over shaded vanishing / exploding bands.
 * @example
 * declare const history: History;
 * show(gradNormsFigure(gradNormsInfo(history)));
 */
export function gradNormsFigure(info: GradNormsInfo): Figure {
  const all = [...info.layers.flatMap((l) => l.values), ...(info.global ?? [])].filter((v): v is number => v !== null);
  const lo = Math.min(info.vanishing / 10, ...all) / 2;
  const hi = Math.max(info.exploding * 10, ...all) * 2;
  const x0 = (info.epochs[0] ?? 0) - 0.5;
  const x1 = (info.epochs[info.epochs.length - 1] ?? 0) + 0.5;
  const band = (name: string, y0: number, y1: number, color: string): Trace => ({
    type: "scatter",
    mode: "lines",
    name,
    x: [x0, x1, x1, x0, x0],
    y: [y0, y0, y1, y1, y0],
    fill: "toself",
    fillcolor: color,
    line: { width: 0 },
    hoverinfo: "skip",
  });
  const data: Trace[] = [
    band(`vanishing (< ${info.vanishing.toExponential(0)})`, lo, info.vanishing, "rgba(86, 180, 233, 0.18)"),
    band(`exploding (> ${info.exploding.toExponential(0)})`, info.exploding, hi, "rgba(213, 94, 0, 0.15)"),
    ...info.layers.map((l, i) => ({
      type: "scatter",
      mode: "lines+markers",
      name: l.name,
      x: info.epochs,
      y: l.values,
      line: { color: COLORS[i % COLORS.length], width: 1.8 },
      marker: { size: 5 },
      hovertemplate: `${l.name}<br>epoch %{x}<br>‖g‖ %{y:.3e}<extra></extra>`,
    })),
  ];
  if (info.global) {
    data.push({
      type: "scatter",
      mode: "lines",
      name: "global",
      x: info.epochs,
      y: info.global,
      line: { color: "#2a2a2a", width: 2.5, dash: "dash" },
      hovertemplate: "global<br>epoch %{x}<br>‖g‖ %{y:.3e}<extra></extra>",
    });
  }
  const note = info.flagged.length ? ` — ${info.flagged.map((f) => `${f.layer} ${f.kind}`).join(", ")}` : "";
  return {
    data,
    layout: baseLayout(
      { title: info.title + note, xTitle: "Epoch", yTitle: "Gradient L2 norm (log scale)" },
      {
        yaxis: { type: "log", range: [Math.log10(lo), Math.log10(hi)], exponentformat: "power" },
        xaxis: { range: [x0, x1] },
      },
    ),
    config: baseConfig(info.title),
  };
}

/**
 * Shows per-layer gradient norms.
 * @example
 * declare const history: History;
 * plotGradNorms(history, { exploding: 10 })
 */
export function plotGradNorms(h: History, o: GradNormsOptions & ShowOptions = {}): string | undefined {
  return show(gradNormsFigure(gradNormsInfo(h, o)), o);
}

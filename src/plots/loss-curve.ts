/**
 * Loss curve: loss and val_loss (or any logged keys) per epoch, the best epoch marked, and the
 * learning rate on a second y axis (log scale when it spans a decade or more).
 */
import { DataError, ShapeError } from "../errors.js";
import type { History } from "../training/history.js";
import { show } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure, Trace } from "./figure.js";
import { COLORS, baseConfig, baseLayout } from "./theme.js";

/** Options of {@link lossCurveInfo} and {@link plotLoss}. */
export interface LossCurveOptions {
  /** Log keys to draw. @default ["loss", "val_loss"] (those present) */
  keys?: readonly string[];
  /** Key whose best epoch is marked. @default history.monitor, else "val_loss" if logged, else "loss" */
  monitor?: string;
  /** Figure title. @default "Loss" */
  title?: string;
}

/** What {@link lossCurveInfo} computes for {@link lossCurveFigure}: plain data. */
export interface LossCurveInfo {
  title: string;
  epochs: number[];
  /** One entry per key, values aligned with `epochs` (null where not finite). */
  series: { key: string; values: (number | null)[] }[];
  /** Learning rate per epoch, or null when not recorded. */
  lr: number[] | null;
  /** True when the LR spans at least a factor of 10 (drawn on a log axis). */
  lrLog: boolean;
  /** The best epoch of the monitored key (lowest, or highest for accuracy-like keys). */
  best: { key: string; epoch: number; value: number } | null;
  stopReason: string | null;
}

/**
 * True for keys where larger is better (accuracy, AUC, R², precision, recall, F1).
 * @example
 * higherIsBetter("val_accuracy") // true
 * higherIsBetter("val_loss") // false
 */
export function higherIsBetter(key: string): boolean {
  return /(acc|auc|r2|precision|recall|f1)/i.test(key.replace(/^val_/, ""));
}

/**
 * The data of the loss curve; pure.
 * @example
 * declare const history: History;
 * const info = lossCurveInfo(history); // epochs, loss and val_loss series, lr
 */
export function lossCurveInfo(h: History, o: LossCurveOptions = {}): LossCurveInfo {
  const logged = Object.keys(h.metrics);
  const keys = o.keys ?? ["loss", "val_loss"].filter((k) => k in h.metrics);
  if (keys.length === 0) {
    throw new DataError(`History has no "loss" or "val_loss" values; logged keys: ${logged.join(", ") || "(none)"}.`);
  }
  const n = h.epoch.length;
  const series = keys.map((key) => {
    const v = h.metrics[key];
    if (v === undefined) throw new DataError(`History has no key ${JSON.stringify(key)}; logged keys: ${logged.join(", ") || "(none)"}.`);
    if (v.length !== n) throw new ShapeError(`History key ${JSON.stringify(key)} has ${v.length} values for ${n} epochs.`);
    return { key, values: v.map((x) => (Number.isFinite(x) ? x : null)) };
  });
  const lr = h.lr.length === n && n > 0 ? h.lr.slice() : null;
  const pos = lr?.filter((x) => x > 0) ?? [];
  const lrLog = pos.length > 0 && Math.max(...pos) / Math.min(...pos) >= 10;
  const monitor = o.monitor ?? h.monitor ?? (keys.includes("val_loss") ? "val_loss" : keys[0]);
  let best: LossCurveInfo["best"] = null;
  const mv = monitor === undefined ? undefined : h.metrics[monitor];
  if (monitor !== undefined && mv !== undefined && mv.length === n) {
    const up = higherIsBetter(monitor);
    mv.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      if (best === null || (up ? v > best.value : v < best.value)) best = { key: monitor, epoch: h.epoch[i] as number, value: v };
    });
  }
  return { title: o.title ?? "Loss", epochs: h.epoch.slice(), series, lr, lrLog, best, stopReason: h.stopReason };
}

/**
 * The loss-curve figure: one line per key, the best epoch as a star, the LR on the right axis.
 * @example
 * declare const history: History;
 * show(lossCurveFigure(lossCurveInfo(history)));
 */
export function lossCurveFigure(info: LossCurveInfo): Figure {
  const data: Trace[] = info.series.map((s, i) => ({
    type: "scatter",
    mode: info.epochs.length > 60 ? "lines" : "lines+markers",
    name: s.key,
    x: info.epochs,
    y: s.values,
    line: { color: COLORS[i % COLORS.length], width: 2, dash: s.key.startsWith("val_") ? "dash" : "solid" },
    hovertemplate: `epoch %{x}<br>${s.key} %{y:.4g}<extra></extra>`,
  }));
  if (info.best) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: `best ${info.best.key} (epoch ${info.best.epoch})`,
      x: [info.best.epoch],
      y: [info.best.value],
      marker: { symbol: "star", size: 14, color: "#D55E00", line: { color: "white", width: 1 } },
      hovertemplate: `best epoch %{x}<br>${info.best.key} %{y:.4g}<extra></extra>`,
    });
  }
  const extra: Record<string, unknown> = { legend: { orientation: "h", y: -0.2 } };
  if (info.lr) {
    data.push({
      type: "scatter",
      mode: "lines",
      name: "learning rate",
      x: info.epochs,
      y: info.lr,
      yaxis: "y2",
      line: { color: "#7f7f7f", width: 1.5, dash: "dot", shape: "hv" },
      hovertemplate: "epoch %{x}<br>lr %{y:.3e}<extra></extra>",
    });
    extra["yaxis2"] = {
      title: { text: "Learning rate" },
      overlaying: "y",
      side: "right",
      showgrid: false,
      type: info.lrLog ? "log" : "linear",
      exponentformat: "e",
      ...(info.lrLog ? { dtick: 1 } : {}),
    };
    extra["margin"] = { l: 70, r: 80, t: 60, b: 60 };
  }
  const title = info.stopReason ? `${info.title} — ${info.stopReason}` : info.title;
  return {
    data,
    layout: baseLayout({ title, xTitle: "Epoch", yTitle: "Loss" }, extra),
    config: baseConfig(info.title),
  };
}

/**
 * Shows the loss curve of a training run.
 * @example
 * declare const history: History;
 * plotLoss(history)
 */
export function plotLoss(h: History, o: LossCurveOptions & ShowOptions = {}): string | undefined {
  return show(lossCurveFigure(lossCurveInfo(h, o)), o);
}

/**
 * Training progress. In a kernel: one output that updates in place (display_id), an HTML table
 * with a bar plus a text/plain twin, throttled. In a terminal: a one-line bar redrawn with \r.
 * Piped (CI, logs): one plain line per epoch. Or nothing at all.
 */
import { kernelHost } from "../host.js";
import { oneOf } from "../validate.js";
import type { Callback, Logs, TrainContext } from "./callback.js";

/** How progress is shown. */
export type ProgressMode = "auto" | "bar" | "lines" | "silent";
/** Every progress mode. */
export const PROGRESS_MODES: readonly ProgressMode[] = ["auto", "bar", "lines", "silent"];

/** Options of the Progress callback. */
export interface ProgressOptions {
  /** "auto" picks the kernel display, a terminal bar or plain lines. @default "auto" */ mode?: ProgressMode;
  /** Least milliseconds between two updates of the kernel display or bar. @default 250 */ throttleMs?: number;
  /** Where terminal text goes. @default process.stdout.write */ write?: (text: string) => void;
}

/** What one progress update shows. */
export interface ProgressInfo {
  epoch: number;
  /** Last epoch number of the run. */
  lastEpoch: number;
  batch: number;
  /** Batches per epoch; 0 while a lazy source has not told (its first pass). */
  batches: number;
  logs: Logs;
  secondsPerEpoch: number | null;
  etaSeconds: number | null;
  done: boolean;
}

function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return "-";
  if (v !== 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return v.toFixed(4);
}

function fmtTime(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "-";
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${Math.round(s - m * 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}

/** The text line of one update: `epoch 3/10  loss 0.1234  val_loss 0.2345  lr 1.000e-3  0.5s/epoch  ETA 3.5s`. */
export function progressText(p: ProgressInfo): string {
  const keys = Object.keys(p.logs).filter((k) => k !== "lr");
  const parts = [`epoch ${p.epoch + 1}/${p.lastEpoch + 1}`];
  if (!p.done && p.batch < p.batches) parts.push(`batch ${p.batch}/${p.batches}`);
  // A lazy source's first pass: the count is not known yet.
  if (!p.done && p.batches === 0 && p.batch > 0) parts.push(`batch ${p.batch}`);
  for (const k of keys) parts.push(`${k} ${fmt(p.logs[k])}`);
  if (p.logs["lr"] !== undefined) parts.push(`lr ${fmt(p.logs["lr"])}`);
  parts.push(`${fmtTime(p.secondsPerEpoch)}/epoch`, `ETA ${fmtTime(p.etaSeconds)}`);
  return parts.join("  ");
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The HTML of one update: a bar and a one-row table. */
export function progressHtml(p: ProgressInfo): string {
  const totalEpochs = p.lastEpoch + 1;
  const frac = Math.min(1, (p.epoch + (p.batches > 0 ? p.batch / p.batches : 0)) / totalEpochs);
  const keys = Object.keys(p.logs).filter((k) => k !== "lr");
  const head = ["epoch", ...keys, "lr", "s/epoch", "ETA"].map((h) => `<th>${escape(h)}</th>`).join("");
  const cells = [
    `${p.epoch + 1}/${totalEpochs}`,
    ...keys.map((k) => fmt(p.logs[k])),
    fmt(p.logs["lr"]),
    fmtTime(p.secondsPerEpoch),
    p.done ? "done" : fmtTime(p.etaSeconds),
  ]
    .map((c) => `<td>${escape(c)}</td>`)
    .join("");
  return (
    `<div class="lstm-lab-progress"><div style="width:320px;height:8px;background:#eee;border-radius:4px">` +
    `<div style="width:${(frac * 100).toFixed(1)}%;height:8px;background:#4c78a8;border-radius:4px"></div></div>` +
    `<table style="font-family:monospace;font-size:12px"><tr>${head}</tr><tr>${cells}</tr></table></div>`
  );
}

let displayCounter = 0;

/**
 * The progress reporter, a Callback. `train` adds one for its `progress` option; you can also
 * pass your own with other options.
 * @example
 * declare const model: tf.LayersModel, data: TrainData;
 * await train(model, data, { epochs: 5, progress: "lines" }); // train makes its Progress from `progress`
 */
export class Progress implements Callback {
  readonly mode: ProgressMode;
  readonly throttleMs: number;
  readonly #write: (text: string) => void;
  #displayId = "";
  #shown = false;
  #lastDraw = 0;
  #epochStart = 0;
  #epochSeconds: number[] = [];
  #firstEpoch = 0;
  #lastEpoch = 0;
  #epoch = 0;
  #logs: Logs = {};
  #resolved: Exclude<ProgressMode, "auto"> | "kernel" = "silent";

  constructor(o: ProgressOptions = {}) {
    this.mode = oneOf("progress", o.mode ?? "auto", PROGRESS_MODES);
    this.throttleMs = o.throttleMs ?? 250;
    this.#write = o.write ?? ((t: string) => void process.stdout.write(t));
  }

  onTrainBegin(ctx: TrainContext): void {
    const host = kernelHost();
    this.#resolved =
      this.mode !== "auto" ? this.mode : host ? "kernel" : process.stdout.isTTY ? "bar" : "lines";
    this.#displayId = `lstm-lab-progress-${process.pid}-${displayCounter++}`;
    this.#shown = false;
    this.#lastDraw = 0;
    this.#epochSeconds = [];
    const done = ctx.history.epoch.length;
    this.#firstEpoch = done > 0 ? (ctx.history.epoch[done - 1] as number) + 1 : 0;
    this.#lastEpoch = this.#firstEpoch + ctx.epochs - 1;
    this.#logs = {};
  }

  onEpochBegin(_ctx: TrainContext, epoch: number): void {
    this.#epoch = epoch;
    this.#epochStart = Date.now();
  }

  onBatchEnd(ctx: TrainContext, batch: number, logs: Logs): void {
    if (this.#resolved === "lines" || this.#resolved === "silent") return;
    const now = Date.now();
    if (now - this.#lastDraw < this.throttleMs) return;
    this.#lastDraw = now;
    this.#draw(this.#info(batch + 1, ctx.batchesPerEpoch, { ...this.#logs, ...logs }, false));
  }

  onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs): void {
    this.#epochSeconds.push((Date.now() - this.#epochStart) / 1000);
    this.#logs = { ...logs };
    const info = this.#info(ctx.batchesPerEpoch, ctx.batchesPerEpoch, logs, false);
    info.epoch = epoch;
    if (this.#resolved === "lines") {
      this.#write(progressText(info) + "\n");
      return;
    }
    const now = Date.now();
    if (now - this.#lastDraw < this.throttleMs && epoch < this.#lastEpoch) return;
    this.#lastDraw = now;
    this.#draw(info);
  }

  onTrainEnd(ctx: TrainContext): void {
    if (this.#resolved === "silent" || this.#resolved === "lines") return;
    const info = this.#info(ctx.batchesPerEpoch, ctx.batchesPerEpoch, this.#logs, true);
    this.#draw(info);
    if (this.#resolved === "bar") this.#write("\n");
  }

  #info(batch: number, batches: number, logs: Logs, done: boolean): ProgressInfo {
    const n = this.#epochSeconds.length;
    const spe = n > 0 ? this.#epochSeconds.reduce((a, b) => a + b, 0) / n : null;
    const remaining = this.#lastEpoch - this.#epoch + (batches > 0 ? 1 - batch / batches : 1);
    return {
      epoch: this.#epoch,
      lastEpoch: this.#lastEpoch,
      batch,
      batches,
      logs,
      secondsPerEpoch: spe,
      etaSeconds: spe === null ? null : Math.max(0, remaining * spe),
      done,
    };
  }

  #draw(info: ProgressInfo): void {
    const text = progressText(info);
    if (this.#resolved === "kernel") {
      const host = kernelHost();
      if (!host) return;
      host.display(
        { "text/html": progressHtml(info), "text/plain": text },
        { displayId: this.#displayId, update: this.#shown },
      );
      this.#shown = true;
    } else if (this.#resolved === "bar") {
      const total = info.lastEpoch + 1;
      const frac = Math.min(1, (info.epoch + (info.batches > 0 ? info.batch / info.batches : 0)) / total);
      const width = 20;
      const filled = Math.round(frac * width);
      this.#write(`\r[${"=".repeat(filled)}${" ".repeat(width - filled)}] ${text}\x1b[K`);
    }
  }
}

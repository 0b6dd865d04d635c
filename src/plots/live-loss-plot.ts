/**
 * A training callback that draws the loss curve live: one output, updated in place after each
 * epoch (throttled), with the final state flushed when training ends.
 */
import type { Callback, Logs, TrainContext } from "../training/callback.js";
import type { History } from "../training/history.js";
import { emptyHistory } from "../training/history.js";
import { LiveFigure } from "./live-figure.js";
import type { LiveFigureOptions } from "./live-figure.js";
import { lossCurveFigure, lossCurveInfo } from "./loss-curve.js";

/** Options of {@link liveLossPlot}. */
export interface LiveLossPlotOptions extends Omit<LiveFigureOptions, "displayId"> {
  /** Log keys to draw. @default ["loss", "val_loss"] (those logged) */
  keys?: readonly string[];
  /** Figure title. @default "Loss (live)" */
  title?: string;
}

/**
 * The callback behind `liveLossPlot()`; one instance serves many runs (a new output per run).
 * @example
 * declare const model: tf.LayersModel, data: TrainData;
 * await train(model, data, { epochs: 20, callbacks: [new LiveLossPlot({ minIntervalMs: 250 })] });
 */
export class LiveLossPlot implements Callback {
  readonly options: LiveLossPlotOptions;
  #live: LiveFigure | null = null;
  #history: History = emptyHistory();

  constructor(o: LiveLossPlotOptions = {}) {
    this.options = o;
  }

  /** The live figure of the current (or last) run. */
  get live(): LiveFigure | null {
    return this.#live;
  }

  /** What has been drawn so far in this run. */
  get history(): History {
    return this.#history;
  }

  onTrainBegin(_ctx: TrainContext): void {
    const { keys: _k, title: _t, ...live } = this.options;
    this.#live = new LiveFigure(live);
    this.#history = emptyHistory();
  }

  onEpochEnd(ctx: TrainContext, epoch: number, logs: Logs): void {
    if (!this.#live) this.onTrainBegin(ctx);
    const h = this.#history;
    const n = h.epoch.length;
    h.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) {
      if (k === "lr") continue;
      // A key first logged mid-run gets NaN for the epochs before it (drawn as gaps).
      const series = (h.metrics[k] ??= new Array<number>(n).fill(NaN));
      series.push(v);
    }
    for (const s of Object.values(h.metrics)) if (s.length < n + 1) s.push(NaN);
    if (typeof logs["lr"] === "number") h.lr.push(logs["lr"]);
    if (h.lr.length !== h.epoch.length) h.lr = [];
    const keys = (this.options.keys ?? ["loss", "val_loss"]).filter((k) => k in h.metrics);
    if (keys.length === 0) return;
    const info = lossCurveInfo(h, { keys, title: this.options.title ?? "Loss (live)" });
    this.#live?.update(lossCurveFigure(info));
  }

  onTrainEnd(_ctx: TrainContext): void {
    this.#live?.flush();
  }
}

/**
 * A callback that shows loss and val_loss (and the LR when logged) updating in place each epoch.
 *
 * @example
 * declare const model: tf.LayersModel;
 * declare const data: TrainData;
 * await train(model, data, { epochs: 50, callbacks: [liveLossPlot()] });
 */
export function liveLossPlot(o: LiveLossPlotOptions = {}): LiveLossPlot {
  return new LiveLossPlot(o);
}

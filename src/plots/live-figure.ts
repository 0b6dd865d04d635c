/**
 * A figure that updates in place (Jupyter display_id), at most once per `minIntervalMs`;
 * `flush()` sends the last skipped update. Outside the kernel, the same HTML file is rewritten.
 */
import { nonNegativeNumber } from "../validate.js";
import { show, uniqueId } from "./display.js";
import type { ShowOptions } from "./display.js";
import type { Figure } from "./figure.js";

/** Options of {@link LiveFigure}. */
export interface LiveFigureOptions {
  /** Least time between two updates actually sent, in milliseconds. @default 1000 */
  minIntervalMs?: number;
  /** The display_id to use. @default a fresh unique id */
  displayId?: string;
  /** Clock in milliseconds (tests pass a fake one). @default Date.now */
  now?: () => number;
  /** Passed on to `show` outside the kernel (dir, file, plotlyjs; plotlyjs defaults to "file" so rewrites stay small). */
  show?: Omit<ShowOptions, "displayId" | "update">;
}

/**
 * A figure that updates in place in the notebook output, throttled to `minIntervalMs`.
 * @example
 * const live = new LiveFigure({ minIntervalMs: 500 });
 * for (let epoch = 1; epoch <= 3; epoch++) live.update({ data: [{ type: "scatter", y: [1, 1 / epoch] }], layout: { title: { text: `epoch ${epoch}` } }, config: {} }); // throttled, in place
 * live.flush();                                // make sure the last state is shown
 */
export class LiveFigure {
  readonly displayId: string;
  readonly minIntervalMs: number;
  #now: () => number;
  #show: Omit<ShowOptions, "displayId" | "update">;
  #shown = false;
  #lastSent = -Infinity;
  #pending: Figure | null = null;
  #path: string | undefined;
  #sent = 0;

  constructor(o: LiveFigureOptions = {}) {
    this.minIntervalMs = nonNegativeNumber("minIntervalMs", o.minIntervalMs ?? 1000);
    this.displayId = o.displayId ?? uniqueId("live");
    this.#now = o.now ?? Date.now;
    this.#show = { plotlyjs: "file", ...o.show };
  }

  /** How many times the figure was actually sent (shown or updated). */
  get sent(): number {
    return this.#sent;
  }

  /** Outside the kernel: the HTML file being rewritten; undefined in the kernel. */
  get path(): string | undefined {
    return this.#path;
  }

  /** Shows `fig` now if the interval has passed (returns true), else keeps it for later. */
  update(fig: Figure): boolean {
    const t = this.#now();
    if (this.#shown && t - this.#lastSent < this.minIntervalMs) {
      this.#pending = fig;
      return false;
    }
    this.#send(fig, t);
    return true;
  }

  /** Sends the update held back by the throttle, if any. Returns true when something was sent. */
  flush(): boolean {
    if (this.#pending === null) return false;
    this.#send(this.#pending, this.#now());
    return true;
  }

  #send(fig: Figure, t: number): void {
    this.#path = show(fig, { ...this.#show, displayId: this.displayId, update: this.#shown });
    this.#shown = true;
    this.#lastSent = t;
    this.#pending = null;
    this.#sent += 1;
  }
}

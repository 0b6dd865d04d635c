/**
 * The notebook as the dashboard: follow a study that other processes or hosts are running, with
 * the optimisation-history and parallel-coordinates figures updated in place (display_id) as
 * trials finish. On PostgreSQL the storage's NOTIFY wakes it at once; other storages are read
 * every `pollInterval` seconds.
 */
import { DataError } from "../errors.js";
import { interruptSignal } from "../host.js";
import { nonNegativeNumber, positiveInt } from "../validate.js";
import type { Figure } from "../plots/figure.js";
import { LiveFigure } from "../plots/live-figure.js";
import type { LiveFigureOptions } from "../plots/live-figure.js";
import { optimizationHistoryFigure, optimizationHistoryInfo } from "../plots/optimization-history.js";
import { parallelCoordinatesFigure, parallelCoordinatesInfo } from "../plots/parallel-coordinates.js";
import type { Study } from "./study.js";
import type { FrozenTrial, Params, StudyData } from "./frozen-trial.js";

/** Options of {@link watchStudy}. */
export interface WatchStudyOptions {
  /** Return once the study holds this many finished trials. @default unlimited (until interrupted or timed out) */
  untilTrials?: number;
  /** Return after this many seconds. @default unlimited */
  timeoutSeconds?: number;
  /** Seconds between reads when the storage cannot push changes (journal, in-memory); a fallback on PostgreSQL. @default 2 */
  pollInterval?: number;
  /** Aborting it ends the watch (the kernel's interrupt always does). */
  signal?: AbortSignal;
  /** Passed to both live figures (outside the kernel: the folder and files they are written to). */
  live?: Omit<LiveFigureOptions, "displayId" | "minIntervalMs">;
}

const DEFAULTS = { pollInterval: 2 };

/** Why `watchStudy` returned. */
export type WatchStopReason = "untilTrials" | "timeout" | "interrupted";

/** What {@link watchStudy} returns: the finished trials it saw and why it stopped. */
export interface WatchResult {
  stopReason: WatchStopReason;
  /** Finished trials in the study when the watch ended. */
  finished: number;
  /** How many times the figures were redrawn. */
  updates: number;
  /** The last figures drawn (null while the study had no complete trial). */
  history: Figure | null;
  parallel: Figure | null;
}

const finishedCount = (trials: readonly FrozenTrial[]) => trials.filter((t) => t.state !== "running").length;

/** The two figures for the trials as they are, or nulls while no trial has completed. */
function figures(data: StudyData): { history: Figure | null; parallel: Figure | null } {
  const tryFig = (f: () => Figure): Figure | null => {
    try {
      return f();
    } catch (e) {
      if (e instanceof DataError) return null;
      throw e;
    }
  };
  return {
    history: tryFig(() => optimizationHistoryFigure(optimizationHistoryInfo(data))),
    parallel: tryFig(() => parallelCoordinatesFigure(parallelCoordinatesInfo(data))),
  };
}

/**
 * Keeps the optimisation history and parallel coordinates of `study` up to date in the cell's
 * output until it holds `untilTrials` finished trials, `timeoutSeconds` pass or the cell is
 * interrupted (an interrupt ends the watch, not the workers). Outside the kernel the two figures
 * are HTML files rewritten in place.
 * @example
 * // not run: waits for workers that run elsewhere
 * const study = await loadStudy({ storage: "runs/lstm.jsonl", name: "lstm" });
 * await watchStudy(study, { untilTrials: 40 });   // while `npx lstm-lab tune worker` runs elsewhere
 */
export async function watchStudy<P extends Params>(study: Study<P>, options: WatchStudyOptions = {}): Promise<WatchResult> {
  const pollInterval = nonNegativeNumber("pollInterval", options.pollInterval ?? DEFAULTS.pollInterval);
  if (options.untilTrials !== undefined) positiveInt("untilTrials", options.untilTrials);
  if (options.timeoutSeconds !== undefined) nonNegativeNumber("timeoutSeconds", options.timeoutSeconds);
  const kernel = interruptSignal();
  const liveOpts = { minIntervalMs: 0, ...options.live };
  const live = { history: new LiveFigure(liveOpts), parallel: new LiveFigure(liveOpts) };
  const last: { history: Figure | null; parallel: Figure | null } = { history: null, parallel: null };
  let updates = 0;
  let shownFinished = -1;
  const t0 = Date.now();

  // one wake-up for every reason to look again: a NOTIFY, the poll timer, an interrupt, the deadline
  let wake: (() => void) | null = null;
  const poke = () => wake?.();
  const unsubscribe = study.storage.subscribe ? await study.storage.subscribe(study.name, poke) : null;
  kernel?.addEventListener("abort", poke);
  options.signal?.addEventListener("abort", poke);
  try {
    for (;;) {
      const trials = await study.refresh();
      const finished = finishedCount(trials);
      if (finished !== shownFinished) {
        shownFinished = finished;
        const figs = figures(study.toJSON());
        for (const k of ["history", "parallel"] as const) {
          const fig = figs[k];
          if (fig) {
            live[k].update(fig);
            last[k] = fig;
          }
        }
        if (figs.history || figs.parallel) updates++;
      }
      const end = (stopReason: WatchStopReason): WatchResult => ({ stopReason, finished, updates, ...last });
      if (options.untilTrials !== undefined && finished >= options.untilTrials) return end("untilTrials");
      if (kernel?.aborted || options.signal?.aborted) return end("interrupted");
      const left = options.timeoutSeconds === undefined ? Infinity : options.timeoutSeconds * 1000 - (Date.now() - t0);
      if (left <= 0) return end("timeout");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, pollInterval * 1000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    kernel?.removeEventListener("abort", poke);
    options.signal?.removeEventListener("abort", poke);
    await unsubscribe?.();
  }
}


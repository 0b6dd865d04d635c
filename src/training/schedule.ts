/**
 * Learning-rate schedules as closed-form functions of the (possibly fractional) epoch. Every
 * schedule can be preceded by a linear warm-up; after the warm-up the schedule starts at its
 * own epoch 0. Reduce-on-plateau is stateful and lives in `reduce-on-plateau.ts`; here it only
 * contributes the warm-up.
 *
 * With `base` the learning rate and `t` the epoch (t - warmupEpochs after a warm-up):
 * - constant:     base
 * - exponential:  base · decayRate^(t / decayEpochs)   (floor(t / decayEpochs) with staircase)
 * - step:         base · gamma^floor(t / stepEpochs)
 * - cosine:       minLr + (base - minLr) · (1 + cos(π · tc / T)) / 2, with tc the time into the
 *                 current cycle; without restarts tc stops at T; with restarts (SGDR) cycles of
 *                 length periodEpochs · periodMult^k follow each other
 * - warm-up:      base · (s + (1 - s) · t / warmupEpochs) for t < warmupEpochs, s = warmupStartFactor
 */
import { ConfigError } from "../errors.js";
import { bool, inRange, nonNegativeNumber, oneOf, positiveNumber } from "../validate.js";
import type { ReduceOnPlateauOptions } from "./reduce-on-plateau.js";
import { resolveReduceOnPlateau } from "./reduce-on-plateau.js";

interface ScheduleCommon {
  /** Epochs of linear warm-up before the schedule starts. @default 0 */ warmupEpochs?: number;
  /** Fraction of the learning rate at the start of the warm-up. @default 0.1 */ warmupStartFactor?: number;
  /** Update the learning rate every batch (fractional epochs) or once per epoch. @default "epoch" */
  per?: "epoch" | "batch";
}

/**
 * A learning-rate schedule.
 * @example
 * const cosine: ScheduleConfig = { kind: "cosine", periodEpochs: 20, restarts: true, warmupEpochs: 2 };
 */
export type ScheduleConfig = ScheduleCommon &
  (
    | { kind: "constant" }
    | {
        kind: "exponential";
        /** Factor per `decayEpochs`. */ decayRate: number;
        /** @default 1 */ decayEpochs?: number;
        /** @default false */ staircase?: boolean;
      }
    | { kind: "step"; /** Epochs between drops. */ stepEpochs: number; /** @default 0.1 */ gamma?: number }
    | {
        kind: "cosine";
        /** Length of the (first) cycle in epochs. */ periodEpochs: number;
        /** @default 0 */ minLr?: number;
        /** Start a new cycle after each one (SGDR). @default false */ restarts?: boolean;
        /** Each cycle is this many times longer than the previous one. @default 1 */ periodMult?: number;
      }
    | ({ kind: "reduceOnPlateau" } & ReduceOnPlateauOptions)
  );

/** Every schedule kind. */
export const SCHEDULES = ["constant", "exponential", "step", "cosine", "reduceOnPlateau"] as const;

/** Checks a schedule config, naming the bad field and value. Returns it unchanged. */
export function validateSchedule(s: ScheduleConfig): ScheduleConfig {
  oneOf("schedule.kind", s.kind, SCHEDULES);
  nonNegativeNumber("schedule.warmupEpochs", s.warmupEpochs ?? 0);
  inRange("schedule.warmupStartFactor", s.warmupStartFactor ?? 0.1, 0, 1);
  oneOf("schedule.per", s.per ?? "epoch", ["epoch", "batch"]);
  switch (s.kind) {
    case "exponential":
      inRange("schedule.decayRate", s.decayRate, 0, 1, { lowOpen: true });
      positiveNumber("schedule.decayEpochs", s.decayEpochs ?? 1);
      bool("schedule.staircase", s.staircase ?? false);
      break;
    case "step":
      positiveNumber("schedule.stepEpochs", s.stepEpochs);
      inRange("schedule.gamma", s.gamma ?? 0.1, 0, 1, { lowOpen: true });
      break;
    case "cosine":
      positiveNumber("schedule.periodEpochs", s.periodEpochs);
      nonNegativeNumber("schedule.minLr", s.minLr ?? 0);
      bool("schedule.restarts", s.restarts ?? false);
      if ((s.periodMult ?? 1) < 1 || !Number.isFinite(s.periodMult ?? 1)) {
        throw new ConfigError(`\`schedule.periodMult\` must be a number >= 1, got ${s.periodMult}.`);
      }
      break;
    case "reduceOnPlateau":
      resolveReduceOnPlateau(s);
      break;
    case "constant":
      break;
  }
  return s;
}

/**
 * The learning rate of `schedule` at epoch `t` (fractional within an epoch for per-batch
 * schedules) for a base rate `base`. Reduce-on-plateau returns the warmed-up base; the
 * training loop multiplies in the plateau factor.
 * @example schedule({ kind: "step", stepEpochs: 10, gamma: 0.5 }, 0.01, 25) // 0.0025
 */
export function schedule(s: ScheduleConfig, base: number, t: number): number {
  const warm = s.warmupEpochs ?? 0;
  if (t < warm) {
    const start = s.warmupStartFactor ?? 0.1;
    return base * (start + ((1 - start) * t) / warm);
  }
  const e = t - warm;
  switch (s.kind) {
    case "constant":
    case "reduceOnPlateau":
      return base;
    case "exponential": {
      const p = e / (s.decayEpochs ?? 1);
      return base * Math.pow(s.decayRate, s.staircase ? Math.floor(p) : p);
    }
    case "step":
      return base * Math.pow(s.gamma ?? 0.1, Math.floor(e / s.stepEpochs));
    case "cosine": {
      const minLr = s.minLr ?? 0;
      let period = s.periodEpochs;
      let tc = e;
      if (s.restarts) {
        const mult = s.periodMult ?? 1;
        while (tc >= period) {
          tc -= period;
          period *= mult;
        }
      } else {
        tc = Math.min(tc, period);
      }
      return minLr + ((base - minLr) * (1 + Math.cos((Math.PI * tc) / period))) / 2;
    }
  }
}

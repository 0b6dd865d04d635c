/**
 * The seasonal naive forecast: each future step equals the value one season earlier,
 * ŷ(t+h) = y(t + h - s·⌈h/s⌉), read from the input window.
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { positiveInt } from "../validate.js";
import { windowTargets, type WindowBaselineOptions } from "./persistence.js";

/**
 * Seasonal naive forecasts for windows `x` [n, lookback, features] with season length `season`
 * (in steps, at most the lookback).
 * @example
 * declare const test: Windows;
 * seasonalNaive(test.x, 24, { outputs: 6 }) // hourly data, daily season
 */
export function seasonalNaive(x: tf.Tensor, season: number, o: WindowBaselineOptions = {}): number[][] {
  positiveInt("season", season);
  const { idx, outputs, lookback, features } = windowTargets(x, o);
  if (season > lookback) {
    throw new ConfigError(`\`season\` ${season} is longer than the lookback ${lookback}; the window must hold one full season.`);
  }
  const data = x.dataSync();
  const n = x.shape[0] as number;
  const t = lookback - 1;
  return Array.from({ length: n }, (_, r) =>
    Array.from({ length: outputs }, (_, j) => {
      const h = Math.floor(j / idx.length) + 1;
      const at = t + h - season * Math.ceil(h / season);
      return data[(r * lookback + at) * features + (idx[j % idx.length] as number)] as number;
    }),
  );
}

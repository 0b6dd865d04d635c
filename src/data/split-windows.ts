/**
 * Windows for each part of a split, built part by part so that no window straddles a boundary:
 * a validation window's inputs and targets are all validation rows.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ColumnTable } from "arquero";
import { LabError } from "../errors.js";
import type { Scaler } from "./scaler.js";
import { makeWindows, resolveWindowOptions, type WindowOptions, type Windows } from "./windows.js";

/** One part of a split: inputs `[n, lookback, features]` and targets `[n, outputs]`. A `Windows` is one. */
export interface SplitPart {
  readonly x: tf.Tensor;
  readonly y: tf.Tensor;
}

/**
 * Parts of a split by name, as splitWindows returns them (`{ train, val, test }`); compareModels
 * takes one with `train` and `test`, evaluate takes a part, train takes a part as its data.
 * @example
 * declare const train: ReturnType<typeof dataset>;
 * declare const test: ReturnType<typeof dataset>;
 * declare const features: string[];
 * declare const targets: string[];
 * declare const model: tf.LayersModel;
 * const w: Split<"train" | "test"> = splitWindows({ train, test }, { features, targets, lookback: 14 });
 * await compareModels(w, { lstm: model });
 */
export type Split<K extends string = string> = Readonly<Record<K, SplitPart>>;

/** Options of splitWindows: the window options plus an optional training scaler. */
export interface SplitWindowOptions extends WindowOptions {
  /** A scaler (fitted on the training part) applied to every part before windowing. @default null */
  scaler?: Scaler | null;
}

/**
 * Windows per part, e.g. of {@link timeSplit}'s `{ train, val, test }`. Every part is checked
 * before any tensor is made; an error names the part. `dispose()` each result when done.
 *
 * @example
 * declare const weather: ReturnType<typeof dataset>;
 * declare const model: tf.LayersModel;
 * const split = timeSplit(weather, { train: 0.7, val: 0.15, timeColumn: "date" });
 * const scaler = fitScaler(split.train, ["temp_max", "wind"]);
 * const w = splitWindows({ train: split.train, val: split.val, test: split.test }, { features: ["temp_max", "wind"], targets: ["temp_max"], lookback: 30, scaler });
 * await train(model, w.train, { validationData: w.val });
 * evaluate(model, w.test, { metrics: ["mae"] });
 */
export function splitWindows<K extends string>(parts: Readonly<Record<K, ColumnTable>>, options: SplitWindowOptions): Record<K, Windows> {
  const { scaler = null, ...windowOptions } = options;
  const keys = Object.keys(parts) as K[];
  const ready = {} as Record<K, ColumnTable>;
  for (const k of keys) {
    try {
      const t = scaler ? scaler.transform(parts[k]) : parts[k];
      resolveWindowOptions(t, windowOptions);
      ready[k] = t;
    } catch (e) {
      if (e instanceof LabError) {
        const Ctor = e.constructor as new (m: string) => LabError;
        throw new Ctor(`In the "${k}" part: ${e.message}`);
      }
      throw e;
    }
  }
  const out = {} as Record<K, Windows>;
  try {
    for (const k of keys) out[k] = makeWindows(ready[k], windowOptions);
  } catch (e) {
    for (const k of Object.keys(out) as K[]) out[k].dispose();
    throw e;
  }
  return out;
}

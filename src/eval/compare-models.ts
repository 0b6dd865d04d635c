/**
 * One comparison table: your models and the baselines (persistence, seasonal naive, linear,
 * MLP) scored on the same test windows with the same metrics, in original units if you pass an
 * inverse. A row per model; a model's row can also come from predictions you already have.
 */
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
import type { Split } from "../data/split-windows.js";
import { checkShapes } from "../models/check-shapes.js";
import { oneOf } from "../validate.js";
import { score } from "./evaluate.js";
import type { Inverse } from "./inverse.js";
import { fitLinear } from "./linear-baseline.js";
import type { MetricName, RegressionOptions } from "./metrics.js";
import { fitMlp, type MlpBaselineOptions } from "./mlp-baseline.js";
import { persistence } from "./persistence.js";
import { modelOutputs } from "./predict.js";
import { seasonalNaive } from "./seasonal-naive.js";
import type { Values } from "./values.js";

type ColumnTable = ReturnType<typeof aq.table>;

/** The baselines compareModels can add. */
export type BaselineName = "persistence" | "seasonalNaive" | "linear" | "mlp";
/** Every baseline name. */
export const BASELINES: readonly BaselineName[] = ["persistence", "seasonalNaive", "linear", "mlp"];

/** Options of compareModels. */
export interface CompareOptions {
  /** Baselines to add; default persistence and linear, plus seasonalNaive when `season` is set. */
  baselines?: readonly BaselineName[];
  /** Season length in steps for the seasonal naive baseline. @default null */ season?: number | null;
  /** Feature index in x of each target (for persistence and seasonal naive). @default 0 */ targetIndex?: number | readonly number[];
  /** Metric names, one column each. @default ["mae", "rmse", "smape", "r2"] */ metrics?: readonly MetricName[];
  /** Score in original units: a Scaler from src/data or a function. @default null */ inverse?: Inverse | null;
  /** Target column names for the inverse. @default ["y"] */ targets?: readonly string[];
  /** Options for the MLP baseline. */ mlp?: MlpBaselineOptions;
  /** How the regression metrics combine several outputs (see evaluate). @default "uniform_average" */
  multioutput?: RegressionOptions["multioutput"];
}

/**
 * Scores `models` (trained models or their test predictions) and the baselines on `split.test`; the
 * fitted baselines learn from `split.train`. `split` is what splitWindows returns (other parts are ignored).
 * @example
 * declare const train: ReturnType<typeof dataset>;
 * declare const val: ReturnType<typeof dataset>;
 * declare const test: ReturnType<typeof dataset>;
 * declare const features: string[];
 * declare const scaler: Scaler;
 * declare const model: tf.LayersModel;
 * const w = splitWindows({ train, val, test }, { features, targets: ["load"], lookback: 48, scaler });
 * const table = await compareModels(w, { lstm: model }, { season: 24, inverse: scaler, targets: ["load"] });
 * table.orderby("rmse").print();
 */
export async function compareModels(
  split: Split<"train" | "test">,
  models: Readonly<Record<string, tf.LayersModel | Values>>,
  o: CompareOptions = {},
): Promise<ColumnTable> {
  const season = o.season ?? null;
  const baselines = o.baselines ?? (season !== null ? ["persistence", "seasonalNaive", "linear"] : ["persistence", "linear"]);
  baselines.forEach((b, i) => oneOf(`baselines[${i}]`, b, BASELINES));
  const metricNames = o.metrics ?? ["mae", "rmse", "smape", "r2"];
  const { train, test } = checkedSplit(split);
  const n = test.y.shape[0] as number;
  for (const [name, m] of Object.entries(models)) {
    if (m instanceof tf.LayersModel) checkShapes(m, test.x, test.y, { xName: "split.test.x", yName: "split.test.y", modelName: name });
  }
  const outputs = test.y.size / Math.max(n, 1);
  const targetIndex = o.targetIndex ?? 0;
  const scoreOpts = { metrics: metricNames, inverse: o.inverse ?? null, targets: o.targets ?? ["y"], multioutput: o.multioutput ?? "uniform_average" };
  const yTrue = outputs === 1 ? test.y.dataSync() : (test.y.reshape([n, outputs]).arraySync() as number[][]);

  const rows: { model: string; kind: string; scores: Record<string, number> }[] = [];
  for (const [name, m] of Object.entries(models)) {
    let pred: Values;
    if (m instanceof tf.LayersModel) {
      pred = modelOutputs(m, test.x).data;
    } else {
      pred = m;
    }
    rows.push({ model: name, kind: "model", scores: score(yTrue, like(pred, n, outputs), scoreOpts) });
  }
  for (const b of baselines) {
    let pred: number[][];
    switch (b) {
      case "persistence":
        pred = persistence(test.x, { targetIndex, outputs });
        break;
      case "seasonalNaive":
        if (season === null) throw new ConfigError("The seasonalNaive baseline needs `season` (in steps), got null.");
        pred = seasonalNaive(test.x, season, { targetIndex, outputs });
        break;
      case "linear":
        pred = fitLinear(train.x, train.y).predict(test.x);
        break;
      case "mlp": {
        const mlp = await fitMlp(train.x, train.y, o.mlp);
        try {
          pred = mlp.predict(test.x);
        } finally {
          mlp.dispose();
        }
        break;
      }
    }
    rows.push({ model: b, kind: "baseline", scores: score(yTrue, like(pred, n, outputs), scoreOpts) });
  }
  const cols: Record<string, unknown[]> = { model: rows.map((r) => r.model), kind: rows.map((r) => r.kind) };
  for (const m of metricNames) cols[m] = rows.map((r) => r.scores[m]);
  return aq.table(cols);
}

/** The train and test parts, checked: tensors with as many samples in x as in y. */
function checkedSplit(split: Split<"train" | "test">): Split<"train" | "test"> {
  for (const part of ["train", "test"] as const) {
    const p = split[part];
    if (!p || !(p.x instanceof tf.Tensor) || !(p.y instanceof tf.Tensor)) {
      throw new ConfigError(`\`split.${part}\` must be windows { x, y } (as splitWindows returns them), got ${p === undefined ? "undefined" : "something else"}.`);
    }
    if (p.x.shape[0] !== p.y.shape[0]) {
      throw new ShapeError(`\`split.${part}.x\` has ${p.x.shape[0]} samples but \`split.${part}.y\` has ${p.y.shape[0]}.`);
    }
  }
  return split;
}

/** Predictions laid out like yTrue (flat for one output, else rows of `outputs`), whatever their input layout. */
function like(v: Values, n: number, outputs: number): Float64Array | number[][] {
  let flat: Float64Array;
  if (v instanceof tf.Tensor) flat = Float64Array.from(v.dataSync());
  else if (Array.isArray(v) && Array.isArray(v[0])) flat = Float64Array.from((v as number[][]).flat());
  else flat = Float64Array.from(v as ArrayLike<number>);
  if (flat.length !== n * outputs) {
    throw new ShapeError(`Predictions have ${flat.length} values but the test targets have ${n} × ${outputs}.`);
  }
  if (outputs === 1) return flat;
  return Array.from({ length: n }, (_, r) => Array.from(flat.subarray(r * outputs, (r + 1) * outputs)));
}

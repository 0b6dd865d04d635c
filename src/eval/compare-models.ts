/**
 * One comparison table: your models and the baselines (persistence, seasonal naive, linear,
 * MLP) scored on the same test windows with the same metrics, in original units if you pass an
 * inverse. A row per model; a model's row can also come from predictions you already have.
 */
import * as aq from "arquero";
import * as tf from "@tensorflow/tfjs";
import { ConfigError, ShapeError } from "../errors.js";
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

/** Train and test windows: x [n, lookback, features], y [n, outputs] (or [n]). */
export interface Split {
  xTrain: tf.Tensor;
  yTrain: tf.Tensor;
  xTest: tf.Tensor;
  yTest: tf.Tensor;
}

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
 * Scores `models` (trained models or their test predictions) and the baselines on `split`.
 * @example
 * const table = await compareModels(split, { lstm: model }, { season: 24, inverse: scaler, targets: ["load"] });
 * table.orderby("rmse").print();
 */
export async function compareModels(
  split: Split,
  models: Readonly<Record<string, tf.LayersModel | Values>>,
  o: CompareOptions = {},
): Promise<ColumnTable> {
  const season = o.season ?? null;
  const baselines = o.baselines ?? (season !== null ? ["persistence", "seasonalNaive", "linear"] : ["persistence", "linear"]);
  baselines.forEach((b, i) => oneOf(`baselines[${i}]`, b, BASELINES));
  const metricNames = o.metrics ?? ["mae", "rmse", "smape", "r2"];
  const n = split.yTest.shape[0] as number;
  if (split.xTest.shape[0] !== n) throw new ShapeError(`\`xTest\` has ${split.xTest.shape[0]} samples but \`yTest\` has ${n}.`);
  if (split.xTrain.shape[0] !== split.yTrain.shape[0]) {
    throw new ShapeError(`\`xTrain\` has ${split.xTrain.shape[0]} samples but \`yTrain\` has ${split.yTrain.shape[0]}.`);
  }
  for (const [name, m] of Object.entries(models)) {
    if (m instanceof tf.LayersModel) checkShapes(m, split.xTest, split.yTest, { xName: "xTest", yName: "yTest", modelName: name });
  }
  const outputs = split.yTest.size / Math.max(n, 1);
  const targetIndex = o.targetIndex ?? 0;
  const scoreOpts = { metrics: metricNames, inverse: o.inverse ?? null, targets: o.targets ?? ["y"], multioutput: o.multioutput ?? "uniform_average" };
  const yTrue = outputs === 1 ? split.yTest.dataSync() : (split.yTest.reshape([n, outputs]).arraySync() as number[][]);

  const rows: { model: string; kind: string; scores: Record<string, number> }[] = [];
  for (const [name, m] of Object.entries(models)) {
    let pred: Values;
    if (m instanceof tf.LayersModel) {
      pred = modelOutputs(m, split.xTest).data;
    } else {
      pred = m;
    }
    rows.push({ model: name, kind: "model", scores: score(yTrue, like(pred, n, outputs), scoreOpts) });
  }
  for (const b of baselines) {
    let pred: number[][];
    switch (b) {
      case "persistence":
        pred = persistence(split.xTest, { targetIndex, outputs });
        break;
      case "seasonalNaive":
        if (season === null) throw new ConfigError("The seasonalNaive baseline needs `season` (in steps), got null.");
        pred = seasonalNaive(split.xTest, season, { targetIndex, outputs });
        break;
      case "linear":
        pred = fitLinear(split.xTrain, split.yTrain).predict(split.xTest);
        break;
      case "mlp": {
        const mlp = await fitMlp(split.xTrain, split.yTrain, o.mlp);
        try {
          pred = mlp.predict(split.xTest);
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

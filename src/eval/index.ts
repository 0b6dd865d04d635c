/** Evaluation: metrics, predictions in original units, baselines and comparison tables. */
export { mse, rmse, mae, mape, smape, mase, pinball, crps, coverage, intervalWidth, r2, accuracy, precision, recall, f1, rocAuc, confusionMatrix, toLabels, metrics, METRIC_NAMES } from "./metrics.js";
export type { MetricName, ConfusionMatrix, LabelOptions, AverageOptions, Multioutput, RegressionOptions, RegressionMetric, MaseOptions, QuantileOptions } from "./metrics.js";
export { evaluate, score } from "./evaluate.js";
export type { EvaluateOptions } from "./evaluate.js";
export { predict } from "./predict.js";
export type { PredictOptions } from "./predict.js";
export type { Inverse } from "./inverse.js";
export type { Values } from "./values.js";
export { persistence } from "./persistence.js";
export type { WindowBaselineOptions } from "./persistence.js";
export { seasonalNaive } from "./seasonal-naive.js";
export { fitLinear } from "./linear-baseline.js";
export type { LinearBaseline, LinearBaselineOptions } from "./linear-baseline.js";
export { fitMlp } from "./mlp-baseline.js";
export type { MlpBaseline, MlpBaselineOptions } from "./mlp-baseline.js";
export { compareModels, BASELINES } from "./compare-models.js";
export type { BaselineName, CompareOptions } from "./compare-models.js";

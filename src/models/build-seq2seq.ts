/**
 * buildSeq2Seq: an encoder-decoder LSTM for multi-step forecasts, beside buildModel's "last state →
 * dense" head. The encoder reads the `lookback` window; its final (h, c) starts a decoder that runs
 * once per forecast step over that step's future-known covariates (calendar parts, planned events),
 * so step h of the forecast sees the covariates of step h. An optional learned series embedding is
 * joined to every encoder and decoder step of a global model. Quantile levels give a DistributionHead
 * ([batch, horizon × targets, levels], never crossing) trained with the pinball loss.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { inRange, nonNegativeInt, oneOf, positiveInt, positiveNumber } from "../validate.js";
import { pinballLoss } from "../training/loss.js";
import { DistributionHead } from "./distribution-head.js";
import { FusedLSTM } from "./fused-lstm.js";
import { freshSeed } from "./fresh-seed.js";
import { attachLosses } from "./attach-losses.js";
import { compileOptimizer, OPTIMIZERS, type OptimizerName } from "./optimizer-registry.js";
import { quantileLevels } from "./quantile-levels.js";
import { resolveSeriesEmbedding, type SeriesEmbeddingOptions } from "./model-config.js";

/** Options of buildSeq2Seq. */
export interface Seq2SeqOptions {
  /** Encoder input rows per window. Required. */
  lookback: number;
  /** Encoder input columns (makeWindows' `inputColumns.length`). Required. */
  inputs: number;
  /** Forecast steps. Required. */
  horizon: number;
  /** Target columns per step. @default 1 */
  targets?: number;
  /** Future-known covariates per forecast step (the decoder's input); 0 feeds the decoder the encoder's state. @default 0 */
  futureCovariates?: number;
  /** Hidden units of the encoder and of the decoder. @default 32 */
  units?: number;
  /** Input dropout of both LSTMs (fresh mask per batch inside train()). @default 0 */
  dropout?: number;
  /** A learned series embedding; the model then takes the series ids as its last input. @default null */
  seriesEmbedding?: SeriesEmbeddingOptions | null;
  /** Quantile levels, e.g. [0.1, 0.5, 0.9]: outputs [batch, horizon × targets, levels] with the pinball loss. @default null */
  quantiles?: readonly number[] | null;
  /** @default "adam" */
  optimizer?: OptimizerName;
  /** @default 0.001 */
  learningRate?: number;
  /** Makes every initialiser deterministic; null draws a fresh seed. @default null */
  seed?: number | null;
}

type Resolved = Required<Omit<Seq2SeqOptions, "seriesEmbedding" | "quantiles">> & {
  seriesEmbedding: Required<SeriesEmbeddingOptions> | null;
  quantiles: readonly number[] | null;
};
const DEFAULTS = { targets: 1, futureCovariates: 0, units: 32, dropout: 0, seriesEmbedding: null, quantiles: null, optimizer: "adam", learningRate: 0.001, seed: null } as const;

function resolve(o: Seq2SeqOptions): Resolved {
  const r = { ...DEFAULTS, ...o };
  positiveInt("lookback", r.lookback);
  positiveInt("inputs", r.inputs);
  positiveInt("horizon", r.horizon);
  positiveInt("targets", r.targets);
  nonNegativeInt("futureCovariates", r.futureCovariates);
  positiveInt("units", r.units);
  inRange("dropout", r.dropout, 0, 1, { highOpen: true });
  oneOf("optimizer", r.optimizer, OPTIMIZERS);
  positiveNumber("learningRate", r.learningRate);
  if (r.seed !== null) nonNegativeInt("seed", r.seed);
  const quantiles = r.quantiles === null ? null : quantileLevels("quantiles", r.quantiles);
  return { ...r, seriesEmbedding: resolveSeriesEmbedding(r.seriesEmbedding), quantiles };
}

/**
 * Builds and compiles the encoder-decoder. Its inputs follow makeWindows' `inputs`: the window
 * `[batch, lookback, inputs]`, then the future covariates `[batch, horizon, futureCovariates]`
 * (when there are any), then the series ids `[batch, 1]` (with `seriesEmbedding`). Its output is
 * `[batch, horizon × targets]` (step-major, as makeWindows' `y`), or `[…, levels]` with quantiles.
 *
 * @example
 * const table = addCalendar(dataset("unemployment-across-industries"), "date", { parts: ["month"] });
 * const w = makeWindows(table, { features: ["rate"], targets: ["rate"], futureCovariates: ["month_sin", "month_cos"], lookback: 24, horizon: 12, group: "series", seriesInput: true });
 * const model = buildSeq2Seq({ lookback: 24, inputs: w.inputColumns.length, horizon: 12, futureCovariates: 2, seriesEmbedding: { count: w.seriesNames.length }, quantiles: [0.1, 0.5, 0.9], seed: 1 });
 * await train(model, { x: w.inputs, y: w.y }, { epochs: 1, verbose: 0 });
 */
export function buildSeq2Seq(options: Seq2SeqOptions): tf.LayersModel {
  const c = resolve(options);
  const rng = new Rng(c.seed ?? freshSeed());
  const window = tf.input({ shape: [c.lookback, c.inputs], name: "input" });
  const future = c.futureCovariates > 0 ? tf.input({ shape: [c.horizon, c.futureCovariates], name: "future" }) : null;
  const series = c.seriesEmbedding ? tf.input({ shape: [1], name: "series" }) : null;
  const inputs = [window, ...(future ? [future] : []), ...(series ? [series] : [])];

  let encIn: tf.SymbolicTensor = window;
  let decParts: tf.SymbolicTensor[] = future ? [future] : [];
  if (series && c.seriesEmbedding) {
    const e = tf.layers
      .embedding({
        inputDim: c.seriesEmbedding.count,
        outputDim: c.seriesEmbedding.dim,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.nextSeed() }),
        name: "series_embedding",
      })
      .apply(series) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: "series_vector" }).apply(e) as tf.SymbolicTensor;
    const everyInput = tf.layers.repeatVector({ n: c.lookback, name: "series_per_input_step" }).apply(flat) as tf.SymbolicTensor;
    encIn = tf.layers.concatenate({ name: "encoder_input" }).apply([window, everyInput]) as tf.SymbolicTensor;
    decParts = [...decParts, tf.layers.repeatVector({ n: c.horizon, name: "series_per_forecast_step" }).apply(flat) as tf.SymbolicTensor];
  }
  const common = { units: c.units, dropout: c.dropout };
  const [, h, cell] = new FusedLSTM({ ...common, returnState: true, seed: rng.nextSeed(), name: "encoder" }).apply(encIn) as tf.SymbolicTensor[];
  if (decParts.length === 0) decParts = [tf.layers.repeatVector({ n: c.horizon, name: "state_per_forecast_step" }).apply(h as tf.SymbolicTensor) as tf.SymbolicTensor];
  const decIn = decParts.length === 1 ? (decParts[0] as tf.SymbolicTensor) : (tf.layers.concatenate({ name: "decoder_input" }).apply(decParts) as tf.SymbolicTensor);
  const dec = new FusedLSTM({ ...common, returnSequences: true, seed: rng.nextSeed(), name: "decoder" }).apply([decIn, h as tf.SymbolicTensor, cell as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const levels = c.quantiles?.length ?? 1;
  const perStep = tf.layers
    .dense({ units: c.targets * levels, kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }), name: "output" })
    .apply(dec) as tf.SymbolicTensor;
  // [batch, horizon, targets × levels] flattened step-major: output j = h·targets + t, as makeWindows' y.
  let out = tf.layers.flatten({ name: "steps" }).apply(perStep) as tf.SymbolicTensor;
  if (c.quantiles) out = new DistributionHead({ kind: "quantile", outputs: c.horizon * c.targets, size: levels, levels: c.quantiles, name: "distribution" }).apply(out) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs: out, name: "seq2seq" });
  model.compile({ optimizer: compileOptimizer(c.optimizer, c.learningRate), loss: c.quantiles ? pinballLoss(c.quantiles) : "meanSquaredError" });
  return attachLosses(model);
}

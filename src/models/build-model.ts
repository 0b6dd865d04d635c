/**
 * buildModel: one call builds a compiled tf.LayersModel for regression / multi-step forecasting,
 * binary or multi-class classification: optional embedding or masking front, stacked (optionally
 * bidirectional) LSTM/GRU layers with returnSequences handled, optional attention, and a task head.
 * Every dropout it adds (recurrent input and state, embedding, attention) draws a fresh mask per
 * batch inside train(), keyed by (seed, epoch, batch, layer): see dropout-key.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { resolveModelConfig, type ModelConfig, type ModelOptions } from "./model-config.js";
import { taskHead } from "./task-head.js";
import { FusedLSTM } from "./fused-lstm.js";
import { FusedGRU } from "./fused-gru.js";
import { TemporalAttention } from "./temporal-attention.js";
import { KeyedDropout } from "./keyed-dropout.js";
import { freshSeed } from "./fresh-seed.js";
import { rememberConfig } from "./model-registry.js";
import { fusedByDefault } from "./fused-by-default.js";
import { attachLosses } from "./attach-losses.js";
import { compileOptimizer } from "./optimizer-registry.js";
import { keyStockDropout } from "./key-stock-dropout.js";
import { DistributionHead } from "./distribution-head.js";
import { probabilisticLoss } from "./probabilistic-loss.js";
import type { LossFn } from "../training/loss.js";

function stockInitializer(name: ModelConfig["kernelInitializer"], seed: number) {
  switch (name) {
    case "orthogonal":
      return tf.initializers.orthogonal({ seed, gain: 1 });
    case "glorotUniform":
      return tf.initializers.glorotUniform({ seed });
    case "glorotNormal":
      return tf.initializers.glorotNormal({ seed });
    case "heNormal":
      return tf.initializers.heNormal({ seed });
    case "heUniform":
      return tf.initializers.heUniform({ seed });
  }
}

/** One recurrent layer as the config asks, fused or stock. */
function recurrentLayer(c: ModelConfig, units: number, returnSequences: boolean, seed: number, fused: boolean, name: string): tf.layers.Layer {
  const common = { units, returnSequences, dropout: c.dropout, recurrentDropout: c.recurrentDropout, name };
  if (fused) {
    const args = {
      ...common,
      kernelInitializer: c.kernelInitializer,
      recurrentInitializer: c.recurrentInitializer,
      unitForgetBias: c.unitForgetBias,
      l1: c.l1,
      l2: c.l2,
      seed,
    };
    return c.cell === "lstm" ? new FusedLSTM(args) : new FusedGRU(args);
  }
  const reg = c.l1 > 0 || c.l2 > 0 ? tf.regularizers.l1l2({ l1: c.l1, l2: c.l2 }) : undefined;
  const rng = new Rng(seed);
  const args = {
    ...common,
    recurrentActivation: "sigmoid" as const, // Keras default; tfjs defaults to hardSigmoid
    kernelInitializer: stockInitializer(c.kernelInitializer, rng.nextSeed()),
    recurrentInitializer: stockInitializer(c.recurrentInitializer, rng.nextSeed()),
    kernelRegularizer: reg,
    recurrentRegularizer: reg,
    biasRegularizer: reg,
  };
  return c.cell === "lstm" ? tf.layers.lstm({ ...args, unitForgetBias: c.unitForgetBias }) : tf.layers.gru(args);
}

/** The probabilistic head a config asks for: its kind, values per output and loss; null for a point forecast. */
function distributionOf(c: ModelConfig): { kind: "quantile" | "normal"; size: number; loss: LossFn } | null {
  const loss = probabilisticLoss(c);
  if (loss === null) return null;
  return { kind: c.quantiles !== null ? "quantile" : "normal", size: c.quantiles?.length ?? 2, loss };
}

/**
 * Builds and compiles the model (`model.fit` works at once; `model.loss` names the task's loss).
 * Call `await ready()` first so the backend is chosen.
 * @example
 * const model = buildModel({ inputShape: [30, 4], units: [64, 64], outputs: 7, dropout: 0.1, seed: 42 });
 * const clf = buildModel({ inputShape: [200], embedding: { vocabSize: 5000 }, task: "binary", attention: "additive" });
 * // probabilistic: [batch, 7, 3] quantiles trained with the pinball loss, or [batch, 7, 2] (mean, scale) with the Gaussian NLL
 * const q = buildModel({ inputShape: [30, 4], outputs: 7, quantiles: [0.1, 0.5, 0.9] });
 * const g = buildModel({ inputShape: [30, 4], outputs: 7, distribution: "normal" });
 * // one global model over 14 series: inputs [window, seriesIds] (makeWindows with group and seriesInput)
 * const global = buildModel({ inputShape: [24, 3], outputs: 12, seriesEmbedding: { count: 14, dim: 4 } });
 */
export function buildModel(options: ModelOptions): tf.LayersModel {
  const c = resolveModelConfig(options);
  const seed = c.seed ?? freshSeed();
  const rng = new Rng(seed);
  // Dropout layers take their seeds from a stream of their own, so adding one leaves every initialiser as it was.
  const dropSeeds = new Rng(seed).fork("dropout-layers");
  const fused = c.fused === "auto" ? fusedByDefault() : c.fused;
  const input = tf.input({ shape: c.inputShape, name: "input" });
  let x: tf.SymbolicTensor = input;
  if (c.embedding) {
    x = tf.layers
      .embedding({
        inputDim: c.embedding.vocabSize,
        outputDim: c.embedding.dim,
        maskZero: c.embedding.maskZero,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: rng.nextSeed() }),
        name: "embedding",
      })
      .apply(x) as tf.SymbolicTensor;
    if (c.embedding.dropout > 0) {
      x = new KeyedDropout({ rate: c.embedding.dropout, seed: dropSeeds.nextSeed(), name: "embedding_dropout" }).apply(x) as tf.SymbolicTensor;
    }
  }
  // A global model's series id → a learned vector, repeated along the window and joined to every step.
  const series = c.seriesEmbedding ? tf.input({ shape: [1], name: "series" }) : null;
  if (series && c.seriesEmbedding) {
    const e = tf.layers
      .embedding({
        inputDim: c.seriesEmbedding.count,
        outputDim: c.seriesEmbedding.dim,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: new Rng(seed).fork("series-embedding").nextSeed() }),
        name: "series_embedding",
      })
      .apply(series) as tf.SymbolicTensor;
    const v = tf.layers.flatten({ name: "series_vector" }).apply(e) as tf.SymbolicTensor;
    const steps = tf.layers.repeatVector({ n: c.inputShape[0] as number, name: "series_per_step" }).apply(v) as tf.SymbolicTensor;
    x = tf.layers.concatenate({ name: "input_and_series" }).apply([x, steps]) as tf.SymbolicTensor;
  }
  if (c.maskValue !== null) x = tf.layers.masking({ maskValue: c.maskValue, name: "masking" }).apply(x) as tf.SymbolicTensor;
  c.units.forEach((units, i) => {
    const last = i === c.units.length - 1;
    // Keras-style names (lstm_1, lstm_2, ...) so summaries, gradient-norm plots and `layerLr` read well.
    const layer = recurrentLayer(c, units, !last || c.attention !== "none", rng.nextSeed(), fused, `${c.cell}_${i + 1}`);
    const wrapped = c.bidirectional ? tf.layers.bidirectional({ layer: layer as tf.RNN, mergeMode: c.mergeMode, name: `bidirectional_${i + 1}` }) : layer;
    x = wrapped.apply(x) as tf.SymbolicTensor;
  });
  if (c.attention !== "none") {
    x = new TemporalAttention({ kind: c.attention, dropout: c.attentionDropout, seed: rng.nextSeed(), name: "attention" }).apply(x) as tf.SymbolicTensor;
  }
  const head = taskHead(c.task, c.sparseLabels);
  const dist = distributionOf(c);
  let out = tf.layers
    .dense({
      units: c.outputs * (dist?.size ?? 1),
      activation: head.activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextSeed() }),
      name: "output",
    })
    .apply(x) as tf.SymbolicTensor;
  if (dist) out = new DistributionHead({ kind: dist.kind, outputs: c.outputs, size: dist.size, levels: c.quantiles, name: "distribution" }).apply(out) as tf.SymbolicTensor;
  const model = tf.model({ inputs: series ? [input, series] : input, outputs: out, name: c.name });
  model.compile({ optimizer: compileOptimizer(c.optimizer, c.learningRate), loss: dist?.loss ?? head.loss, metrics: dist ? [] : [...head.metrics] });
  rememberConfig(model, c);
  return keyStockDropout(attachLosses(model), seed);
}

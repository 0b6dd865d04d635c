/**
 * The options of buildModel, defaulted once (Keras defaults) and validated at the edge with messages
 * that name the option and the value. The resolved config is plain JSON: saveModel stores it next to
 * the weights so a loaded model says how it was built.
 */
import { ConfigError } from "../errors.js";
import { bool, inRange, oneOf, positiveInt, positiveNumber, show } from "../validate.js";
import { checkCellOptions } from "./fused-recurrent.js";
import type { InitializerName } from "./initial-values.js";
import { resolveOptimizer, type OptimizerName, type OptimizerOptions } from "./optimizer-registry.js";
import { quantileLevels } from "./quantile-levels.js";
import { ATTENTION_KINDS, type AttentionKind } from "./temporal-attention.js";

/** The tasks buildModel can build a head for. */
export const TASKS = ["regression", "binary", "multiclass"] as const;
/** One of {@link TASKS}. */
export type Task = (typeof TASKS)[number];
/** The recurrent cells buildModel offers. */
export const CELLS = ["lstm", "gru"] as const;
/** One of {@link CELLS}. */
export type CellName = (typeof CELLS)[number];
/** How a bidirectional layer merges its two directions, as Keras' `mergeMode`. */
export const MERGE_MODES = ["concat", "sum", "ave", "mul"] as const;
/** One of {@link MERGE_MODES}. */
export type MergeMode = (typeof MERGE_MODES)[number];
export { OPTIMIZERS } from "./optimizer-registry.js";
export type { OptimizerName } from "./optimizer-registry.js";

/** Token inputs: an Embedding in front of the recurrent layers. */
export interface EmbeddingOptions {
  /** Number of distinct token ids (ids run 0..vocabSize-1; 0 is padding when maskZero). */
  vocabSize: number;
  /** Embedding width. @default 32 */
  dim?: number;
  /** Treat token id 0 as padding and mask it. @default true */
  maskZero?: boolean;
  /** Fraction of the embedding vectors' values dropped during training (a KeyedDropout after the embedding). @default 0 */
  dropout?: number;
}

/** A learned vector per series, joined to every step of a global model's input. */
export interface SeriesEmbeddingOptions {
  /** Number of series (ids run 0..count-1, as makeWindows' `series`). */
  count: number;
  /** Embedding width. @default 4 */
  dim?: number;
}

/**
 * `seriesEmbedding` checked and with its default width, or null when not given: one reading for
 * buildModel and buildSeq2Seq.
 * @example resolveSeriesEmbedding({ count: 14 }) // { count: 14, dim: 4 }
 */
export function resolveSeriesEmbedding(v: SeriesEmbeddingOptions | null | undefined): Required<SeriesEmbeddingOptions> | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object") throw new ConfigError(`\`seriesEmbedding\` must be { count, dim } or null, got ${show(v)}.`);
  return { count: positiveInt("seriesEmbedding.count", v.count), dim: positiveInt("seriesEmbedding.dim", v.dim ?? 4) };
}

/** Options of {@link buildModel}: shape, layers, head, regularisation and the compiled optimizer. */
export interface ModelOptions {
  /** [timesteps, features] for numeric windows; [timesteps] with `embedding`. timesteps may be null (any length). */
  inputShape: readonly (number | null)[];
  /** What the head predicts. @default "regression" */
  task?: Task;
  /** Output width: forecast horizon (regression), labels (binary), classes (multiclass, ≥ 2). @default 1 */
  outputs?: number;
  /** @default "lstm" */
  cell?: CellName;
  /** Units of each recurrent layer, first to last. @default [64] */
  units?: number | readonly number[];
  /** Wrap each recurrent layer in a Bidirectional. @default false */
  bidirectional?: boolean;
  /** How the two directions are merged. @default "concat" */
  mergeMode?: MergeMode;
  /** Input dropout of each recurrent layer. @default 0 */
  dropout?: number;
  /** Recurrent-state dropout of each recurrent layer. @default 0 */
  recurrentDropout?: number;
  /** @default "glorotUniform" (Xavier); "heNormal" / "heUniform" for He */
  kernelInitializer?: InitializerName;
  /** @default "orthogonal" */
  recurrentInitializer?: InitializerName;
  /** LSTM forget-gate bias starts at 1. @default true */
  unitForgetBias?: boolean;
  /** L1 penalty on the recurrent layers' kernel, recurrent kernel and bias. @default 0 */
  l1?: number;
  /** L2 penalty on the recurrent layers' kernel, recurrent kernel and bias. @default 0 */
  l2?: number;
  /** Token inputs: an embedding front. @default null */
  embedding?: EmbeddingOptions | null;
  /**
   * Global models over many series: a learned vector per series id, concatenated to every input
   * step; the model then takes `[window, seriesIds]` (makeWindows' `inputs` with `seriesInput`). @default null
   */
  seriesEmbedding?: SeriesEmbeddingOptions | null;
  /** Mask time steps whose features all equal this value (padded numeric inputs). @default null */
  maskValue?: number | null;
  /** Attention over the last recurrent layer's time steps. @default "none" */
  attention?: AttentionKind | "none";
  /** Fraction of the attention weights dropped during training (needs `attention`). @default 0 */
  attentionDropout?: number;
  /** Use our fused layers: "auto" = fused on wasm/cpu, on tfjs-node whichever measures faster. @default "auto" */
  fused?: boolean | "auto";
  /** Compiled optimizer, a name or options from the one registry (OPTIMIZERS); `train` runs the same rule. @default "adam" */
  optimizer?: OptimizerName | OptimizerOptions;
  /** @default 0.001 */
  learningRate?: number;
  /**
   * Regression only: predict these quantile levels (in (0, 1), ascending) for every output, trained
   * with the pinball loss; the model outputs [batch, outputs, levels] and the levels never cross. @default null
   */
  quantiles?: readonly number[] | null;
  /**
   * Regression only: predict a distribution for every output; "normal" gives (mean, scale), trained
   * with the negative log-likelihood, as [batch, outputs, 2]. @default null
   */
  distribution?: "normal" | null;
  /** Multiclass labels are class ids (sparse) rather than one-hot. @default false */
  sparseLabels?: boolean;
  /** Makes every initialiser and dropout mask deterministic; null draws fresh ones. @default null */
  seed?: number | null;
  /** Model name. @default "lstm_lab_model" */
  name?: string;
}

/** The resolved, validated options (plain JSON). */
export interface ModelConfig extends Required<Omit<ModelOptions, "units" | "embedding" | "inputShape" | "quantiles" | "seriesEmbedding">> {
  seriesEmbedding: Required<SeriesEmbeddingOptions> | null;
  inputShape: (number | null)[];
  quantiles: number[] | null;
  units: number[];
  embedding: Required<EmbeddingOptions> | null;
}

const DEFAULTS = {
  task: "regression",
  outputs: 1,
  cell: "lstm",
  units: [64],
  bidirectional: false,
  mergeMode: "concat",
  dropout: 0,
  recurrentDropout: 0,
  kernelInitializer: "glorotUniform",
  recurrentInitializer: "orthogonal",
  unitForgetBias: true,
  l1: 0,
  l2: 0,
  embedding: null,
  seriesEmbedding: null,
  maskValue: null,
  attention: "none",
  attentionDropout: 0,
  fused: "auto",
  optimizer: "adam",
  learningRate: 0.001,
  quantiles: null,
  distribution: null,
  sparseLabels: false,
  seed: null,
  name: "lstm_lab_model",
} as const satisfies Omit<ModelConfig, "inputShape" | "units" | "quantiles"> & { units: readonly number[]; quantiles: null };

/**
 * Validates and defaults buildModel's options.
 * @example resolveModelConfig({ inputShape: [30, 4], units: [64, 64] }).cell // "lstm"
 */
export function resolveModelConfig(o: ModelOptions): ModelConfig {
  if (typeof o !== "object" || o === null) throw new ConfigError(`Model options must be an object, got ${show(o)}.`);
  const units = o.units ?? DEFAULTS.units;
  const unitList = typeof units === "number" ? [units] : Array.isArray(units) ? [...units] : null;
  if (!unitList || unitList.length === 0) {
    throw new ConfigError(`\`units\` must be a positive integer or a non-empty array of them, got ${show(units)}.`);
  }
  unitList.forEach((u, i) => positiveInt(`units[${i}]`, u));
  const e = o.embedding ?? null;
  const embedding = e === null ? null : { vocabSize: e.vocabSize, dim: e.dim ?? 32, maskZero: e.maskZero ?? true, dropout: e.dropout ?? 0 };
  const r: ModelConfig = {
    inputShape: Array.isArray(o.inputShape) ? [...o.inputShape] : [],
    task: o.task ?? DEFAULTS.task,
    outputs: o.outputs ?? DEFAULTS.outputs,
    cell: o.cell ?? DEFAULTS.cell,
    units: unitList,
    bidirectional: o.bidirectional ?? DEFAULTS.bidirectional,
    mergeMode: o.mergeMode ?? DEFAULTS.mergeMode,
    dropout: o.dropout ?? DEFAULTS.dropout,
    recurrentDropout: o.recurrentDropout ?? DEFAULTS.recurrentDropout,
    kernelInitializer: o.kernelInitializer ?? DEFAULTS.kernelInitializer,
    recurrentInitializer: o.recurrentInitializer ?? DEFAULTS.recurrentInitializer,
    unitForgetBias: o.unitForgetBias ?? DEFAULTS.unitForgetBias,
    l1: o.l1 ?? DEFAULTS.l1,
    l2: o.l2 ?? DEFAULTS.l2,
    embedding,
    seriesEmbedding: resolveSeriesEmbedding(o.seriesEmbedding),
    maskValue: o.maskValue ?? DEFAULTS.maskValue,
    attention: o.attention ?? DEFAULTS.attention,
    attentionDropout: o.attentionDropout ?? DEFAULTS.attentionDropout,
    fused: o.fused ?? DEFAULTS.fused,
    optimizer: o.optimizer ?? DEFAULTS.optimizer,
    learningRate: o.learningRate ?? DEFAULTS.learningRate,
    quantiles: o.quantiles === undefined || o.quantiles === null ? null : [...quantileLevels("quantiles", o.quantiles)],
    distribution: o.distribution ?? DEFAULTS.distribution,
    sparseLabels: o.sparseLabels ?? DEFAULTS.sparseLabels,
    seed: o.seed ?? DEFAULTS.seed,
    name: o.name ?? DEFAULTS.name,
  };
  const wantRank = embedding ? 1 : 2;
  const what = embedding ? "[timesteps] (token ids, with `embedding`)" : "[timesteps, features]";
  if (r.inputShape.length !== wantRank) {
    throw new ConfigError(`\`inputShape\` must be ${what}, got ${show(o.inputShape)}.`);
  }
  r.inputShape.forEach((d, i) => {
    if (!(i === 0 && d === null)) positiveInt(`inputShape[${i}]`, d);
  });
  oneOf("task", r.task, TASKS);
  positiveInt("outputs", r.outputs);
  if (r.task === "multiclass" && r.outputs < 2) {
    throw new ConfigError(`\`outputs\` must be the number of classes (at least 2) for task "multiclass", got ${r.outputs}.`);
  }
  oneOf("cell", r.cell, CELLS);
  bool("bidirectional", r.bidirectional);
  oneOf("mergeMode", r.mergeMode, MERGE_MODES);
  checkCellOptions(r);
  if (embedding) {
    positiveInt("embedding.vocabSize", embedding.vocabSize);
    positiveInt("embedding.dim", embedding.dim);
    bool("embedding.maskZero", embedding.maskZero);
    inRange("embedding.dropout", embedding.dropout, 0, 1, { highOpen: true });
  }
  if (r.seriesEmbedding) {
    if (embedding || r.inputShape[0] === null) {
      throw new ConfigError(`\`seriesEmbedding\` needs numeric windows of a fixed length, inputShape [timesteps, features]; got inputShape ${show(o.inputShape)}${embedding ? " with a token `embedding`" : ""}.`);
    }
  }
  if (r.maskValue !== null && (typeof r.maskValue !== "number" || !Number.isFinite(r.maskValue))) {
    throw new ConfigError(`\`maskValue\` must be a finite number or null, got ${show(r.maskValue)}.`);
  }
  if (embedding && r.maskValue !== null) {
    throw new ConfigError(`\`maskValue\` applies to numeric inputs; with \`embedding\` use embedding.maskZero (got maskValue ${r.maskValue}).`);
  }
  oneOf("attention", r.attention, ["none", ...ATTENTION_KINDS] as const);
  inRange("attentionDropout", r.attentionDropout, 0, 1, { highOpen: true });
  if (r.attention === "none" && r.attentionDropout > 0) {
    throw new ConfigError(`\`attentionDropout\` ${r.attentionDropout} needs attention; set \`attention\` to "additive" or "dot", or leave attentionDropout at 0.`);
  }
  if (r.fused !== "auto" && typeof r.fused !== "boolean") {
    throw new ConfigError(`\`fused\` must be true, false or "auto", got ${show(r.fused)}.`);
  }
  resolveOptimizer(r.optimizer);
  positiveNumber("learningRate", r.learningRate);
  if (r.distribution !== null) oneOf("distribution", r.distribution, ["normal"] as const);
  if (r.quantiles !== null && r.distribution !== null) {
    throw new ConfigError(`Give \`quantiles\` or \`distribution\`, not both (got quantiles ${show(r.quantiles)} and distribution ${show(r.distribution)}).`);
  }
  if ((r.quantiles !== null || r.distribution !== null) && r.task !== "regression") {
    const what = r.quantiles !== null ? `\`quantiles\` ${show(r.quantiles)}` : `\`distribution\` ${show(r.distribution)}`;
    throw new ConfigError(`${what} needs task "regression", got task ${show(r.task)}.`);
  }
  bool("sparseLabels", r.sparseLabels);
  if (r.seed !== null && !Number.isInteger(r.seed)) throw new ConfigError(`\`seed\` must be an integer or null, got ${show(r.seed)}.`);
  if (typeof r.name !== "string" || r.name === "") throw new ConfigError(`\`name\` must be a non-empty string, got ${show(r.name)}.`);
  return r;
}

/**
 * loadModel: reads a folder written by saveModel (or any TF.js layers-format model.json + weights,
 * such as tfjs-node's model.save("file://...")), with our fused and attention layers registered.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { show } from "../validate.js";
import { fileIO, METADATA_KEY } from "./file-io.js";
import { fusedTopology } from "./fused-topology.js";
import { fusedByDefault } from "./fused-by-default.js";
import { attachLosses } from "./attach-losses.js";
import type { ModelConfig } from "./model-config.js";
import { rememberConfig } from "./model-registry.js";
import "./fused-lstm.js";
import "./fused-gru.js";
import "./temporal-attention.js";
import "./keyed-dropout.js";
import { distributionHeadOf } from "./distribution-head.js";
import { compileOptimizer } from "./optimizer-registry.js";
import { probabilisticLoss } from "./probabilistic-loss.js";
import { keyStockDropout } from "./key-stock-dropout.js";
import { freshSeed } from "./fresh-seed.js";

/** What {@link loadModel} returns: the model, the extras saved with it and its config. */
export interface LoadedModel {
  /** The model, compiled again when the save held a training config. */
  readonly model: tf.LayersModel;
  /** What was passed as `extras` to saveModel ({} if none). */
  readonly extras: Record<string, unknown>;
  /** The buildModel config, or null for models not built by buildModel. */
  readonly config: ModelConfig | null;
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /**
   * Swap stock LSTM / GRU layers our fused layers compute exactly (sigmoid gates, tanh) for fused
   * ones, e.g. for a folder saved with `portable: true` or by plain tfjs; "auto" does it where fused
   * is the faster choice. false keeps the layers as saved. @default false
   */
  fused?: boolean | "auto";
}

/**
 * Loads a model saved by {@link saveModel}, with the extras saved beside it (a scaler, say).
 * @example
 * // not run: reads a saved model
 * const { model, extras } = await loadModel("runs/lstm-64"); const scaler = extras.scaler;
 * @example
 * // not run: reads a saved model
 * const { model } = await loadModel("runs/portable", { fused: true }); // stock LSTM → FusedLSTM
 */
export async function loadModel(dir: string, o: LoadModelOptions = {}): Promise<LoadedModel> {
  const want = o.fused ?? false;
  if (want !== "auto" && typeof want !== "boolean") {
    throw new ConfigError(`\`fused\` must be true, false or "auto", got ${show(want)}.`);
  }
  const handler = fileIO(dir);
  const artifacts = await (handler.load as () => Promise<tf.io.ModelArtifacts>)();
  const fused = want === "auto" ? fusedByDefault() : want;
  if (fused) artifacts.modelTopology = fusedTopology(artifacts.modelTopology);
  const model = attachLosses(await tf.loadLayersModel(tf.io.fromMemory(artifacts)));
  const ours = (artifacts.userDefinedMetadata?.[METADATA_KEY] ?? {}) as { extras?: Record<string, unknown>; modelConfig?: ModelConfig | null };
  const stored = ours.modelConfig ?? null;
  const config = stored && fused ? { ...stored, fused: true } : stored;
  if (config) rememberConfig(model, config);
  // tf.js saves no loss function: a quantile or normal head is compiled again with its own.
  const head = distributionHeadOf(model);
  const loss = head ? probabilisticLoss({ quantiles: head.levels ? [...head.levels] : null, distribution: head.kind === "normal" ? "normal" : null }) : null;
  if (loss) model.compile({ optimizer: (model as { optimizer?: tf.Optimizer }).optimizer ?? compileOptimizer(config?.optimizer ?? "adam", config?.learningRate ?? 0.001), loss });
  // Stock recurrent layers lose their mask function in the saved JSON: key their dropout again.
  keyStockDropout(model, config?.seed ?? freshSeed());
  return { model, extras: ours.extras ?? {}, config };
}

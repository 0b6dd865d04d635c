/**
 * loadModel: reads a folder written by saveModel (or any TF.js layers-format model.json + weights,
 * such as tfjs-node's model.save("file://...")), with our fused and attention layers registered.
 */
import * as tf from "@tensorflow/tfjs";
import { fileIO, METADATA_KEY } from "./file-io.js";
import type { ModelConfig } from "./model-config.js";
import { rememberConfig } from "./model-registry.js";
import "./fused-lstm.js";
import "./fused-gru.js";
import "./temporal-attention.js";

export interface LoadedModel {
  /** The model, compiled again when the save held a training config. */
  readonly model: tf.LayersModel;
  /** What was passed as `extras` to saveModel ({} if none). */
  readonly extras: Record<string, unknown>;
  /** The buildModel config, or null for models not built by buildModel. */
  readonly config: ModelConfig | null;
}

/**
 * @example const { model, extras } = await loadModel("runs/lstm-64"); const scaler = extras.scaler;
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const handler = fileIO(dir);
  const artifacts = await (handler.load as () => Promise<tf.io.ModelArtifacts>)();
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const ours = (artifacts.userDefinedMetadata?.[METADATA_KEY] ?? {}) as { extras?: Record<string, unknown>; modelConfig?: ModelConfig | null };
  const config = ours.modelConfig ?? null;
  if (config) rememberConfig(model, config);
  return { model, extras: ours.extras ?? {}, config };
}

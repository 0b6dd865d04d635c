/**
 * saveModel: writes a model and what belongs with it (fitted scalers, tokenizer vocabulary, the build
 * config) to a folder in the standard TF.js layers format, atomically (see file-io.ts).
 */
import type * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { bool } from "../validate.js";
import { fileIO, METADATA_KEY } from "./file-io.js";
import { modelConfig } from "./model-registry.js";
import { portableTopology } from "./portable-topology.js";

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** JSON-able things that travel with the model: { scaler, tokenizer, notes, ... }. @default {} */
  extras?: Record<string, unknown>;
  /** Save the optimizer's config and state too, so training resumes where it stopped (Keras' default). @default true */
  includeOptimizer?: boolean;
  /**
   * Write our fused layers as the stock LSTM / GRU (same weights), so the folder loads in any TF.js
   * without lstm-lab (loadModel then gives stock layers: same predictions, slower training). @default false
   */
  portable?: boolean;
}

/**
 * Saves a model and JSON extras (a scaler, say) to a folder that {@link loadModel} reads.
 * @example
 * declare const model: tf.LayersModel;
 * declare const scaler: Scaler;
 * await saveModel(model, "runs/lstm-64", { extras: { scaler: scaler.toJSON(), lookback: 30 } });
 */
export async function saveModel(model: tf.LayersModel, dir: string, o: SaveModelOptions = {}): Promise<void> {
  if (typeof dir !== "string" || dir === "") throw new ConfigError(`\`dir\` must be a folder path, got ${JSON.stringify(dir)}.`);
  const extras = o.extras ?? {};
  let extrasJson: {};
  try {
    extrasJson = JSON.parse(JSON.stringify(extras)) as {};
  } catch (e) {
    throw new ConfigError(`\`extras\` must be JSON-serialisable: ${(e as Error).message}`);
  }
  const includeOptimizer = bool("includeOptimizer", o.includeOptimizer ?? true);
  const portable = bool("portable", o.portable ?? false);
  const config = modelConfig(model);
  const meta = { [METADATA_KEY]: { extras: extrasJson, modelConfig: (config && portable ? { ...config, fused: false } : config) as {} } };
  await model.save(fileIO(dir, meta, portable ? portableTopology : undefined), { includeOptimizer });
}

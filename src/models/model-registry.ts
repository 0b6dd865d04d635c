/**
 * Which config built which model, so saveModel can store it and a notebook can ask. A WeakMap: the
 * entry goes away with the model.
 */
import type * as tf from "@tensorflow/tfjs";
import type { ModelConfig } from "./model-config.js";

const configs = new WeakMap<tf.LayersModel, ModelConfig>();

/** Records the config a model was built from (buildModel and loadModel do this). */
export function rememberConfig(model: tf.LayersModel, config: ModelConfig): void {
  configs.set(model, config);
}

/**
 * The resolved options a model was built with, or null for a model buildModel did not make.
 * @example
 * declare const model: tf.LayersModel;
 * modelConfig(model)?.units // [64, 64]
 */
export function modelConfig(model: tf.LayersModel): ModelConfig | null {
  return configs.get(model) ?? null;
}

/**
 * What the model was compiled with, as `train` options: Keras' `fit` trains with the compiled
 * optimizer, so `train` does too when the caller names no optimizer or learning rate
 * (buildModel compiles one from its `optimizer` and `learningRate` options).
 */
import type * as tf from "@tensorflow/tfjs";
import { optimizerOf, type OptimizerOptions } from "../models/optimizer-registry.js";

/** What a model was compiled with, in registry terms. */
export interface CompiledOptimizer {
  /** The registry entry, or null when uncompiled or compiled with an optimizer train() cannot run. */
  optimizer: OptimizerOptions | null;
  learningRate: number | null;
  /** The tf.train class name when it has no registry entry (e.g. "Adagrad"), else null. */
  unsupported: string | null;
}

/**
 * The compiled optimizer's rule and learning rate.
 * @example
 * declare const model: tf.LayersModel;
 * model.compile({ optimizer: tf.train.rmsprop(0.01), loss: "meanSquaredError" });
 * compiledOptimizer(model) // { optimizer: { name: "rmsprop", rho: 0.9, momentum: 0, epsilon: 1e-7 }, learningRate: 0.01, unsupported: null }
 */
export function compiledOptimizer(model: tf.LayersModel): CompiledOptimizer {
  const opt = (model as { optimizer?: tf.Optimizer }).optimizer;
  if (!opt || typeof opt.getConfig !== "function") return { optimizer: null, learningRate: null, unsupported: null };
  const config = opt.getConfig() as Record<string, unknown>;
  const lr = typeof config["learningRate"] === "number" && config["learningRate"] > 0 ? config["learningRate"] : null;
  const { options, className } = optimizerOf(opt);
  return { optimizer: options, learningRate: lr, unsupported: options ? null : className };
}

/**
 * What the model was compiled with, as `train` options: Keras' `fit` trains with the compiled
 * optimizer, so `train` does too when the caller names no optimizer or learning rate
 * (buildModel compiles one from its `optimizer` and `learningRate` options).
 */
import type * as tf from "@tensorflow/tfjs";
import type { OptimizerOptions } from "./optimizer.js";

/** tf.train optimizer class names → our update rules, with the settings that carry over. */
function fromConfig(className: string, c: Record<string, unknown>): OptimizerOptions | null {
  const num = (k: string): number | undefined => (typeof c[k] === "number" ? (c[k] as number) : undefined);
  switch (className) {
    case "Adam":
      return { name: "adam", beta1: num("beta1"), beta2: num("beta2"), epsilon: num("epsilon") };
    case "RMSProp":
      return { name: "rmsprop", rho: num("decay"), momentum: num("momentum"), epsilon: num("epsilon") };
    case "SGD":
      return { name: "sgd" };
    case "Momentum":
      return { name: "sgd", momentum: num("momentum"), nesterov: c["useNesterov"] === true };
    default:
      return null;
  }
}

/** The compiled optimizer's rule and learning rate, or nulls when there is none we can follow. */
export function compiledOptimizer(model: tf.LayersModel): { optimizer: OptimizerOptions | null; learningRate: number | null } {
  const opt = (model as { optimizer?: tf.Optimizer }).optimizer;
  if (!opt || typeof opt.getConfig !== "function") return { optimizer: null, learningRate: null };
  const config = opt.getConfig() as Record<string, unknown>;
  const className = (opt.constructor as { className?: string }).className ?? opt.getClassName();
  const lr = typeof config["learningRate"] === "number" && config["learningRate"] > 0 ? config["learningRate"] : null;
  const rule = fromConfig(className, config);
  if (!rule) return { optimizer: null, learningRate: lr };
  const defined = Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as OptimizerOptions;
  return { optimizer: defined, learningRate: lr };
}

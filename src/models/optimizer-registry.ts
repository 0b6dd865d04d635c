/**
 * The one list of optimizers lstm-lab knows, and the one options type, used by model compilation
 * (buildModel, buildBaseline) and by `train` alike. `train` runs every optimizer here with its own
 * update rules (training/optimizer.ts); model compilation makes the matching tf.train optimizer for
 * `model.fit` and remembers which entry it stands for, so `train` on a compiled model runs the same
 * rule, and a tf.train optimizer outside this list is named in an error instead of being replaced.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { bool, inRange, nonNegativeNumber, oneOf, positiveNumber } from "../validate.js";

/** The optimizers lstm-lab knows. */
export type OptimizerName = "adam" | "adamw" | "rmsprop" | "sgd";
/** Every optimizer name, for model compilation and `train` alike. */
export const OPTIMIZERS: readonly OptimizerName[] = ["adam", "adamw", "rmsprop", "sgd"];

/** Optimizer hyperparameters; the learning rate is given per step, not here. */
export interface OptimizerOptions {
  /** Which update rule. @default "adam" */ name?: OptimizerName;
  /** Adam first-moment decay. @default 0.9 */ beta1?: number;
  /** Adam second-moment decay. @default 0.999 */ beta2?: number;
  /** Added to the denominator (adam, adamw, rmsprop). @default 1e-7 */ epsilon?: number;
  /** AdamW decoupled weight decay λ (ignored by the others). @default 0.01 */ weightDecay?: number;
  /** RMSprop decay of the squared-gradient average. @default 0.9 */ rho?: number;
  /** Momentum for sgd and rmsprop. @default 0 */ momentum?: number;
  /** Nesterov momentum for sgd. @default false */ nesterov?: boolean;
}

const DEFAULTS: Required<OptimizerOptions> = {
  name: "adam",
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  weightDecay: 0.01,
  rho: 0.9,
  momentum: 0,
  nesterov: false,
};

/** Checks optimizer options and fills in the defaults. */
export function resolveOptimizer(o: OptimizerName | OptimizerOptions = {}): Required<OptimizerOptions> {
  const given = typeof o === "string" ? { name: o } : o;
  const r = { ...DEFAULTS, ...given };
  oneOf("optimizer", r.name, OPTIMIZERS);
  inRange("optimizer.beta1", r.beta1, 0, 1, { highOpen: true });
  inRange("optimizer.beta2", r.beta2, 0, 1, { highOpen: true });
  positiveNumber("optimizer.epsilon", r.epsilon);
  nonNegativeNumber("optimizer.weightDecay", r.weightDecay);
  inRange("optimizer.rho", r.rho, 0, 1, { highOpen: true });
  inRange("optimizer.momentum", r.momentum, 0, 1, { highOpen: true });
  bool("optimizer.nesterov", r.nesterov);
  if (r.nesterov && r.momentum === 0) {
    throw new ConfigError("`optimizer.nesterov` needs `optimizer.momentum` > 0, got momentum 0.");
  }
  return r;
}

const COMPILED = new WeakMap<tf.Optimizer, OptimizerOptions>();

/**
 * The tf.train optimizer for `model.compile` (so `model.fit` works), remembered as `o` so that
 * `train` runs this very rule. AdamW compiles as tf.train.adam: `model.fit` has no decoupled weight
 * decay, `train` applies it.
 * @example
 * declare const model: tf.LayersModel;
 * model.compile({ optimizer: compileOptimizer("rmsprop", 1e-3), loss: "meanSquaredError" });
 */
export function compileOptimizer(o: OptimizerName | OptimizerOptions, learningRate: number): tf.Optimizer {
  const given: OptimizerOptions = typeof o === "string" ? { name: o } : { ...o };
  const name = given.name ?? "adam";
  let opt: tf.Optimizer;
  if (name === "rmsprop") opt = tf.train.rmsprop(learningRate, given.rho, given.momentum, given.epsilon);
  else if (name === "sgd") opt = given.momentum ? tf.train.momentum(learningRate, given.momentum, given.nesterov) : tf.train.sgd(learningRate);
  else opt = tf.train.adam(learningRate, given.beta1, given.beta2, given.epsilon);
  COMPILED.set(opt, given);
  return opt;
}

/** tf.train classes that map onto an entry, with the settings that carry over. */
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

/**
 * The registry entry a tf.train optimizer stands for: the one compileOptimizer made it from, else
 * read from its class and config; `null` with its class name when lstm-lab has no such optimizer.
 * @example
 * optimizerOf(tf.train.momentum(0.1, 0.9)) // { options: { name: "sgd", momentum: 0.9, nesterov: false }, className: "Momentum" }
 */
export function optimizerOf(opt: tf.Optimizer): { options: OptimizerOptions | null; className: string } {
  const className = (opt.constructor as { className?: string }).className ?? opt.getClassName();
  const known = COMPILED.get(opt);
  if (known) return { options: { ...known }, className };
  const rule = fromConfig(className, opt.getConfig() as Record<string, unknown>);
  const options = rule ? (Object.fromEntries(Object.entries(rule).filter(([, v]) => v !== undefined)) as OptimizerOptions) : null;
  return { options, className };
}

/**
 * The optimizers of the training loop, written out so that the learning rate is a plain number
 * read at every step (schedules and per-layer multipliers are exact, for every optimizer), AdamW's
 * weight decay is decoupled, and the whole state can be saved to and restored from a checkpoint.
 *
 * Update rules (g gradient, lr the step's learning rate times the variable's layer multiplier):
 * - adam:    m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p -= lr·m̂ / (√v̂ + ε)   (as tf.train.adam, Keras)
 * - adamw:   p -= lr·λ·p first (decoupled weight decay, Loshchilov & Hutter), then the adam step
 * - rmsprop: v = ρ·v + (1-ρ)·g²; with momentum μ: b = μ·b + lr·g/√(v+ε), p -= b; else p -= lr·g/√(v+ε)
 *            (as tf.train.rmsprop)
 * - sgd:     b = μ·b + g; p -= lr·b, or p -= lr·(g + μ·b) with nesterov (as PyTorch and tf.train.momentum)
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { bool, inRange, nonNegativeNumber, oneOf, positiveNumber } from "../validate.js";

/** The optimizers `train` knows. */
export type OptimizerName = "adam" | "adamw" | "rmsprop" | "sgd";
/** Every optimizer name. */
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

/** One saved slot of optimizer state: which variable (by position), which slot, and its values. */
export interface OptimizerSlot {
  variable: number;
  slot: string;
  shape: number[];
  values: Float32Array;
}

/** The optimizer state as plain data, for checkpoints. */
export interface OptimizerState {
  name: OptimizerName;
  iterations: number;
  slots: OptimizerSlot[];
}

/**
 * A stateful optimizer over a fixed, ordered list of variables.
 * @example
 * const opt = new Optimizer({ name: "sgd", momentum: 0.9 });
 * opt.apply(variables, gradients, variables.map(() => 0.01));
 */
export class Optimizer {
  readonly options: Required<OptimizerOptions>;
  #iterations = 0;
  /** slot name → per-variable state tensor (kept, disposed by dispose()). */
  #slots = new Map<string, (tf.Variable | undefined)[]>();

  constructor(options: OptimizerName | OptimizerOptions = {}) {
    this.options = resolveOptimizer(options);
  }

  /** Number of steps applied so far (Adam's bias correction uses it). */
  get iterations(): number {
    return this.#iterations;
  }

  #slot(name: string, i: number, like: tf.Tensor): tf.Variable {
    let list = this.#slots.get(name);
    if (!list) this.#slots.set(name, (list = []));
    let v = list[i];
    if (!v) {
      v = tf.variable(tf.zerosLike(like), false);
      list[i] = v;
    }
    return v;
  }

  /**
   * One update: `variables[i] -= step(gradients[i])` with learning rate `lrs[i]`.
   * A variable with learning rate 0 is still updated in its state but its value does not move.
   */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], lrs: readonly number[]): void {
    const o = this.options;
    const t = ++this.#iterations;
    tf.tidy(() => {
      variables.forEach((p, i) => {
        const g = gradients[i] as tf.Tensor;
        const lr = lrs[i] as number;
        switch (o.name) {
          case "adam":
          case "adamw": {
            if (o.name === "adamw" && o.weightDecay > 0) p.assign(tf.sub(p, tf.mul(lr * o.weightDecay, p)));
            const m = this.#slot("m", i, p);
            const v = this.#slot("v", i, p);
            const m1 = tf.add(tf.mul(o.beta1, m), tf.mul(1 - o.beta1, g));
            const v1 = tf.add(tf.mul(o.beta2, v), tf.mul(1 - o.beta2, tf.square(g)));
            m.assign(m1);
            v.assign(v1);
            const mHat = tf.div(m1, 1 - Math.pow(o.beta1, t));
            const vHat = tf.div(v1, 1 - Math.pow(o.beta2, t));
            p.assign(tf.sub(p, tf.mul(lr, tf.div(mHat, tf.add(tf.sqrt(vHat), o.epsilon)))));
            break;
          }
          case "rmsprop": {
            const v = this.#slot("v", i, p);
            const v1 = tf.add(tf.mul(o.rho, v), tf.mul(1 - o.rho, tf.square(g)));
            v.assign(v1);
            const stepDir = tf.div(tf.mul(lr, g), tf.sqrt(tf.add(v1, o.epsilon)));
            if (o.momentum > 0) {
              const b = this.#slot("momentum", i, p);
              const b1 = tf.add(tf.mul(o.momentum, b), stepDir);
              b.assign(b1);
              p.assign(tf.sub(p, b1));
            } else {
              p.assign(tf.sub(p, stepDir));
            }
            break;
          }
          case "sgd": {
            if (o.momentum === 0) {
              p.assign(tf.sub(p, tf.mul(lr, g)));
              break;
            }
            const b = this.#slot("momentum", i, p);
            const b1 = tf.add(tf.mul(o.momentum, b), g);
            b.assign(b1);
            const dir = o.nesterov ? tf.add(g, tf.mul(o.momentum, b1)) : b1;
            p.assign(tf.sub(p, tf.mul(lr, dir)));
            break;
          }
        }
      });
    });
  }

  /** The state as plain data (values copied out). */
  getState(): OptimizerState {
    const slots: OptimizerSlot[] = [];
    for (const [slot, list] of [...this.#slots.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      list.forEach((v, variable) => {
        if (v) slots.push({ variable, slot, shape: v.shape.slice(), values: new Float32Array(v.dataSync()) });
      });
    }
    return { name: this.options.name, iterations: this.#iterations, slots };
  }

  /** Replaces the state with `state` (from `getState()` of an optimizer with the same name). */
  setState(state: OptimizerState): void {
    if (state.name !== this.options.name) {
      throw new ConfigError(
        `Cannot restore "${state.name}" optimizer state into a "${this.options.name}" optimizer; use optimizer "${state.name}".`,
      );
    }
    this.dispose();
    this.#iterations = state.iterations;
    for (const s of state.slots) {
      let list = this.#slots.get(s.slot);
      if (!list) this.#slots.set(s.slot, (list = []));
      list[s.variable] = tf.variable(tf.tensor(s.values, s.shape, "float32"), false);
    }
  }

  /** Frees the state tensors. */
  dispose(): void {
    for (const list of this.#slots.values()) for (const v of list) v?.dispose();
    this.#slots.clear();
  }
}

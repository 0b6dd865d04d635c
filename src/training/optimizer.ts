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
 *
 * On the host-memory backends (wasm, cpu) a step is one pass over each variable's values in plain
 * code, with the state in Float32Arrays, and one assign of the new values: TensorFlow.js would run
 * about twelve ops per variable, each costing more in dispatch than in arithmetic. (Never in place:
 * the wasm backend's matMul keeps weights packed by tensor, so only new data is seen.) Elsewhere
 * (tfjs-node, GPU) the same rules run as tf ops.
 */
import * as tf from "@tensorflow/tfjs";
import { hostValues } from "../backend/host-values.js";
import { ConfigError } from "../errors.js";
import { OPTIMIZERS, resolveOptimizer, type OptimizerName, type OptimizerOptions } from "../models/optimizer-registry.js";

export { OPTIMIZERS, resolveOptimizer };
export type { OptimizerName, OptimizerOptions };

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

let hostUpdates: "auto" | "never" = "auto";

/** Whether updates run on the host: the wasm and cpu backends keep tensors in host memory. */
function hostPath(): boolean {
  return hostUpdates === "auto" && ["wasm", "cpu"].includes(tf.getBackend());
}

/** For tests: "never" runs the tf-op path on every backend, so both paths can be compared here. */
export function setHostUpdates(mode: "auto" | "never"): void {
  hostUpdates = mode;
}

/**
 * A stateful optimizer over a fixed, ordered list of variables.
 * @example
 * declare const variables: tf.Variable[];
 * declare const gradients: tf.Tensor[];
 * const opt = new Optimizer({ name: "sgd", momentum: 0.9 });
 * opt.apply(variables, gradients, variables.map(() => 0.01));
 */
export class Optimizer {
  readonly options: Required<OptimizerOptions>;
  #iterations = 0;
  /**
   * slot name → per-variable state: a Float32Array on the host path, a tf.Variable on the tf-op path
   * (converted when the path changes; variables disposed by dispose()).
   */
  #slots = new Map<string, (tf.Variable | Float32Array | undefined)[]>();
  /** Each variable's shape, for the state of host slots (flat arrays). */
  #shapes: number[][] = [];

  constructor(options: OptimizerName | OptimizerOptions = {}) {
    this.options = resolveOptimizer(options);
  }

  /** Number of steps applied so far (Adam's bias correction uses it). */
  get iterations(): number {
    return this.#iterations;
  }

  #list(name: string): (tf.Variable | Float32Array | undefined)[] {
    let list = this.#slots.get(name);
    if (!list) this.#slots.set(name, (list = []));
    return list;
  }

  /** Slot `name` of variable i as a tf.Variable (the tf-op path). */
  #slot(name: string, i: number, like: tf.Tensor): tf.Variable {
    const list = this.#list(name);
    const have = list[i];
    if (have instanceof tf.Variable) return have;
    const v = tf.variable(have ? tf.tensor(have, like.shape, "float32") : tf.zerosLike(like), false);
    list[i] = v;
    return v;
  }

  /** Slot `name` of variable i as host values (the host path). */
  #hostSlot(name: string, i: number, size: number): Float32Array {
    const list = this.#list(name);
    const have = list[i];
    if (have instanceof Float32Array) return have;
    const a = have ? Float32Array.from(have.dataSync()) : new Float32Array(size);
    have?.dispose();
    list[i] = a;
    return a;
  }

  /**
   * One update: `variables[i] -= step(gradients[i])` with learning rate `lrs[i]`.
   * A variable with learning rate 0 is still updated in its state but its value does not move.
   */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], lrs: readonly number[]): void {
    const t = ++this.#iterations;
    if (hostPath()) {
      variables.forEach((p, i) => this.#applyHost(p, gradients[i] as tf.Tensor, lrs[i] as number, i, t));
      return;
    }
    tf.tidy(() => {
      variables.forEach((p, i) => {
        const g = gradients[i] as tf.Tensor;
        const lr = lrs[i] as number;
        if (this.options.name === "rmsprop") this.#rmspropTf(p, g, lr, i);
        else if (this.options.name === "sgd") this.#sgdTf(p, g, lr, i);
        else this.#adamTf(p, g, lr, i, t);
      });
    });
  }

  #adamTf(p: tf.Variable, g: tf.Tensor, lr: number, i: number, t: number): void {
    const o = this.options;
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
  }

  #rmspropTf(p: tf.Variable, g: tf.Tensor, lr: number, i: number): void {
    const o = this.options;
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
  }

  #sgdTf(p: tf.Variable, g: tf.Tensor, lr: number, i: number): void {
    const o = this.options;
    if (o.momentum === 0) {
      p.assign(tf.sub(p, tf.mul(lr, g)));
      return;
    }
    const b = this.#slot("momentum", i, p);
    const b1 = tf.add(tf.mul(o.momentum, b), g);
    b.assign(b1);
    const dir = o.nesterov ? tf.add(g, tf.mul(o.momentum, b1)) : b1;
    p.assign(tf.sub(p, tf.mul(lr, dir)));
  }

  /**
   * One variable's update on the host: the same rules as the tf-op path, in double precision (the
   * values and state stay float32), the new values assigned.
   */
  #applyHost(p: tf.Variable, gt: tf.Tensor, lr: number, i: number, t: number): void {
    this.#shapes[i] = p.shape.slice();
    // Read the gradient and weights before anything may allocate in the backend's heap (hostValues' lifetime).
    const g = hostValues(gt);
    const w = Float32Array.from(hostValues(p));
    if (this.options.name === "rmsprop") this.#rmspropHost(w, g, lr, i);
    else if (this.options.name === "sgd") this.#sgdHost(w, g, lr, i);
    else this.#adamHost(w, g, lr, i, t);
    tf.tidy(() => p.assign(tf.tensor(w, p.shape, "float32")));
  }

  #adamHost(w: Float32Array, g: ArrayLike<number>, lr: number, i: number, t: number): void {
    const o = this.options;
    const n = w.length;
    const m = this.#hostSlot("m", i, n);
    const v = this.#hostSlot("v", i, n);
    const b1 = o.beta1, b2 = o.beta2, c1 = 1 - o.beta1, c2 = 1 - o.beta2, eps = o.epsilon;
    // lr·m̂ / (√v̂ + ε) with the bias corrections folded into two constants: one division per value.
    const step = lr / (1 - Math.pow(b1, t)), unbias = 1 / (1 - Math.pow(b2, t));
    const keep = o.name === "adamw" ? 1 - lr * o.weightDecay : 1;
    for (let k = 0; k < n; k++) {
      const gk = g[k] as number;
      const mk = b1 * (m[k] as number) + c1 * gk;
      const vk = b2 * (v[k] as number) + c2 * gk * gk;
      m[k] = mk;
      v[k] = vk;
      w[k] = keep * (w[k] as number) - (step * mk) / (Math.sqrt(vk * unbias) + eps);
    }
  }

  #rmspropHost(w: Float32Array, g: ArrayLike<number>, lr: number, i: number): void {
    const o = this.options;
    const n = w.length, mom = o.momentum;
    const v = this.#hostSlot("v", i, n);
    const b = mom > 0 ? this.#hostSlot("momentum", i, n) : null;
    const rho = o.rho, c = 1 - o.rho, eps = o.epsilon;
    for (let k = 0; k < n; k++) {
      const gk = g[k] as number;
      const vk = rho * (v[k] as number) + c * gk * gk;
      v[k] = vk;
      let d = (lr * gk) / Math.sqrt(vk + eps);
      if (b) d = b[k] = mom * (b[k] as number) + d;
      w[k] = (w[k] as number) - d;
    }
  }

  #sgdHost(w: Float32Array, g: ArrayLike<number>, lr: number, i: number): void {
    const o = this.options;
    const n = w.length, mom = o.momentum;
    const b = mom > 0 ? this.#hostSlot("momentum", i, n) : null;
    for (let k = 0; k < n; k++) {
      const gk = g[k] as number;
      let d = gk;
      if (b) {
        const bk = (b[k] = mom * (b[k] as number) + gk);
        d = o.nesterov ? gk + mom * bk : bk;
      }
      w[k] = (w[k] as number) - lr * d;
    }
  }

  /** The state as plain data (values copied out). */
  getState(): OptimizerState {
    const slots: OptimizerSlot[] = [];
    for (const [slot, list] of [...this.#slots.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      list.forEach((v, variable) => {
        if (v instanceof Float32Array) slots.push({ variable, slot, shape: this.#shapes[variable] ?? [v.length], values: v.slice() });
        else if (v) slots.push({ variable, slot, shape: v.shape.slice(), values: new Float32Array(v.dataSync()) });
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
      // Kept as host values; the tf-op path turns them into variables (of the variable's shape) on first use.
      list[s.variable] = s.values.slice();
      this.#shapes[s.variable] = s.shape.slice();
    }
  }

  /** Frees the state tensors. */
  dispose(): void {
    for (const list of this.#slots.values()) for (const v of list) if (v instanceof tf.Variable) v.dispose();
    this.#slots.clear();
  }
}

/**
 * Baselines built the same way as buildModel, for comparison: a dense MLP on the flattened window,
 * or a linear model (a single Dense on the flattened window, with the task's activation: linear
 * regression, logistic regression, softmax regression). This is lstm-lab's one MLP baseline:
 * compareModels' "mlp" (eval's fitMlp) builds it here and trains it with `train`.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { Rng } from "../rng.js";
import { inRange, nonNegativeNumber, oneOf, positiveInt, positiveNumber, show } from "../validate.js";
import { TASKS, type Task } from "./model-config.js";
import { compileOptimizer, resolveOptimizer, type OptimizerName, type OptimizerOptions } from "./optimizer-registry.js";
import { taskHead } from "./task-head.js";
import { freshSeed } from "./fresh-seed.js";
import { KeyedDropout } from "./keyed-dropout.js";

/** The model kinds buildBaseline makes: a small MLP or a linear model over the flattened window. */
export const BASELINE_KINDS = ["mlp", "linear"] as const;
/** One of {@link BASELINE_KINDS}. */
export type BaselineKind = (typeof BASELINE_KINDS)[number];

/** Options of {@link buildBaseline}: the window shape, outputs and the baseline's own settings. */
export interface BaselineOptions {
  /** Shape of one sample, e.g. [timesteps, features] of a window (flattened inside the model). */
  inputShape: readonly number[];
  /** @default "mlp" */
  kind?: BaselineKind;
  /** @default "regression" */
  task?: Task;
  /** @default 1 */
  outputs?: number;
  /** Hidden layer widths of the MLP (relu, He-normal initialised). @default [64] */
  hidden?: readonly number[];
  /** Dropout after each hidden layer (a KeyedDropout: a fresh mask every batch). @default 0 */
  dropout?: number;
  /** L2 penalty on the Dense kernels. @default 0 */
  l2?: number;
  /** Compiled optimizer, a name or options from the one registry (OPTIMIZERS). @default "adam" */
  optimizer?: OptimizerName | OptimizerOptions;
  /** @default 0.001 */
  learningRate?: number;
  /** @default false */
  sparseLabels?: boolean;
  /** Seed of the initialisers: Dense layer i (0-based, the output last) is seeded `seed + i`. @default null (a fresh one) */
  seed?: number | null;
  /** @default "mlp_baseline" / "linear_baseline" */
  name?: string;
}

/**
 * Builds a baseline model (MLP or linear) over the flattened window, compiled like buildModel's.
 * @example const base = buildBaseline({ kind: "linear", inputShape: [30, 4], outputs: 7, seed: 1 });
 */
export function buildBaseline(o: BaselineOptions): tf.LayersModel {
  const kind = oneOf("baseline kind", o.kind ?? "mlp", BASELINE_KINDS);
  const task = oneOf("task", o.task ?? "regression", TASKS);
  const outputs = positiveInt("outputs", o.outputs ?? 1);
  if (task === "multiclass" && outputs < 2) {
    throw new ConfigError(`\`outputs\` must be the number of classes (at least 2) for task "multiclass", got ${outputs}.`);
  }
  if (!Array.isArray(o.inputShape) || o.inputShape.length === 0) {
    throw new ConfigError(`\`inputShape\` must be the shape of one sample such as [timesteps, features], got ${show(o.inputShape)}.`);
  }
  o.inputShape.forEach((d, i) => positiveInt(`inputShape[${i}]`, d));
  const hidden = o.hidden ?? [64];
  hidden.forEach((h, i) => positiveInt(`hidden[${i}]`, h));
  const dropout = inRange("dropout", o.dropout ?? 0, 0, 1, { highOpen: true });
  const l2 = nonNegativeNumber("l2", o.l2 ?? 0);
  const opt = o.optimizer ?? "adam";
  resolveOptimizer(opt);
  const lr = positiveNumber("learningRate", o.learningRate ?? 0.001);
  const seed = o.seed ?? freshSeed();
  const dropRng = new Rng(seed).fork("dropout");
  let dense = 0;
  const reg = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
  const head = taskHead(task, o.sparseLabels ?? false);

  const input = tf.input({ shape: [...o.inputShape] });
  let x = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  if (kind === "mlp") {
    for (const units of hidden) {
      x = tf.layers
        .dense({ units, activation: "relu", kernelInitializer: tf.initializers.heNormal({ seed: seed + dense++ }), kernelRegularizer: reg })
        .apply(x) as tf.SymbolicTensor;
      if (dropout > 0) x = new KeyedDropout({ rate: dropout, seed: dropRng.nextSeed() }).apply(x) as tf.SymbolicTensor;
    }
  }
  const out = tf.layers
    .dense({
      units: outputs,
      activation: head.activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + dense }),
      kernelRegularizer: reg,
    })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: o.name ?? `${kind}_baseline` });
  model.compile({ optimizer: compileOptimizer(opt, lr), loss: head.loss, metrics: [...head.metrics] });
  return model;
}

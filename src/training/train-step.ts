/**
 * One gradient step: forward pass under the batch's dropout key, loss (weighted, plus the model's
 * regularization), gradients, their norms per layer, clipping, per-layer learning rates and the
 * optimizer update. `train` drives it batch by batch; anything else that needs steps (a learning-rate
 * finder) can drive it the same way.
 */
import * as tf from "@tensorflow/tfjs";
import { ConfigError } from "../errors.js";
import { withDropoutKey, type DropoutKey } from "../models/dropout-key.js";
import type { StepBatch } from "./batch-source.js";
import type { LossFn } from "./loss.js";
import type { Optimizer, OptimizerState } from "./optimizer.js";
import type { TrainMetric } from "./train-metric.js";

/** The variables of one layer that the step updates, and its learning-rate multiplier. */
export interface LayerGroup {
  layer: string;
  vars: tf.Variable[];
  multiplier: number;
}

/** What a TrainStep needs besides the model. */
export interface TrainStepOptions {
  loss: LossFn;
  metrics: readonly TrainMetric[];
  optimizer: Optimizer;
  /** Layer names to keep fixed. */ freeze: readonly string[];
  /** Learning-rate multiplier per layer name. */ layerLr: Readonly<Record<string, number>>;
  clipNorm: number | null;
  clipValue: number | null;
}

/** One step's numbers: the batch loss, the gradient norm (before clipping), per-layer norms, metric sums. */
export interface StepResult {
  loss: number;
  norm: number;
  /** L2 norm of each layer group's gradient, in `TrainStep.groups` order. */
  layerNorms: number[];
  /** Sum over the batch's samples of each metric's per-sample value. */
  metricSums: number[];
  /** False when the loss or the norm is not finite; the update was then not applied. */
  finite: boolean;
}

/** The trainable layers as groups, checking that `freeze` and `layerLr` name real layers. */
export function trainableGroups(model: tf.LayersModel, freeze: readonly string[], layerLr: Readonly<Record<string, number>>): LayerGroup[] {
  const names = model.layers.map((l) => l.name);
  const check = (opt: string, name: string) => {
    if (!names.includes(name)) {
      throw new ConfigError(`\`${opt}\` names layer ${JSON.stringify(name)}, which the model does not have. Layers: ${names.join(", ")}.`);
    }
  };
  freeze.forEach((n) => check("freeze", n));
  Object.keys(layerLr).forEach((n) => check("layerLr", n));
  const groups: LayerGroup[] = [];
  for (const layer of model.layers) {
    if (freeze.includes(layer.name) || !layer.trainable) continue;
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    if (vars.length === 0) continue;
    groups.push({ layer: layer.name, vars, multiplier: layerLr[layer.name] ?? 1 });
  }
  if (groups.length === 0) throw new ConfigError("Nothing to train: every layer is frozen or has no trainable weights.");
  return groups;
}

/**
 * The train step of `train`, reusable on its own; its state is the optimizer's.
 * @example
 * declare const model: tf.LayersModel;
 * declare const x: tf.Tensor;
 * declare const y: tf.Tensor;
 * const step = new TrainStep(model, { loss: resolveLoss("mse").fn, metrics: [], optimizer: new Optimizer("adam"), freeze: [], layerLr: {}, clipNorm: 1, clipValue: null });
 * const r = step.run({ index: 0, xs: [x], y, weights: null, size: 32 }, 1e-3, { seed: 1, epoch: 0, batch: 0 });
 * r.loss; r.norm
 */
export class TrainStep {
  readonly groups: LayerGroup[];
  readonly #vars: tf.Variable[];
  readonly #varGroup: number[];

  constructor(
    readonly model: tf.LayersModel,
    readonly o: TrainStepOptions,
  ) {
    this.groups = trainableGroups(model, o.freeze, o.layerLr);
    this.#vars = this.groups.flatMap((g) => g.vars);
    this.#varGroup = this.groups.flatMap((g, gi) => g.vars.map(() => gi));
  }

  /** Runs one step at learning rate `lr` (times each layer's multiplier) with the batch's dropout `key`. */
  run(batch: StepBatch, lr: number, key: DropoutKey): StepResult {
    const { value, grads, pred } = this.#gradients(batch, key);
    const gradList = this.#vars.map((v) => grads[v.name] as tf.Tensor);
    const stats = this.#stats(gradList, value, pred, batch.y);
    tf.dispose([value, pred]);
    const nG = this.groups.length;
    const loss = stats[0] as number;
    let normSq = 0;
    for (let gi = 0; gi < nG; gi++) normSq += stats[1 + gi] as number;
    const norm = Math.sqrt(normSq);
    const finite = Number.isFinite(loss) && Number.isFinite(norm);
    if (finite) this.#update(gradList, norm, lr);
    tf.dispose(gradList);
    const layerNorms = this.groups.map((_, gi) => Math.sqrt(stats[1 + gi] as number));
    const metricSums = this.o.metrics.map((_, i) => stats[1 + nG + i] as number);
    return { loss, norm, layerNorms, metricSums, finite };
  }

  /** The optimizer's state (slots and step count). */
  getState(): OptimizerState {
    return this.o.optimizer.getState();
  }

  setState(state: OptimizerState): void {
    this.o.optimizer.setState(state);
  }

  /** Frees the optimizer's state. */
  dispose(): void {
    this.o.optimizer.dispose();
  }

  #gradients(batch: StepBatch, key: DropoutKey): { value: tf.Scalar; grads: tf.NamedTensorMap; pred: tf.Tensor } {
    let pred: tf.Tensor | null = null;
    const { loss } = this.o;
    const { value, grads } = tf.variableGrads(() => {
      const input = batch.xs.length === 1 ? (batch.xs[0] as tf.Tensor) : batch.xs;
      const p = withDropoutKey(this.model, key, () => this.model.apply(input, { training: true }) as tf.Tensor);
      pred = tf.keep(p);
      const per = loss(batch.y, p);
      let l: tf.Tensor = batch.weights ? tf.mean(tf.mul(per, batch.weights)) : tf.mean(per);
      for (const reg of this.model.calculateLosses()) l = tf.add(l, reg);
      return l as tf.Scalar;
    }, this.#vars);
    return { value, grads, pred: pred as unknown as tf.Tensor };
  }

  /** [loss, squared norm per group..., metric sums...] read back in one transfer. */
  #stats(gradList: tf.Tensor[], value: tf.Scalar, pred: tf.Tensor, y: tf.Tensor): Float32Array | Int32Array | Uint8Array {
    return tf.tidy(() => {
      const sq = gradList.map((g) => tf.sum(tf.square(g)));
      const perLayer = this.groups.map((_, gi) => tf.addN(sq.filter((_, i) => this.#varGroup[i] === gi)));
      return tf.stack([value, ...perLayer, ...this.o.metrics.map((m) => tf.sum(m.perSample(y, pred)))]).dataSync();
    });
  }

  #update(gradList: tf.Tensor[], norm: number, lr: number): void {
    const { clipNorm, clipValue, optimizer } = this.o;
    tf.tidy(() => {
      let g: tf.Tensor[] = gradList;
      if (clipValue !== null) g = g.map((t) => tf.clipByValue(t, -clipValue, clipValue));
      if (clipNorm !== null) {
        if (clipValue === null) {
          if (norm > clipNorm) g = g.map((t) => tf.mul(t, clipNorm / norm));
        } else {
          const nrm = tf.sqrt(tf.addN(g.map((t) => tf.sum(tf.square(t)))));
          const scale = tf.minimum(1, tf.div(clipNorm, tf.maximum(nrm, 1e-12)));
          g = g.map((t) => tf.mul(t, scale));
        }
      }
      optimizer.apply(this.#vars, g, this.#varGroup.map((gi) => lr * (this.groups[gi] as LayerGroup).multiplier));
    });
  }
}

/**
 * The training-time dropout key. train() sets (seed, epoch, batch) around each batch's forward pass;
 * every dropout in lstm-lab (our fused layers' input and recurrent dropout, KeyedDropout, attention
 * dropout, the stock recurrent layers buildModel makes) draws its mask from an Rng forked by that key
 * and the layer's own stable key. So a mask is fresh for every batch, equal for equal
 * (seed, epoch, batch, layer), and a run resumed from a checkpoint draws exactly the masks the
 * uninterrupted run drew: no generator state has to be saved.
 *
 * A layer's key is its position in the model ("2", or "2/backward" for the backward copy inside a
 * Bidirectional, "1/3" inside a nested model), so two models built alike get the same masks even when
 * tfjs numbered their auto-generated layer names differently. A layer the walk does not reach uses its name.
 *
 * Outside withDropoutKey (model.fit, or `apply(x, { training: true })` by hand) there is no key: each
 * layer draws from its own stream, seeded by its `seed` option, fresh for every call. Such runs repeat
 * from a freshly built model but cannot be resumed mask for mask. Inference (training false) drops nothing.
 */
import type * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";

/** Where in training a forward pass is: the run's seed, the epoch and the batch within it. */
export interface DropoutKey {
  /** The run's seed (`history.seed`). */
  readonly seed: number;
  /** Epoch index, counted from the run's start (a resumed run continues the count). */
  readonly epoch: number;
  /** Batch index within the epoch. */
  readonly batch: number;
}

type Container = tf.layers.Layer & {
  layers?: tf.layers.Layer[];
  layer?: tf.layers.Layer;
  forwardLayer?: tf.layers.Layer;
  backwardLayer?: tf.layers.Layer;
};

interface Active {
  key: DropoutKey;
  paths: ReadonlyMap<tf.layers.Layer, string>;
}

let active: Active | null = null;

/** Every layer reachable from `model` with its position path; wrappers and nested models included. */
function layerPaths(model: tf.LayersModel): ReadonlyMap<tf.layers.Layer, string> {
  // Walked for every pass (a handful of layers): a model changed between passes cannot go stale.
  const paths = new Map<tf.layers.Layer, string>();
  const visit = (layer: tf.layers.Layer, path: string): void => {
    if (paths.has(layer)) return;
    paths.set(layer, path);
    const c = layer as Container;
    // Bidirectional computes with copies of the layer it was given: key the copies.
    if (c.forwardLayer) visit(c.forwardLayer, `${path}/forward`);
    if (c.backwardLayer) visit(c.backwardLayer, `${path}/backward`);
    if (!c.forwardLayer && c.layer) visit(c.layer, `${path}/inner`);
    c.layers?.forEach((l, i) => visit(l, `${path}/${i}`));
  };
  model.layers.forEach((l, i) => visit(l, String(i)));
  return paths;
}

/**
 * Runs `fn` (a forward pass of `model`) with the dropout key set; the previous key, if any, comes back after.
 * @example
 * declare const model: tf.LayersModel;
 * declare const xb: tf.Tensor;
 * const p = withDropoutKey(model, { seed: 1, epoch: 0, batch: 3 }, () => model.apply(xb, { training: true }));
 */
export function withDropoutKey<T>(model: tf.LayersModel, key: DropoutKey, fn: () => T): T {
  const previous = active;
  active = { key: { ...key }, paths: layerPaths(model) };
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/**
 * The active forward pass (a new object for every withDropoutKey call), or null outside one: lets a
 * layer that draws several masks per pass count them from zero in each pass.
 * @example
 * let lastPass: object | null = null, drawn = 0;
 * if (dropoutPass() !== lastPass) { lastPass = dropoutPass(); drawn = 0; }
 */
export function dropoutPass(): object | null {
  return active;
}

/**
 * The stream one mask of `layer` is drawn from under the active key, or null outside withDropoutKey.
 * `part` tells a layer's masks apart ("input", "recurrent", ...).
 * @example
 * declare const layer: tf.layers.Layer, ownStream: Rng;
 * const rng = dropoutRng(layer, "input") ?? ownStream; // inside a layer's call(): the key's stream, or its own
 */
export function dropoutRng(layer: tf.layers.Layer, part: string): Rng | null {
  if (active === null) return null;
  const { key, paths } = active;
  const where = paths.get(layer) ?? `name:${layer.name}`;
  return new Rng(key.seed).fork(`dropout|${key.epoch}|${key.batch}|${where}|${part}`);
}

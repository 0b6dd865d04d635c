/**
 * keyStockDropout: gives the stock tf.layers LSTM / GRU / simpleRNN layers of a model keyed dropout
 * masks. tf.layers draws their input and recurrent masks from TensorFlow.js' unseeded generator (the
 * layers take no dropout seed), so runs with them never repeated. Their cells accept a `dropoutFunc`;
 * this sets one that draws each mask from the dropout key (seed, epoch, batch, layer) inside train()
 * (see dropout-key.ts), and from a stream seeded by `seed` elsewhere. It reaches the copies a
 * Bidirectional wrapper computes with, which tfjs builds from the config and so without the function.
 * buildModel and loadModel call it; safe to call twice.
 */
import type * as tf from "@tensorflow/tfjs";
import { Rng } from "../rng.js";
import { dropoutPass, dropoutRng } from "./dropout-key.js";
import { dropoutMask } from "./dropout-mask.js";

interface StockCell {
  dropout?: number;
  recurrentDropout?: number;
  dropoutFunc?: unknown;
}
type MaybeRnn = tf.layers.Layer & { cell?: tf.layers.Layer & StockCell };
type MaybeWrapper = tf.layers.Layer & { forwardLayer?: MaybeRnn; backwardLayer?: MaybeRnn; layers?: tf.layers.Layer[] };

const keyed = new WeakSet<tf.layers.Layer>();

/** The cell's mask function: the n-th mask of a pass (tfjs draws the input masks, then the recurrent ones) is part `mask:n`. */
function maskFunction(layer: tf.layers.Layer, own: Rng): (ones: tf.Tensor, rate: number) => tf.Tensor {
  let pass: object | null = null;
  let drawn = 0;
  return (ones, rate) => {
    const now = dropoutPass();
    if (now !== pass) {
      pass = now;
      drawn = 0;
    }
    const rng = dropoutRng(layer, `mask:${drawn++}`) ?? new Rng(own.nextSeed());
    return dropoutMask(ones.shape, rate, rng);
  };
}

function keyLayer(layer: MaybeRnn, seed: number, path: string): void {
  const cell = layer.cell;
  if (!cell || keyed.has(layer)) return;
  if ((cell.dropout ?? 0) > 0 || (cell.recurrentDropout ?? 0) > 0) {
    cell.dropoutFunc = maskFunction(layer, new Rng(seed).fork(`stock-dropout|${path}`));
  }
  keyed.add(layer);
}

/**
 * Makes a loaded model's stock dropout draw from `train`'s dropout key, so its masks are fresh per batch and repeatable.
 * @example
 * declare const url: string;
 * const model = await tf.loadLayersModel(url);   // stock LSTM layers with dropout
 * keyStockDropout(model, 1);                     // now their masks are fresh per batch and repeatable
 */
export function keyStockDropout(model: tf.LayersModel, seed: number): tf.LayersModel {
  const visit = (layer: MaybeWrapper, path: string): void => {
    if (layer.forwardLayer) keyLayer(layer.forwardLayer, seed, `${path}/forward`);
    if (layer.backwardLayer) keyLayer(layer.backwardLayer, seed, `${path}/backward`);
    keyLayer(layer, seed, path);
    layer.layers?.forEach((l, i) => visit(l, `${path}/${i}`));
  };
  model.layers.forEach((l, i) => visit(l, String(i)));
  return model;
}

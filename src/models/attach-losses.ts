/**
 * attachLosses: makes the L1/L2 penalties of recurrent layers count in `model.calculateLosses()`
 * (what model.fit and our train loop add to the loss). tf.js drops two of them silently:
 * - a stock LSTM/GRU keeps its penalties on its inner cell, which the model never asks;
 * - a Bidirectional wrapper reports the losses of the layer it was given, not of the forward and
 *   backward copies that hold the weights.
 * buildModel and loadModel call it; safe to call twice.
 */
import type * as tf from "@tensorflow/tfjs";

type RegularizerFn = () => tf.Scalar;
type MaybeRnn = tf.layers.Layer & { cell?: tf.layers.Layer };
type MaybeWrapper = tf.layers.Layer & { layer?: tf.layers.Layer; forwardLayer?: MaybeRnn; backwardLayer?: MaybeRnn };

const done = new WeakSet<tf.layers.Layer>();

/** A recurrent layer's own penalties plus its cell's. */
function penalties(layer: MaybeRnn): RegularizerFn[] {
  return [...layer.losses, ...(layer.cell ? layer.cell.losses : [])] as RegularizerFn[];
}

/**
 * Adds the recurrent layers' regularisation penalties to the model's losses.
 * @example
 * declare const model: tf.LayersModel;
 * attachLosses(model); model.calculateLosses() // now includes every recurrent penalty
 */
export function attachLosses(model: tf.LayersModel): tf.LayersModel {
  for (const l of model.layers as MaybeWrapper[]) {
    if (done.has(l)) continue;
    if (l.forwardLayer && l.backwardLayer && l.layer) {
      const fns = [...penalties(l.forwardLayer), ...penalties(l.backwardLayer)];
      if (fns.length > 0) l.layer.addLoss(fns);
      done.add(l);
    } else if ((l as MaybeRnn).cell) {
      const cell = (l as MaybeRnn).cell as tf.layers.Layer;
      if (l.losses.length === 0 && cell.losses.length > 0) l.addLoss(cell.losses as RegularizerFn[]);
      done.add(l);
    }
  }
  return model;
}

/**
 * modelSummary: Keras' model.summary() as an arquero table (layer, type, output shape, parameters),
 * which a notebook renders as a table; `summaryText` gives the same as aligned text.
 */
import type * as tf from "@tensorflow/tfjs";
import * as aq from "arquero";

type ColumnTable = ReturnType<typeof aq.table>;

function shapeText(shape: tf.Shape | tf.Shape[]): string {
  const one = (s: tf.Shape) => `[${s.map((d) => (d === null ? "null" : String(d))).join(", ")}]`;
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]).map(one).join(", ") : one(shape as tf.Shape);
}

/**
 * One row per layer: `layer` (name), `type` (class), `outputShape` ("[null, 30, 64]"), `params`,
 * `trainable` (trainable parameter count).
 * @example
 * declare const model: tf.LayersModel;
 * modelSummary(model).print()  // or display it in a notebook cell
 */
export function modelSummary(model: tf.LayersModel): ColumnTable {
  const layers = model.layers;
  const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a: number, d) => a * (d ?? 1), 1), 0);
  return aq.table({
    layer: layers.map((l) => l.name),
    type: layers.map((l) => l.getClassName()),
    outputShape: layers.map((l) => shapeText(l.outputShape)),
    params: layers.map((l) => l.countParams()),
    trainable: layers.map((l) => count(l.trainableWeights)),
  });
}

/**
 * What the fused sequence kernels share: the per-run constants, and moving tensors between the
 * layer's [B, T, ·] layout and the kernels' per-step feature-major [·, B] tensors cheaply on wasm.
 */
import * as tf from "@tensorflow/tfjs";

/** Constant (non-differentiated) tensors that shape one run of the sequence. */
export interface SequenceMasks {
  /** [B, T] 1 for real steps, 0 for padded ones: state and output carry over padded steps. */
  readonly mask: tf.Tensor2D | null;
  /** [B, F] inverted-dropout mask on the inputs (same for every step, as Keras). */
  readonly inputMask: tf.Tensor2D | null;
  /** [B, H] inverted-dropout mask on h_{t-1} where it enters the matMul. */
  readonly recurrentMask: tf.Tensor2D | null;
}

export interface SequenceRun {
  /** Output every step's h, not only the last. */
  readonly returnSequences: boolean;
  /** LSTM only: append the final carry c_T as one more step of the output. */
  readonly returnCarry: boolean;
  /** Walk the steps from last to first; outputs stay in processing order, as in tf.layers. */
  readonly goBackwards: boolean;
}

/**
 * Splits [T, R, C] into T tensors [R, C]. tf.unstack / tf.slice on wasm copy the whole source for
 * every slice (readSync copies the heap range), so unstacking a [31, 64, 64] gradient costs ~5 ms;
 * one read and T small uploads cost a fraction of that. Runs only inside our customGrad functions,
 * where nothing is taped.
 */
export function splitSteps(t: tf.Tensor3D): tf.Tensor2D[] {
  const [n, r, c] = t.shape;
  const data = t.dataSync() as Float32Array;
  const out: tf.Tensor2D[] = [];
  for (let s = 0; s < n; s++) out.push(tf.tensor2d(data.subarray(s * r * c, (s + 1) * r * c), [r, c]));
  return out;
}

/** Per-step inputs, feature-major [F+1, B] with a ones row appended, in processing order. */
export function stepInputs(x: tf.Tensor3D, inputMask: tf.Tensor2D | null, goBackwards: boolean): tf.Tensor2D[] {
  const [b, t] = x.shape;
  const xin = inputMask ? tf.mul(x, tf.expandDims(inputMask, 1)) : x;
  const xt = tf.concat([tf.transpose(xin, [1, 2, 0]), tf.ones([t, 1, b])], 1);
  const steps = splitSteps(xt as tf.Tensor3D);
  return goBackwards ? steps.reverse() : steps;
}

/** Per-step masks [1, B] in processing order. */
export function stepMasks(mask: tf.Tensor2D, goBackwards: boolean): tf.Tensor2D[] {
  const [b, t] = mask.shape;
  const steps = splitSteps(tf.reshape(tf.transpose(mask), [t, 1, b]) as tf.Tensor3D);
  return goBackwards ? steps.reverse() : steps;
}

/** Gradient [B, T, F] from feature-major columns [F, T*B] (step-major, processing order). */
export function unstepGrad(cols: tf.Tensor2D, t: number, b: number, goBackwards: boolean): tf.Tensor3D {
  let g = tf.transpose(tf.reshape(cols, [cols.shape[0], t, b]), [2, 1, 0]) as tf.Tensor3D;
  if (goBackwards) g = tf.reverse(g, 1);
  return g;
}

/** Packs per-step feature-major outputs [H, B] into [B, steps, H]. */
export function packOutputs(steps: tf.Tensor2D[]): tf.Tensor3D {
  return tf.transpose(tf.stack(steps), [2, 0, 1]) as tf.Tensor3D;
}

/** Unpacks an upstream gradient [B, steps, H] into feature-major per-step [H, B]. */
export function unpackGrad(dy: tf.Tensor3D): tf.Tensor2D[] {
  return splitSteps(tf.transpose(dy, [1, 2, 0]) as tf.Tensor3D);
}

/** What both recurrences start from: the constants of the gate arithmetic, the step inputs (input-dropout mask applied), the padding masks per step and the recurrent-dropout mask as columns. */
export interface RecurrenceInputs {
  one: tf.Scalar;
  two: tf.Scalar;
  xs: tf.Tensor2D[];
  ms: tf.Tensor2D[] | null;
  rm: tf.Tensor2D | null;
}

/** Builds {@link RecurrenceInputs} for `x` [B, T, F] in the order the recurrence visits the steps. */
export function recurrenceInputs(x: tf.Tensor3D, masks: SequenceMasks, goBackwards: boolean): RecurrenceInputs {
  return {
    one: tf.scalar(1),
    two: tf.scalar(2),
    xs: stepInputs(x, masks.inputMask, goBackwards),
    ms: masks.mask ? stepMasks(masks.mask, goBackwards) : null,
    rm: masks.recurrentMask ? (tf.transpose(masks.recurrentMask) as tf.Tensor2D) : null,
  };
}

/**
 * Host-side data the wasm sequence kernels share: the layer's masks read once into plain arrays in the
 * kernels' layouts, and written into a call's buffers.
 */
import type * as tf from "@tensorflow/tfjs";
import type { SequenceMasks } from "../sequence-steps.js";
import type { RnnKernel } from "./rnn-kernel.js";

/** The masks of one run as float arrays; null where absent. */
export interface StepData {
  /** [T, B] in processing order. */
  readonly mask: Float32Array | null;
  /** [B, F] input-dropout mask. */
  readonly inputMask: Float32Array | null;
  /** [B, H] recurrent-dropout mask. */
  readonly recurrentMask: Float32Array | null;
}

function floats(t: tf.Tensor | null): Float32Array | null {
  return t ? Float32Array.from(t.dataSync() as Float32Array) : null;
}

/** Reads the masks; the sequence mask is turned step-major and reversed when walking backwards. */
export function stepData(masks: SequenceMasks, b: number, t: number, goBackwards: boolean): StepData {
  const m = floats(masks.mask);
  let mask: Float32Array | null = null;
  if (m) {
    mask = new Float32Array(t * b);
    for (let s = 0; s < t; s++) {
      const tt = goBackwards ? t - 1 - s : s;
      for (let i = 0; i < b; i++) mask[s * b + i] = m[i * t + tt] as number;
    }
  }
  return { mask, inputMask: floats(masks.inputMask), recurrentMask: floats(masks.recurrentMask) };
}

/** Buffer lengths of a call's masks, in the order writeMasks takes them: [T·B], [B·H], [B·F]. */
export function maskLengths(b: number, t: number, f: number, h: number): [number, number, number] {
  return [t * b, b * h, b * f];
}

/** The mask pointers a kernel entry point takes: 0 where the mask is absent. */
export interface MaskPtrs {
  readonly mask: number;
  readonly recurrent: number;
  readonly input: number;
}

/** Writes the masks into the buffers at [mask, recurrent, input] (maskLengths) and returns what to pass. */
export function writeMasks(engine: RnnKernel, sd: StepData, [pm, prm, pim]: readonly number[]): MaskPtrs {
  const put = (ptr: number | undefined, data: Float32Array | null): number => {
    if (!data || ptr === undefined) return 0;
    engine.write(ptr, data);
    return ptr;
  };
  return { mask: put(pm, sd.mask), recurrent: put(prm, sd.recurrentMask), input: put(pim, sd.inputMask) };
}

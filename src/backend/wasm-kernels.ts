/**
 * Kernels the TensorFlow.js wasm backend (4.22) lacks but our models need. Registered once when
 * the wasm backend is chosen.
 *
 * - UnsortedSegmentSum: the gradient of tf.gather, hence of every Embedding layer. Without it,
 *   training a text model on wasm fails with "'UnsortedSegmentSum' not yet implemented".
 */
import * as tf from "@tensorflow/tfjs";

interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array | Int32Array): tf.TensorInfo;
}

/** out[s, ...] = Σ x[i, ...] over the rows i whose segment id is s; ids outside [0, numSegments) are dropped, as in TensorFlow. */
function unsortedSegmentSum({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const x = inputs["x"] as tf.TensorInfo;
  const ids = inputs["segmentIds"] as tf.TensorInfo;
  const numSegments = Number((attrs as { numSegments?: number } | undefined)?.numSegments);
  const b = backend as WasmBackendLike;
  const xv = b.readSync(x.dataId);
  const iv = b.readSync(ids.dataId);
  const inner = iv.length === 0 ? 0 : xv.length / iv.length;
  const out = x.dtype === "int32" ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < iv.length; i++) {
    const s = iv[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) out[to + j] = (out[to + j] as number) + (xv[from + j] as number);
  }
  return b.makeOutput([numSegments, ...x.shape.slice(ids.shape.length)], x.dtype, undefined, out);
}

/** Registers the missing kernels for the wasm backend (idempotent). */
export function registerWasmKernels(): void {
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) {
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName: "wasm", kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
  }
}

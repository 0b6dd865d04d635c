/**
 * Tensor values on the host without TensorFlow.js' copies, for code that loops over them itself (the
 * wasm recurrent kernel's glue, the optimizers' one-pass updates). On the wasm backend a tensor's
 * values live in its WebAssembly heap, and BackendWasm (public methods) hands out a view of them.
 * Read-only: the backend's matMul keeps weights packed per tensor (XNNPACK), so a tensor changed in
 * place would be seen stale there.
 */
import * as tf from "@tensorflow/tfjs";

/** What we use of the wasm backend: public methods of its BackendWasm class. */
interface HeapBackend {
  typedArrayFromHeap(t: { shape: number[]; dtype: tf.DataType; dataId: tf.DataId }): ArrayLike<number>;
  dataIdMap: { has(dataId: tf.DataId): boolean };
}

/** The active backend when it is the wasm backend holding `t`'s data, else null. */
function heapBackend(t: tf.Tensor): HeapBackend | null {
  const b = tf.engine().backend as unknown as Partial<HeapBackend>;
  if (t.dtype !== "float32" || typeof b.typedArrayFromHeap !== "function") return null;
  return b.dataIdMap?.has(t.dataId) ? (b as HeapBackend) : null;
}

/**
 * A tensor's values as floats to read at once: on the wasm backend a view of its heap (saves
 * dataSync's copy and allocation; valid only until the next TensorFlow.js call, which may grow that
 * heap), elsewhere dataSync's array.
 */
export function hostValues(t: tf.Tensor): Float32Array {
  const b = heapBackend(t);
  if (b) return b.typedArrayFromHeap(t) as Float32Array;
  const v = t.dataSync();
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

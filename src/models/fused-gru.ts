/**
 * FusedGRU: a drop-in for tf.layers.gru (reset_after = false, the only variant tfjs has) with Keras
 * defaults (sigmoid gates, glorotUniform kernel, orthogonal recurrent kernel), several times faster
 * to train on wasm and cpu. Same weights (kernel [F, 3H], recurrent_kernel [H, 3H], bias [3H]; gates
 * z, r, h), same outputs within float rounding.
 *
 * By default the steps run on our WebAssembly SIMD kernel (src/models/wasm) wherever it loads, else
 * on TensorFlow.js ops (gruSequence, the reference); see FusedLSTM.
 *
 * Recurrent dropout follows variational dropout: one mask per sequence on h_{t-1} where it enters the
 * gate and candidate matMuls; the z-interpolation z∘h + (1 − z)∘ĥ uses the unmasked state
 * (tf.layers.gru also masks it there, which leaks the dropout into the carried state).
 */
import * as tf from "@tensorflow/tfjs";
import { FusedRecurrent } from "./fused-recurrent.js";
import { gruSequence, packGruWeights } from "./gru-sequence.js";
import type { SequenceMasks } from "./sequence-steps.js";
import { activeKernel } from "./wasm/rnn-engine.js";
import { wasmGruFits, wasmGruSequence } from "./wasm/wasm-gru-sequence.js";

/**
 * A GRU layer that runs the whole sequence in one fused op (our WebAssembly kernel on wasm/cpu), numerically equal to `tf.layers.gru`.
 * @example
 * const layer = new FusedGRU({ units: 32, returnSequences: true, inputShape: [50, 3] });
 */
export class FusedGRU extends FusedRecurrent {
  static className = "FusedGRU";
  protected readonly gates = 3;
  protected readonly stateCount = 1;

  protected runSequence(x: tf.Tensor3D, states: (tf.Tensor2D | null)[], masks: SequenceMasks): tf.Tensor3D {
    const [k, u, b] = this.weights3();
    const run = { returnSequences: this.o.returnSequences, returnCarry: false, goBackwards: this.o.goBackwards };
    const engine = activeKernel();
    const [bs, t, f] = x.shape;
    if (engine && wasmGruFits(engine, bs, t, f, this.o.units)) {
      return wasmGruSequence(engine, x, k, u, b, states[0] ?? null, masks, run);
    }
    const [w1, w2] = packGruWeights(k, u, b);
    return gruSequence(x, w1, w2, states[0] ?? tf.zeros([bs, this.o.units]), masks, run);
  }
}
tf.serialization.registerClass(FusedGRU);

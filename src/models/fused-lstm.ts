/**
 * FusedLSTM: a drop-in for tf.layers.lstm with Keras defaults (sigmoid gates, glorotUniform kernel,
 * orthogonal recurrent kernel, unit forget bias), several times faster to train on wasm and cpu.
 * Same weights (kernel [F, 4H], recurrent_kernel [H, 4H], bias [4H]; gates i, f, c, o), same outputs
 * within float rounding.
 *
 * By default (engine "auto") the steps run on our WebAssembly SIMD kernel (src/models/wasm, 3-5x
 * faster to train on wasm/cpu) wherever it loads, else on TensorFlow.js ops (lstmSequence, also the
 * reference the kernel is tested against). `setRnnEngine({ engine: "tf" })` or LSTM_LAB_RNN_ENGINE=tf
 * picks the ops; `rnnEngine()` reports which runs.
 */
import * as tf from "@tensorflow/tfjs";
import { FusedRecurrent } from "./fused-recurrent.js";
import { lstmSequence, packLstmWeights } from "./lstm-sequence.js";
import type { SequenceMasks } from "./sequence-steps.js";
import { activeKernel } from "./wasm/rnn-engine.js";
import { wasmLstmFits, wasmLstmSequence } from "./wasm/wasm-lstm-sequence.js";

/**
 * An LSTM layer that runs the whole sequence in one fused op (our WebAssembly kernel on wasm/cpu), numerically equal to `tf.layers.lstm`.
 * @example
 * const model = tf.sequential({ layers: [
 *   new FusedLSTM({ units: 64, returnSequences: true, inputShape: [30, 4] }),
 *   new FusedLSTM({ units: 64 }),
 *   tf.layers.dense({ units: 1 }),
 * ] });
 */
export class FusedLSTM extends FusedRecurrent {
  static className = "FusedLSTM";
  protected readonly gates = 4;
  protected readonly stateCount = 2;

  protected override initialBias(): Float32Array {
    const h = this.o.units;
    const b = new Float32Array(4 * h);
    if (this.o.unitForgetBias) b.fill(1, h, 2 * h);
    return b;
  }

  protected runSequence(x: tf.Tensor3D, states: (tf.Tensor2D | null)[], masks: SequenceMasks): tf.Tensor3D {
    const [k, u, b] = this.weights3();
    const run = { returnSequences: this.o.returnSequences, returnCarry: this.o.returnState, goBackwards: this.o.goBackwards };
    const engine = activeKernel();
    const [bs, t, f] = x.shape;
    if (engine && wasmLstmFits(engine, bs, t, f, this.o.units)) {
      return wasmLstmSequence(engine, x, k, u, b, states[0] ?? null, states[1] ?? null, masks, run);
    }
    const zeros = (): tf.Tensor2D => tf.zeros([bs, this.o.units]);
    return lstmSequence(x, packLstmWeights(k, u, b), states[0] ?? zeros(), states[1] ?? zeros(), masks, run);
  }
}
tf.serialization.registerClass(FusedLSTM);

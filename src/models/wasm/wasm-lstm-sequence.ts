/**
 * One LSTM layer over a whole sequence on the wasm kernel, as a single tf.customGrad: the forward runs
 * every step in WebAssembly and leaves the gate activations, cell states and step inputs in a claimed
 * region of the kernel's memory (never copied out; recomputed if the region was reused before the
 * backward came); the backward runs the BPTT, the weight-gradient GEMM over all steps at once and the
 * input gradients.
 * Same contract as lstmSequence (src/models/lstm-sequence.ts) but on tf.layers-layout weights.
 */
import * as tf from "@tensorflow/tfjs";
import type { SequenceMasks, SequenceRun } from "../sequence-steps.js";
import { hostValues } from "../../backend/host-values.js";
import { WG_MAX_PARTS, weightGradScratch, type Claim, type RnnKernel } from "./rnn-kernel.js";
import { maskLengths, stepData, writeMasks } from "./step-data.js";

/** Whether an LSTM call of this size fits the kernel's memory (saved state plus backward scratch). */
export function wasmLstmFits(engine: RnnKernel, B: number, T: number, F: number, H: number): boolean {
  const K = F + H;
  const G = 4 * H;
  const floats = 2 * T * B * (K + G) + 2 * (T + 1) * B * H + T * B * H + 4 * K * G + 2 * B * T * F + weightGradScratch(WG_MAX_PARTS, K, G);
  return engine.fits(4 * floats);
}

/**
 * Runs an LSTM layer on `kernel`: x [B, T, F], weights as tf.layers.lstm (kernel [F, 4H],
 * recurrent [H, 4H], bias [4H] or null; gates i, f, c, o), h0, c0 [B, H] or null for zeros (no
 * tensor to read, no gradient to return). Returns [B, n, H]: the T outputs (returnSequences) or
 * h_T, then c_T when returnCarry.
 */
export function wasmLstmSequence(
  engine: RnnKernel,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  h0: tf.Tensor2D | null,
  c0: tf.Tensor2D | null,
  masks: SequenceMasks,
  run: SequenceRun,
): tf.Tensor3D {
  const [B, T, F] = x.shape;
  const H = recurrent.shape[0];
  const K = F + H;
  const G = 4 * H;
  const seq = run.returnSequences ? 1 : 0;
  const carry = run.returnCarry ? 1 : 0;
  const rev = run.goBackwards ? 1 : 0;
  const nOut = (seq ? T : 1) + carry;
  const sd = stepData(masks, B, T, run.goBackwards);
  const b = bias ?? tf.zeros([G]);
  const fn = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xa, ka, ua, ba, ...rest] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, ...tf.Tensor[]];
    const h0t = h0 ? (rest[0] as tf.Tensor) : null;
    const c0t = c0 ? (rest[h0 ? 1 : 0] as tf.Tensor) : null;
    // The stacked weights [kernel; recurrent] ([K, G]) at ptr, from the tensors (read at use: hostValues).
    const writeWeights = (ptr: number) => {
      engine.write(ptr, hostValues(ka));
      engine.write(ptr + 4 * F * G, hostValues(ua));
    };

    // Runs the steps; the saved state (step inputs, gates, cell states and their tanh) stays in a
    // claimed region. Without keep the kernel works in one-step buffers (two for the cells) that stay
    // in cache.
    const forward = (keep: boolean) => {
      const saved = keep ? [T * B * K, T * B * G, (T + 1) * B * H, T * B * H] : [B * K, B * G, 2 * B * H, 0];
      const claim = keep ? engine.claim(saved) : null;
      const scratch = engine.buffers([...(claim ? [] : saved), B * T * F, K * G, K * G, G, B * H, B * nOut * H, ...maskLengths(B, T, F, H)]);
      const [pxh, pg, pcs, ptc] = (claim ? claim.ptrs : scratch.splice(0, 4)) as [number, number, number, number];
      const [px, pw0, pw, pb, ph, pout, ...pmasks] = scratch as [number, number, number, number, number, number, ...number[]];
      engine.write(px, hostValues(xa));
      writeWeights(pw0);
      engine.pack(pw0, K, G, pw);
      engine.write(pb, hostValues(ba));
      if (h0t) engine.write(ph, hostValues(h0t));
      else engine.zero(ph, B * H);
      if (c0t) engine.write(pcs, hostValues(c0t));
      else engine.zero(pcs, B * H);
      const m = writeMasks(engine, sd, pmasks);
      engine.run("lstmForward", [
        B, T, F, H, px, m.input, rev, pxh, pw, bias ? pb : 0, pg, pcs, keep ? ptc : 0, ph, m.mask, m.recurrent, pout, nOut, seq, carry,
        keep ? 1 : 0,
      ]);
      return { claim, out: engine.tensorData(pout, B * nOut * H) };
    };
    // Recorded for a gradient: keep the saved state in a claimed region; else (predict, evaluate)
    // work in scratch, which stays hot in cache from call to call.
    const run1 = forward(tf.engine().state.gradientDepth > 0);
    const value = tf.tensor3d(run1.out, [B, nOut, H]);

    const gradFunc = (dy: tf.Tensor3D): tf.Tensor[] => {
      let claim = run1.claim;
      if (!claim || !engine.alive(claim)) claim = forward(true).claim as Claim;
      const [qxh, qg, qcs, qtc] = claim.ptrs as [number, number, number, number];
      const [qw, qwt0, qwt, qdy, qdz, qdxh, qdh, qdc, qdw, qdb, qdx, qwg, ...qmasks] = engine.buffers([
        K * G, G * K, G * K, B * nOut * H, T * B * G, T * B * K, B * H, B * H, K * G, G, B * T * F,
        weightGradScratch(engine.weightGradParts, K, G), ...maskLengths(B, T, F, H),
      ]) as [number, number, number, number, number, number, number, number, number, number, number, number, ...number[]];
      writeWeights(qw);
      engine.packTransposed(qw, K, G, qwt0, qwt);
      engine.write(qdy, hostValues(dy));
      const m = writeMasks(engine, sd, qmasks);
      engine.run("lstmBackward", [
        B, T, F, H, qwt, qg, qcs, qtc, m.mask, m.recurrent, qdy, nOut, seq, carry, qdz, qdxh, qdh, qdc, qdx, m.input, rev,
      ]);
      engine.weightGrad([T * B, K, G, qxh, qdz, qdw, qdb, qwg]);
      const dw = engine.tensorData(qdw, K * G);
      return [
        tf.tensor3d(engine.tensorData(qdx, B * T * F), [B, T, F]),
        tf.tensor2d(dw.subarray(0, F * G), [F, G]),
        tf.tensor2d(dw.subarray(F * G), [H, G]),
        tf.tensor1d(engine.tensorData(qdb, G)),
        ...(h0 ? [tf.tensor2d(engine.tensorData(qdh, B * H), [B, H])] : []),
        ...(c0 ? [tf.tensor2d(engine.tensorData(qdc, B * H), [B, H])] : []),
      ];
    };
    return { value, gradFunc };
  });
  return fn(x, kernel, recurrent, b, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])) as tf.Tensor3D;
}

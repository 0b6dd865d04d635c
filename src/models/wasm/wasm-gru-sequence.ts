/**
 * One GRU layer (reset_after = false, as tf.layers.gru) over a whole sequence on the wasm kernel, as a
 * single tf.customGrad; see wasm-lstm-sequence.ts for where the forward keeps what the backward needs.
 * The weights [kernel; recurrent] ([K, 3H]) are packed per call as two matrices: W1, the columns z, r
 * ([K, 2H]), and W2, the candidate columns ([K, H]), so each step is two GEMMs.
 */
import * as tf from "@tensorflow/tfjs";
import type { SequenceMasks, SequenceRun } from "../sequence-steps.js";
import { hostValues } from "../../backend/host-values.js";
import { WG_MAX_PARTS, weightGradScratch, type Claim, type RnnKernel } from "./rnn-kernel.js";
import { maskLengths, stepData, writeMasks } from "./step-data.js";

/** Puts dW1 [K, 2H], dW2 [K, H] back into the tf.layers layout: kernel [F, 3H] and recurrent [H, 3H]. */
function unstack(dw1: Float32Array, dw2: Float32Array, F: number, H: number): [Float32Array, Float32Array] {
  const dk = new Float32Array(F * 3 * H);
  const du = new Float32Array(H * 3 * H);
  for (let r = 0; r < F + H; r++) {
    const [dst, row] = r < F ? [dk, r] : [du, r - F];
    dst.set(dw1.subarray(r * 2 * H, (r + 1) * 2 * H), row * 3 * H);
    dst.set(dw2.subarray(r * H, (r + 1) * H), row * 3 * H + 2 * H);
  }
  return [dk, du];
}

/** Whether a GRU call of this size fits the kernel's memory (saved state plus backward scratch). */
export function wasmGruFits(engine: RnnKernel, B: number, T: number, F: number, H: number): boolean {
  const K = F + H;
  const floats = 4 * T * B * K + 2 * T * B * 3 * H + 2 * (T + 1) * B * H + 8 * K * H * 3 + 2 * B * T * F + weightGradScratch(WG_MAX_PARTS, K, 2 * H);
  return engine.fits(4 * floats);
}

/**
 * Runs a GRU layer on `engine`: x [B, T, F], weights as tf.layers.gru (kernel [F, 3H], recurrent
 * [H, 3H], bias [3H] or null; gates z, r, h), h0 [B, H]. Returns [B, T, H] (returnSequences) or
 * [B, 1, H] (h_T).
 */
export function wasmGruSequence(
  engine: RnnKernel,
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  h0: tf.Tensor2D | null,
  masks: SequenceMasks,
  run: SequenceRun,
): tf.Tensor3D {
  const [B, T, F] = x.shape;
  const H = recurrent.shape[0];
  const K = F + H;
  const seq = run.returnSequences ? 1 : 0;
  const rev = run.goBackwards ? 1 : 0;
  const nOut = seq ? T : 1;
  const sd = stepData(masks, B, T, run.goBackwards);
  const b = bias ?? tf.zeros([3 * H]);
  const fn = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xa, ka, ua, ba, ha] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    // The stacked weights [kernel; recurrent] ([K, 3H]) at ptr, from the tensors (read at use: hostValues).
    const writeWeights = (ptr: number) => {
      engine.write(ptr, hostValues(ka));
      engine.write(ptr + 4 * F * 3 * H, hostValues(ua));
    };

    // Runs the steps; the saved state stays in a claimed region (see wasm-lstm-sequence.ts).
    // Without keep the kernel works in one-step buffers (two for the states) that stay in cache.
    const forward = (keep: boolean) => {
      const saved = keep
        ? [T * B * K, T * B * K, T * B * 2 * H, T * B * H, (T + 1) * B * H]
        : [B * K, B * K, B * 2 * H, B * H, 2 * B * H];
      const claim = keep ? engine.claim(saved) : null;
      const scratch = engine.buffers([
        ...(claim ? [] : saved), B * T * F, K * 3 * H, K * 2 * H, K * H, 3 * H, B * nOut * H, ...maskLengths(B, T, F, H),
      ]);
      const [pxh1, pxh2, pg1, pg2, phs] = (claim ? claim.ptrs : scratch.splice(0, 5)) as [number, number, number, number, number];
      const [px, pw0, pw1, pw2, pb, pout, ...pmasks] = scratch as [number, number, number, number, number, number, ...number[]];
      engine.write(px, hostValues(xa));
      writeWeights(pw0);
      // W1 and W2 are column slices of [K, 3H]: packed straight from it (row stride 3H).
      engine.pack(pw0, K, 2 * H, pw1, 3 * H);
      engine.pack(pw0 + 4 * 2 * H, K, H, pw2, 3 * H);
      // The bias [3H] is [b1 (2H), b2 (H)].
      engine.write(pb, hostValues(ba));
      const [pb1, pb2] = [pb, pb + 4 * 2 * H];
      if (h0 && ha) engine.write(phs, hostValues(ha));
      else engine.zero(phs, B * H);
      const m = writeMasks(engine, sd, pmasks);
      engine.run("gruForward", [
        B, T, F, H, px, m.input, rev, pxh1, pxh2, pw1, bias ? pb1 : 0, pw2, bias ? pb2 : 0, pg1, pg2, phs, m.mask, m.recurrent, pout,
        nOut, seq, keep ? 1 : 0,
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
      const [qxh1, qxh2, qg1, qg2, qhs] = claim.ptrs as [number, number, number, number, number];
      const [qw, qwt0, qw1t, qw2t, qdy, qdz1, qdz2, qdxh1, qdxh2, qdh, qdw1, qdw2, qdb, qdx, qwg, ...qmasks] = engine.buffers([
        K * 3 * H, 3 * H * K, 2 * H * K, H * K, B * nOut * H, T * B * 2 * H, T * B * H, T * B * K, T * B * K, B * H,
        K * 2 * H, K * H, 3 * H, B * T * F, weightGradScratch(engine.weightGradParts, K, 2 * H), ...maskLengths(B, T, F, H),
      ]) as [
        number, number, number, number, number, number, number, number, number, number, number, number, number, number,
        number, ...number[],
      ];
      // The transpose of [K, 3H] is [3H, K]: its first 2H rows are W1's transpose, the last H W2's.
      writeWeights(qw);
      engine.transpose(qw, K, 3 * H, qwt0);
      engine.pack(qwt0, 2 * H, K, qw1t);
      engine.pack(qwt0 + 4 * 2 * H * K, H, K, qw2t);
      engine.write(qdy, hostValues(dy));
      const m = writeMasks(engine, sd, qmasks);
      engine.run("gruBackward", [
        B, T, F, H, qxh1, qw1t, qw2t, qg1, qg2, qhs, m.mask, m.recurrent, qdy, nOut, seq, qdz1, qdz2, qdxh1, qdxh2, qdh, qdx,
        m.input, rev,
      ]);
      // The bias gradient is [db1 (2H), db2 (H)]: contiguous, so both sums land in one [3H] buffer.
      engine.weightGrad([T * B, K, 2 * H, qxh1, qdz1, qdw1, qdb, qwg]);
      engine.weightGrad([T * B, K, H, qxh2, qdz2, qdw2, qdb + 8 * H, qwg]);
      const [dk, du] = unstack(engine.read(qdw1, K * 2 * H), engine.read(qdw2, K * H), F, H);
      return [
        tf.tensor3d(engine.tensorData(qdx, B * T * F), [B, T, F]),
        tf.tensor2d(dk, [F, 3 * H]),
        tf.tensor2d(du, [H, 3 * H]),
        tf.tensor1d(engine.tensorData(qdb, 3 * H)),
        ...(h0 ? [tf.tensor2d(engine.tensorData(qdh, B * H), [B, H])] : []),
      ];
    };
    return { value, gradFunc };
  });
  return fn(x, kernel, recurrent, b, ...(h0 ? [h0] : [])) as tf.Tensor3D;
}

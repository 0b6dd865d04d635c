/**
 * One LSTM layer over a whole sequence as a single tf.customGrad with a hand-written BPTT.
 *
 * Why it is fast on wasm/cpu, where per-op overhead dominates (measured on wasm, [64, 64] tensors):
 * - state is kept feature-major ([H, B]) so the per-step concat [x_t; 1; h] runs along axis 0, which
 *   is a plain copy (4 µs against 18 µs along axis 1);
 * - each gate is its own matMul against a row block of the packed matrix [W; b; U]ᵀ taken once per
 *   call: splitting one [4H, B] product costs ~200 µs a step, four small matMuls cost less than the
 *   split alone;
 * - the candidate gate's rows are pre-scaled by 2 so every gate is a sigmoid (tanh(z) = 2σ(2z) − 1;
 *   tfjs tanh is ~6x slower than sigmoid on wasm);
 * - the bias rides in the matMul through a ones row;
 * - the weight and input gradients are two matMuls over all steps after the recursion, leaving only
 *   dh = U·dz inside the backward loop;
 * - the backward step differentiates all four gate sigmoids at once over the packed [4H, B], with the
 *   constant factor of the c gate folded into per-call weight scales;
 * - per-step inputs and upstream gradients are split by one read and small uploads (sequence-steps.ts):
 *   tf.unstack on wasm copies the whole source for every slice.
 * Measured with bench/models.ts: ~5x stock tf.layers.lstm training at T=30, H=64; ~8x at T=100, H=128.
 */
import * as tf from "@tensorflow/tfjs";
import { packOutputs, recurrenceInputs, unpackGrad, unstepGrad, type SequenceMasks, type SequenceRun } from "./sequence-steps.js";

/**
 * Packs tf.layers.lstm-layout weights (kernel [F, 4H], recurrent [H, 4H], bias [4H], gates i, f, c, o)
 * into the feature-major matrix [4H, F+1+H] with the c rows doubled. Differentiable (ordinary ops).
 */
export function packLstmWeights(kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D | null): tf.Tensor2D {
  const h = recurrent.shape[0];
  const b = bias ? tf.reshape(bias, [1, 4 * h]) : tf.zeros([1, 4 * h]);
  const scale = new Float32Array(4 * h).fill(1);
  scale.fill(2, 2 * h, 3 * h);
  return tf.transpose(tf.mul(tf.concat([kernel, b, recurrent], 0), tf.tensor2d(scale, [1, 4 * h]))) as tf.Tensor2D;
}

/** Rows [from, from+n) of a small matrix. */
function rows(m: tf.Tensor2D, from: number, n: number): tf.Tensor2D {
  return tf.slice(m, [from, 0], [n, m.shape[1]]) as tf.Tensor2D;
}

/**
 * Runs an LSTM layer. `wt` comes from packLstmWeights; h0, c0 are [B, H]. Returns, packed into one
 * tensor so one customGrad covers everything, [B, n, H]: the T outputs (returnSequences) or h_T, then
 * c_T when returnCarry.
 */
export function lstmSequence(
  x: tf.Tensor3D,
  wt: tf.Tensor2D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  masks: SequenceMasks,
  run: SequenceRun,
): tf.Tensor3D {
  const [B, T, F] = x.shape;
  const H = h0.shape[1];
  const fn = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xa, wa, ha, ca, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const { one, two, xs, ms, rm } = recurrenceInputs(xa, masks, run.goBackwards);
    const [wi, wf, wg, wo] = [0, 1, 2, 3].map((k) => rows(wa, k * H, H)) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    let h: tf.Tensor2D = tf.transpose(ha);
    let c: tf.Tensor2D = tf.transpose(ca);
    const outs: tf.Tensor2D[] = [];
    // Saved per step: xh, i, f, σ(2z_c), g, o, cPrev, tanh(c) [, m].
    const saved: tf.Tensor[] = [wa, one, two];
    for (let s = 0; s < T; s++) {
      const hin = rm ? tf.mul(h, rm) : h;
      const xh = tf.concat([xs[s] as tf.Tensor2D, hin], 0);
      const i = tf.sigmoid(tf.matMul(wi, xh));
      const f = tf.sigmoid(tf.matMul(wf, xh));
      const sg = tf.sigmoid(tf.matMul(wg, xh));
      const g = tf.sub(tf.mul(sg, two), one);
      const o = tf.sigmoid(tf.matMul(wo, xh));
      let cn: tf.Tensor2D = tf.add(tf.mul(f, c), tf.mul(i, g));
      const tc = tf.sub(tf.mul(tf.sigmoid(tf.mul(cn, two)), two), one);
      let hn: tf.Tensor2D = tf.mul(o, tc);
      saved.push(xh, i, f, sg, g, o, c, tc);
      if (ms) {
        const m = ms[s] as tf.Tensor2D;
        hn = tf.add(h, tf.mul(m, tf.sub(hn, h)));
        cn = tf.add(c, tf.mul(m, tf.sub(cn, c)));
        saved.push(m);
      }
      h = hn;
      c = cn;
      if (run.returnSequences) outs.push(h);
    }
    if (rm) saved.push(rm);
    if (masks.inputMask) saved.push(masks.inputMask);
    save(saved);
    const steps = run.returnSequences ? outs : [h];
    if (run.returnCarry) steps.push(c);
    const value = packOutputs(steps);

    const gradFunc = (dy: tf.Tensor3D, sv: tf.Tensor[]): tf.Tensor[] => {
      const [wv, onev] = sv as [tf.Tensor2D, tf.Scalar];
      const per = ms ? 9 : 8;
      let k = 3 + per * T;
      const rmv = rm ? (sv[k++] as tf.Tensor2D) : null;
      const imv = masks.inputMask ? (sv[k++] as tf.Tensor2D) : null;
      const dys = unpackGrad(dy);
      // Column scale putting back the factor 2 of the c block's dz (see dS below).
      const cScale = tf.tensor2d(new Float32Array(4 * H).fill(1).fill(2, 2 * H, 3 * H), [1, 4 * H]);
      const uT = tf.mul(tf.transpose(tf.slice(wv, [0, F + 1], [4 * H, H])), cScale); // [H, 4H]
      const wxT = tf.mul(tf.transpose(tf.slice(wv, [0, 0], [4 * H, F])), cScale); // [F, 4H]
      const nh = run.returnSequences ? T : 1;
      let dh: tf.Tensor = dys[nh - 1] as tf.Tensor2D;
      let dc: tf.Tensor = run.returnCarry ? (dys[nh] as tf.Tensor2D) : tf.zerosLike(dh);
      const dzs = new Array<tf.Tensor>(T);
      const xhs = new Array<tf.Tensor>(T);
      for (let s = T - 1; s >= 0; s--) {
        const base = 3 + per * s;
        const [xh, i, f, sg, g, o, cPrev, tc] = sv.slice(base, base + 8) as [
          tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D,
        ];
        xhs[s] = xh;
        if (run.returnSequences && s < T - 1) dh = tf.add(dh, dys[s] as tf.Tensor2D);
        let dhn = dh;
        let dcn = dc;
        let dhSkip: tf.Tensor | null = null;
        let dcSkip: tf.Tensor | null = null;
        if (ms) {
          const m = sv[base + 8] as tf.Tensor2D;
          dhn = tf.mul(dh, m);
          dcn = tf.mul(dc, m);
          dhSkip = tf.sub(dh, dhn);
          dcSkip = tf.sub(dc, dcn);
        }
        const dcTot = tf.add(dcn, tf.mul(tf.mul(dhn, o), tf.sub(onev, tf.square(tc))));
        // Gradient wrt the gate sigmoids' outputs S = [i, f, σ(2z_c), o] (g = 2σ − 1, so dS_c = 2·dg),
        // then through every sigmoid at once: dz = dS ∘ S ∘ (1 − S) over the packed [4H, B].
        // The c block misses its factor 2 here; uT2, wxT2 and dW's c rows carry it (once per call).
        const dS = tf.mul(tf.concat([dcTot, dcTot, dcTot, dhn], 0), tf.concat([g, cPrev, i, tc], 0));
        const S = tf.concat([i, f, sg, o], 0);
        const dz = tf.mul(dS, tf.mul(S, tf.sub(onev, S)));
        dzs[s] = dz;
        let dhPrev: tf.Tensor = tf.matMul(uT, dz);
        if (rmv) dhPrev = tf.mul(dhPrev, rmv);
        let dcPrev: tf.Tensor = tf.mul(dcTot, f);
        if (dhSkip && dcSkip) {
          dhPrev = tf.add(dhPrev, dhSkip);
          dcPrev = tf.add(dcPrev, dcSkip);
        }
        dh = dhPrev;
        dc = dcPrev;
      }
      // Step-major concat along axis 0 is a plain copy; one transpose each puts the steps side by side.
      const K = F + 1 + H;
      const dZ = tf.reshape(tf.transpose(tf.reshape(tf.concat(dzs, 0), [T, 4 * H, B]), [1, 0, 2]), [4 * H, T * B]);
      const xhRows = tf.reshape(tf.transpose(tf.reshape(tf.concat(xhs, 0), [T, K, B]), [0, 2, 1]), [T * B, K]);
      const dW = tf.mul(tf.matMul(dZ, xhRows), tf.transpose(cScale));
      let dX: tf.Tensor3D = unstepGrad(tf.matMul(wxT, dZ) as tf.Tensor2D, T, B, run.goBackwards);
      if (imv) dX = tf.mul(dX, tf.expandDims(imv, 1));
      return [dX, dW, tf.transpose(dh), tf.transpose(dc)];
    };
    return { value, gradFunc };
  });
  return fn(x, wt, h0, c0) as tf.Tensor3D;
}

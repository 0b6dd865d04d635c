/**
 * One GRU layer over a whole sequence as a single tf.customGrad with a hand-written BPTT, equal to
 * tf.layers.gru (reset_after = false, gates z, r, h):
 *   z = σ(x·Wz + h·Uz + bz), r = σ(x·Wr + h·Ur + br), ĥ = tanh(x·Wh + (r∘h)·Uh + bh),
 *   h' = z∘h + (1 − z)∘ĥ.
 * Feature-major state, one matMul per gate against row blocks of the packed [W; b; U]ᵀ, tanh through
 * sigmoid, batched weight gradients: see lstm-sequence.ts for the measurements behind each choice.
 */
import * as tf from "@tensorflow/tfjs";
import {
  packOutputs,
  recurrenceInputs,
  unpackGrad,
  unstepGrad,
  type SequenceMasks,
  type SequenceRun,
} from "./sequence-steps.js";

/**
 * Packs tf.layers.gru-layout weights (kernel [F, 3H], recurrent [H, 3H], bias [3H]) into the
 * feature-major gate matrix [2H, F+1+H] (z, r) and the doubled candidate matrix [H, F+1+H].
 * Differentiable (ordinary ops).
 */
export function packGruWeights(
  kernel: tf.Tensor2D,
  recurrent: tf.Tensor2D,
  bias: tf.Tensor1D | null,
): [tf.Tensor2D, tf.Tensor2D] {
  const h = recurrent.shape[0];
  const b = bias ? tf.reshape(bias, [1, 3 * h]) : tf.zeros([1, 3 * h]);
  const all = tf.transpose(tf.concat([kernel, b, recurrent], 0)) as tf.Tensor2D; // [3H, K]
  const k = all.shape[1];
  const gates = tf.slice(all, [0, 0], [2 * h, k]) as tf.Tensor2D;
  const cand = tf.mul(tf.slice(all, [2 * h, 0], [h, k]), tf.scalar(2)) as tf.Tensor2D;
  return [gates, cand];
}

/**
 * Runs a GRU layer. `w1`, `w2` come from packGruWeights; h0 is [B, H]. Returns returnSequences →
 * [B, T, H]; otherwise [B, 1, H] (h_T).
 */
export function gruSequence(
  x: tf.Tensor3D,
  w1: tf.Tensor2D,
  w2: tf.Tensor2D,
  h0: tf.Tensor2D,
  masks: SequenceMasks,
  run: SequenceRun,
): tf.Tensor3D {
  const [B, T, F] = x.shape;
  const H = h0.shape[1];
  const fn = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xa, w1a, w2a, ha, save] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const { one, two, xs, ms, rm } = recurrenceInputs(xa, masks, run.goBackwards);
    const K = w1a.shape[1];
    const wz = tf.slice(w1a, [0, 0], [H, K]) as tf.Tensor2D;
    const wr = tf.slice(w1a, [H, 0], [H, K]) as tf.Tensor2D;
    let h: tf.Tensor2D = tf.transpose(ha);
    const outs: tf.Tensor2D[] = [];
    // Saved per step: xh1, z, r, hin, xh2, ĥ, d (= h − ĥ) [, m].
    const saved: tf.Tensor[] = [w1a, w2a, one, tf.scalar(0.5)];
    for (let s = 0; s < T; s++) {
      const xt = xs[s] as tf.Tensor2D;
      const hin = rm ? tf.mul(h, rm) : h;
      const xh1 = tf.concat([xt, hin], 0);
      const z = tf.sigmoid(tf.matMul(wz, xh1));
      const r = tf.sigmoid(tf.matMul(wr, xh1));
      const xh2 = tf.concat([xt, tf.mul(r, hin)], 0);
      const hh = tf.sub(tf.mul(tf.sigmoid(tf.matMul(w2a, xh2)), two), one);
      const d = tf.sub(h, hh);
      let hn: tf.Tensor2D = tf.add(hh, tf.mul(z, d));
      saved.push(xh1, z, r, hin, xh2, hh, d);
      if (ms) {
        const m = ms[s] as tf.Tensor2D;
        hn = tf.add(h, tf.mul(m, tf.sub(hn, h)));
        saved.push(m);
      }
      h = hn;
      if (run.returnSequences) outs.push(h);
    }
    if (rm) saved.push(rm);
    if (masks.inputMask) saved.push(masks.inputMask);
    save(saved);
    const value = packOutputs(run.returnSequences ? outs : [h]);

    const gradFunc = (dy: tf.Tensor3D, sv: tf.Tensor[]): tf.Tensor[] => {
      const [w1v, w2v, onev, halfv] = sv as [tf.Tensor2D, tf.Tensor2D, tf.Scalar, tf.Scalar];
      const per = ms ? 8 : 7;
      let k = 4 + per * T;
      const rmv = rm ? (sv[k++] as tf.Tensor2D) : null;
      const imv = masks.inputMask ? (sv[k++] as tf.Tensor2D) : null;
      const dys = unpackGrad(dy);
      const u1T = tf.transpose(tf.slice(w1v, [0, F + 1], [2 * H, H])); // [H, 2H]
      const u2T = tf.mul(tf.transpose(tf.slice(w2v, [0, F + 1], [H, H])), halfv); // [H, H]
      const w1xT = tf.transpose(tf.slice(w1v, [0, 0], [2 * H, F])); // [F, 2H]
      const w2xT = tf.mul(tf.transpose(tf.slice(w2v, [0, 0], [H, F])), halfv); // [F, H]
      let dh: tf.Tensor = dys[run.returnSequences ? T - 1 : 0] as tf.Tensor2D;
      const d1s = new Array<tf.Tensor>(T);
      const d2s = new Array<tf.Tensor>(T);
      const x1s = new Array<tf.Tensor>(T);
      const x2s = new Array<tf.Tensor>(T);
      for (let s = T - 1; s >= 0; s--) {
        const base = 4 + per * s;
        const [xh1, z, r, hin, xh2, hh, d] = sv.slice(base, base + 7) as [
          tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D,
        ];
        x1s[s] = xh1;
        x2s[s] = xh2;
        if (run.returnSequences && s < T - 1) dh = tf.add(dh, dys[s] as tf.Tensor2D);
        let dhn = dh;
        let dhSkip: tf.Tensor | null = null;
        if (ms) {
          dhn = tf.mul(dh, sv[base + 7] as tf.Tensor2D);
          dhSkip = tf.sub(dh, dhn);
        }
        const dhz = tf.mul(dhn, z); // through z∘h
        // ĥ = 2σ(m) − 1 with m the doubled pre-activation: dĥ/dm = (1 − ĥ²) / 2; the 1/2 is folded
        // into u2T, w2xT and dW2 once per call.
        const dM2 = tf.mul(tf.sub(dhn, dhz), tf.sub(onev, tf.square(hh)));
        d2s[s] = dM2;
        const drh = tf.matMul(u2T, dM2);
        // Through both gate sigmoids at once over the packed [2H, B].
        const S1 = tf.concat([z, r], 0);
        const dM1 = tf.mul(tf.concat([tf.mul(dhn, d), tf.mul(drh, hin)], 0), tf.mul(S1, tf.sub(onev, S1)));
        d1s[s] = dM1;
        let dhin: tf.Tensor = tf.add(tf.mul(drh, r), tf.matMul(u1T, dM1));
        if (rmv) dhin = tf.mul(dhin, rmv);
        let dPrev: tf.Tensor = tf.add(dhz, dhin);
        if (dhSkip) dPrev = tf.add(dPrev, dhSkip);
        dh = dPrev;
      }
      // Step-major concat along axis 0 is a plain copy; one transpose each puts the steps side by side.
      const K = F + 1 + H;
      const cols = (ts: tf.Tensor[], rowsPer: number) =>
        tf.reshape(tf.transpose(tf.reshape(tf.concat(ts, 0), [T, rowsPer, B]), [1, 0, 2]), [rowsPer, T * B]) as tf.Tensor2D;
      const rowsOf = (ts: tf.Tensor[]) =>
        tf.reshape(tf.transpose(tf.reshape(tf.concat(ts, 0), [T, K, B]), [0, 2, 1]), [T * B, K]) as tf.Tensor2D;
      const dM1all = cols(d1s, 2 * H); // [2H, T*B]
      const dM2all = cols(d2s, H); // [H, T*B]
      const dW1 = tf.matMul(dM1all, rowsOf(x1s));
      const dW2 = tf.mul(tf.matMul(dM2all, rowsOf(x2s)), halfv);
      const dCols = tf.add(tf.matMul(w1xT, dM1all), tf.matMul(w2xT, dM2all)) as tf.Tensor2D;
      let dX: tf.Tensor3D = unstepGrad(dCols, T, B, run.goBackwards);
      if (imv) dX = tf.mul(dX, tf.expandDims(imv, 1));
      return [dX, dW1, dW2, tf.transpose(dh)];
    };
    return { value, gradFunc };
  });
  return fn(x, w1, w2, h0) as tf.Tensor3D;
}

/**
 * A linear autoregressive baseline: ordinary least squares from the flattened window (plus an
 * intercept) to every output, with a tiny ridge term so collinear features do not break it.
 */
import * as tf from "@tensorflow/tfjs";
import { Matrix, solve } from "ml-matrix";
import { ShapeError } from "../errors.js";
import { nonNegativeNumber } from "../validate.js";

/** Options of fitLinear. */
export interface LinearBaselineOptions {
  /** Ridge penalty on the weights (not the intercept). @default 1e-8 */ ridge?: number;
}

/** A fitted linear baseline. */
export interface LinearBaseline {
  /** Weights [inputs + 1, outputs]; the last row is the intercept. */
  readonly coefficients: number[][];
  predict(x: tf.Tensor): number[][];
}

function design(x: tf.Tensor): Matrix {
  const n = x.shape[0] as number;
  const d = x.size / Math.max(n, 1);
  const data = x.dataSync();
  const m = new Matrix(n, d + 1);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < d; c++) m.set(r, c, data[r * d + c] as number);
    m.set(r, d, 1);
  }
  return m;
}

/**
 * Fits y ≈ [flatten(x), 1]·β by least squares.
 * @example
 * declare const train: Windows;
 * const lin = fitLinear(train.x, train.y);
 * declare const test: Windows;
 * const yHat = lin.predict(test.x);
 */
export function fitLinear(x: tf.Tensor, y: tf.Tensor, o: LinearBaselineOptions = {}): LinearBaseline {
  const ridge = nonNegativeNumber("ridge", o.ridge ?? 1e-8);
  const n = x.shape[0] as number;
  if (y.shape[0] !== n) throw new ShapeError(`\`x\` has ${n} samples but \`y\` has ${y.shape[0]}.`);
  const X = design(x);
  const k = y.size / n;
  const Y = new Matrix(n, k);
  const yd = y.dataSync();
  for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) Y.set(r, c, yd[r * k + c] as number);
  const Xt = X.transpose();
  const A = Xt.mmul(X);
  // Scale the ridge with the data so it stays negligible, and leave the intercept unpenalised.
  const scale = Math.max(1, A.max());
  for (let i = 0; i < A.rows - 1; i++) A.set(i, i, A.get(i, i) + ridge * scale);
  const beta = solve(A, Xt.mmul(Y));
  const inputs = X.columns;
  return {
    coefficients: beta.to2DArray(),
    predict(xNew: tf.Tensor): number[][] {
      const Z = design(xNew);
      if (Z.columns !== inputs) throw new ShapeError(`\`x\` has ${Z.columns - 1} inputs per sample but the baseline was fitted on ${inputs - 1}.`);
      return Z.mmul(beta).to2DArray();
    },
  };
}

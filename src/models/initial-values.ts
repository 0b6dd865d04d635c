/**
 * Initial weight values drawn from our seeded Rng, so a seed gives the same weights on every backend
 * (tfjs initialisers draw from the backend's own generator) and orthogonal matrices of any size are made
 * without tfjs's "Slowness may result" warning.
 */
import { Rng } from "../rng.js";
import { oneOf } from "../validate.js";

/** Kernel initialisers the factories accept: Keras' glorot_uniform (Xavier), he_normal, he_uniform. */
export const KERNEL_INITIALIZERS = ["glorotUniform", "glorotNormal", "heNormal", "heUniform"] as const;
/** Recurrent-kernel initialisers: Keras' default orthogonal, or any kernel initialiser. */
export const RECURRENT_INITIALIZERS = ["orthogonal", ...KERNEL_INITIALIZERS] as const;
/** A weight initialiser the fused layers accept (see {@link RECURRENT_INITIALIZERS}). */
export type InitializerName = (typeof RECURRENT_INITIALIZERS)[number];

/** Draws from a normal truncated at two standard deviations, as Keras' truncated normal does. */
function truncatedNormal(rng: Rng, std: number): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return z * std;
  }
}

/** A [rows, cols] matrix with orthonormal rows or columns (whichever is fewer), as Keras' Orthogonal. */
function orthogonal(rows: number, cols: number, rng: Rng): Float32Array {
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  // m orthonormal vectors of length n by modified Gram-Schmidt on normal draws.
  const q: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (u[i] as number) * (v[i] as number);
      for (let i = 0; i < n; i++) v[i] = (v[i] as number) - dot * (u[i] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (v[i] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) v[i] = (v[i] as number) / norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Vectors run along the longer side: columns when rows >= cols, rows otherwise.
      out[r * cols + c] = rows >= cols ? (q[c] as Float64Array)[r] as number : (q[r] as Float64Array)[c] as number;
    }
  }
  return out;
}

/**
 * Initial values for a [rows, cols] weight matrix (fanIn = rows, fanOut = cols, as Keras counts a
 * dense kernel).
 * @example initialValues("glorotUniform", 4, 256, new Rng(1)) // Float32Array(1024) in ±sqrt(6/260)
 */
export function initialValues(kind: InitializerName, rows: number, cols: number, rng: Rng): Float32Array {
  oneOf("initializer", kind, RECURRENT_INITIALIZERS);
  if (kind === "orthogonal") return orthogonal(rows, cols, rng);
  const out = new Float32Array(rows * cols);
  const fanIn = rows;
  const fanAvg = (rows + cols) / 2;
  for (let i = 0; i < out.length; i++) {
    switch (kind) {
      case "glorotUniform": {
        const lim = Math.sqrt(3 / fanAvg);
        out[i] = rng.uniform(-lim, lim);
        break;
      }
      case "glorotNormal":
        out[i] = truncatedNormal(rng, Math.sqrt(1 / fanAvg) / 0.87962566103423978);
        break;
      case "heUniform": {
        const lim = Math.sqrt(6 / fanIn);
        out[i] = rng.uniform(-lim, lim);
        break;
      }
      case "heNormal":
        out[i] = truncatedNormal(rng, Math.sqrt(2 / fanIn) / 0.87962566103423978);
        break;
    }
  }
  return out;
}

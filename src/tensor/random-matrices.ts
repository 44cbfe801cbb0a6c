import { TensorArgumentError } from './errors.js';
import type { Rng } from './rng.js';
import { type Shape, Tensor, sizeOf } from './tensor.js';

/**
 * Random matrices with structure: symmetric, symmetric positive definite with a bounded condition
 * number, and orthogonal. Each acts on the last two axes; leading axes are a batch of independent
 * matrices. Drawn from one Rng, so (seed, shape) fixes the result.
 */

/**
 * Eigenvalues of an SPD draw lie in [SPD_LOWEST, SPD_HIGHEST]: condition number at most 4, so the
 * inverse, the solve and the log-determinant through it lose at most about one digit, and FD steps of
 * 1e-4 relative stay far from singular matrices.
 */
const SPD_LOWEST = 0.5;
const SPD_HIGHEST = 2;

/** The two trailing sizes, and how many such matrices the shape holds. */
function matrices(op: string, shape: Shape, square: boolean): { rows: number; cols: number; count: number } {
  if (shape.length < 2) throw new TensorArgumentError(op, `draws matrices, and the shape ${shape.length === 0 ? 'scalar' : shape.join('×')} has fewer than 2 axes`);
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  if (square && rows !== cols) throw new TensorArgumentError(op, `draws square matrices, and the last two axes are ${rows}×${cols}`);
  return { rows, cols, count: sizeOf(shape.slice(0, -2)) };
}

/**
 * n orthonormal vectors of length m (n ≤ m) as the rows of an n×m array: Gram–Schmidt on standard normal
 * vectors, each orthogonalised twice ("twice is enough", Giraud et al. 2005), which gives the Haar
 * (uniform) distribution on the Stiefel manifold.
 */
function orthonormalRows(rng: Rng, n: number, m: number): Float64Array {
  const q = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (;;) {
      for (let k = 0; k < m; k++) q[i * m + k] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < i; p++) {
          let d = 0;
          for (let k = 0; k < m; k++) d += q[i * m + k]! * q[p * m + k]!;
          for (let k = 0; k < m; k++) q[i * m + k]! -= d * q[p * m + k]!;
        }
      }
      let norm = 0;
      for (let k = 0; k < m; k++) norm += q[i * m + k]! ** 2;
      norm = Math.sqrt(norm);
      // A draw (nearly) in the span of the earlier rows has probability 0; draw again if it happens.
      if (norm > 1e-8) {
        for (let k = 0; k < m; k++) q[i * m + k]! /= norm;
        break;
      }
    }
  }
  return q;
}

export const sampleMatrix = {
  /** (G + Gᵀ)/2 for a standard normal G: symmetric, off-diagonal entries of variance 1/2. */
  symmetric(rng: Rng, shape: Shape): Tensor {
    const { rows: n, count } = matrices('symmetric', shape, true);
    const out = new Float64Array(count * n * n);
    for (let b = 0; b < count; b++) {
      const base = b * n * n;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const v = i === j ? rng.normal() : rng.normal() * Math.SQRT1_2;
          out[base + i * n + j] = v;
          out[base + j * n + i] = v;
        }
      }
    }
    return new Tensor(out, shape);
  },

  /** Q diag(λ) Qᵀ with Q uniform orthogonal and eigenvalues λ uniform in [SPD_LOWEST, SPD_HIGHEST]. */
  spd(rng: Rng, shape: Shape): Tensor {
    const { rows: n, count } = matrices('spd', shape, true);
    const out = new Float64Array(count * n * n);
    for (let b = 0; b < count; b++) {
      const q = orthonormalRows(rng, n, n);
      const lambda = Array.from({ length: n }, () => rng.uniform(SPD_LOWEST, SPD_HIGHEST));
      const base = b * n * n;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          // (Qᵀ diag(λ) Q)_ij with the rows of q as eigenvectors.
          let s = 0;
          for (let k = 0; k < n; k++) s += q[k * n + i]! * lambda[k]! * q[k * n + j]!;
          out[base + i * n + j] = s;
          out[base + j * n + i] = s;
        }
      }
    }
    return new Tensor(out, shape);
  },

  /**
   * Uniformly random orthonormal columns (m ≥ n) or rows (m < n) of an m×n matrix: Qᵀ Q = I or Q Qᵀ = I;
   * a square one is orthogonal.
   */
  orthogonal(rng: Rng, shape: Shape): Tensor {
    const { rows: m, cols: n, count } = matrices('orthogonal', shape, false);
    const out = new Float64Array(count * m * n);
    for (let b = 0; b < count; b++) {
      const base = b * m * n;
      if (m >= n) {
        const columns = orthonormalRows(rng, n, m);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[base + i * n + j] = columns[j * m + i]!;
      } else {
        out.set(orthonormalRows(rng, m, n), base);
      }
    }
    return new Tensor(out, shape);
  },
};

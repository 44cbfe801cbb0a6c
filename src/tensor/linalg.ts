import { DomainError, ShapeError } from './errors.js';
import { pairwiseDot, pairwiseSum } from './summation.js';
import { Tensor } from './tensor.js';

/**
 * One-sided Jacobi (Hestenes) stops rotating a pair of columns once |u_p·u_q| ≤ JACOBI_TOL·‖u_p‖·‖u_q‖.
 * Demmel & Veselić (SIAM J. Matrix Anal. Appl. 13, 1992) use tol = n·eps for relative accuracy of every
 * singular value; the largest one, which is all we need, is then accurate to a few eps. 1e-15 ≈ 4.5 eps
 * is below n·eps for every n ≥ 5 and still reachable in float64.
 */
const JACOBI_TOL = 1e-15;
/** Convergence is quadratic once the columns are nearly orthogonal, typically 5–10 sweeps; 60 is a safety stop. */
const MAX_SWEEPS = 60;

/** The largest value of |x| over the elements, NaN if any element is NaN. */
function maxAbs(data: Float64Array): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]!);
    if (a > m || a !== a) m = a;
    if (m !== m) break;
  }
  return m;
}

/**
 * The spectral norm ‖A‖₂ = largest singular value of a matrix (a vector is read as one column, giving
 * its Euclidean length). Computed by one-sided Jacobi SVD on the columns of A (or of Aᵀ, whichever has
 * fewer), after scaling by max|a_ij| so that no square overflows: accurate to a few eps even when the
 * top singular values are close, where power iteration would stall. O(min(m,n)² · max(m,n)) per sweep.
 */
export function spectralNorm(a: Tensor): number {
  if (a.rank !== 1 && a.rank !== 2) throw new ShapeError('spectralNorm', [a.shape], 'needs a matrix (or a vector)');
  const matrix = a.rank === 1 ? a.reshape([a.shape[0]!, 1]) : a;
  const [rows, cols] = matrix.shape as [number, number];
  // Columns of the working matrix are the columns of A, or of Aᵀ when A is wide.
  const work = (cols <= rows ? matrix.transpose() : matrix).clone().data; // row j = column j of the working matrix
  const n = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  if (n === 0) return 0;
  const scale = maxAbs(work);
  if (!Number.isFinite(scale)) return scale; // NaN, or +∞ for an infinite entry
  if (scale === 0) return 0;
  for (let i = 0; i < work.length; i++) work[i]! /= scale;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const up = p * len;
        const uq = q * len;
        const alpha = pairwiseDot(work, up, work, up, len);
        const beta = pairwiseDot(work, uq, work, uq, len);
        const gamma = pairwiseDot(work, up, work, uq, len);
        if (Math.abs(gamma) <= JACOBI_TOL * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of the Gram matrix [alpha gamma; gamma beta]
        // (Golub & Van Loan, Algorithm 8.5.2): t = sign(ζ)/(|ζ| + √(1 + ζ²)), the smaller root.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.hypot(1, t);
        const s = c * t;
        for (let i = 0; i < len; i++) {
          const x = work[up + i]!;
          const y = work[uq + i]!;
          work[up + i] = c * x - s * y;
          work[uq + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  let largest = 0;
  for (let j = 0; j < n; j++) largest = Math.max(largest, pairwiseDot(work, j * len, work, j * len, len));
  return scale * Math.sqrt(largest);
}

/** ‖t‖_F = √(Σ t²) over every element, scaled by max|t| so that squares neither overflow nor underflow. */
export function frobeniusNorm(t: Tensor): number {
  const data = t.contiguous().data;
  const scale = maxAbs(data);
  if (!Number.isFinite(scale) || scale === 0) return scale;
  const squares = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = data[i]! / scale;
    squares[i] = x * x;
  }
  return scale * Math.sqrt(pairwiseSum(squares, 0, squares.length));
}

/**
 * Below this reciprocal condition number (1-norm, 1/(‖A‖₁‖A⁻¹‖₁)) a matrix counts as numerically
 * singular: its computed inverse would carry relative errors near cond·eps ≈ 1e-6 or worse, too few
 * correct digits for a gradient check, so inv and solve refuse it instead of returning noise.
 */
export const MIN_RCOND = 1e-10;

/** The n of an n×n matrix; a ShapeError otherwise. */
function squareSize(op: string, a: Tensor): number {
  if (a.rank !== 2 || a.shape[0] !== a.shape[1]) throw new ShapeError(op, [a.shape], 'needs a square matrix');
  return a.shape[0]!;
}

/** LU factors of a square matrix with partial pivoting: PA = LU, L unit lower and U upper triangular, stored in one array. */
interface LuFactors {
  readonly n: number;
  /** Row-major n×n: U on and above the diagonal, L's multipliers below it. */
  readonly lu: Float64Array;
  /** Row i of PA is row perm[i] of A. */
  readonly perm: Int32Array;
  /** det(P) = ±1. */
  readonly sign: number;
  /** A pivot was exactly 0: A is singular. */
  readonly singular: boolean;
}

/**
 * Doolittle elimination with partial pivoting (Golub & Van Loan, Algorithm 3.4.1): at step k the row with
 * the largest |entry| in column k is swapped up, so every multiplier is at most 1 in magnitude. A column
 * with no non-zero pivot is skipped (U gets a 0 on the diagonal) and the matrix marked singular.
 */
function luFactor(op: string, a: Tensor): LuFactors {
  const n = squareSize(op, a);
  const lu = a.clone().data;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) {
      singular = true;
      continue;
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
      sign = -sign;
    }
    const pivot = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const m = (lu[i * n + k]! /= pivot);
      if (m === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j]! -= m * lu[k * n + j]!;
    }
  }
  return { n, lu, perm, sign, singular };
}

/** Solves LU x = P b in place for the columns of the row-major n×m array `x` (which holds b). */
function substitute(f: LuFactors, b: Float64Array, m: number): Float64Array {
  const { n, lu, perm } = f;
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) x[i * m + c] = b[perm[i]! * m + c]!;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const l = lu[i * n + k]!;
      if (l !== 0) for (let c = 0; c < m; c++) x[i * m + c]! -= l * x[k * m + c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const u = lu[i * n + k]!;
      if (u !== 0) for (let c = 0; c < m; c++) x[i * m + c]! -= u * x[k * m + c]!;
    }
    const d = lu[i * n + i]!;
    for (let c = 0; c < m; c++) x[i * m + c]! /= d;
  }
  return x;
}

/** max over columns of Σ|entries| of a row-major n×n array. */
function oneNorm(data: Float64Array, n: number): number {
  let norm = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(data[i * n + j]!);
    if (s > norm || s !== s) norm = s;
  }
  return norm;
}

/** The inverse from LU factors, refusing an exactly or numerically singular matrix (MIN_RCOND). */
function checkedInverse(op: string, a: Tensor, f: LuFactors): Float64Array {
  const n = f.n;
  if (f.singular) throw new DomainError(op, `the ${n}×${n} matrix is singular`);
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  const inverse = substitute(f, identity, n);
  const rcond = 1 / (oneNorm(a.contiguous().data, n) * oneNorm(inverse, n));
  if (rcond < MIN_RCOND) throw new DomainError(op, `the ${n}×${n} matrix is numerically singular (reciprocal condition number ${rcond.toExponential(1)} < ${MIN_RCOND})`);
  return inverse;
}

/** A⁻¹ of a square matrix; a DomainError when A is singular or numerically singular. */
export function inv(a: Tensor): Tensor {
  const f = luFactor('inv', a);
  return new Tensor(checkedInverse('inv', a, f), [f.n, f.n]);
}

/**
 * The solution X of A X = B (MATLAB's A \ B) for a square A and B of n rows (or an n-vector), by LU with
 * partial pivoting; a DomainError when A is singular or numerically singular.
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const f = luFactor('solve', a);
  if ((b.rank !== 1 && b.rank !== 2) || b.shape[0] !== f.n) throw new ShapeError('solve', [a.shape, b.shape], 'B needs as many rows as A');
  checkedInverse('solve', a, f);
  const m = b.rank === 1 ? 1 : b.shape[1]!;
  return new Tensor(substitute(f, b.contiguous().data, m), b.shape);
}

/** det A, the product of U's diagonal with the sign of the row permutation (0 for a singular matrix). */
export function det(a: Tensor): number {
  const f = luFactor('det', a);
  let d = f.sign;
  for (let i = 0; i < f.n; i++) d *= f.lu[i * f.n + i]!;
  return d;
}

/**
 * sign(det A) and log|det A| as a sum of log|u_ii| (no overflow or underflow for large n or extreme
 * scales, unlike log of det); log|det A| is −∞ for a singular matrix.
 */
export function slogdet(a: Tensor): { readonly sign: number; readonly logAbs: number } {
  const f = luFactor('slogdet', a);
  let sign = f.sign;
  let logAbs = 0;
  for (let i = 0; i < f.n; i++) {
    const u = f.lu[i * f.n + i]!;
    sign *= Math.sign(u);
    logAbs += Math.log(Math.abs(u));
  }
  return { sign, logAbs };
}

/** Σ a_ii of a square matrix. */
export function trace(a: Tensor): number {
  const n = squareSize('trace', a);
  let s = 0;
  for (let i = 0; i < n; i++) s += a.data[a.offset + i * (a.strides[0]! + a.strides[1]!)]!;
  return s;
}

/**
 * The Cholesky factor L (lower triangular, positive diagonal) with A = L Lᵀ, reading only the lower
 * triangle of A (LAPACK's potrf with 'L', NumPy's cholesky): a perturbation of an entry above the
 * diagonal does not change it. A DomainError when A is not positive definite (a pivot ≤ 0).
 */
export function cholesky(a: Tensor): Tensor {
  const n = squareSize('cholesky', a);
  const src = a.contiguous().data;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = src[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    if (!(d > 0)) throw new DomainError('cholesky', `the ${n}×${n} matrix is not positive definite (pivot ${j + 1} is ${d})`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = src[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return new Tensor(l, [n, n]);
}

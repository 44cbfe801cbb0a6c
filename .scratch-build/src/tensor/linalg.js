import { ShapeError } from './errors.js';
import { pairwiseDot, pairwiseSum } from './summation.js';
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
function maxAbs(data) {
    let m = 0;
    for (let i = 0; i < data.length; i++) {
        const a = Math.abs(data[i]);
        if (a > m || a !== a)
            m = a;
        if (m !== m)
            break;
    }
    return m;
}
/**
 * The spectral norm ‖A‖₂ = largest singular value of a matrix (a vector is read as one column, giving
 * its Euclidean length). Computed by one-sided Jacobi SVD on the columns of A (or of Aᵀ, whichever has
 * fewer), after scaling by max|a_ij| so that no square overflows: accurate to a few eps even when the
 * top singular values are close, where power iteration would stall. O(min(m,n)² · max(m,n)) per sweep.
 */
export function spectralNorm(a) {
    if (a.rank !== 1 && a.rank !== 2)
        throw new ShapeError('spectralNorm', [a.shape], 'needs a matrix (or a vector)');
    const matrix = a.rank === 1 ? a.reshape([a.shape[0], 1]) : a;
    const [rows, cols] = matrix.shape;
    // Columns of the working matrix are the columns of A, or of Aᵀ when A is wide.
    const work = (cols <= rows ? matrix.transpose() : matrix).clone().data; // row j = column j of the working matrix
    const n = Math.min(rows, cols);
    const len = Math.max(rows, cols);
    if (n === 0)
        return 0;
    const scale = maxAbs(work);
    if (!Number.isFinite(scale))
        return scale; // NaN, or +∞ for an infinite entry
    if (scale === 0)
        return 0;
    for (let i = 0; i < work.length; i++)
        work[i] /= scale;
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        let rotated = false;
        for (let p = 0; p < n - 1; p++) {
            for (let q = p + 1; q < n; q++) {
                const up = p * len;
                const uq = q * len;
                const alpha = pairwiseDot(work, up, work, up, len);
                const beta = pairwiseDot(work, uq, work, uq, len);
                const gamma = pairwiseDot(work, up, work, uq, len);
                if (Math.abs(gamma) <= JACOBI_TOL * Math.sqrt(alpha * beta))
                    continue;
                rotated = true;
                // The rotation that zeroes the (p, q) entry of the Gram matrix [alpha gamma; gamma beta]
                // (Golub & Van Loan, Algorithm 8.5.2): t = sign(ζ)/(|ζ| + √(1 + ζ²)), the smaller root.
                const zeta = (beta - alpha) / (2 * gamma);
                const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
                const c = 1 / Math.hypot(1, t);
                const s = c * t;
                for (let i = 0; i < len; i++) {
                    const x = work[up + i];
                    const y = work[uq + i];
                    work[up + i] = c * x - s * y;
                    work[uq + i] = s * x + c * y;
                }
            }
        }
        if (!rotated)
            break;
    }
    let largest = 0;
    for (let j = 0; j < n; j++)
        largest = Math.max(largest, pairwiseDot(work, j * len, work, j * len, len));
    return scale * Math.sqrt(largest);
}
/** ‖t‖_F = √(Σ t²) over every element, scaled by max|t| so that squares neither overflow nor underflow. */
export function frobeniusNorm(t) {
    const data = t.contiguous().data;
    const scale = maxAbs(data);
    if (!Number.isFinite(scale) || scale === 0)
        return scale;
    const squares = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
        const x = data[i] / scale;
        squares[i] = x * x;
    }
    return scale * Math.sqrt(pairwiseSum(squares, 0, squares.length));
}

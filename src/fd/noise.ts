/**
 * Noise level of a loss evaluated in full, measured once per objective with Moré & Wild's ECnoise
 * ("Estimating computational noise", SIAM J. Sci. Comput. 33(3), 2011).
 *
 * A loss summed from many terms carries a rounding error ≈ ε·Σ|terms|, which can be far larger than
 * ε·|f| when the terms cancel (Σ G.*Y with G of both signs). FD cannot see Σ|terms| of a black box,
 * and its ladder cannot see the error either: with power-of-two steps the rounding pattern of
 * f(x ± h) scales with h, so every rung carries the same bias. ECnoise measures it directly: on
 * m + 1 = 13 points f(x + i·δ·v), i = −6..6, the k-th differences Δᵏf of a smooth f are O(δᵏ) while
 * independent rounding noise of standard deviation σ gives E[(Δᵏf)²] = σ²·(2k)!/(k!)², so
 *     σ_k = sqrt( γ_k · mean_i (Δᵏf_i)² ),   γ_k = (k!)² / (2k)!.
 * We pool the mean squares of NOISE_DIRECTIONS independent lines and take the max over k = 4..6
 * (δ = 2^-20 makes a smooth f's contribution δ⁴·f⁗ ≈ 1e-24·f⁗, negligible; the max is a conservative
 * choice among estimators that agree for pure noise). Measured on conv and least-squares losses, one
 * 13-point line scatters by up to 2× around the σ seen in 2000 evaluations; pooling two halves that.
 */
import { Rng } from '../tensor/rng.js';
import { SparseChange } from './sparse.js';

/** Lines, points per line, spacing, and the difference orders used. */
export const NOISE_DIRECTIONS = 2;
export const NOISE_POINTS = 13;
export const NOISE_SPACING = 2 ** -20;
const ORDERS = [4, 5, 6] as const;

/** Sub-stream of the direction (fixed: the measurement is part of the objective, not of a seeded run). */
export const NOISE_STREAM = 0xec0153;

/** (k!)² / (2k)! */
function gamma(k: number): number {
  let g = 1;
  for (let i = 1; i <= k; i++) g *= i / (k + i);
  return g;
}

/**
 * σ of the noise in equally spaced samples along lines (one array per line, same length), pooled over
 * the lines; 0 when they are all equal, and 0 when a sample is not finite (FD then reports the entry).
 */
export function noiseLevel(lines: readonly ArrayLike<number>[]): number {
  if (!lines.every((line) => Array.from(line).every(Number.isFinite))) return 0;
  let differences = lines.map((line) => Array.from(line));
  let sigma = 0;
  for (let k = 1; k <= ORDERS[ORDERS.length - 1]!; k++) {
    differences = differences.map((d) => d.slice(1).map((v, i) => v - d[i]!));
    if (k < ORDERS[0]) continue;
    const all = differences.flat();
    const meanSquare = all.reduce((s, d) => s + d * d, 0) / all.length;
    sigma = Math.max(sigma, Math.sqrt(gamma(k) * meanSquare));
  }
  return sigma;
}

/**
 * Measures the noise of every output component of a full evaluation: `evaluate(move)` returns the
 * outputs at x + move (and restores x). Each line's direction is v_i = z_i·max(1, |x_i|)/√n, z ~ N(0, 1).
 */
export function measureNoise(size: number, valueAt: (flat: number) => number, evaluate: (move: SparseChange) => ArrayLike<number>): Float64Array {
  const rng = Rng.derive(0, NOISE_STREAM);
  const norm = Math.sqrt(Math.max(1, size));
  const move = new SparseChange(size);
  const half = (NOISE_POINTS - 1) / 2;
  const lines: ArrayLike<number>[][] = [];
  for (let line = 0; line < NOISE_DIRECTIONS; line++) {
    const direction = Float64Array.from({ length: size }, (_, i) => (rng.normal() * Math.max(1, Math.abs(valueAt(i)))) / norm);
    const samples: ArrayLike<number>[] = [];
    for (let p = 0; p < NOISE_POINTS; p++) {
      const t = (p - half) * NOISE_SPACING;
      move.clear();
      for (let i = 0; i < size; i++) move.push(i, valueAt(i) + t * direction[i]! - valueAt(i), 0);
      samples.push(Array.from(evaluate(move)));
    }
    lines.push(samples);
  }
  const components = lines[0]![0]!.length;
  return Float64Array.from({ length: components }, (_, c) => noiseLevel(lines.map((samples) => samples.map((s) => s[c]!))));
}

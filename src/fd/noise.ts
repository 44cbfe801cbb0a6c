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
 *
 * Rounding noise does not depend on the spacing (as long as the moves are many ulps of x), while
 * anything else the differences see does: a kink crossed by the line (a ReLU input within 6δ of 0)
 * gives Δᵏf ∝ δ, a smooth f's δᵏ·f⁽ᵏ⁾ shrinks faster still. So every level is measured again at the
 * spacing δ·2^-6 (Moré & Wild's check that the estimate is noise, by scale instead of by sign
 * changes): a level that stays within a factor NOISE_CONSISTENCY is noise; one that drops was the
 * function's shape, and is measured again at the finer spacing, down to NOISE_SPACING·2^-24 (moves of
 * ≥ 256 ulps of x). Without this, inputs within 1e-6 of a ReLU's kink passed for noise of the loss,
 * and the error bars it gave every entry were wide enough to hide the kinks themselves.
 */
import { Rng } from '../tensor/rng.js';
import { SparseChange } from './sparse.js';

/** Lines, points per line, spacing, and the difference orders used. */
export const NOISE_DIRECTIONS = 2;
export const NOISE_POINTS = 13;
export const NOISE_SPACING = 2 ** -20;
const ORDERS = [4, 5, 6] as const;

/** Each refinement divides the spacing by 2^6: a level ∝ δ (a kink) drops 64-fold, noise stays. */
export const NOISE_REFINEMENT = 2 ** -6;

/** Refinements at most: the finest spacing is NOISE_SPACING·2^-24 = 2^-44 (moves of ≥ 256 ulps of x). */
export const NOISE_REFINEMENTS = 4;

/** A level measured again at a finer spacing is noise when it stays above 1/NOISE_CONSISTENCY of itself (one line scatters 2×, two lines pooled less). */
export const NOISE_CONSISTENCY = 4;

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
  const points = lines[0]?.length ?? 0;
  // Differences are taken in place, line after line in one buffer; the mean square sums them in line order.
  const differences = new Float64Array(lines.length * points);
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    for (let i = 0; i < points; i++) {
      const v = line[i]!;
      if (!Number.isFinite(v)) return 0;
      differences[l * points + i] = v;
    }
  }
  let sigma = 0;
  for (let k = 1; k <= ORDERS[ORDERS.length - 1]!; k++) {
    const n = points - k;
    for (let l = 0; l < lines.length; l++) {
      const at = l * points;
      for (let i = 0; i < n; i++) differences[at + i] = differences[at + i + 1]! - differences[at + i]!;
    }
    if (k < ORDERS[0]) continue;
    let sumOfSquares = 0;
    for (let l = 0; l < lines.length; l++) {
      const at = l * points;
      for (let i = 0; i < n; i++) sumOfSquares += differences[at + i]! * differences[at + i]!;
    }
    sigma = Math.max(sigma, Math.sqrt(gamma(k) * (sumOfSquares / (lines.length * n))));
  }
  return sigma;
}

/**
 * Measures the noise of every output component of a full evaluation: `evaluate(move)` returns the
 * outputs at x + move (and restores x). Each line's direction is v_i = z_i·max(1, |x_i|)/√n, z ~ N(0, 1);
 * levels are refined to finer spacings until they are confirmed as noise (see the module comment).
 */
export function measureNoise(size: number, valueAt: (flat: number) => number, evaluate: (move: SparseChange) => ArrayLike<number>): Float64Array {
  const rng = Rng.derive(0, NOISE_STREAM);
  const norm = Math.sqrt(Math.max(1, size));
  const x = Float64Array.from({ length: size }, (_, i) => valueAt(i));
  const directions = Array.from({ length: NOISE_DIRECTIONS }, () => Float64Array.from({ length: size }, (_, i) => (rng.normal() * Math.max(1, Math.abs(x[i]!))) / norm));
  const move = new SparseChange(size);
  for (let i = 0; i < size; i++) move.push(i, 0, 0);
  const half = (NOISE_POINTS - 1) / 2;
  // Every line passes through x (t = 0, a move of zeros): evaluated once, as an evaluation is a function of the point.
  let center: Float64Array | undefined;
  const levelsAt = (spacing: number): Float64Array => {
    // samples[(line·components + c)·NOISE_POINTS + p]: component c at point p of a line.
    let samples: Float64Array | undefined;
    let components = 0;
    directions.forEach((direction, line) => {
      for (let p = 0; p < NOISE_POINTS; p++) {
        const t = (p - half) * spacing;
        let outputs: ArrayLike<number>;
        if (p === half && center) outputs = center;
        else {
          for (let i = 0; i < size; i++) move.delta[i] = x[i]! + t * direction[i]! - x[i]!;
          outputs = evaluate(move);
          if (p === half) center = Float64Array.from(outputs);
        }
        if (!samples) {
          components = outputs.length;
          samples = new Float64Array(NOISE_DIRECTIONS * components * NOISE_POINTS);
        }
        for (let c = 0; c < components; c++) samples[(line * components + c) * NOISE_POINTS + p] = outputs[c]!;
      }
    });
    return Float64Array.from({ length: components }, (_, c) => noiseLevel(directions.map((_, line) => samples!.subarray((line * components + c) * NOISE_POINTS, (line * components + c + 1) * NOISE_POINTS))));
  };
  let spacing = NOISE_SPACING;
  let coarse = levelsAt(spacing);
  const noise = new Float64Array(coarse.length).fill(Number.NaN);
  for (let r = 0; r < NOISE_REFINEMENTS && noise.some(Number.isNaN); r++) {
    spacing *= NOISE_REFINEMENT;
    const fine = levelsAt(spacing);
    fine.forEach((level, c) => {
      if (Number.isNaN(noise[c]!) && level * NOISE_CONSISTENCY >= coarse[c]!) noise[c] = Math.max(level, coarse[c]!);
    });
    coarse = fine;
  }
  // Levels never confirmed keep the finest measurement: the least the function's shape can have added.
  return noise.map((level, c) => (Number.isNaN(level) ? coarse[c]! : level));
}

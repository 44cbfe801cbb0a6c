/**
 * Step sizes of the finite-difference ladder.
 *
 * Central difference D(h) = (f(x+h) − f(x−h)) / 2h has truncation error f'''(x)·h²/6 + O(h⁴) and
 * round-off error ≈ ε_f/h, where ε_f is the absolute error of one evaluation of f. A single difference
 * is best at h ∝ ε^(1/3) (the two errors balance; Nocedal & Wright, Numerical Optimization §8.1), hence
 * the rule h = c·ε^(1/3)·max(1, |x|): relative to |x| for large entries, absolute near zero.
 *
 * Richardson extrapolation over the ladder removes the h², h⁴, … terms, so the ladder's first rung
 * may be far larger than the single-difference optimum: an extrapolant of order 2m balances ε|f|/h
 * against h^(2m) at h ∝ ε^(1/(2m+1)): 7.4e-4 for m = 2 (the first estimate, from three rungs), 5.8e-3
 * for m = 3 (four rungs). `STEP_SCALE` puts the first rung between the two, h₀ = 2^-8 ≈ 3.9e-3 for
 * |x| ≤ 1, and the finest rung a smooth f needs (h₀/8) stays 80× above ε^(1/3), where round-off is small.
 * Measured norm-wise errors of log-sum-exp (300 entries) and sigmoid-MLP gradients: 2e-11–9e-11 with
 * c = 128, 4e-12–4e-11 with c = 512, 2e-12–1e-11 with c = 2048; a larger c also spreads the ladder
 * over more of x's neighbourhood, where kinks (ReLU, max) are more likely to be met.
 */

/** Machine epsilon of float64 (2^-52), the relative spacing of doubles at 1. */
export const EPSILON = Number.EPSILON;

/** ε^(1/3) ≈ 6.06e-6, the single-central-difference optimum for |f| ≈ |f'''|. */
export const CBRT_EPSILON = Math.cbrt(EPSILON);

/** c in h₀ = c·ε^(1/3)·max(1, |x|): 2^9 moves the ladder's first rung to ≈ 3.9e-3·max(1, |x|) (see above). */
export const STEP_SCALE = 512;

/** Ratio between successive rungs, h_{k+1} = q·h_k. One half: exact in binary, and mild (the 1/h growth of round-off doubles per rung). */
export const CONTRACTION = 0.5;

/**
 * The ladder goes on until the estimate has settled (see `settled`) or f's scale is resolved: twelve
 * rungs end at h₀/2048 ≈ ε^(1/3)/3·max(1,|x|). Smooth f settle within 3–4 rungs; more are needed only
 * when f varies on a scale far below max(1,|x|) (σ(1000·w) with |w| ≪ 1: the first rungs are
 * pre-asymptotic and their differences meaningless), and below h₀/2048 round-off (∝ 1/h) outgrows any
 * truncation error a finer step could remove.
 */
export const MAX_RUNGS = 12;

/**
 * First rung of the ladder for a coordinate whose value is x (or a line parameter with scale 1),
 * rounded to the nearest power of two. A power-of-two step makes every rung h₀·2^-k exact and,
 * since h ≫ ulp(x), keeps x ± h exactly representable except at a binade crossing (the caller then
 * uses the displacement actually taken, fl(x + h) − x).
 */
export function firstStep(x: number): number {
  return 2 ** firstStepExponent({ scale: x });
}

/**
 * The integer e with firstStep(x) = 2^e, for x = `at.scale` (a Probe). It takes the record, not the
 * number: V8 boxes a double passed to a call it does not inline, and whether it inlines this one
 * varies from process to process (when it did not, every entry with |x| > 1 allocated a heap number:
 * ≈ 1 B per evaluation in bench/fd-alloc.ts). The integer result crosses back unboxed.
 */
export function firstStepExponent(at: { readonly scale: number }): number {
  const size = Math.abs(at.scale);
  // |x| ≤ 1 (most entries): the constant below, without a logarithm per entry.
  return size <= 1 ? UNIT_STEP_EXPONENT : Math.round(Math.log2(STEP_SCALE * CBRT_EPSILON * size));
}

/** firstStepExponent for |x| ≤ 1: round(log₂(STEP_SCALE·ε^(1/3))) = −8. */
const UNIT_STEP_EXPONENT = Math.round(Math.log2(STEP_SCALE * CBRT_EPSILON));

/** Unit in the last place of v: the gap between |v| and the next larger double (0 for 0 and non-finite v). */
export function ulp(v: number): number {
  const a = Math.abs(v);
  if (a === 0 || !Number.isFinite(a)) return 0;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

/**
 * From FD estimates and a claimed (analytic) gradient to a verdict with evidence.
 *
 * Budget of entry i:  b_i = K·e_i + A·ε·max(|a_i|, |n_i|)
 *   n_i, e_i   FD estimate and its error bound (estimate.ts: Richardson tableau error + round-off),
 *   a_i        the claimed value, computed in float64 by some formula,
 *   K          FD_ERROR_MULTIPLIER, A  ANALYTIC_ROUNDOFF_ULPS (reasons below).
 * Entry i agrees when |a_i − n_i| ≤ b_i. A verdict passes only when every compared entry agrees and
 * none is non-differentiable or unresolved; it fails as soon as one entry is over budget (that entry is
 * the evidence); otherwise it says why it cannot decide. A verdict never passes on wide error bars.
 *
 * A gradient that is zero at the loss's own resolution is decided with the absolute budgets b_i: when
 * every smooth estimate is within its budget of 0 and its error is round-off (the tableau error is at
 * most the round-off carried from the loss's evaluations), FD has measured the gradient as finely as
 * float64 evaluations of this loss allow, and found nothing. A relative test against a scale of 0
 * could never be met (the N = 1 batch-norm, one-class softmax and dead-ReLU draws, whose gradient is
 * identically 0, were all undecided); the absolute one rejects any claim that is not 0 within the
 * loss's round-off.
 *
 * An entry the estimator found 'quantised' (flat.ts: the loss as computed is a staircase at the step's
 * scale) makes the whole sample undecided, whatever the other entries say: FD of such a loss says
 * nothing about the gradient, and no verdict may rest on it.
 */
import { ShapeError } from '../tensor/errors.js';
import { type Shape, type Tensor, sameShape } from '../tensor/tensor.js';
import type { EstimateStatus, GradientEstimate } from './estimate.js';
import { EPSILON } from './step.js';

/**
 * K: the FD error bound covers the true error by itself (measured over 41,000 entries of random dense,
 * MLP, log-sum-exp and conv problems with inputs scaled 1e-3..1e3: every entry covered, worst
 * true/bound 0.21, 99th percentile 0.1). 4× leaves room for what the model does not see (a loss whose
 * noise is not Gaussian, a Richardson difference that undershoots by accident), while a bound of
 * ≈ 1e-12 relative still resolves a 1e-6 error.
 */
export const FD_ERROR_MULTIPLIER = 4;

/**
 * A: round-off of the claimed value, in units of ε·|value|. A formula of a few matrix products sums
 * O(n) terms per entry; its error is ≲ γ_n·Σ|terms| (Higham §3.1) but ≈ √n·ε·|value| typically, and 64
 * covers √n up to 4096 terms. Entries that are tiny through cancellation are covered by the FD side,
 * whose round-off bound grows with the same Σ|terms|.
 */
export const ANALYTIC_ROUNDOFF_ULPS = 64;

/**
 * An entry whose budget exceeds this fraction of the gradient's scale (max |n|) is 'unresolved': its
 * error bars are too wide to exclude the mistakes that matter (gradcheck's rtol is 1e-3; a factor
 * 1 + 5e-4 must be caught), so it can neither pass nor, unless its error is outside them, fail.
 */
export const UNRESOLVED_BUDGET_FRACTION = 1e-4;

/**
 * A sample whose every smooth estimate carries round-off error only (its Richardson tableau has
 * converged: error − round-off ≤ round-off) is measured as finely as float64 evaluations of the loss
 * allow. When such a gradient is small through cancellation (batch norm at N = 2, where ε decides:
 * entries ≈ 1e-7 of a loss of order 1, error bars ≈ 5e-11), its budgets can pass 1e-4 of its scale
 * with nothing left to refine, and the sample would stay undecided at any step. Its entries are decided
 * at this coarser resolution instead, gradcheck's rtol: a factor 1 + 5e-4 may pass such a sample, but
 * not the samples of ordinary scale a check also draws, and the mistakes students make (a sign, a
 * transpose, a missing term, a 1/N) differ by far more.
 */
export const ROUNDOFF_LIMITED_BUDGET_FRACTION = 1e-3;

export type EntryStatus = 'ok' | 'over-budget' | 'non-differentiable' | 'unresolved' | 'quantised';
export type VerdictStatus = 'pass' | 'fail' | 'non-differentiable' | 'undecided';
export type CheckMode = 'full' | 'sampled' | 'screen';

export interface EntryEvidence {
  /** Row-major flat position and the native 0-based multi-index (entryName formats 1-based names). */
  readonly flat: number;
  readonly index: readonly number[];
  readonly analytic: number;
  readonly numeric: number;
  /** FD error bound e_i. */
  readonly fdError: number;
  readonly budget: number;
  readonly absError: number;
  /** |a − n| / max(|a|, |n|) (0 when both are 0). */
  readonly relError: number;
  readonly status: EntryStatus;
  /** What the FD estimator said about the entry (smooth, kink, declared-kink, non-finite). */
  readonly fdStatus: EstimateStatus;
}

export interface GradientVerdict {
  readonly status: VerdictStatus;
  readonly mode: CheckMode;
  /** Seed of every random choice (sampled entries, screen directions): the same seed gives the same verdict. */
  readonly seed: number;
  readonly shape: readonly number[];
  /** Entries compared one by one. */
  readonly checked: number;
  readonly overBudget: number;
  readonly nonDifferentiable: number;
  readonly unresolved: number;
  /** Entries on which the loss is a float64 staircase: the sample is undecided. */
  readonly quantised: number;
  /** Every smooth entry is 0 within the loss's round-off, and was decided with absolute budgets. */
  readonly zeroGradient: boolean;
  /** Over decided entries (ok or over budget). */
  readonly maxAbsError: number;
  readonly maxRelError: number;
  /** ‖a − n‖₂ / ‖n‖₂ over decided entries. */
  readonly normRelError: number;
  /** Decided entries with the largest |a − n| / budget, worst first. */
  readonly worst: readonly EntryEvidence[];
  /** Entries whose error bars were too wide to decide (or quantised), widest first. */
  readonly unresolvedEntries: readonly EntryEvidence[];
  readonly nonDifferentiableEntries: readonly EntryEvidence[];
  readonly evaluations: number;
}

export interface VerdictContext {
  readonly mode: CheckMode;
  readonly seed: number;
  /** How many worst entries to keep (default 5). */
  readonly worst?: number;
}

/** 0-based multi-index of a row-major flat position. */
export function multiIndex(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    const d = shape[ax]!;
    index[ax] = flat % d;
    flat = Math.floor(flat / d);
  }
  return index;
}

/** 1-based name of an entry, as course notation writes it: entryName('dK', [1, 0, 2, 0]) = 'dK[2,1,3,1]'. */
export function entryName(name: string, index: readonly number[]): string {
  return index.length === 0 ? name : `${name}[${index.map((i) => i + 1).join(',')}]`;
}

/** A claimed gradient must have the shape of the tensor it differentiates; otherwise a ShapeError, not a verdict. */
export function assertClaimShape(op: string, shape: Shape, analytic: Tensor): void {
  if (!sameShape(shape, analytic.shape)) {
    throw new ShapeError(op, [shape, analytic.shape], 'the claimed gradient must have the shape of the tensor it differentiates');
  }
}

/** b_i = K·e_i + A·ε·max(|a_i|, |n_i|) (see the module comment). */
export function entryBudget(fdError: number, analytic: number, numeric: number): number {
  return FD_ERROR_MULTIPLIER * fdError + ANALYTIC_ROUNDOFF_ULPS * EPSILON * Math.max(Math.abs(analytic), Math.abs(numeric));
}

/** Compares FD estimates of some entries with the claimed gradient `analytic` (same shape as the differentiated tensor). */
export function verdictFor(estimate: GradientEstimate, analytic: Tensor, shape: Shape, context: VerdictContext): GradientVerdict {
  const a = analytic.contiguous().data;
  const n = estimate.indices.length;
  let scale = 0;
  for (let k = 0; k < n; k++) if (estimate.status[k] === 'smooth') scale = Math.max(scale, Math.abs(estimate.value[k]!));
  const limited = roundoffLimited(estimate);
  const zeroGradient = limited && zeroWithinBudgets(estimate);
  const resolvable = (limited ? ROUNDOFF_LIMITED_BUDGET_FRACTION : UNRESOLVED_BUDGET_FRACTION) * scale;

  const entries: EntryEvidence[] = [];
  let overBudget = 0;
  let nonDifferentiable = 0;
  let unresolved = 0;
  let quantised = 0;
  let maxAbsError = 0;
  let maxRelError = 0;
  let diffSquares = 0;
  let numericSquares = 0;
  for (let k = 0; k < n; k++) {
    const flat = estimate.indices[k]!;
    const ai = a[flat]!;
    const ni = estimate.value[k]!;
    const ei = estimate.error[k]!;
    const budget = entryBudget(ei, ai, ni);
    const absError = Math.abs(ai - ni);
    const top = Math.max(Math.abs(ai), Math.abs(ni));
    const relError = absError === 0 ? 0 : absError / top;
    const fdStatus = estimate.status[k]!;
    let status: EntryStatus;
    if (fdStatus === 'kink' || fdStatus === 'declared-kink') status = 'non-differentiable';
    else if (fdStatus === 'quantised') status = 'quantised';
    else if (fdStatus === 'non-finite') status = 'unresolved';
    else if (!(absError <= budget)) status = 'over-budget';
    else if (!zeroGradient && budget > resolvable && budget > 0) status = 'unresolved';
    else status = 'ok';
    if (status === 'over-budget') overBudget++;
    if (status === 'non-differentiable') nonDifferentiable++;
    if (status === 'unresolved') unresolved++;
    if (status === 'quantised') quantised++;
    if (status === 'ok' || status === 'over-budget') {
      maxAbsError = Math.max(maxAbsError, Number.isNaN(absError) ? Number.POSITIVE_INFINITY : absError);
      maxRelError = Math.max(maxRelError, Number.isNaN(relError) ? Number.POSITIVE_INFINITY : relError);
      diffSquares += (ai - ni) ** 2;
      numericSquares += ni * ni;
    }
    entries.push({ flat, index: multiIndex(flat, shape), analytic: ai, numeric: ni, fdError: ei, budget, absError, relError, status, fdStatus });
  }

  const status: VerdictStatus = quantised > 0 ? 'undecided' : overBudget > 0 ? 'fail' : nonDifferentiable > 0 ? 'non-differentiable' : unresolved > 0 ? 'undecided' : 'pass';
  const decided = entries.filter((e) => e.status === 'ok' || e.status === 'over-budget');
  const worstCount = context.worst ?? 5;
  const worst = [...decided].sort((x, y) => severity(y) - severity(x) || x.flat - y.flat).slice(0, worstCount);
  const unresolvedEntries = entries.filter((e) => e.status === 'unresolved' || e.status === 'quantised').sort((x, y) => y.budget - x.budget || x.flat - y.flat).slice(0, worstCount);
  return {
    status,
    mode: context.mode,
    seed: context.seed,
    shape: [...shape],
    checked: n,
    overBudget,
    nonDifferentiable,
    unresolved,
    quantised,
    zeroGradient,
    maxAbsError,
    maxRelError,
    normRelError: diffSquares === 0 ? 0 : Math.sqrt(diffSquares / numericSquares),
    worst,
    unresolvedEntries,
    nonDifferentiableEntries: entries.filter((e) => e.status === 'non-differentiable').slice(0, worstCount),
    evaluations: estimate.evaluations,
  };
}

/**
 * Every smooth estimate is 0 within its budget (taken with a claim of 0). With roundoffLimited (every
 * error is round-off, at least one smooth entry), the sample's gradient is 0 at the loss's own
 * resolution (module comment).
 */
function zeroWithinBudgets(estimate: GradientEstimate): boolean {
  for (let k = 0; k < estimate.indices.length; k++) {
    if (estimate.status[k] !== 'smooth') continue;
    const n = estimate.value[k]!;
    if (!(Math.abs(n) <= entryBudget(estimate.error[k]!, 0, n))) return false;
  }
  return true;
}

/** The error bound of estimate k is round-off: the tableau error (error − round-off) is at most the round-off. */
function roundoffOnly(estimate: GradientEstimate, k: number): boolean {
  const e = estimate.error[k]!;
  const r = estimate.roundoff[k]!;
  return e - r <= r;
}

/** Every smooth estimate's error is round-off, and there is one (ROUNDOFF_LIMITED_BUDGET_FRACTION). */
function roundoffLimited(estimate: GradientEstimate): boolean {
  let smooth = 0;
  for (let k = 0; k < estimate.indices.length; k++) {
    if (estimate.status[k] !== 'smooth') continue;
    smooth++;
    if (!roundoffOnly(estimate, k)) return false;
  }
  return smooth > 0;
}

/** |a − n| / budget, the factor by which an entry misses (∞ for a NaN claim or a zero budget). */
function severity(e: EntryEvidence): number {
  if (Number.isNaN(e.absError)) return Number.POSITIVE_INFINITY;
  if (e.budget === 0) return e.absError === 0 ? 0 : Number.POSITIVE_INFINITY;
  return e.absError / e.budget;
}

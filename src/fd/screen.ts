/**
 * Directional screen and localisation.
 *
 * Screen: for a random direction v, the claimed gradient predicts the directional derivative ⟨a, v⟩;
 * FD measures φ'(0) of φ(t) = f(x + t·v) with the same ladder as one entry (≤ 2·MAX_RUNGS
 * evaluations, independent of the size of x). v_i = z_i·max(1, |x_i|) with z_i ~ N(0, 1), so every
 * entry moves on its own scale; a wrong gradient fails a random direction with probability 1 unless
 * its error is within the budget.
 *
 * Localisation: when a direction fails, its mismatch m(S) = ⟨a_S, v_S⟩ − φ_S'(0), with v restricted
 * to a range S of flat positions, is additive over disjoint ranges; bisection follows the halves
 * whose mismatch is over budget down to single entries, which then get a per-entry estimate. w wrong
 * entries cost ≈ 2·w·log₂(size) directional estimates instead of a full sweep.
 */
import { type Tensor } from '../tensor/tensor.js';
import { Rng } from '../tensor/rng.js';
import { FdArgumentError } from './errors.js';
import { DerivativeEstimator, type GradientEstimate, estimateGradient } from './estimate.js';
import type { Displacement, Probe } from './probe.js';
import { type LossChange, type ScalarObjective, newLossChange } from './objective.js';
import { SparseChange, compensatedSum } from './sparse.js';
import { CONTRACTION, EPSILON, MAX_RUNGS, firstStep, ulp } from './step.js';
import { ANALYTIC_ROUNDOFF_ULPS, FD_ERROR_MULTIPLIER, UNRESOLVED_BUDGET_FRACTION, type EntryStatus, type VerdictStatus, assertClaimShape } from './verdict.js';

/** Sub-stream label of screen directions in Rng.derive(seed, SCREEN_STREAM, r): independent of sampled entries. */
export const SCREEN_STREAM = 0x5c4ee2;

/** Directions in a screen by default: one wrong gradient fails each with probability 1; two guard against an unlucky near-orthogonal draw. */
export const SCREEN_DIRECTIONS = 2;

/** Entries reported by a localisation at most: past a handful the mistake is systematic and a sampled or full check says more. */
export const MAX_LOCALISED_ENTRIES = 8;

export interface DirectionalEvidence {
  /** Which direction of the screen (0-based). */
  readonly direction: number;
  /** Range of flat positions the direction covers, [start, end). */
  readonly start: number;
  readonly end: number;
  /** ⟨a, v⟩ and the FD directional derivative. */
  readonly analytic: number;
  readonly numeric: number;
  readonly fdError: number;
  readonly budget: number;
  readonly status: EntryStatus;
}

export interface ScreenResult {
  readonly status: VerdictStatus;
  readonly seed: number;
  readonly directions: readonly DirectionalEvidence[];
  readonly evaluations: number;
}

/**
 * Screen direction r for `seed`: v_i = z_i·max(1, |x_i|), rounded to a multiple of 2·ulp(x_i)/t_min so
 * that every rung's x_i ± t·v_i is exact (t is a power of two ≥ t_min) and FD measures exactly the
 * direction the analytic side is given.
 */
export function screenDirection(objective: ScalarObjective, seed: number, r: number): Float64Array {
  const rng = Rng.derive(seed, SCREEN_STREAM, r);
  const finest = firstStep(1) * CONTRACTION ** (MAX_RUNGS - 1);
  const v = new Float64Array(objective.size);
  for (let i = 0; i < v.length; i++) {
    const x = objective.valueAt(i);
    const raw = rng.normal() * Math.max(1, Math.abs(x));
    const quantum = (2 * ulp(x)) / finest;
    v[i] = quantum > 0 ? Math.round(raw / quantum) * quantum : raw;
  }
  return v;
}

/** Probe along direction v restricted to flat positions [start, end). */
class LineProbe implements Probe {
  readonly components = 1;
  readonly scale = 1;
  private readonly move: SparseChange;
  private readonly change: LossChange = newLossChange();

  constructor(
    private readonly objective: ScalarObjective,
    private readonly v: Float64Array,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.move = new SparseChange(end - start);
  }

  displace(out: Displacement): void {
    const t = out.step;
    this.move.clear();
    // t·v_i is exact (t a power of two) and x_i ± t·v_i too (v quantised), but for a binade crossing: ε·|t·v_i|.
    for (let i = this.start; i < this.end; i++) if (this.v[i] !== 0) this.move.push(i, t * this.v[i]!, EPSILON * Math.abs(t * this.v[i]!));
    this.objective.change(this.move, this.change);
    out.delta[0] = this.change.delta;
    out.roundoff[0] = this.change.roundoff;
    out.crossedKink = this.change.crossedKink;
    out.taken = t;
  }
}

/** Compares ⟨a, v⟩ with FD along v on [start, end). */
function directionalEvidence(objective: ScalarObjective, a: Float64Array, v: Float64Array, direction: number, start: number, end: number, estimator: DerivativeEstimator): DirectionalEvidence {
  estimator.estimate(new LineProbe(objective, v, start, end));
  const products = new Float64Array(end - start);
  let magnitude = 0;
  for (let i = start; i < end; i++) {
    products[i - start] = a[i]! * v[i]!;
    magnitude += Math.abs(products[i - start]!);
  }
  const analytic = compensatedSum(products, products.length);
  const numeric = estimator.value[0]!;
  const fdError = estimator.error[0]!;
  // Analytic side: each a_i carries A·ε·|a_i| (verdict.ts), so ⟨a, v⟩ carries A·ε·Σ|a_i·v_i|.
  const budget = FD_ERROR_MULTIPLIER * fdError + ANALYTIC_ROUNDOFF_ULPS * EPSILON * Math.max(magnitude, Math.abs(numeric));
  const kinked = estimator.status[0] === 'kink' || estimator.status[0] === 'declared-kink';
  let status: EntryStatus;
  if (kinked) status = 'non-differentiable';
  // A loss that is not finite, or a float64 staircase along the line (flat.ts), decides nothing.
  else if (estimator.status[0] === 'non-finite' || estimator.status[0] === 'quantised') status = 'unresolved';
  else if (!(Math.abs(analytic - numeric) <= budget)) status = 'over-budget';
  else if (budget > UNRESOLVED_BUDGET_FRACTION * Math.max(Math.abs(numeric), Math.abs(analytic)) && budget > 0) status = 'unresolved';
  else status = 'ok';
  return { direction, start, end, analytic, numeric, fdError, budget, status };
}

function screenStatus(evidence: readonly DirectionalEvidence[]): VerdictStatus {
  if (evidence.some((e) => e.status === 'over-budget')) return 'fail';
  if (evidence.some((e) => e.status === 'non-differentiable')) return 'non-differentiable';
  if (evidence.some((e) => e.status === 'unresolved')) return 'undecided';
  return 'pass';
}

/** Screens the claimed gradient `analytic` (row-major, the shape of x) along `directions` random directions. */
export function directionalScreen(objective: ScalarObjective, analytic: Tensor, options: { directions?: number; seed?: number } = {}): ScreenResult {
  assertClaimShape('directionalScreen', objective.shape, analytic);
  const directions = options.directions ?? SCREEN_DIRECTIONS;
  if (!Number.isInteger(directions) || directions < 1) {
    throw new FdArgumentError('directions', `${directions} directions would screen nothing`, 'ask for at least one direction');
  }
  const seed = options.seed ?? 0;
  const a = analytic.contiguous().data;
  const estimator = new DerivativeEstimator(1);
  const evidence: DirectionalEvidence[] = [];
  let evaluations = 0;
  for (let r = 0; r < directions; r++) {
    evidence.push(directionalEvidence(objective, a, screenDirection(objective, seed, r), r, 0, objective.size, estimator));
    evaluations += estimator.evaluations;
  }
  return { status: screenStatus(evidence), seed, directions: evidence, evaluations };
}

export interface Localisation {
  /** Per-entry FD estimates of the entries the bisection isolated. */
  readonly estimate: GradientEstimate;
  /** Ranges whose mismatch was over budget while neither half's was (errors cancelling within them). */
  readonly unlocalised: readonly DirectionalEvidence[];
  /** Every directional comparison made, in order. */
  readonly trail: readonly DirectionalEvidence[];
  readonly evaluations: number;
}

/**
 * Bisects the mismatch of screen direction `direction` (for `seed`) down to single entries, starting
 * from the whole range (one more directional estimate, so the trail is self-contained). Halves that
 * are non-differentiable or unresolved are followed too (their mismatch is unknown); the per-entry
 * estimates at the leaves then classify them.
 */
export function localiseMismatch(objective: ScalarObjective, analytic: Tensor, options: { seed?: number; direction?: number; maxEntries?: number } = {}): Localisation {
  const seed = options.seed ?? 0;
  const direction = options.direction ?? 0;
  const maxEntries = options.maxEntries ?? MAX_LOCALISED_ENTRIES;
  assertClaimShape('localiseMismatch', objective.shape, analytic);
  const a = analytic.contiguous().data;
  const v = screenDirection(objective, seed, direction);
  const estimator = new DerivativeEstimator(1);
  const trail: DirectionalEvidence[] = [];
  const unlocalised: DirectionalEvidence[] = [];
  const leaves: number[] = [];
  let evaluations = 0;
  const compare = (start: number, end: number) => {
    const e = directionalEvidence(objective, a, v, direction, start, end, estimator);
    evaluations += estimator.evaluations;
    trail.push(e);
    return e;
  };
  const suspicious = (e: DirectionalEvidence) => e.status !== 'ok';
  const root = compare(0, objective.size);
  const stack: DirectionalEvidence[] = suspicious(root) ? [root] : [];
  while (stack.length > 0 && leaves.length < maxEntries) {
    const range = stack.pop()!;
    if (range.end - range.start === 1) {
      leaves.push(range.start);
      continue;
    }
    const mid = (range.start + range.end) >> 1;
    const left = compare(range.start, mid);
    const right = compare(mid, range.end);
    if (!suspicious(left) && !suspicious(right)) unlocalised.push(range);
    if (suspicious(right)) stack.push(right);
    if (suspicious(left)) stack.push(left);
  }
  const estimate = estimateGradient(objective, leaves.sort((x, y) => x - y));
  return { estimate, unlocalised, trail, evaluations: evaluations + estimate.evaluations };
}

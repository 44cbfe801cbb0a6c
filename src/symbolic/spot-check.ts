/**
 * The numeric side of every symbolic step: two expressions are compared at seeded random points of a
 * variable space. It confirms what an engine derived (a simplification, a residue of 0) and, when the
 * engines cannot decide, settles an equivalence on its own.
 */
import { Rng } from '../tensor/rng.js';
import { EPSILON } from '../fd/step.js';
import type { ScalarExpression } from './expression.js';
import type { VariablePoint, VariableSpace } from './space.js';

/**
 * Points per comparison. A residue that is not identically 0 is non-zero at almost every point of a
 * continuous distribution, so one point separates in principle; 24 guard against residues that are
 * small on much of the space (a mistake confined to one softmax entry, a term ≈ e^{-|z|}) and meet the
 * issue's floor of 20.
 */
export const SPOT_CHECK_POINTS = 24;

/**
 * Agreement tolerance, relative to the evaluation's scale s = max(1, largest |input or intermediate|
 * of either expression). Each operation rounds to within ε = 2^-52 of its result, so an expression of n
 * operations is off by at most ≈ n·ε·s (Higham, Accuracy and Stability, §3.1); 4 500·ε ≈ 1e-12 (the
 * issue's figure) covers n up to 4 500, five times the largest expression here (≈ 860 nodes, an
 * mlp2-mse residue). Measured over every derivative obligation (200 points × 5 seeds): equal
 * expressions differ by at most 1.0·ε·s, 2·10⁻⁴ of the tolerance. A real mistake (a factor, a sign, a
 * missing term) changes the value by a fraction of s, orders of magnitude above.
 */
export const SPOT_CHECK_RELATIVE_TOLERANCE = 4_500 * EPSILON;

/**
 * Draws allowed per requested point: points where both expressions are undefined (log of a negative
 * draw) are skipped and redrawn; if more than this many draws per point are undefined, the expressions
 * are undefined on most of the space and the check reports that instead of a verdict.
 */
export const DRAWS_PER_POINT = 4;

/** Sub-stream label of spot-check points in Rng.derive(seed, SPOT_CHECK_STREAM). */
export const SPOT_CHECK_STREAM = 0x5b07c4;

/** Both values at one point, with the tolerance that applied there. */
export interface PointEvidence {
  readonly point: VariablePoint;
  readonly reference: number;
  readonly claim: number;
  /** reference − claim (NaN when exactly one side is undefined there). */
  readonly difference: number;
  readonly tolerance: number;
}

export type SpotOutcome =
  /** Within tolerance at every point. */
  | 'agree'
  /** Beyond tolerance (or defined on one side only) at `counterexample`. */
  | 'differ'
  /** Undefined at too many draws to compare. */
  | 'undefined';

export interface SpotCheck {
  readonly outcome: SpotOutcome;
  /** Points compared. */
  readonly points: number;
  /** Draws skipped because both sides were undefined there. */
  readonly skipped: number;
  readonly seed: number;
  /** The point with the largest |difference| / tolerance among agreeing points. */
  readonly closest: PointEvidence | null;
  readonly counterexample: PointEvidence | null;
}

/** Compares `reference` and `claim` at `points` seeded points of the space (conditions applied). */
export function spotCheck(reference: ScalarExpression, claim: ScalarExpression, space: VariableSpace, seed: number, points = SPOT_CHECK_POINTS): SpotCheck {
  const rng = Rng.derive(seed, SPOT_CHECK_STREAM);
  const values = new Float64Array(space.variables.length);
  let compared = 0;
  let skipped = 0;
  let closest: PointEvidence | null = null;
  let closestRatio = -1;
  while (compared < points) {
    if (skipped > DRAWS_PER_POINT * points) return { outcome: 'undefined', points: compared, skipped, seed, closest, counterexample: null };
    const evidence = compareAt(reference, claim, space.draw(rng, values), space);
    if (evidence === null) {
      skipped++;
      continue;
    }
    compared++;
    if (!(Math.abs(evidence.difference) <= evidence.tolerance)) return { outcome: 'differ', points: compared, skipped, seed, closest, counterexample: evidence };
    const ratio = Math.abs(evidence.difference) / evidence.tolerance;
    if (ratio > closestRatio) {
      closestRatio = ratio;
      closest = evidence;
    }
  }
  return { outcome: 'agree', points: compared, skipped, seed, closest, counterexample: null };
}

/** Both expressions at one point; null when both are undefined there (not a point of either's domain). */
export function compareAt(reference: ScalarExpression, claim: ScalarExpression, values: ArrayLike<number>, space: VariableSpace): PointEvidence | null {
  const magnitude = { max: 1 };
  const r = reference.evaluateTracked(values, magnitude);
  const c = claim.evaluateTracked(values, magnitude);
  const rFinite = Number.isFinite(r);
  const cFinite = Number.isFinite(c);
  if (!rFinite && !cFinite) return null;
  const difference = rFinite && cFinite ? r - c : Number.NaN;
  return { point: space.pointOf(values), reference: r, claim: c, difference, tolerance: SPOT_CHECK_RELATIVE_TOLERANCE * magnitude.max };
}

/** What the two values of a PointEvidence are called in a message. */
export interface PointLabels {
  readonly reference: string;
  readonly claim: string;
}

/** One line for reports: 'z1 = 0.31, z2 = -1.2: reference 0.52, claim 0.48 (difference 0.04, tolerance 1.1e-12)'. */
export function describePoint(e: PointEvidence, labels: PointLabels = { reference: 'reference', claim: 'claim' }): string {
  const at = Object.entries(e.point)
    .map(([name, v]) => `${name} = ${format(v)}`)
    .join(', ');
  return `${at}: ${labels.reference} ${format(e.reference)}, ${labels.claim} ${format(e.claim)} (difference ${format(e.difference)}, tolerance ${e.tolerance.toExponential(1)})`;
}

function format(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);
}

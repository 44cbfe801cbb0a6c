/**
 * The numeric check of a derivative: a candidate ∂f/∂v (an engine's result, or a claim when the engines
 * fail) against the FD engine's Richardson estimates (src/fd) at seeded points of a variable space.
 */
import { type GradientEstimate, estimateGradient } from '../fd/estimate.js';
import { functionObjective } from '../fd/objective.js';
import { verdictFor } from '../fd/verdict.js';
import { Rng } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { SymbolicArgumentError } from './errors.js';
import type { ScalarExpression } from './expression.js';
import type { VariableSpace } from './space.js';
import { DRAWS_PER_POINT, type PointEvidence, type SpotOutcome, SPOT_CHECK_POINTS } from './spot-check.js';

/** Sub-stream label of the points a derivative is checked at, Rng.derive(seed, DERIVATIVE_CHECK_STREAM). */
export const DERIVATIVE_CHECK_STREAM = 0xd3e1f0;

export interface DerivativeCheck {
  /** 'undefined': f undefined, or FD unable to resolve the derivative, at too many draws. */
  readonly outcome: SpotOutcome;
  /** Points where the candidate was within budget. */
  readonly points: number;
  readonly seed: number;
  /** reference = FD estimate, claim = candidate, tolerance = the FD verdict's budget. */
  readonly counterexample: PointEvidence | null;
}

/**
 * Compares candidate(x) with the FD estimate of ∂f/∂wrt at `points` seeded points. A point agrees when the
 * candidate is within the FD verdict's budget (src/fd/verdict.ts: 4× the Richardson error bound plus
 * round-off); points where f is undefined or FD cannot resolve the derivative (a kink, wide error bars)
 * are redrawn, DRAWS_PER_POINT per point at most.
 */
export function compareWithFd(forward: ScalarExpression, wrt: string, candidate: ScalarExpression, space: VariableSpace, seed: number, points = SPOT_CHECK_POINTS): DerivativeCheck {
  const n = forward.variables.length;
  const k = forward.variables.indexOf(wrt);
  if (k < 0) throw new SymbolicArgumentError('compareWithFd', `'${wrt}' is not a variable of the forward expression`, `differentiate with respect to one of ${forward.variables.join(', ')}`);
  const rng = Rng.derive(seed, DERIVATIVE_CHECK_STREAM);
  const values = new Float64Array(n);
  let agreed = 0;
  for (let draws = 0; agreed < points && draws < DRAWS_PER_POINT * points; draws++) {
    space.draw(rng, values);
    if (!Number.isFinite(forward.evaluate(values))) continue;
    const estimate = fdEstimateAt(forward, wrt, values);
    const analytic = Tensor.zeros([n]);
    analytic.data[k] = candidate.evaluate(values);
    const verdict = verdictFor(estimate, analytic, [n], { mode: 'sampled', seed, worst: 1 });
    if (verdict.status === 'fail') {
      const e = verdict.worst[0]!;
      const counterexample = { point: space.pointOf(values), reference: e.numeric, claim: e.analytic, difference: e.numeric - e.analytic, tolerance: e.budget };
      return { outcome: 'differ', points: agreed, seed, counterexample };
    }
    if (verdict.status === 'pass') agreed++;
  }
  return { outcome: agreed < points ? 'undefined' : 'agree', points: agreed, seed, counterexample: null };
}

/** FD estimate (value, error bound, status) of ∂forward/∂wrt at one point (values ordered as forward.variables). */
export function fdEstimateAt(forward: ScalarExpression, wrt: string, values: ArrayLike<number>): GradientEstimate {
  const x = new Tensor(Float64Array.from(values), [forward.variables.length]);
  return estimateGradient(functionObjective((t) => forward.evaluate(t.data), x), [forward.variables.indexOf(wrt)]);
}

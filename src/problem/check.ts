/**
 * One sample of one claim: draw inputs at (dims, seed), evaluate the forward graph and the claimed
 * formula, and compare with the ground truth (FD gradient, FD Jacobian, or the target's reference).
 */
import { checkGradient, resampleWhileNonDifferentiable } from '../fd/check.js';
import type { GradientEstimate } from '../fd/estimate.js';
import { jacobian } from '../fd/jacobian.js';
import { type GradientVerdict, verdictFor } from '../fd/verdict.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Claim } from './claim.js';
import { sampleInputs } from './sample.js';
import type { Dims, GradientTarget, JacobianTarget, Problem, Target, ValueTarget } from './types.js';

/** Where a sample lives: the sizes and the seed its inputs are drawn from. */
export interface SampleCase {
  readonly dims: Dims;
  readonly seed: number;
}

export interface SampleCheck {
  /** The case whose verdict this is (after resampling a non-differentiable draw, its seed is the last one tried). */
  readonly sample: SampleCase;
  /** Seeds tried: more than one when earlier draws put a kink within the FD step. */
  readonly seedsTried: readonly number[];
  readonly verdict: GradientVerdict;
  /** Inputs of the sample (for counterexample reports). */
  readonly inputs: Readonly<Record<string, Tensor>>;
}

/** Entries the verdict lists as the worst: enough to show a pattern, few enough to read. */
const WORST_ENTRIES = 5;

/** Checks `claim` for `target` at one sample; draws again (derived seeds) while the sample is non-differentiable. */
export function checkOnSample(problem: Problem, target: Target, claim: Claim, sample: SampleCase): SampleCheck {
  let inputs: Record<string, Tensor> = {};
  const { result, seeds } = resampleWhileNonDifferentiable(
    (seed) => {
      inputs = sampleInputs(problem, sample.dims, seed);
      return verdictAt(problem, target, claim, sample.dims, seed, inputs);
    },
    { seed: sample.seed },
  );
  return { sample: { dims: sample.dims, seed: seeds[seeds.length - 1]! }, seedsTried: seeds, verdict: result, inputs };
}

/** The verdict of `claim` at given inputs (no resampling): for `eval` on a worked example. */
export function verdictAt(problem: Problem, target: Target, claim: Claim, dims: Dims, seed: number, inputs: Record<string, Tensor>): GradientVerdict {
  switch (target.kind) {
    case 'gradient':
      return gradientVerdict(problem, target, claim, dims, seed, inputs);
    case 'jacobian':
      return jacobianVerdict(problem, target, claim, dims, seed, inputs);
    case 'value':
      return valueVerdict(problem, target, claim, dims, seed, inputs);
  }
}

function gradientVerdict(problem: Problem, target: GradientTarget, claim: Claim, dims: Dims, seed: number, inputs: Record<string, Tensor>): GradientVerdict {
  const graph = problem.forward(dims);
  const values = graph.evaluate(inputs);
  const analytic = claim.evaluate(values, dims);
  const objective = graph.objective(target.wrt, inputs);
  return checkGradient(objective, analytic, { mode: 'full', seed, worst: WORST_ENTRIES });
}

function jacobianVerdict(problem: Problem, target: JacobianTarget, claim: Claim, dims: Dims, seed: number, inputs: Record<string, Tensor>): GradientVerdict {
  const graph = problem.forward(dims);
  const values = graph.evaluate(inputs);
  const analytic = claim.evaluate(values, dims);
  const estimate = jacobian(graph.restrict(target.wrt, inputs, target.of), values[target.wrt]!.clone());
  return verdictFor(asGradientEstimate(estimate.value, estimate.error, estimate.status, estimate.evaluations), analytic, estimate.value.shape, {
    mode: 'full',
    seed,
    worst: WORST_ENTRIES,
  });
}

/** A value target's reference is exact up to `tolerance`·max(1, |reference|), which plays the FD error bound's part. */
function valueVerdict(problem: Problem, target: ValueTarget, claim: Claim, dims: Dims, seed: number, inputs: Record<string, Tensor>): GradientVerdict {
  const values = problem.forward(dims).evaluate(inputs);
  const reference = target.reference(dims, values).contiguous();
  const analytic = claim.evaluate(values, dims);
  const error = reference.data.map((r) => target.tolerance * Math.max(1, Math.abs(r)));
  const status = Array.from(reference.data, () => 'smooth' as const);
  return verdictFor(asGradientEstimate(reference, error, status, 0), analytic, reference.shape, { mode: 'full', seed, worst: WORST_ENTRIES });
}

function asGradientEstimate(value: Tensor, error: Tensor | Float64Array, status: readonly GradientEstimate['status'][number][], evaluations: number): GradientEstimate {
  const v = value.contiguous().data;
  return {
    indices: Int32Array.from({ length: v.length }, (_, i) => i),
    value: v,
    error: error instanceof Float64Array ? error : error.contiguous().data,
    status: [...status],
    evaluations,
  };
}

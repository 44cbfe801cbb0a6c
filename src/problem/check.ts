/**
 * One sample of one claim: draw inputs at (dims, seed), evaluate the forward graph and the claimed
 * formula, and compare with the ground truth (FD gradient, FD Jacobian, or the target's reference).
 */
import { SAMPLE_STREAM, resampleWhileNonDifferentiable } from '../fd/check.js';
import { type GradientEstimate, estimateGradient, sampleEntries } from '../fd/estimate.js';
import { jacobian } from '../fd/jacobian.js';
import { type GradientVerdict, verdictFor } from '../fd/verdict.js';
import { ShapeError } from '../tensor/errors.js';
import { Rng } from '../tensor/rng.js';
import { type Tensor, sameShape } from '../tensor/tensor.js';
import type { Claim } from './claim.js';
import { sampleInputs, withAdmissibleDraw } from './sample.js';
import type { Dims, Problem, Target } from './types.js';

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
  /** The ground truth at the sample, and the claim's value there. */
  readonly truth: GroundTruth;
  readonly value: Tensor;
  /** False when the forward's output is NaN or ±Inf at the sample: the inputs lie outside its domain. */
  readonly outputFinite: boolean;
}

/** Entries the verdict lists as the worst: enough to show a pattern, few enough to read. */
const WORST_ENTRIES = 5;

/** The inputs of a sample and the ground truth there; a cache can stand in for the computation (the grader's). */
export type TruthAt = (dims: Dims, seed: number) => { readonly truth: GroundTruth; readonly inputs: Readonly<Record<string, Tensor>> };

/**
 * Checks `claim` for `target` at one sample; draws again (derived seeds) while the sample is
 * non-differentiable. `truthAt` computes the ground truth of a draw (default: sample and evaluate).
 */
export function checkOnSample(problem: Problem, target: Target, claim: Claim, sample: SampleCase, truthAt?: TruthAt): SampleCheck {
  const at: TruthAt =
    truthAt ??
    ((dims, seed) => {
      const inputs = sampleInputs(problem, dims, seed);
      return { truth: groundTruth(problem, target, dims, inputs), inputs };
    });
  let drawn: ReturnType<TruthAt> | undefined;
  let value: Tensor | undefined;
  let drawnSeed = sample.seed;
  const { result, seeds } = resampleWhileNonDifferentiable(
    // A draw outside a function's domain (a singular matrix) is replaced by another (sample.ts).
    (seed) =>
      withAdmissibleDraw(seed, (s) => {
        drawn = at(sample.dims, s);
        drawnSeed = s;
        value = claim.evaluate(drawn.truth.values, sample.dims);
        return verdictAgainst(drawn.truth, value, s);
      }),
    { seed: sample.seed },
  );
  return {
    sample: { dims: sample.dims, seed: drawnSeed },
    seedsTried: seeds,
    verdict: result,
    inputs: drawn!.inputs,
    truth: drawn!.truth,
    value: value!,
    outputFinite: drawn!.truth.outputFinite,
  };
}

/**
 * The ground truth of a target at given inputs: FD estimates (gradient or Jacobian, every entry, with
 * error bounds) or the target's reference, and the forward values that formulas may read.
 */
export interface GroundTruth {
  readonly estimate: GradientEstimate;
  /** Shape of the target's value (a Jacobian is [of.size, wrt.size]). */
  readonly shape: readonly number[];
  /** Inputs and every node of the forward graph at the sample. */
  readonly values: Readonly<Record<string, Tensor>>;
  /** Every entry of the forward's output is finite. */
  readonly outputFinite: boolean;
}

/**
 * Which entries FD estimates: at most `entries` of them, drawn at random from the sample's `seed`
 * (src/fd/check.ts's sampled mode draws them the same way); every entry when the tensor is not larger.
 */
export interface EntrySampling {
  readonly entries: number;
  readonly seed: number;
}

export function groundTruth(problem: Problem, target: Target, dims: Dims, inputs: Record<string, Tensor>, sampling?: EntrySampling): GroundTruth {
  const graph = problem.forward(dims);
  const values = graph.evaluate(inputs);
  const outputFinite = values[graph.output]!.toArray().every(Number.isFinite);
  switch (target.kind) {
    case 'gradient': {
      const objective = graph.objective(target.wrt, inputs);
      const subset = sampling && objective.size > sampling.entries ? sampleEntries(objective.size, sampling.entries, Rng.derive(sampling.seed, SAMPLE_STREAM)) : undefined;
      const estimate = estimateGradient(objective, subset);
      return { estimate, shape: objective.shape, values, outputFinite };
    }
    case 'jacobian': {
      const j = jacobian(graph.restrict(target.wrt, inputs, target.of), values[target.wrt]!.clone());
      return { estimate: asGradientEstimate(j.value, j.error, j.roundoff.contiguous().data, j.status, j.evaluations), shape: j.value.shape, values, outputFinite };
    }
    case 'value': {
      // A value target's reference is exact up to tolerance·max(1, |reference|), which plays the FD error
      // bound's part (and its round-off part: it is the reference's own resolution).
      const reference = target.reference(dims, values).contiguous();
      const error = reference.data.map((r) => target.tolerance * Math.max(1, Math.abs(r)));
      const status = Array.from(reference.data, () => 'smooth' as const);
      return { estimate: asGradientEstimate(reference, error, error, status, 0), shape: reference.shape, values, outputFinite };
    }
  }
}

/** Compares a formula's value with the ground truth; a value of the wrong concrete shape is a ShapeError. */
export function verdictAgainst(truth: GroundTruth, analytic: Tensor, seed: number): GradientVerdict {
  if (!sameShape(analytic.shape, truth.shape)) {
    throw new ShapeError('claimed value', [truth.shape, analytic.shape], 'the formula gives a value of another shape than the target');
  }
  return verdictFor(truth.estimate, analytic, truth.shape, { mode: 'full', seed, worst: WORST_ENTRIES });
}

/** The verdict of `claim` at given inputs (no resampling). */
export function verdictAt(problem: Problem, target: Target, claim: Claim, dims: Dims, seed: number, inputs: Record<string, Tensor>): GradientVerdict {
  const truth = groundTruth(problem, target, dims, inputs);
  return verdictAgainst(truth, claim.evaluate(truth.values, dims), seed);
}

function asGradientEstimate(value: Tensor, error: Tensor | Float64Array, roundoff: Float64Array, status: readonly GradientEstimate['status'][number][], evaluations: number): GradientEstimate {
  const v = value.contiguous().data;
  return {
    indices: Int32Array.from({ length: v.length }, (_, i) => i),
    value: v,
    error: error instanceof Float64Array ? error : error.contiguous().data,
    roundoff,
    status: [...status],
    evaluations,
  };
}

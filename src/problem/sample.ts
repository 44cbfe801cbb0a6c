import { nameRecord, ownValue } from '../names/records.js';
import { FormulaDomainError } from '../formula/errors.js';
import { sampleMatrix } from '../tensor/random-matrices.js';
import { Rng, sample } from '../tensor/rng.js';
import { DomainError, TensorArgumentError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensorSize } from './sample-size.js';
import { concreteShape } from './shapes.js';
import type { Dims, Domain, Problem } from './types.js';

/** Draws one input tensor from its domain. */
export function sampleDomain(domain: Domain, shape: readonly number[], dims: Dims, rng: Rng): Tensor {
  switch (domain.kind) {
    case 'normal':
      return sample.normal(rng, shape, 0, domain.std ?? 1);
    case 'uniform':
      return sample.uniform(rng, shape, domain.lo, domain.hi);
    case 'positive':
      return sample.positive(rng, shape);
    case 'awayFromZero':
      return sample.awayFromZero(rng, shape, domain.margin);
    case 'simplex': {
      const axis = domain.axis ?? shape.length - 1;
      if (axis === shape.length - 1) return sample.simplexRows(rng, shape);
      // Draw along the last axis of the permuted shape, then move that axis into place.
      const perm = shape.map((_, i) => i).filter((i) => i !== axis).concat(axis);
      const drawn = sample.simplexRows(rng, perm.map((i) => shape[i]!));
      const inverse = perm.map((_, i) => perm.indexOf(i));
      return drawn.transpose(inverse).contiguous();
    }
    case 'labels': {
      const k = typeof domain.classes === 'number' ? domain.classes : ownValue(dims, domain.classes);
      if (k === undefined) throw new TensorArgumentError('labels', `the class count ${domain.classes} is not a dimension`);
      return sample.labels(rng, shape, k);
    }
    case 'symmetric':
      return sampleMatrix.symmetric(rng, shape);
    case 'spd':
      return sampleMatrix.spd(rng, shape);
    case 'orthogonal':
      return sampleMatrix.orthogonal(rng, shape);
    case 'binary':
      return sample.binary(rng, shape);
    case 'pm1':
      return sample.signs(rng, shape);
  }
}

/** Sub-stream label of the redraws of an inadmissible draw: Rng.derive(seed, ADMISSIBLE_STREAM, attempt). */
export const ADMISSIBLE_STREAM = 0xad3155;

/**
 * Draws tried before an inadmissible one is kept. Problems declare `admissible` for draws that happen by
 * chance (every one of K ReLU units off: probability about 2^-K), so 8 draws leave at most 2^-8 of the
 * K = 1 cases; the last draw is kept either way, and its verdict says 'undecided' instead of hiding it.
 */
export const ADMISSIBLE_ATTEMPTS = 8;

/**
 * Inputs of one random sample. Input i is drawn from the sub-stream Rng.derive(seed, i), so adding an
 * input to a problem does not change the values of the others at the same seed. A draw the problem
 * finds inadmissible is replaced by one from a derived seed: the same seed still gives the same inputs.
 */
export function sampleInputs(problem: Problem, dims: Dims, seed: number): Record<string, Tensor> {
  let values = drawInputs(problem, dims, seed);
  const admissible = problem.admissible;
  if (!admissible) return values;
  const graph = problem.forward(dims);
  for (let attempt = 1; attempt < ADMISSIBLE_ATTEMPTS && !admissible(graph.evaluate(values), dims); attempt++) {
    values = drawInputs(problem, dims, Rng.derive(seed, ADMISSIBLE_STREAM, attempt).seed);
  }
  return values;
}

function drawInputs(problem: Problem, dims: Dims, seed: number): Record<string, Tensor> {
  const values = nameRecord<Tensor>();
  problem.inputs.forEach((input, i) => {
    const shape = concreteShape(input.shape, dims, input.name);
    assertTensorSize(input.name, shape, dims);
    values[input.name] = sampleDomain(input.domain, shape, dims, Rng.derive(seed, i));
  });
  return values;
}

/**
 * A draw outside a function's domain: a singular matrix for inv or solve, one that is not positive
 * definite for chol (a typed DomainError from the tensor core, or a formula's FormulaDomainError). Such
 * a draw says nothing about a claim, so it is replaced, never graded.
 */
export function isInadmissibleDraw(err: unknown): boolean {
  return err instanceof FormulaDomainError || err instanceof DomainError;
}

/**
 * `attempt` at `seed`, and while it throws an inadmissible-draw error, at seeds derived from it
 * (Rng.derive(seed, ADMISSIBLE_STREAM, k)), so the same seed still gives the same draws. When all
 * ADMISSIBLE_ATTEMPTS draws are inadmissible the inputs' domains are wrong for the formula (a random
 * normal matrix for chol, a rank-deficient product for inv): the last error is thrown, saying so.
 */
export function withAdmissibleDraw<T>(seed: number, attempt: (seed: number) => T): T {
  for (let k = 0; ; k++) {
    try {
      return attempt(k === 0 ? seed : Rng.derive(seed, ADMISSIBLE_STREAM, k).seed);
    } catch (err) {
      if (!isInadmissibleDraw(err)) throw err;
      if (k + 1 < ADMISSIBLE_ATTEMPTS) continue;
      if (!(err instanceof FormulaDomainError) || err.position === undefined || err.source === undefined) throw err;
      throw new FormulaDomainError(
        `${err.what} (on each of ${ADMISSIBLE_ATTEMPTS} draws)`,
        { text: err.source, span: { start: err.position.offset, end: err.position.end } },
        'the inputs are drawn outside the function\'s domain every time: give them a domain that fits it (spd for chol, logdet or inv of a symmetric matrix; uniform or positive values away from singular points)',
        { cause: err },
      );
    }
  }
}

import { Rng, sample } from '../tensor/rng.js';
import { TensorArgumentError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
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
      const k = dims[domain.classes];
      if (k === undefined) throw new TensorArgumentError('labels', `the class count ${domain.classes} is not a dimension`);
      return sample.labels(rng, shape, k);
    }
  }
}

/**
 * Inputs of one random sample. Input i is drawn from the sub-stream Rng.derive(seed, i), so adding an
 * input to a problem does not change the values of the others at the same seed.
 */
export function sampleInputs(problem: Problem, dims: Dims, seed: number): Record<string, Tensor> {
  const values: Record<string, Tensor> = {};
  problem.inputs.forEach((input, i) => {
    const shape = concreteShape(input.shape, dims, input.name);
    values[input.name] = sampleDomain(input.domain, shape, dims, Rng.derive(seed, i));
  });
  return values;
}

/**
 * Softmax cross-entropy, rows are samples: the question file problems/softmax-ce.yaml, and the property
 * its data cannot say. The closed form softmax(z, 2) − p relies on each row of p summing to 1; drawn off
 * the simplex, the true gradient is softmax(z, 2) .* sum(p, 2) − p, and the property says the closed
 * form then fails (expected: fails), checked against FD of the file's own forward.
 */
import fc from 'fast-check';
import { checkGradient } from '../src/fd/check.js';
import type { Dims, Problem, Property } from '../src/problem/types.js';
import { sub } from '../src/tensor/broadcast.js';
import { sum } from '../src/tensor/reduce.js';
import { Rng, sample } from '../src/tensor/rng.js';
import { softmax } from '../src/tensor/softmax.js';
import { shippedQuestion } from './shipped.js';

/**
 * Sizes of the property's search: any sizes 1..4 (distinct sizes matter for transposition mistakes, not
 * here), so shrinking can reach the smallest case, one sample of one class.
 */
const PROPERTY_DIMS = fc.record({ B: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 4 }) });
const PROPERTY_SEED_RANGE = 0x7fffffff;

/**
 * softmax(z) − p against FD of the loss at z ~ N(0, 1) and p drawn positive but not normalised: the
 * closed form relies on Σ_k p[b,k] = 1, and without it the true gradient is softmax(z)·Σ_k p[b,k] − p.
 */
function closedFormNeedsSimplex(question: Problem): Property {
  const holds = (c: unknown): true | string => {
    const { dims, seed } = c as { dims: Dims; seed: number };
    const shape = [dims['B']!, dims['K']!];
    const z = sample.normal(Rng.derive(seed, 0), shape);
    const p = sample.positive(Rng.derive(seed, 1), shape);
    const claimed = sub(softmax(z, 1), p);
    const verdict = checkGradient(question.forward(dims).objective('z', { z, p }), claimed, { mode: 'full', seed });
    if (verdict.status === 'pass') return true;
    const rowSums = Array.from(sum(p, 1).data, (v) => v.toPrecision(4)).join(', ');
    return `softmax(z,2) − p is ${verdict.status} at dims ${JSON.stringify(dims)}, seed ${seed} (row sums of p: ${rowSums}; max rel err ${verdict.maxRelError.toExponential(2)})`;
  };
  return {
    name: 'closed-form-needs-simplex',
    statement: 'softmax(z, 2) − p is the gradient even when the rows of p do not sum to 1 (false: the gradient is softmax(z, 2) .* sum(p, 2) − p)',
    expected: 'fails',
    arbitrary: fc.record({ dims: PROPERTY_DIMS, seed: fc.integer({ min: 0, max: PROPERTY_SEED_RANGE }) }),
    holds,
  };
}

export const softmaxCe: Problem = shippedQuestion('softmax-ce', { properties: (question) => [closedFormNeedsSimplex(question)] });

/**
 * The code module softmax-ce was before it became a question file (problems/softmax-ce.yaml, with its property in
 * problems/softmax-ce.ts): the baseline bench/questions.ts measures the question file against. Not in the
 * registry.
 *
 * Softmax cross-entropy, rows are samples: L = −Σ p .* log softmax(z, 2) with z B×K logits and p B×K
 * targets whose rows lie on the probability simplex. dz = softmax(z, 2) − p, because each row of p sums
 * to 1; for any other p the gradient is softmax(z, 2) .* sum(p, 2) − p (the property below).
 */
import fc from 'fast-check';
import { checkGradient } from '../../src/fd/check.js';
import { Graph, type GraphNode } from '../../src/fd/graph.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Dims, Problem } from '../../src/problem/types.js';
import { mul, sub } from '../../src/tensor/broadcast.js';
import { sum } from '../../src/tensor/reduce.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { logSoftmax, softmax } from '../../src/tensor/softmax.js';
import { Tensor } from '../../src/tensor/tensor.js';

/**
 * Softmax cross-entropy of logits `z` against targets `p` along the 0-based `axis`:
 *   s    = softmax(z)                a side node, so formulas may name it (the loss does not go through it);
 *   logS = log softmax(z)            computed as z − logsumexp(z): log(s) would lose every digit where s underflows;
 *   L    = −scale · Σ p .* logS      scale 1 for a sum over samples, 1/B for a mean.
 */
export function softmaxCrossEntropyNodes(z: string, p: string, axis: number, scale = 1): GraphNode[] {
  return [
    { name: 's', args: [z], op: (zv) => softmax(zv!, axis) },
    { name: 'logS', args: [z], op: (zv) => logSoftmax(zv!, axis) },
    { name: 'L', args: [p, 'logS'], op: (pv, logS) => Tensor.scalar(-scale * sum(mul(pv!, logS!)).item()) },
  ];
}

function softmaxCeGraph(): Graph {
  return new Graph({ inputs: ['z', 'p'], nodes: softmaxCrossEntropyNodes('z', 'p', 1), output: 'L' });
}

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
function closedFormWithoutSimplex(c: unknown): true | string {
  const { dims, seed } = c as { dims: Dims; seed: number };
  const shape = [dims['B']!, dims['K']!];
  const z = sample.normal(Rng.derive(seed, 0), shape);
  const p = sample.positive(Rng.derive(seed, 1), shape);
  const claimed = sub(softmax(z, 1), p);
  const verdict = checkGradient(softmaxCeGraph().objective('z', { z, p }), claimed, { mode: 'full', seed });
  if (verdict.status === 'pass') return true;
  const rowSums = Array.from(sum(p, 1).data, (v) => v.toPrecision(4)).join(', ');
  return `softmax(z,2) − p is ${verdict.status} at dims ${JSON.stringify(dims)}, seed ${seed} (row sums of p: ${rowSums}; max rel err ${verdict.maxRelError.toExponential(2)})`;
}

export const softmaxCe: Problem = {
  id: 'softmax-ce',
  title: 'Softmax cross-entropy, rows are samples',
  statement: 'L = −Σ p .* log softmax(z, 2) with z B×K logits and p B×K probability rows; derive dz.',

  dims: { names: ['B', 'K'], arbitrary: dimsArbitrary(['B', 'K']) },

  inputs: [
    { name: 'z', shape: ['B', 'K'], domain: { kind: 'normal' }, role: 'data', description: 'logits, one row per sample' },
    { name: 'p', shape: ['B', 'K'], domain: { kind: 'simplex', axis: 1 }, role: 'data', description: 'target distributions, each row on the probability simplex' },
  ],
  classAxis: 2,
  intermediates: [{ name: 's', shape: ['B', 'K'], description: 'the predicted distributions softmax(z, 2), one row per sample' }],

  forward: softmaxCeGraph,

  targets: [
    {
      kind: 'gradient',
      name: 'dz',
      wrt: 'z',
      description: '∂L/∂z',
      shape: ['B', 'K'],
      closedForms: [
        { formula: 'softmax(z, 2) - p', style: 'whole-tensor' },
        { formula: 's - p', style: 'whole-tensor, named softmax' },
        { formula: 'softmax(z, 2) .* sum(p, 2) - p', style: 'whole-tensor, general form (any p ≥ 0)' },
        { formula: 'dz[b,k] = exp(z[b,k]) / sum(exp(z[b,j]), j) - p[b,k]', style: 'index notation' },
        { formula: '\\operatorname{softmax}(z, 2) - p', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial z} = \\operatorname{softmax}(z) - p',
      mistakes: [
        { label: 'sign', formula: 'p - softmax(z, 2)', why: 'raising the logit of a class lowers the loss only by its target mass: dz = s − p, not p − s' },
        { label: 'wrong-value', formula: 'softmax(z, 1) - p', why: 'softmax is taken along each row (over the K classes of one sample), not down the columns' },
        { label: 'mean-vs-sum', formula: '(softmax(z, 2) - p) / B', why: 'L sums over the B samples; there is no 1/B unless the loss is a mean' },
        { label: 'missing-term', formula: '-p ./ softmax(z, 2)', why: 'this is ∂L/∂s; the softmax Jacobian diag(s) − s sᵀ still has to be applied to reach z' },
        { label: 'missing-term', formula: 'softmax(z, 2)', why: 'the target term −p (from the derivative of −Σ p .* z) is dropped' },
        { label: 'transposed', formula: "(softmax(z, 2) - p)'", why: 'dz has the shape of z (B×K); the transpose is K×B' },
      ],
    },
  ],

  properties: [
    {
      name: 'closed-form-needs-simplex',
      statement: 'softmax(z, 2) − p is the gradient even when the rows of p do not sum to 1 (false: the gradient is softmax(z, 2) .* sum(p, 2) − p)',
      expected: 'fails',
      arbitrary: fc.record({ dims: PROPERTY_DIMS, seed: fc.integer({ min: 0, max: PROPERTY_SEED_RANGE }) }),
      holds: closedFormWithoutSimplex,
    },
  ],

  examples: [
    {
      name: 'softmax-ce-2x3',
      description: 'two samples, three classes: a one-hot target and a soft target',
      dims: { B: 2, K: 3 },
      inputs: {
        z: [[1, 2, 3], [0, 0, 0]],
        p: [[0, 0, 1], [0.5, 0.25, 0.25]],
      },
    },
  ],
};

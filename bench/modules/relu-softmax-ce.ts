/**
 * The code module relu-softmax-ce was before it became a question file (problems/relu-softmax-ce.yaml): the baseline
 * bench/questions.ts measures the question file against. Not in the registry.
 *
 * One ReLU layer into softmax cross-entropy, one sample as a column: q = W x + b, z = relu(q),
 * L = −Σ p .* log softmax(z). dz = s − p, and through the ReLU dq = dz .* (q > 0), so
 * dW = dq xᵀ and db = dq.
 */
import { Graph } from '../../src/fd/graph.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Problem } from '../../src/problem/types.js';
import { add } from '../../src/tensor/broadcast.js';
import { matmul } from '../../src/tensor/matmul.js';
import { reluNode } from './relu.js';
import { softmaxCrossEntropyNodes } from './softmax-ce.js';

export const reluSoftmaxCe: Problem = {
  id: 'relu-softmax-ce',
  title: 'ReLU layer into softmax cross-entropy, one sample',
  statement: 'q = W x + b, z = relu(q), L = −Σ p .* log softmax(z) with x N×1, W K×N, b K×1, p K×1 on the simplex; derive dz, dW and db.',

  // Upper-case names keep the lower-case letters free as index names (dW[k,n] needs k and n unbound).
  dims: { names: ['N', 'K'], arbitrary: dimsArbitrary(['N', 'K']) },

  inputs: [
    { name: 'x', shape: ['N', 1], domain: { kind: 'normal' }, role: 'data', description: 'the input sample, a column' },
    { name: 'W', shape: ['K', 'N'], domain: { kind: 'normal' }, role: 'parameter', description: 'weights' },
    { name: 'b', shape: ['K', 1], domain: { kind: 'normal' }, role: 'parameter', description: 'bias, a column' },
    { name: 'p', shape: ['K', 1], domain: { kind: 'simplex', axis: 0 }, role: 'data', description: 'the target distribution over the K classes' },
  ],
  intermediates: [
    { name: 'q', shape: ['K', 1], description: 'the pre-activation W x + b' },
    { name: 'z', shape: ['K', 1], description: 'the activation relu(q): the logits of the softmax' },
    { name: 's', shape: ['K', 1], description: 'the predicted distribution softmax(z)' },
  ],

  // q can land near 0 whatever the inputs' domains; the relu node declares its pieces, so such a draw is
  // reported non-differentiable (and redrawn) instead of producing an FD estimate across the kink.
  forward: () =>
    new Graph({
      inputs: ['x', 'W', 'b', 'p'],
      nodes: [
        { name: 'q', args: ['W', 'x', 'b'], op: (W, x, b) => add(matmul(W!, x!), b!) },
        reluNode('z', 'q'),
        ...softmaxCrossEntropyNodes('z', 'p', 0),
      ],
      output: 'L',
    }),
  // A draw with every unit off (q < 0 everywhere, probability about 2^-K) has dW = 0 and db = 0
  // identically: no formula can be told from another there, so it is redrawn.
  admissible: (values) => values['q']!.data.some((v) => v > 0),

  targets: [
    {
      kind: 'gradient',
      name: 'dz',
      wrt: 'z',
      description: '∂L/∂z (the gradient at the softmax input, after the ReLU)',
      shape: ['K', 1],
      closedForms: [
        { formula: 's - p', style: 'whole-tensor' },
        { formula: 'softmax(z, 1) - p', style: 'whole-tensor, softmax written out' },
        { formula: 'dz[i,j] = exp(z[i,j]) / sum(exp(z[m,j]), m) - p[i,j]', style: 'index notation (j runs over the one column)' },
        { formula: '\\operatorname{softmax}(z, 1) - p', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial z} = \\operatorname{softmax}(z) - p',
      mistakes: [
        { label: 'sign', formula: 'p - s', why: 'dz = s − p: the loss falls when the logit of a class with target mass above its prediction rises' },
        { label: 'wrong-value', formula: '(s - p) .* (q > 0)', why: "the ReLU mask belongs to dq = ∂L/∂q; z is after the ReLU, where L is smooth" },
        { label: 'missing-term', formula: '-p ./ s', why: 'this is ∂L/∂s; the softmax Jacobian diag(s) − s sᵀ still has to be applied to reach z' },
        { label: 'transposed', formula: "(s - p)'", why: 'dz has the shape of z (K×1); the transpose is a row' },
        { label: 'mean-vs-sum', formula: '(s - p) / K', why: 'the loss sums over the classes; there is no 1/K' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dW',
      wrt: 'W',
      description: '∂L/∂W',
      shape: ['K', 'N'],
      closedForms: [
        { formula: "((s - p) .* (q > 0)) * x'", style: 'whole-tensor' },
        { formula: "((s - p) .* (z > 0)) * x'", style: 'whole-tensor, mask read off the activation' },
        { formula: 'dW[i,j] = (s[i,1] - p[i,1]) * (q[i,1] > 0) * x[j,1]', style: 'index notation' },
        { formula: '\\left( (s - p) \\odot \\mathbb{1}[q > 0] \\right) x^{\\top}', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial W} = \\left( (s - p) \\odot \\mathbb{1}[q > 0] \\right) x^{\\top}',
      mistakes: [
        { label: 'missing-sigma-prime', formula: "(s - p) * x'", why: "the ReLU derivative (q > 0) is dropped: rows of units with q < 0 must be 0" },
        { label: 'transposed', formula: "x * ((s - p) .* (q > 0))'", why: 'this is dWᵀ (N×K); dW has the shape of W (K×N)' },
        { label: 'sign', formula: "((p - s) .* (q > 0)) * x'", why: 'dz = s − p, not p − s' },
        { label: 'wrong-value', formula: "((s - p) .* q) * x'", why: "multiplies by the pre-activation q instead of relu'(q) = (q > 0)" },
        { label: 'index-shift', formula: 'dW[i,j] = (s[i,1] - p[i,1]) * (q[i,1] > 0) * x[j+1,1]', why: 'entry (i,j) of W multiplies x[j], not its neighbour' },
      ],
    },
    {
      kind: 'gradient',
      name: 'db',
      wrt: 'b',
      description: '∂L/∂b',
      shape: ['K', 1],
      closedForms: [
        { formula: '(s - p) .* (q > 0)', style: 'whole-tensor' },
        { formula: 'db[i,j] = (s[i,j] - p[i,j]) * (q[i,j] > 0)', style: 'index notation (j runs over the one column)' },
        { formula: '(s - p) \\odot \\mathbb{1}[q > 0]', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial b} = (s - p) \\odot \\mathbb{1}[q > 0]',
      mistakes: [
        { label: 'missing-sigma-prime', formula: 's - p', why: "this is dz; the bias enters before the ReLU, so the mask (q > 0) applies" },
        { label: 'sign', formula: '(p - s) .* (q > 0)', why: 'dz = s − p, not p − s' },
        { label: 'transposed', formula: "((s - p) .* (q > 0))'", why: 'db has the shape of b (K×1); the transpose is a row' },
        { label: 'missing-term', formula: 's .* (q > 0)', why: 'the target term −p is dropped' },
        { label: 'wrong-value', formula: "((s - p) .* (q > 0)) * x'", why: 'this is dW; b enters q with coefficient 1, so there is no factor xᵀ' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'relu-softmax-step',
      description: 'x = [1; 1], W = [1 0; 0 −1], b = 0, p = [0.3; 0.7]: q = [1; −1], so the second unit is off; one SGD step with lr 0.02',
      dims: { N: 2, K: 2 },
      inputs: {
        x: [[1], [1]],
        W: [[1, 0], [0, -1]],
        b: [[0], [0]],
        p: [[0.3], [0.7]],
      },
      lr: 0.02,
    },
  ],
};

/**
 * The code module dense-batch was before it became a question file (problems/dense-batch.yaml): the
 * baseline bench/questions.ts measures the question file against. Not in the registry.
 *
 * Dense layer, rows are samples: Y = X W + 1 b, upstream gradient dY, loss L = Σ dY .* Y.
 * dX = dY Wᵀ, dW = Xᵀ dY, db = 1ᵀ dY (column sums).
 */
import { Graph } from '../../src/fd/graph.js';
import { biasAddIncremental, matmulIncremental } from '../../src/fd/incremental.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Problem } from '../../src/problem/types.js';
import { add } from '../../src/tensor/broadcast.js';
import { matmul } from '../../src/tensor/matmul.js';
import { upstreamLoss } from './upstream.js';

const DY_ALIASES = ['\\frac{\\partial L}{\\partial Y}'];

export const denseBatch: Problem = {
  id: 'dense-batch',
  title: 'Dense layer, rows are samples',
  statement: 'Y = X W + 1 b with X N×D, W D×M, b 1×M; given dY = ∂L/∂Y, derive dX, dW and db.',

  dims: { names: ['N', 'D', 'M'], arbitrary: dimsArbitrary(['N', 'D', 'M']) },

  inputs: [
    { name: 'X', shape: ['N', 'D'], domain: { kind: 'normal' }, role: 'data', description: 'a batch of N samples, one per row' },
    { name: 'W', shape: ['D', 'M'], domain: { kind: 'normal' }, role: 'parameter', description: 'weights' },
    { name: 'b', shape: [1, 'M'], domain: { kind: 'normal' }, role: 'parameter', description: 'bias, a row added to every sample' },
    { name: 'dY', shape: ['N', 'M'], domain: { kind: 'normal' }, role: 'upstream', description: 'upstream gradient ∂L/∂Y', latexAliases: DY_ALIASES },
  ],
  intermediates: [{ name: 'Y', shape: ['N', 'M'], description: 'the layer output X W + 1 b' }],

  forward: () =>
    new Graph({
      inputs: ['X', 'W', 'b', 'dY'],
      nodes: [
        { name: 'XW', args: ['X', 'W'], op: (X, W) => matmul(X!, W!), incremental: matmulIncremental },
        { name: 'Y', args: ['XW', 'b'], op: (XW, b) => add(XW!, b!), incremental: biasAddIncremental },
        upstreamLoss('Y', 'dY'),
      ],
      output: 'L',
    }),

  targets: [
    {
      kind: 'gradient',
      name: 'dX',
      wrt: 'X',
      description: '∂L/∂X',
      shape: ['N', 'D'],
      closedForms: [
        { formula: "dY * W'", style: 'whole-tensor' },
        { formula: 'dX[n,d] = sum(dY[n,m] * W[d,m], m)', style: 'index notation' },
        { formula: '\\frac{\\partial L}{\\partial Y} W^{\\top}', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial X} = \\frac{\\partial L}{\\partial Y} W^{\\top}',
      mistakes: [
        { label: 'transposed', formula: "W * dY'", why: 'this is dXᵀ (D×N): the product is taken in the wrong order' },
        { label: 'sign', formula: "-dY * W'", why: 'Y grows with X along W, so the gradient has the sign of dY Wᵀ' },
        { label: 'mean-vs-sum', formula: "dY * W' / N", why: 'L sums over samples; there is no 1/N unless the loss is a mean' },
        { label: 'index-shift', formula: 'dX[n,d] = sum(dY[n,m] * W[d+1,m], m)', why: 'row d of W multiplies column d of X; the index is shifted by one' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dW',
      wrt: 'W',
      description: '∂L/∂W',
      shape: ['D', 'M'],
      closedForms: [
        { formula: "X' * dY", style: 'whole-tensor' },
        { formula: "(dY' * X)'", style: 'whole-tensor, transposed product' },
        { formula: 'dW[d,m] = sum(X[n,d] * dY[n,m], n)', style: 'index notation' },
        { formula: 'X^T \\frac{\\partial L}{\\partial Y}', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial W} = X^{\\top} \\frac{\\partial L}{\\partial Y}',
      mistakes: [
        { label: 'transposed', formula: "dY' * X", why: 'this is dWᵀ (M×D); dW has the shape of W (D×M)' },
        { label: 'sign', formula: "-X' * dY", why: 'the sign of the upstream gradient carries through a linear layer' },
        { label: 'factor', formula: "2 * X' * dY", why: 'L is linear in W: no factor 2 (that comes from a square)' },
        { label: 'mean-vs-sum', formula: "X' * dY / N", why: 'L sums over samples; there is no 1/N unless the loss is a mean' },
      ],
    },
    {
      kind: 'gradient',
      name: 'db',
      wrt: 'b',
      description: '∂L/∂b',
      shape: [1, 'M'],
      closedForms: [
        { formula: 'sum(dY, 1)', style: 'whole-tensor' },
        { formula: 'ones(1, N) * dY', style: 'whole-tensor, product with ones' },
        { formula: 'db[r,m] = sum(dY[n,m], n)', style: 'index notation' },
      ],
      latex: '\\frac{\\partial L}{\\partial b} = \\mathbf{1}^{\\top} \\frac{\\partial L}{\\partial Y}',
      mistakes: [
        { label: 'mean-vs-sum', formula: 'mean(dY, 1)', why: 'b is added to every one of the N rows, so their gradients add up: a sum, not a mean' },
        { label: 'wrong-shape', formula: 'sum(dY, 2)', why: 'summing along rows gives one value per sample (N×1), not one per output (1×M)' },
        { label: 'missing-term', formula: 'dY[1, :]', why: 'only the first sample; b receives the gradient of every sample' },
        { label: 'sign', formula: '-sum(dY, 1)', why: 'the bias enters with a plus sign' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'dense-2x2x3',
      description: 'two samples, two features, three outputs',
      dims: { N: 2, D: 2, M: 3 },
      inputs: {
        X: [[1, 2], [3, 4]],
        W: [[0.5, -1, 2], [1, 0, -0.5]],
        b: [[0.1, 0.2, 0.3]],
        dY: [[1, 0, -1], [0.5, 2, 1]],
      },
    },
  ],
};

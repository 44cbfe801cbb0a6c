/**
 * Dense layer, columns are samples: Y = W X + b 1ᵀ, upstream gradient dY, loss L = Σ dY .* Y.
 * dX = Wᵀ dY, dW = dY Xᵀ, db = dY 1 (row sums).
 */
import { Graph } from '../src/fd/graph.js';
import { biasAddIncremental, matmulIncremental } from '../src/fd/incremental.js';
import { dimsArbitrary } from '../src/problem/dims.js';
import type { Problem } from '../src/problem/types.js';
import { add } from '../src/tensor/broadcast.js';
import { matmul } from '../src/tensor/matmul.js';
import { upstreamLoss } from './upstream.js';

const DY_ALIASES = ['\\frac{\\partial L}{\\partial Y}'];

export const denseBatchCol: Problem = {
  id: 'dense-batch-col',
  title: 'Dense layer, columns are samples',
  statement: 'Y = W X + b 1ᵀ with X D×N, W M×D, b M×1; given dY = ∂L/∂Y, derive dX, dW and db.',

  dims: { names: ['D', 'N', 'M'], arbitrary: dimsArbitrary(['D', 'N', 'M']) },

  inputs: [
    { name: 'X', shape: ['D', 'N'], domain: { kind: 'normal' }, role: 'data', description: 'a batch of N samples, one per column' },
    { name: 'W', shape: ['M', 'D'], domain: { kind: 'normal' }, role: 'parameter', description: 'weights' },
    { name: 'b', shape: ['M', 1], domain: { kind: 'normal' }, role: 'parameter', description: 'bias, a column added to every sample' },
    { name: 'dY', shape: ['M', 'N'], domain: { kind: 'normal' }, role: 'upstream', description: 'upstream gradient ∂L/∂Y', latexAliases: DY_ALIASES },
  ],
  intermediates: [{ name: 'Y', shape: ['M', 'N'], description: 'the layer output W X + b 1ᵀ' }],

  forward: () =>
    new Graph({
      inputs: ['X', 'W', 'b', 'dY'],
      nodes: [
        { name: 'WX', args: ['W', 'X'], op: (W, X) => matmul(W!, X!), incremental: matmulIncremental },
        { name: 'Y', args: ['WX', 'b'], op: (WX, b) => add(WX!, b!), incremental: biasAddIncremental },
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
      shape: ['D', 'N'],
      closedForms: [
        { formula: "W' * dY", style: 'whole-tensor' },
        { formula: 'dX[d,n] = sum(W[m,d] * dY[m,n], m)', style: 'index notation' },
        { formula: 'W^{\\top} \\frac{\\partial L}{\\partial Y}', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial X} = W^{\\top} \\frac{\\partial L}{\\partial Y}',
      mistakes: [
        { label: 'transposed', formula: "dY' * W", why: 'this is dXᵀ (N×D), the rows-are-samples answer: here samples are columns, so dX is D×N' },
        { label: 'sign', formula: "-W' * dY", why: 'Y grows with X along W, so the gradient has the sign of Wᵀ dY' },
        { label: 'mean-vs-sum', formula: "W' * dY / N", why: 'L sums over samples; there is no 1/N unless the loss is a mean' },
        { label: 'index-shift', formula: 'dX[d,n] = sum(W[m,d] * dY[m,n+1], m)', why: 'column n of X only reaches column n of Y; pairing it with sample n+1 shifts the index' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dW',
      wrt: 'W',
      description: '∂L/∂W',
      shape: ['M', 'D'],
      closedForms: [
        { formula: "dY * X'", style: 'whole-tensor' },
        { formula: "(X * dY')'", style: 'whole-tensor, transposed product' },
        { formula: 'dW[m,d] = sum(dY[m,n] * X[d,n], n)', style: 'index notation' },
        { formula: '\\frac{\\partial L}{\\partial Y} X^T', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial W} = \\frac{\\partial L}{\\partial Y} X^{\\top}',
      mistakes: [
        { label: 'transposed', formula: "X * dY'", why: 'this is dWᵀ (D×M); dW has the shape of W (M×D)' },
        { label: 'sign', formula: "-dY * X'", why: 'the sign of the upstream gradient carries through a linear layer' },
        { label: 'factor', formula: "2 * dY * X'", why: 'L is linear in W: no factor 2 (that comes from a square)' },
        { label: 'mean-vs-sum', formula: "dY * X' / N", why: 'L sums over samples; there is no 1/N unless the loss is a mean' },
      ],
    },
    {
      kind: 'gradient',
      name: 'db',
      wrt: 'b',
      description: '∂L/∂b',
      shape: ['M', 1],
      closedForms: [
        { formula: 'sum(dY, 2)', style: 'whole-tensor' },
        { formula: 'dY * ones(N, 1)', style: 'whole-tensor, product with ones' },
        { formula: 'db[m,c] = sum(dY[m,n], n)', style: 'index notation (c runs over the one column)' },
      ],
      latex: '\\frac{\\partial L}{\\partial b} = \\frac{\\partial L}{\\partial Y} \\mathbf{1}',
      mistakes: [
        { label: 'mean-vs-sum', formula: 'mean(dY, 2)', why: 'b is added to every one of the N columns, so their gradients add up: a sum, not a mean' },
        { label: 'wrong-shape', formula: 'sum(dY, 1)', why: 'summing down the columns gives one value per sample (1×N), not one per output (M×1)' },
        { label: 'missing-term', formula: 'dY[:, 1:1]', why: 'only the first sample; b receives the gradient of every sample' },
        { label: 'sign', formula: '-sum(dY, 2)', why: 'the bias enters with a plus sign' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'dense-col-3x2x2',
      description: 'three features, two samples (columns), two outputs',
      dims: { D: 3, N: 2, M: 2 },
      inputs: {
        X: [[1, -1], [2, 0.5], [0, 3]],
        W: [[0.5, -1, 2], [1, 0, -0.5]],
        b: [[0.1], [-0.2]],
        dY: [[1, -1], [0.5, 2]],
      },
    },
  ],
};

/**
 * Logistic (sigmoid) layer on one sample: a = W x + b, s = σ(a), upstream gradient g, L = Σ g .* s.
 * With δ = g .* σ'(a) = g .* s .* (1 − s): dx = Wᵀ δ, dW = δ xᵀ, db = δ.
 */
import { Graph } from '../src/fd/graph.js';
import { biasAddIncremental, elementwiseIncremental, matmulIncremental } from '../src/fd/incremental.js';
import { dimsArbitrary } from '../src/problem/dims.js';
import type { Problem } from '../src/problem/types.js';
import { add } from '../src/tensor/broadcast.js';
import { sigmoid } from '../src/tensor/elementwise.js';
import { matmul } from '../src/tensor/matmul.js';
import { sigmoid as scalarSigmoid } from '../src/tensor/special.js';
import { upstreamLoss } from './upstream.js';


export const logisticLayer: Problem = {
  id: 'logistic-layer',
  title: 'Logistic layer, one sample',
  statement: 's = σ(W x + b) with x n×1, W m×n, b m×1; given g = ∂L/∂s (L = Σ g .* s), derive dx, dW and db.',

  dims: { names: ['n', 'm'], arbitrary: dimsArbitrary(['n', 'm']) },

  inputs: [
    { name: 'x', shape: ['n', 1], domain: { kind: 'normal' }, role: 'data', description: 'one input sample (a column)' },
    { name: 'W', shape: ['m', 'n'], domain: { kind: 'normal' }, role: 'parameter', description: 'weights' },
    { name: 'b', shape: ['m', 1], domain: { kind: 'normal' }, role: 'parameter', description: 'bias' },
    { name: 'g', shape: ['m', 1], domain: { kind: 'normal' }, role: 'upstream', description: 'upstream gradient ∂L/∂s', latexAliases: ['\\frac{\\partial L}{\\partial s}'] },
  ],
  intermediates: [
    { name: 'a', shape: ['m', 1], description: 'the pre-activation W x + b' },
    { name: 's', shape: ['m', 1], description: 'the layer output σ(a)' },
  ],

  forward: () =>
    new Graph({
      inputs: ['x', 'W', 'b', 'g'],
      nodes: [
        { name: 'Wx', args: ['W', 'x'], op: (W, x) => matmul(W!, x!), incremental: matmulIncremental },
        { name: 'a', args: ['Wx', 'b'], op: (Wx, b) => add(Wx!, b!), incremental: biasAddIncremental },
        { name: 's', args: ['a'], op: (a) => sigmoid(a!), incremental: elementwiseIncremental(scalarSigmoid) },
        upstreamLoss('s', 'g'),
      ],
      output: 'L',
    }),

  targets: [
    {
      kind: 'gradient',
      name: 'dx',
      wrt: 'x',
      description: '∂L/∂x',
      shape: ['n', 1],
      closedForms: [
        { formula: "W' * (g .* s .* (1 - s))", style: 'whole-tensor' },
        { formula: "W' * (g .* sigmoid(a) .* (1 - sigmoid(a)))", style: 'whole-tensor, σ written out' },
        { formula: 'dx[j,c] = sum(W[i,j] * g[i,c] * s[i,c] * (1 - s[i,c]), i)', style: 'index notation (c runs over the one column)' },
        { formula: 'W^{\\top} (g \\odot s \\odot (1 - s))', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial x} = W^{\\top} \\big(g \\odot \\sigma(a) \\odot (1 - \\sigma(a))\\big)',
      mistakes: [
        { label: 'missing-sigma-prime', formula: "W' * g", why: 'the chain rule passes through σ: g must be multiplied by σ\'(a) = s(1 − s) first' },
        { label: 'missing-sigma-prime', formula: "W' * (g .* s)", why: 'σ\'(a) is s(1 − s), not s' },
        { label: 'transposed', formula: "(g .* s .* (1 - s))' * W", why: 'this is dxᵀ (1×n); dx has the shape of x (n×1)' },
        { label: 'sign', formula: "-W' * (g .* s .* (1 - s))", why: 'σ is increasing, so the gradient keeps the sign of Wᵀ(g .* σ\')' },
        { label: 'factor', formula: "W' * (g .* s .* (1 - s)) / 4", why: 'σ\'(a) = s(1 − s) already has its maximum 1/4 at a = 0: no further 1/4' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dW',
      wrt: 'W',
      description: '∂L/∂W',
      shape: ['m', 'n'],
      closedForms: [
        { formula: "(g .* s .* (1 - s)) * x'", style: 'whole-tensor, outer product' },
        { formula: 'dW[i,j] = g[i,1] * s[i,1] * (1 - s[i,1]) * x[j,1]', style: 'index notation' },
        { formula: '(g \\odot s \\odot (1 - s)) x^{\\top}', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial W} = \\big(g \\odot \\sigma(a) \\odot (1 - \\sigma(a))\\big)\\, x^{\\top}',
      mistakes: [
        { label: 'missing-sigma-prime', formula: "g * x'", why: 'the chain rule passes through σ: the outer product needs g .* s(1 − s)' },
        { label: 'transposed', formula: "x * (g .* s .* (1 - s))'", why: 'this is dWᵀ (n×m); dW has the shape of W (m×n)' },
        { label: 'sign', formula: "-(g .* s .* (1 - s)) * x'", why: 'W x enters a with a plus sign and σ is increasing' },
        { label: 'missing-term', formula: "(s .* (1 - s)) * x'", why: 'the upstream gradient g is dropped: L weighs each output by g' },
      ],
    },
    {
      kind: 'gradient',
      name: 'db',
      wrt: 'b',
      description: '∂L/∂b',
      shape: ['m', 1],
      closedForms: [
        { formula: 'g .* s .* (1 - s)', style: 'whole-tensor' },
        { formula: 'g .* sigmoid(a) .* (1 - sigmoid(a))', style: 'whole-tensor, σ written out' },
        { formula: 'db[i,c] = g[i,c] * s[i,c] * (1 - s[i,c])', style: 'index notation (c runs over the one column)' },
        { formula: 'g \\odot \\sigma(a) \\odot (1 - \\sigma(a))', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial b} = g \\odot \\sigma(a) \\odot (1 - \\sigma(a))',
      mistakes: [
        { label: 'missing-sigma-prime', formula: 'g', why: 'the chain rule passes through σ: g must be multiplied by σ\'(a)' },
        { label: 'sign', formula: '-g .* s .* (1 - s)', why: 'b enters a with a plus sign and σ is increasing' },
        { label: 'missing-term', formula: 's .* (1 - s)', why: 'this is ∂s/∂a alone; the upstream gradient g is dropped' },
        { label: 'wrong-shape', formula: 'sum(g .* s .* (1 - s))', why: 'b has one entry per output (m×1); summing gives one number' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'logistic-3-to-2',
      description: 'three inputs, two sigmoid outputs',
      dims: { n: 3, m: 2 },
      inputs: {
        x: [[1], [-2], [0.5]],
        W: [[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]],
        b: [[0.1], [-0.2]],
        g: [[1], [-0.5]],
      },
    },
  ],
};

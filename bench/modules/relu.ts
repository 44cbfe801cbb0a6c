/**
 * The code module relu was before it became a question file (problems/relu.yaml): the baseline
 * bench/questions.ts measures the question file against. Not in the registry.
 *
 * ReLU, elementwise: Y = relu(X), upstream gradient dY, loss L = Σ dY .* Y.
 * dX = (X > 0) .* dY: the upstream gradient passes where the input is positive and stops elsewhere.
 */
import { Graph, type GraphNode } from '../../src/fd/graph.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Problem } from '../../src/problem/types.js';
import { relu, sign } from '../../src/tensor/elementwise.js';
import { upstreamLoss } from './upstream.js';

/**
 * The node `name` = relu(`arg`), with its kink declared: the piece of each entry is the sign of its
 * input, so FD that moves an input across 0 reports the sample non-differentiable instead of
 * averaging the two slopes into a wrong estimate.
 */
export function reluNode(name: string, arg: string): GraphNode {
  return { name, args: [arg], op: (x) => relu(x!), pieces: (x) => sign(x!).data };
}

export const reluActivation: Problem = {
  id: 'relu',
  title: 'ReLU activation, elementwise',
  statement: 'Y = relu(X) with X N×D; given dY = ∂L/∂Y, derive dX.',

  dims: { names: ['N', 'D'], arbitrary: dimsArbitrary(['N', 'D']) },

  inputs: [
    // Away from 0: relu has a kink there, and a draw within the FD step of it is non-differentiable.
    { name: 'X', shape: ['N', 'D'], domain: { kind: 'awayFromZero' }, role: 'data', description: 'pre-activations' },
    {
      name: 'dY',
      shape: ['N', 'D'],
      domain: { kind: 'normal' },
      role: 'upstream',
      description: 'upstream gradient ∂L/∂Y',
      latexAliases: ['\\frac{\\partial L}{\\partial Y}'],
    },
  ],
  intermediates: [{ name: 'Y', shape: ['N', 'D'], description: 'the activations relu(X) = max(X, 0)' }],

  forward: () =>
    new Graph({
      inputs: ['X', 'dY'],
      // No incremental rules: the relu node declares pieces, so FD re-runs the (cheap) graph for every move.
      nodes: [reluNode('Y', 'X'), upstreamLoss('Y', 'dY')],
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
        { formula: '(X > 0) .* dY', style: 'whole-tensor' },
        { formula: '(Y > 0) .* dY', style: 'whole-tensor, mask read off the output' },
        { formula: 'dX[n,d] = (X[n,d] > 0) * dY[n,d]', style: 'index notation' },
        { formula: '\\mathbb{1}[X > 0] \\odot \\frac{\\partial L}{\\partial Y}', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial X} = \\mathbb{1}[X > 0] \\odot \\frac{\\partial L}{\\partial Y}',
      mistakes: [
        { label: 'missing-sigma-prime', formula: 'dY', why: "relu'(X) is 0 where X < 0: the gradient stops at negative inputs, it does not pass unchanged" },
        { label: 'sign', formula: '-(X > 0) .* dY', why: 'relu is increasing: where it passes the gradient, it passes it with its sign' },
        { label: 'wrong-value', formula: 'Y .* dY', why: "multiplies by the activation relu(X) instead of its derivative relu'(X) = (X > 0)" },
        { label: 'wrong-value', formula: 'relu(dY)', why: 'the mask is the sign of the input X, not of the upstream gradient' },
        { label: 'transposed', formula: "((X > 0) .* dY)'", why: 'dX has the shape of X (N×D); the transpose is D×N' },
        { label: 'index-shift', formula: 'dX[n,d] = (X[n,d+1] > 0) * dY[n,d]', why: 'the mask of entry (n,d) is the sign of X[n,d] itself, not of its neighbour' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'relu-2x3',
      description: 'two samples, three units, half of the inputs negative',
      dims: { N: 2, D: 3 },
      inputs: {
        X: [[1, -2, 0.5], [-0.3, 2, -1]],
        dY: [[1, 2, 3], [4, 5, 6]],
      },
    },
  ],
};

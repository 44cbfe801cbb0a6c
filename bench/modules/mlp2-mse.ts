/**
 * The code module mlp2-mse was before it became a question file (problems/mlp2-mse.yaml): the
 * baseline bench/questions.ts measures the question file against. Not in the registry.
 *
 * Two sigmoid layers with squared error: x2 = σ(W1 x1 + b1), x3 = σ(W2 x2 + b2), L = ½ Σ (t − x3)².
 * Backpropagation: δ2 = (x3 − t) .* x3 .* (1 − x3), δ1 = (W2ᵀ δ2) .* x2 .* (1 − x2);
 * dW2 = δ2 x2ᵀ, db2 = δ2, dW1 = δ1 x1ᵀ, db1 = δ1. δ1 and δ2 are names of the derivation, not
 * intermediates of the forward, so formulas spell them out.
 */
import { Graph } from '../../src/fd/graph.js';
import { biasAddIncremental, elementwiseIncremental, halfSquaredErrorIncremental, matmulIncremental } from '../../src/fd/incremental.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Mistake, Problem } from '../../src/problem/types.js';
import { add, mul, sub } from '../../src/tensor/broadcast.js';
import { sigmoid, square } from '../../src/tensor/elementwise.js';
import { matmul } from '../../src/tensor/matmul.js';
import { sigmoid as scalarSigmoid } from '../../src/tensor/special.js';
import { sum } from '../../src/tensor/reduce.js';


/** δ2 = ∂L/∂a2 and δ1 = ∂L/∂a1, spelled in the formula language for the closed forms below. */
const DELTA2 = '((x3 - t) .* x3 .* (1 - x3))';
const DELTA1 = `((W2' * ${DELTA2}) .* x2 .* (1 - x2))`;
const DELTA2_LATEX = '((x3 - t) \\odot x3 \\odot (1 - x3))';
const DELTA1_LATEX = `((W2^{\\top} ${DELTA2_LATEX}) \\odot x2 \\odot (1 - x2))`;

/** Mistakes in δ2 that every gradient inherits: the sign of the residual, the ½, the output σ'. */
function deltaMistakes(wrap: (delta2: string) => string): Mistake[] {
  return [
    { label: 'sign', formula: wrap('((t - x3) .* x3 .* (1 - x3))'), why: '∂/∂x3 ½(t − x3)² = x3 − t: the residual (t − x3) has the wrong sign' },
    { label: 'factor', formula: wrap('(2 * (x3 - t) .* x3 .* (1 - x3))'), why: 'the ½ in L cancels the 2 of the square: no factor 2' },
    { label: 'missing-sigma-prime', formula: wrap('(x3 - t)'), why: 'the output layer\'s σ\'(a2) = x3 .* (1 − x3) is dropped' },
  ];
}

export const mlp2Mse: Problem = {
  id: 'mlp2-mse',
  title: 'Two-layer sigmoid network, squared error',
  statement: 'x2 = σ(W1 x1 + b1), x3 = σ(W2 x2 + b2), L = ½ Σ (t − x3)² with x1 n×1, W1 m×n, W2 k×m; derive dW1, db1, dW2, db2.',

  dims: { names: ['n', 'm', 'k'], arbitrary: dimsArbitrary(['n', 'm', 'k']) },

  inputs: [
    { name: 'x1', shape: ['n', 1], domain: { kind: 'normal' }, role: 'data', description: 'the input sample (a column)' },
    { name: 'W1', shape: ['m', 'n'], domain: { kind: 'normal' }, role: 'parameter', description: 'first-layer weights' },
    { name: 'b1', shape: ['m', 1], domain: { kind: 'normal' }, role: 'parameter', description: 'first-layer bias' },
    { name: 'W2', shape: ['k', 'm'], domain: { kind: 'normal' }, role: 'parameter', description: 'second-layer weights' },
    { name: 'b2', shape: ['k', 1], domain: { kind: 'normal' }, role: 'parameter', description: 'second-layer bias' },
    // Targets of a sigmoid output lie in (0, 1).
    { name: 't', shape: ['k', 1], domain: { kind: 'uniform', lo: 0, hi: 1 }, role: 'data', description: 'the target output' },
  ],
  intermediates: [
    { name: 'a1', shape: ['m', 1], description: 'first pre-activation W1 x1 + b1' },
    { name: 'x2', shape: ['m', 1], description: 'hidden activation σ(a1)' },
    { name: 'a2', shape: ['k', 1], description: 'second pre-activation W2 x2 + b2' },
    { name: 'x3', shape: ['k', 1], description: 'network output σ(a2)' },
  ],

  forward: () =>
    new Graph({
      inputs: ['x1', 'W1', 'b1', 'W2', 'b2', 't'],
      nodes: [
        { name: 'W1x1', args: ['W1', 'x1'], op: (W1, x1) => matmul(W1!, x1!), incremental: matmulIncremental },
        { name: 'a1', args: ['W1x1', 'b1'], op: (W1x1, b1) => add(W1x1!, b1!), incremental: biasAddIncremental },
        { name: 'x2', args: ['a1'], op: (a1) => sigmoid(a1!), incremental: elementwiseIncremental(scalarSigmoid) },
        { name: 'W2x2', args: ['W2', 'x2'], op: (W2, x2) => matmul(W2!, x2!), incremental: matmulIncremental },
        { name: 'a2', args: ['W2x2', 'b2'], op: (W2x2, b2) => add(W2x2!, b2!), incremental: biasAddIncremental },
        { name: 'x3', args: ['a2'], op: (a2) => sigmoid(a2!), incremental: elementwiseIncremental(scalarSigmoid) },
        { name: 'L', args: ['x3', 't'], op: (x3, t) => mul(0.5, sum(square(sub(t!, x3!)))), incremental: halfSquaredErrorIncremental },
      ],
      output: 'L',
    }),

  targets: [
    {
      kind: 'gradient',
      name: 'dW1',
      wrt: 'W1',
      description: '∂L/∂W1',
      shape: ['m', 'n'],
      closedForms: [
        { formula: `${DELTA1} * x1'`, style: 'whole-tensor, δ1 x1ᵀ' },
        { formula: 'dW1[p,q] = sum(W2[i,p] * (x3[i,1] - t[i,1]) * x3[i,1] * (1 - x3[i,1]), i) * x2[p,1] * (1 - x2[p,1]) * x1[q,1]', style: 'index notation' },
        { formula: `${DELTA1_LATEX} x1^{\\top}`, syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial W_1} = \\big((W_2^{\\top} \\delta_2) \\odot x_2 \\odot (1 - x_2)\\big)\\, x_1^{\\top},\\quad \\delta_2 = (x_3 - t) \\odot x_3 \\odot (1 - x_3)',
      mistakes: [
        ...deltaMistakes((d2) => `((W2' * ${d2}) .* x2 .* (1 - x2)) * x1'`),
        { label: 'missing-sigma-prime', formula: `(W2' * ${DELTA2}) * x1'`, why: 'the hidden layer\'s σ\'(a1) = x2 .* (1 − x2) is dropped' },
        { label: 'transposed', formula: `x1 * ${DELTA1}'`, why: 'this is dW1ᵀ (n×m); dW1 has the shape of W1 (m×n)' },
        { label: 'missing-term', formula: `(sum(${DELTA2}) * x2 .* (1 - x2)) * x1'`, why: 'the error reaches hidden unit p through W2[:, p]: W2ᵀ δ2, not the plain sum of δ2' },
      ],
    },
    {
      kind: 'gradient',
      name: 'db1',
      wrt: 'b1',
      description: '∂L/∂b1',
      shape: ['m', 1],
      closedForms: [
        { formula: DELTA1, style: 'whole-tensor, δ1' },
        { formula: "(W2' * ((x3 - t) .* sigmoid(a2) .* (1 - sigmoid(a2)))) .* sigmoid(a1) .* (1 - sigmoid(a1))", style: 'whole-tensor, σ written out' },
        { formula: 'db1[p,c] = sum(W2[i,p] * (x3[i,c] - t[i,c]) * x3[i,c] * (1 - x3[i,c]), i) * x2[p,c] * (1 - x2[p,c])', style: 'index notation (c runs over the one column)' },
        { formula: DELTA1_LATEX, syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial b_1} = (W_2^{\\top} \\delta_2) \\odot x_2 \\odot (1 - x_2)',
      mistakes: [
        ...deltaMistakes((d2) => `(W2' * ${d2}) .* x2 .* (1 - x2)`),
        { label: 'missing-sigma-prime', formula: `W2' * ${DELTA2}`, why: 'the hidden layer\'s σ\'(a1) = x2 .* (1 − x2) is dropped' },
        { label: 'transposed', formula: `(W2 * ${DELTA2}) .* x2 .* (1 - x2)`, why: 'the error flows back through W2ᵀ (m×k), not W2: W2 δ2 does not even have the hidden layer\'s size' },
        { label: 'wrong-shape', formula: `sum(${DELTA1})`, why: 'b1 has one entry per hidden unit (m×1); summing gives one number' },
      ],
    },
    {
      kind: 'gradient',
      name: 'dW2',
      wrt: 'W2',
      description: '∂L/∂W2',
      shape: ['k', 'm'],
      closedForms: [
        { formula: `${DELTA2} * x2'`, style: 'whole-tensor, δ2 x2ᵀ' },
        { formula: 'dW2[i,p] = (x3[i,1] - t[i,1]) * x3[i,1] * (1 - x3[i,1]) * x2[p,1]', style: 'index notation' },
        { formula: `${DELTA2_LATEX} x2^{\\top}`, syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial W_2} = \\big((x_3 - t) \\odot x_3 \\odot (1 - x_3)\\big)\\, x_2^{\\top}',
      mistakes: [
        ...deltaMistakes((d2) => `${d2} * x2'`),
        { label: 'transposed', formula: `x2 * ${DELTA2}'`, why: 'this is dW2ᵀ (m×k); dW2 has the shape of W2 (k×m)' },
        { label: 'wrong-shape', formula: `${DELTA2} * x1'`, why: 'W2 multiplies the hidden activation x2 (m×1), not the network input x1: δ2 x1ᵀ is k×n' },
      ],
    },
    {
      kind: 'gradient',
      name: 'db2',
      wrt: 'b2',
      description: '∂L/∂b2',
      shape: ['k', 1],
      closedForms: [
        { formula: DELTA2, style: 'whole-tensor, δ2' },
        { formula: '(x3 - t) .* sigmoid(a2) .* (1 - sigmoid(a2))', style: 'whole-tensor, σ written out' },
        { formula: 'db2[i,c] = (x3[i,c] - t[i,c]) * x3[i,c] * (1 - x3[i,c])', style: 'index notation (c runs over the one column)' },
        { formula: DELTA2_LATEX, syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial L}{\\partial b_2} = (x_3 - t) \\odot x_3 \\odot (1 - x_3)',
      mistakes: [
        ...deltaMistakes((d2) => d2),
        { label: 'wrong-shape', formula: `${DELTA2}'`, why: 'b2 is a column (k×1); the transposed row does not fit' },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'sigmoid-mlp-step',
      description: 'the classic 2-2-2 backpropagation walk-through without biases: one SGD step with learning rate 0.5',
      dims: { n: 2, m: 2, k: 2 },
      inputs: {
        x1: [[0.05], [0.1]],
        W1: [[0.15, 0.25], [0.2, 0.3]],
        b1: [[0], [0]],
        W2: [[0.4, 0.5], [0.45, 0.55]],
        b2: [[0], [0]],
        t: [[0.01], [0.99]],
      },
      lr: 0.5,
    },
  ],
};

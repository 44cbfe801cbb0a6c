/**
 * A sigmoid RNN h_t = σ(Wh h_{t−1} + Wx x_t + b), t = 1..T, and the Jacobian of one step:
 * ∂h_t/∂h_{t−1} = diag(σ'(a_t)) Wh = diag(h_t .* (1 − h_t)) Wh. Since σ' ≤ ¼, every step has spectral
 * norm ≤ ‖Wh‖₂/4, and the chain rule (a product of T step Jacobians) bounds ‖∂h_T/∂h_0‖₂ by (‖Wh‖₂/4)^T:
 * gradients through a sigmoid RNN vanish geometrically when ‖Wh‖₂ < 4.
 */
import fc from 'fast-check';
import { jacobian } from '../src/fd/jacobian.js';
import { Graph, type GraphNode } from '../src/fd/graph.js';
import { dimsArbitrary } from '../src/problem/dims.js';
import { sampleInputs } from '../src/problem/sample.js';
import type { Dims, Problem } from '../src/problem/types.js';
import { add } from '../src/tensor/broadcast.js';
import { sigmoid } from '../src/tensor/elementwise.js';
import { frobeniusNorm, spectralNorm } from '../src/tensor/linalg.js';
import { matmul } from '../src/tensor/matmul.js';

/** Sequence lengths: long enough for a product of step Jacobians, short enough for full FD Jacobians. */
const MAX_STEPS = 4;

const INPUT_NAMES = ['Wh', 'Wx', 'b', 'x', 'h0'];

/** The pre-activation of step t (1-based) from the state named `prev`: Wh h_{t−1} + Wx x_t + b. */
function preActivation(name: string, prev: string, t: number): GraphNode {
  return {
    name,
    args: ['Wh', prev, 'Wx', 'x', 'b'],
    op: (Wh, hPrev, Wx, x, b) => add(add(matmul(Wh!, hPrev!), matmul(Wx!, x!.slice([null, [t - 1, t]]))), b!),
  };
}

/**
 * Steps 1..T−1 are internal nodes a1, h1, ...; the last step's input state, pre-activation and output
 * have fixed public names (hprev, a, h) so formulas can name them at every T. hprev is a copy of
 * h_{T−1} (of h0 when T = 1), so FD can perturb it without touching the earlier steps.
 */
function forward(dims: Dims): Graph {
  const T = dims.T!;
  const nodes: GraphNode[] = [];
  let prev = 'h0';
  for (let t = 1; t < T; t++) {
    nodes.push(preActivation(`a${t}`, prev, t), { name: `h${t}`, args: [`a${t}`], op: (a) => sigmoid(a!) });
    prev = `h${t}`;
  }
  nodes.push(
    { name: 'hprev', args: [prev], op: (h) => h!.clone() },
    preActivation('a', 'hprev', T),
    { name: 'h', args: ['a'], op: (a) => sigmoid(a!) },
  );
  return new Graph({ inputs: INPUT_NAMES, nodes, output: 'h' });
}

/**
 * Rounding in the spectral norms (Jacobi SVD: a few eps, src/tensor/linalg.ts) and in the power
 * (T ≤ 4 multiplications): 1e-12 relative is far above both, and far below any real violation.
 */
const NORM_ROUNDOFF = 1e-12;

interface BoundCase {
  readonly dims: Dims;
  readonly seed: number;
}

/**
 * ‖∂h_T/∂h_0‖₂ ≤ (‖Wh‖₂/4)^T at one sample, with ∂h_T/∂h_0 estimated by an FD Jacobian of the forward.
 * The FD error E (per entry) moves the spectral norm by at most ‖E‖₂ ≤ ‖E‖_F, so a violation is
 * reported only when ‖J_fd‖₂ − ‖E‖_F exceeds the bound.
 */
function normBoundHolds({ dims, seed }: BoundCase): true | string {
  const inputs = sampleInputs(rnnJacobian, dims, seed);
  const graph = forward(dims);
  const estimate = jacobian(graph.restrict('h0', inputs, 'h'), inputs['h0']!.clone());
  const jacobianNorm = spectralNorm(estimate.value);
  const bound = (spectralNorm(inputs['Wh']!) / 4) ** dims.T!;
  if (jacobianNorm - frobeniusNorm(estimate.error) <= bound * (1 + NORM_ROUNDOFF)) return true;
  return `‖∂h_T/∂h_0‖₂ = ${jacobianNorm} exceeds (‖Wh‖₂/4)^T = ${bound} at dims ${JSON.stringify(dims)}, seed ${seed}`;
}

const DIMS_ARBITRARY = dimsArbitrary(['H', 'X', 'T'], { max: 5, fixed: { T: fc.integer({ min: 1, max: MAX_STEPS }) } });

export const rnnJacobian: Problem = {
  id: 'rnn-jacobian',
  title: 'Sigmoid RNN, step Jacobian and its norm',
  statement: 'h_t = σ(Wh h_{t−1} + Wx x_t + b), t = 1..T; derive ∂h_T/∂h_{T−1} and check ‖∂h_T/∂h_0‖₂ ≤ (‖Wh‖₂/4)^T.',

  dims: { names: ['H', 'X', 'T'], arbitrary: DIMS_ARBITRARY },

  inputs: [
    { name: 'Wh', shape: ['H', 'H'], domain: { kind: 'normal' }, role: 'parameter', description: 'recurrent weights' },
    { name: 'Wx', shape: ['H', 'X'], domain: { kind: 'normal' }, role: 'parameter', description: 'input weights' },
    { name: 'b', shape: ['H', 1], domain: { kind: 'normal' }, role: 'parameter', description: 'bias' },
    { name: 'x', shape: ['X', 'T'], domain: { kind: 'normal' }, role: 'data', description: 'the input sequence, x_t in column t' },
    { name: 'h0', shape: ['H', 1], domain: { kind: 'normal' }, role: 'data', description: 'the initial state' },
  ],
  intermediates: [
    { name: 'hprev', shape: ['H', 1], description: 'h_{T−1}, the state entering the last step (h0 when T = 1)', latexAliases: ['h_{t-1}', 'h_{T-1}'] },
    { name: 'a', shape: ['H', 1], description: 'the last pre-activation a_T = Wh h_{T−1} + Wx x_T + b', latexAliases: ['a_t', 'a_T'] },
    { name: 'h', shape: ['H', 1], description: 'the last state h_T = σ(a_T)', latexAliases: ['h_t', 'h_T'] },
  ],

  forward,

  targets: [
    {
      kind: 'jacobian',
      name: 'step',
      of: 'h',
      wrt: 'hprev',
      description: '∂h_T/∂h_{T−1}, one row per entry of h_T, one column per entry of h_{T−1}',
      shape: ['H', 'H'],
      closedForms: [
        { formula: 'diag(h .* (1 - h)) * Wh', style: 'whole-tensor' },
        { formula: 'diag(sigmoid(a) .* (1 - sigmoid(a))) * Wh', style: 'whole-tensor, σ written out' },
        { formula: '(h .* (1 - h)) .* Wh', style: 'row scaling by broadcasting' },
        { formula: 'step[i,j] = h[i,1] * (1 - h[i,1]) * Wh[i,j]', style: 'index notation' },
        { formula: '\\operatorname{diag}(h \\odot (1 - h))\\, Wh', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: '\\frac{\\partial h_t}{\\partial h_{t-1}} = \\operatorname{diag}\\big(\\sigma\'(a_t)\\big) W_h = \\operatorname{diag}\\big(h_t \\odot (1 - h_t)\\big) W_h',
      mistakes: [
        { label: 'missing-sigma-prime', formula: 'Wh', why: 'h_t is σ of a_t: each row i of Wh is scaled by σ\'(a_t[i])' },
        { label: 'missing-sigma-prime', formula: 'diag(h) * Wh', why: 'σ\'(a) is h(1 − h), not h' },
        { label: 'transposed', formula: "diag(h .* (1 - h)) * Wh'", why: 'row i of the Jacobian is ∂h_t[i]/∂h_{t−1}, which reads row i of Wh, not column i' },
        { label: 'transposed', formula: 'Wh * diag(h .* (1 - h))', why: 'σ\'(a_t) scales the rows (outputs), not the columns (inputs): the factors are in the wrong order' },
        { label: 'sign', formula: '-diag(h .* (1 - h)) * Wh', why: 'σ is increasing: the Jacobian has the signs of Wh' },
        { label: 'wrong-shape', formula: 'diag(h .* (1 - h)) * Wx', why: 'that is ∂h_t/∂x_t (H×X); the state enters through Wh' },
      ],
    },
  ],

  properties: [
    {
      name: 'jacobian-norm-bound',
      statement: '‖∂h_T/∂h_0‖₂ ≤ (‖Wh‖₂/4)^T: each step Jacobian diag(σ\'(a_t)) Wh has norm ≤ ‖Wh‖₂/4 since σ\' ≤ ¼',
      expected: 'holds',
      arbitrary: fc.record({ dims: DIMS_ARBITRARY, seed: fc.integer({ min: 0, max: 0x7fffffff }) }),
      holds: (sample) => normBoundHolds(sample as BoundCase),
    },
  ],

  examples: [
    {
      name: 'rnn-2x1x3',
      description: 'two hidden units, one input feature, three steps',
      dims: { H: 2, X: 1, T: 3 },
      inputs: {
        Wh: [[0.5, -1], [2, 0.3]],
        Wx: [[1], [-0.5]],
        b: [[0.1], [-0.2]],
        x: [[1, 0.5, -1]],
        h0: [[0], [0.5]],
      },
      outputs: ['h', 'hprev', 'a'],
    },
  ],
};

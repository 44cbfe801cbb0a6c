/**
 * A scalar recurrent step h' = σ(z + h w) − ½ and its gradient ratio ∂h'/∂h = w σ'(z + h w): the
 * factor by which a gradient grows or shrinks per step. At z = 0, h = 0 the ratio is w σ'(0) = w/4,
 * so it is 1 (neither vanishing nor exploding) at w = 4.
 */
import { estimateGradient } from '../src/fd/estimate.js';
import { Graph } from '../src/fd/graph.js';
import { dimsArbitrary } from '../src/problem/dims.js';
import type { Problem } from '../src/problem/types.js';
import { add, mul, sub } from '../src/tensor/broadcast.js';
import { sigmoid } from '../src/tensor/elementwise.js';
import { Tensor } from '../src/tensor/tensor.js';

const forward = (): Graph =>
  new Graph({
    inputs: ['z', 'h', 'w'],
    nodes: [
      { name: 'a', args: ['z', 'h', 'w'], op: (z, h, w) => add(z!, mul(h!, w!)) },
      { name: 'hn', args: ['a'], op: (a) => sub(sigmoid(a!), 0.5) },
    ],
    output: 'hn',
  });

/** Where critical_w is defined: the ratio as a function of w alone, at z = 0, h = 0. */
const CRITICAL_Z = 0;
const CRITICAL_H = 0;

/** The ratio ∂h'/∂h at (z = 0, h = 0, w) and its error bound, estimated by FD on the forward (no closed form involved). */
function ratioByFd(w: number): { value: number; error: number } {
  const inputs = { z: Tensor.scalar(CRITICAL_Z), h: Tensor.scalar(CRITICAL_H), w: Tensor.scalar(w) };
  const estimate = estimateGradient(forward().objective('h', inputs));
  return { value: estimate.value[0]!, error: estimate.error[0]! };
}

/** A secant step below ROOT_TOLERANCE·max(1, |w|) ends the search: far below the target's tolerance. */
const ROOT_TOLERANCE = 1e-13;
/** The secant converges superlinearly on a smooth r(w) (in one step when r is linear in w, as here). */
const MAX_SECANT_STEPS = 50;
/** Starting points: r(0) = 0 and r(16) = 4 (any two w where the ratio is well away from 1 would do). */
const SECANT_START: readonly [number, number] = [0, 16];

export class RootNotFoundError extends Error {
  constructor(what: string, steps: number) {
    super(`${what}: the secant search did not converge in ${steps} steps; check that the forward is smooth in w near the root`);
    this.name = 'RootNotFoundError';
  }
}

/**
 * The w with ratio 1: the secant method on r(w) − 1 with r estimated by FD. It stops once r(w) − 1 is
 * within the FD error of r (no finer root is resolvable) or the step is negligible.
 */
function criticalWeight(): number {
  let [w0, w1] = SECANT_START;
  let [r0, r1] = [ratioByFd(w0).value - 1, ratioByFd(w1).value - 1];
  for (let step = 0; step < MAX_SECANT_STEPS; step++) {
    const w2 = w1 - (r1 * (w1 - w0)) / (r1 - r0);
    const r2 = ratioByFd(w2);
    if (Math.abs(r2.value - 1) <= r2.error || Math.abs(w2 - w1) <= ROOT_TOLERANCE * Math.max(1, Math.abs(w2))) return w2;
    [w0, r0] = [w1, r1];
    [w1, r1] = [w2, r2.value - 1];
  }
  throw new RootNotFoundError('rnn-ratio critical_w', MAX_SECANT_STEPS);
}

/**
 * FD derivatives settle to ~2⁻⁴⁰ ≈ 1e-12 relative (src/fd/estimate.ts SETTLED_RELATIVE_ERROR), and the
 * root inherits that error divided by r'(w) = 1/4: ~4e-12. 1e-9 leaves a wide margin while every wrong
 * value (1, 2, 0.25) is off by more than 50%.
 */
const CRITICAL_W_TOLERANCE = 1e-9;

export const rnnRatio: Problem = {
  id: 'rnn-ratio',
  title: 'Recurrent step, gradient ratio',
  statement: "h' = σ(z + h w) − ½ for scalars z, h, w; derive the ratio ∂h'/∂h and the w at which it is 1 (z = 0, h = 0).",

  dims: { names: [], arbitrary: dimsArbitrary([]) },

  inputs: [
    { name: 'z', shape: [], domain: { kind: 'normal' }, role: 'data', description: 'the input contribution at this step' },
    { name: 'h', shape: [], domain: { kind: 'normal' }, role: 'data', description: 'the previous hidden state' },
    { name: 'w', shape: [], domain: { kind: 'normal', std: 3 }, role: 'parameter', description: 'the recurrent weight' },
  ],
  intermediates: [
    { name: 'a', shape: [], description: 'the pre-activation z + h w' },
    { name: 'hn', shape: [], description: "the next hidden state h' = σ(a) − ½", latexAliases: ["h'"] },
  ],

  forward,

  targets: [
    {
      kind: 'gradient',
      name: 'ratio',
      wrt: 'h',
      description: "∂h'/∂h",
      shape: [],
      closedForms: [
        { formula: 'w * sigmoid(z + h * w) * (1 - sigmoid(z + h * w))', style: 'σ written out' },
        { formula: 'w * sigmoid(a) * (1 - sigmoid(a))', style: 'through the pre-activation' },
        { formula: 'w * (0.25 - hn^2)', style: "through h': σ = h' + ½, so σ(1 − σ) = ¼ − h'²" },
        { formula: 'w \\sigma(z + h w) (1 - \\sigma(z + h w))', syntax: 'latex', style: 'LaTeX' },
      ],
      latex: "\\frac{\\partial h'}{\\partial h} = w\\, \\sigma'(z + h w) = w\\, \\sigma(z + h w)\\big(1 - \\sigma(z + h w)\\big)",
      mistakes: [
        { label: 'missing-sigma-prime', formula: 'w', why: "h' is σ of the linear term, so the chain rule multiplies w by σ'(z + h w)" },
        { label: 'missing-term', formula: 'sigmoid(a) * (1 - sigmoid(a))', why: 'the inner derivative ∂(z + h w)/∂h = w is dropped' },
        { label: 'missing-term', formula: 'w * hn * (1 - hn)', why: "σ = h' + ½: the shift by ½ is dropped when σ' is written through h'" },
        { label: 'sign', formula: '-w * sigmoid(a) * (1 - sigmoid(a))', why: 'σ is increasing: the ratio has the sign of w' },
        { label: 'factor', formula: 'w / 4', why: "σ'(a) is ¼ only at a = 0; elsewhere it is smaller" },
      ],
    },
    {
      kind: 'value',
      name: 'critical_w',
      description: 'the recurrent weight at which the ratio is 1 at z = 0, h = 0',
      shape: [],
      reference: () => Tensor.scalar(criticalWeight()),
      tolerance: CRITICAL_W_TOLERANCE,
      closedForms: [
        { formula: '4', style: "1/σ'(0) = 1/(½·½)" },
        { formula: '1 / (sigmoid(0) * (1 - sigmoid(0)))', style: "1/σ'(0) written out" },
      ],
      latex: "w^{*} = \\frac{1}{\\sigma'(0)} = 4",
      mistakes: [
        { label: 'wrong-value', formula: '1', why: "the ratio is w σ'(0) = w/4, not w: the σ' factor is forgotten" },
        { label: 'wrong-value', formula: '0.25', why: "¼ is σ'(0) itself; the ratio is 1 at its reciprocal" },
        { label: 'wrong-value', formula: '2', why: "σ'(0) = σ(0)(1 − σ(0)) = ½·½ = ¼, not ½" },
      ],
    },
  ],
  properties: [],

  examples: [
    {
      name: 'rnn-ratio-critical',
      description: 'z = 0, h = 0, w = 4: the ratio is exactly 1',
      dims: {},
      inputs: { z: 0, h: 0, w: 4 },
      outputs: ['hn'],
    },
    {
      name: 'rnn-ratio-saturating',
      description: 'z = 0.5, h = 0.8, w = 3: the unit leans into saturation and the ratio drops below 1',
      dims: {},
      inputs: { z: 0.5, h: 0.8, w: 3 },
      outputs: ['hn'],
    },
  ],
};

/**
 * Scalar RNN step h' = σ(z + h·w): the ratio ∂h'/∂h = w·σ'(z + h·w), and the critical weight at which
 * the ratio at z = h = 0 is 1 (gradients through many steps neither shrink nor grow there):
 * w·σ'(0) = w/4 = 1, so critical_w = 4.
 */
import type { SymbolicFact } from '../fact.js';
import { product, sigmoid, sigmoidPrimeAsProduct } from './scalar-expansion.js';

const STEP = sigmoid('z + h * w');
const VARIABLES = ['z', 'h', 'w'];

export const rnnRatio: SymbolicFact = {
  problem: 'rnn-scalar',
  target: 'ratio',
  statement: "∂h'/∂h = w·σ'(z + h·w) for h' = σ(z + h·w)",
  claims: () => [
    { kind: 'derivative', name: 'ratio', statement: "∂h'/∂h = w·σ(z + h·w)(1 − σ(z + h·w))", forward: STEP, wrt: 'h', claim: product('w', sigmoidPrimeAsProduct('z + h * w')), space: { variables: VARIABLES } },
  ],
};

export const rnnCriticalW: SymbolicFact = {
  problem: 'rnn-scalar',
  target: 'critical_w',
  statement: 'the w at which ratio(z = 0, h = 0) = 1 is 4 (w·σ\'(0) = w/4)',
  claims: () => [
    { kind: 'root', name: 'critical_w', statement: "the only w with ∂h'/∂h = 1 at z = h = 0 is w = 4", forward: STEP, wrt: 'h', space: { variables: VARIABLES }, at: { z: 0, h: 0 }, equals: 1, unknown: 'w', claim: '4' },
  ],
};

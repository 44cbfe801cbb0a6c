/**
 * Scalar recurrent step (problems/rnn-ratio.ts): a = z + h·w, h' = σ(a) − ½. The ratio
 * ∂h'/∂h = w·σ'(a), and the critical weight at which the ratio at z = h = 0 is 1 (a gradient through
 * many steps neither vanishes nor explodes there): w·σ'(0) = w/4 = 1, so critical_w = 4.
 */
import type { SymbolicFact } from '../fact.js';
import type { VariableSpaceSpec } from '../space.js';
import { product, sigmoid, sigmoidPrimeAsProduct } from './scalar-expansion.js';

const STEP = `${sigmoid('z + h * w')} - 0.5`;
/** The module draws w with standard deviation 3, so that ratios on both sides of 1 occur. */
const SPACE: VariableSpaceSpec = { variables: ['z', 'h', 'w'], domains: { w: { kind: 'normal', std: 3 } } };

export const rnnRatio: SymbolicFact = {
  problem: 'rnn-ratio',
  target: 'ratio',
  statement: "∂h'/∂h = w·σ'(z + h·w) for h' = σ(z + h·w) − ½",
  claims: () => [
    { kind: 'derivative', name: 'ratio', statement: "∂h'/∂h = w·σ(z + h·w)(1 − σ(z + h·w))", forward: STEP, wrt: 'h', claim: product('w', sigmoidPrimeAsProduct('z + h * w')), space: SPACE },
  ],
};

export const rnnCriticalW: SymbolicFact = {
  problem: 'rnn-ratio',
  target: 'critical_w',
  statement: "the w at which ratio(z = 0, h = 0) = 1 is 4 (w·σ'(0) = w/4)",
  claims: () => [
    { kind: 'root', name: 'critical_w', statement: "the only w with ∂h'/∂h = 1 at z = h = 0 is w = 4", forward: STEP, wrt: 'h', space: SPACE, at: { z: 0, h: 0 }, equals: 1, unknown: 'w', claim: '4' },
  ],
};

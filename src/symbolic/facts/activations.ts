/** Lemmas the sigmoid and tanh layers rely on: σ' = σ(1 − σ) and tanh' = 1 − tanh². */
import type { SymbolicFact } from '../fact.js';
import { sigmoid, sigmoidPrimeAsProduct } from './scalar-expansion.js';

export const sigmoidPrime: SymbolicFact = {
  problem: null,
  target: 'sigmoid-prime',
  statement: "σ'(x) = σ(x)(1 − σ(x)) with σ(x) = 1/(1 + e^{−x})",
  claims: () => [
    { kind: 'derivative', name: "sigmoid'", statement: "d/dx σ(x) = σ(x)(1 − σ(x))", forward: sigmoid('x'), wrt: 'x', claim: sigmoidPrimeAsProduct('x'), space: { variables: ['x'] } },
  ],
};

export const tanhPrime: SymbolicFact = {
  problem: null,
  target: 'tanh-prime',
  statement: "tanh'(x) = 1 − tanh²(x)",
  claims: () => [{ kind: 'derivative', name: "tanh'", statement: 'd/dx tanh(x) = 1 − tanh(x)^2', forward: 'tanh(x)', wrt: 'x', claim: '1 - tanh(x)^2', space: { variables: ['x'] } }],
};

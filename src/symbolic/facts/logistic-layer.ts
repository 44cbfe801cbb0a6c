/**
 * Logistic layer at n = m = 2: s = σ(W x + b) with W m×n, x n×1, b m×1, upstream g m×1, L = Σ g .* s.
 * With δ = g .* s .* (1 − s):  dW = δ xᵀ,  db = δ,  dx = Wᵀ δ.
 */
import type { SymbolicFact } from '../fact.js';
import type { SymbolicClaim } from '../obligation.js';
import { affine, flatten, matrixNames, outer, product, sigmoid, sum, transposeTimes, vectorNames } from './scalar-expansion.js';

const N = 2;
const M = 2;
const W = matrixNames('W', M, N);
const x = vectorNames('x', N);
const b = vectorNames('b', M);
const g = vectorNames('g', M);
const VARIABLES = [...flatten(W), ...x, ...b, ...g];
const s = affine(W, x, b).map(sigmoid);
const FORWARD = sum(g.map((gi, i) => product(gi, s[i]!)));
/** δ_i = g_i s_i (1 − s_i), the closed forms' common factor. */
const delta = g.map((gi, i) => product(gi, s[i]!, `1 - ${s[i]}`));

function entryClaims(target: string, wrt: readonly string[], closedForm: readonly string[]): SymbolicClaim[] {
  return wrt.map((v, k) => ({
    kind: 'derivative',
    name: `${target}: d/d${v}`,
    statement: `∂L/∂${v} is entry ${k + 1} of the closed form for ${target}`,
    forward: FORWARD,
    wrt: v,
    claim: closedForm[k]!,
    space: { variables: VARIABLES },
  }));
}

const STATEMENT = 'at n = m = 2, with δ = g .* s .* (1 − s):';

export const logisticDW: SymbolicFact = {
  problem: 'logistic-layer',
  target: 'dW',
  statement: `${STATEMENT} dW = δ xᵀ`,
  claims: () => entryClaims('dW', flatten(W), flatten(outer(delta, x))),
};

export const logisticDb: SymbolicFact = {
  problem: 'logistic-layer',
  target: 'db',
  statement: `${STATEMENT} db = δ`,
  claims: () => entryClaims('db', b, delta),
};

export const logisticDx: SymbolicFact = {
  problem: 'logistic-layer',
  target: 'dx',
  statement: `${STATEMENT} dx = Wᵀ δ`,
  claims: () => entryClaims('dx', x, transposeTimes(W, delta)),
};

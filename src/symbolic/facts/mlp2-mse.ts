/**
 * Two sigmoid layers with squared error (problems/mlp2-mse.yaml) at n = m = k = 2: x2 = σ(W1 x1 + b1),
 * x3 = σ(W2 x2 + b2), L = ½ Σ (t − x3)², with x1 n×1, W1 m×n, W2 k×m. With
 * δ2 = (x3 − t) .* x3 .* (1 − x3) and δ1 = (W2ᵀ δ2) .* x2 .* (1 − x2):
 * dW2 = δ2 x2ᵀ, db2 = δ2, dW1 = δ1 x1ᵀ, db1 = δ1.
 */
import type { SymbolicFact } from '../fact.js';
import type { SymbolicClaim } from '../obligation.js';
import { affine, flatten, matrixNames, outer, product, sigmoid, sum, transposeTimes, vectorNames } from './scalar-expansion.js';

const N = 2;
const M = 2;
const K = 2;
const x1 = vectorNames('x1', N);
const W1 = matrixNames('W1', M, N);
const b1 = vectorNames('b1', M);
const W2 = matrixNames('W2', K, M);
const b2 = vectorNames('b2', K);
const t = vectorNames('t', K);
const VARIABLES = [...x1, ...flatten(W1), ...b1, ...flatten(W2), ...b2, ...t];
const x2 = affine(W1, x1, b1).map(sigmoid);
const x3 = affine(W2, x2, b2).map(sigmoid);
const FORWARD = `0.5 * (${sum(x3.map((x3i, i) => `(${t[i]} - (${x3i}))^2`))})`;
/** δ2 = ∂L/∂a2 and δ1 = ∂L/∂a1, the closed forms' common factors. */
const delta2 = x3.map((x3i, i) => product(`${x3i} - ${t[i]}`, x3i, `1 - ${x3i}`));
const delta1 = transposeTimes(W2, delta2).map((v, p) => product(v, x2[p]!, `1 - ${x2[p]}`));

function entryClaims(target: string, wrt: readonly string[], closedForm: readonly string[]): SymbolicClaim[] {
  return wrt.map((v, i) => ({
    kind: 'derivative',
    name: `${target}: d/d${v}`,
    statement: `∂L/∂${v} is entry ${i + 1} of the closed form for ${target}`,
    forward: FORWARD,
    wrt: v,
    claim: closedForm[i]!,
    space: { variables: VARIABLES },
  }));
}

const STATEMENT = 'at n = m = k = 2, with δ2 = (x3 − t) .* x3 .* (1 − x3) and δ1 = (W2ᵀ δ2) .* x2 .* (1 − x2):';

export const mlp2DW2: SymbolicFact = { problem: 'mlp2-mse', target: 'dW2', statement: `${STATEMENT} dW2 = δ2 x2ᵀ`, claims: () => entryClaims('dW2', flatten(W2), flatten(outer(delta2, x2))) };
export const mlp2Db2: SymbolicFact = { problem: 'mlp2-mse', target: 'db2', statement: `${STATEMENT} db2 = δ2`, claims: () => entryClaims('db2', b2, delta2) };
export const mlp2DW1: SymbolicFact = { problem: 'mlp2-mse', target: 'dW1', statement: `${STATEMENT} dW1 = δ1 x1ᵀ`, claims: () => entryClaims('dW1', flatten(W1), flatten(outer(delta1, x1))) };
export const mlp2Db1: SymbolicFact = { problem: 'mlp2-mse', target: 'db1', statement: `${STATEMENT} db1 = δ1`, claims: () => entryClaims('db1', b1, delta1) };

/**
 * Two-layer perceptron with squared error at n = m = k = 2: h = σ(W1 x + b1), y = W2 h + b2,
 * L = ½ Σ (y − t)², with W1 m×n, W2 k×m. With e = y − t and δ = (W2ᵀ e) .* h .* (1 − h):
 * dW2 = e hᵀ, db2 = e, dW1 = δ xᵀ, db1 = δ, dx = W1ᵀ δ.
 */
import type { SymbolicFact } from '../fact.js';
import type { SymbolicClaim } from '../obligation.js';
import { affine, flatten, matrixNames, outer, product, sigmoid, sum, transposeTimes, vectorNames } from './scalar-expansion.js';

const N = 2;
const M = 2;
const K = 2;
const W1 = matrixNames('W1', M, N);
const b1 = vectorNames('b1', M);
const W2 = matrixNames('W2', K, M);
const b2 = vectorNames('b2', K);
const x = vectorNames('x', N);
const t = vectorNames('t', K);
const VARIABLES = [...flatten(W1), ...b1, ...flatten(W2), ...b2, ...x, ...t];
const h = affine(W1, x, b1).map(sigmoid);
const y = affine(W2, h, b2);
const e = y.map((yk, k) => `${yk} - ${t[k]}`);
const FORWARD = `0.5 * (${sum(e.map((ek) => `(${ek})^2`))})`;
/** δ_j = (W2ᵀ e)_j h_j (1 − h_j): the error back-propagated to the hidden pre-activations. */
const delta = transposeTimes(W2, e).map((v, j) => product(v, h[j]!, `1 - ${h[j]}`));

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

const STATEMENT = 'at n = m = k = 2, with e = y − t and δ = (W2ᵀ e) .* h .* (1 − h):';

export const mlp2DW2: SymbolicFact = { problem: 'mlp2-mse', target: 'dW2', statement: `${STATEMENT} dW2 = e hᵀ`, claims: () => entryClaims('dW2', flatten(W2), flatten(outer(e, h))) };
export const mlp2Db2: SymbolicFact = { problem: 'mlp2-mse', target: 'db2', statement: `${STATEMENT} db2 = e`, claims: () => entryClaims('db2', b2, e) };
export const mlp2DW1: SymbolicFact = { problem: 'mlp2-mse', target: 'dW1', statement: `${STATEMENT} dW1 = δ xᵀ`, claims: () => entryClaims('dW1', flatten(W1), flatten(outer(delta, x))) };
export const mlp2Db1: SymbolicFact = { problem: 'mlp2-mse', target: 'db1', statement: `${STATEMENT} db1 = δ`, claims: () => entryClaims('db1', b1, delta) };
export const mlp2Dx: SymbolicFact = { problem: 'mlp2-mse', target: 'dx', statement: `${STATEMENT} dx = W1ᵀ δ`, claims: () => entryClaims('dx', x, transposeTimes(W1, delta)) };

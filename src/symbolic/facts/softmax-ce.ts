/**
 * Softmax cross-entropy, L(z) = −Σ_j p_j log softmax_j(z), for K = 2..5 classes:
 * ∂L/∂z_i = softmax_i(z) − p_i given Σ_j p_j = 1 (p a probability vector). Without that condition the
 * gradient is softmax_i(z)·Σ_j p_j − p_i, and softmax_i(z) − p_i is refuted.
 */
import type { SymbolicFact } from '../fact.js';
import type { SymbolicClaim } from '../obligation.js';
import type { VariableDomain } from '../space.js';
import { product, sum, vectorNames } from './scalar-expansion.js';

/** Class counts proven; beyond 5 the expansions only repeat the pattern while mathjs's simplify slows down. */
export const SOFTMAX_CE_CLASSES = [2, 3, 4, 5] as const;

function claimsFor(K: number): SymbolicClaim[] {
  const z = vectorNames('z', K);
  const p = vectorNames('p', K);
  const variables = [...z, ...p];
  const partition = sum(z.map((zj) => `exp(${zj})`));
  const softmax = (i: number) => `exp(${z[i]}) / (${partition})`;
  const forward = `-(${sum(p.map((pj, j) => product(pj, `log(${softmax(j)})`)))})`;
  // On the simplex: p_1..p_{K−1} in (0, 1/K), so p_K = 1 − Σ_{j<K} p_j ≥ 1/K stays positive.
  const onSimplex: Record<string, VariableDomain> = Object.fromEntries(p.slice(0, -1).map((pj) => [pj, { kind: 'uniform', lo: 0, hi: 1 / K }]));
  const anywhere: Record<string, VariableDomain> = Object.fromEntries(p.map((pj) => [pj, { kind: 'uniform', lo: 0, hi: 1 }]));
  const sumToOne = { variable: p[K - 1]!, equals: `1 - (${p.slice(0, -1).join(' + ')})`, statement: 'sum_j p_j = 1' };
  return z.flatMap((zi, i): SymbolicClaim[] => [
    {
      kind: 'derivative',
      name: `dz${i + 1}, K = ${K}, given sum p = 1`,
      statement: `∂L/∂z${i + 1} = softmax_${i + 1}(z) − p${i + 1} when Σ_j p_j = 1`,
      forward,
      wrt: zi,
      claim: `${softmax(i)} - ${p[i]}`,
      space: { variables, domains: onSimplex, conditions: [sumToOne] },
    },
    {
      kind: 'derivative',
      name: `dz${i + 1}, K = ${K}, any p`,
      statement: `∂L/∂z${i + 1} = softmax_${i + 1}(z)·Σ_j p_j − p${i + 1} for any p (the true gradient without Σ p = 1)`,
      forward,
      wrt: zi,
      claim: `${product(softmax(i), sum(p))} - ${p[i]}`,
      space: { variables, domains: anywhere },
    },
    {
      kind: 'derivative',
      name: `dz${i + 1}, K = ${K}, any p, softmax - p`,
      statement: `without Σ_j p_j = 1, softmax_${i + 1}(z) − p${i + 1} is not ∂L/∂z${i + 1}`,
      forward,
      wrt: zi,
      claim: `${softmax(i)} - ${p[i]}`,
      space: { variables, domains: anywhere },
      expect: 'fails',
    },
  ]);
}

export const softmaxCeDz: SymbolicFact = {
  problem: 'softmax-ce',
  target: 'dz',
  statement: '∂/∂z_i of −Σ_j p_j log softmax_j(z) is softmax_i(z) − p_i given Σ_j p_j = 1 (K = 2..5); for any p it is softmax_i(z)·Σ_j p_j − p_i',
  claims: () => SOFTMAX_CE_CLASSES.flatMap(claimsFor),
};

import { describe, expect, test } from 'vitest';
import { compileClaim } from '../../src/problem/claim.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem avgpool-sigmoid-conv (the question file problems/avgpool-sigmoid-conv.yaml). */
const avgpoolSigmoidConv = findProblem(problems, 'avgpool-sigmoid-conv');

/**
 * The block in numpy with explicit loops (0-based): C[i,j] = Σ X[i+u, j+v] K[u,v], the pool's gradient
 * G[i//2, j//2]/4 entry by entry, σ' = S(1 − S), dK[u,v] = Σ X[i+u, j+v] dC[i,j], and one SGD step on K.
 */
const NUMPY_BLOCK = `
import json, sys, numpy as np
d = json.load(sys.stdin)
X, K, G, lr = np.array(d['X'], float), np.array(d['K'], float), np.array(d['G'], float), d['lr']
kh, kw = K.shape
R, Q = X.shape[0] - kh + 1, X.shape[1] - kw + 1
C = np.array([[np.sum(X[i:i+kh, j:j+kw] * K) for j in range(Q)] for i in range(R)])
S = 1 / (1 + np.exp(-C))
P = np.array([[S[2*a:2*a+2, 2*b:2*b+2].mean() for b in range(Q // 2)] for a in range(R // 2)])
dS = np.array([[G[i // 2, j // 2] / 4 for j in range(Q)] for i in range(R)])
dC = dS * S * (1 - S)
dK = np.array([[np.sum(X[u:u+R, v:v+Q] * dC) for v in range(kw)] for u in range(kh)])
print(json.dumps({'loss': float((G * P).sum()), 'dS': dS.tolist(), 'dC': dC.tolist(), 'dK': dK.tolist(), 'K': (K - lr * dK).tolist()}))
`;

/** numpy and derivcheck evaluate the same few exp/products in possibly different orders: a few ulps. */
const NUMPY_AGREEMENT = 1e-13;

describe('avgpool-sigmoid-conv', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(avgpoolSigmoidConv);
  });

  test.skipIf(!hasPython)('worked example pool-2x2: loss, dS, dC, dK and the SGD step on K match numpy', () => {
    const worked = workExample(avgpoolSigmoidConv, 'pool-2x2');
    const expected = runPython(NUMPY_BLOCK, { ...worked.example.inputs, lr: worked.example.lr }) as Record<'dS' | 'dC' | 'dK' | 'K', number[][]> & { loss: number };
    expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * Math.max(1, Math.abs(expected.loss)));
    for (const name of ['dS', 'dC', 'dK'] as const) expectClose(worked.gradients[name]!, Tensor.fromNested(expected[name]), NUMPY_AGREEMENT);
    expectClose(worked.stepped['K']!, Tensor.fromNested(expected.K), NUMPY_AGREEMENT);
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(avgpoolSigmoidConv, 'pool-2x2')) expect(verdict.status, formula).toBe('pass');
  });

  test("at K = 0 every σ' is exactly 1/4, so dC is G spread over its 2×2 blocks divided by 16", () => {
    // K = 0 puts every entry of C at 0, where σ = 1/2 and σ(1 − σ) = 1/4 exactly in float64.
    const dims = { N: 1, M: 2, kh: 2, kw: 1 };
    const X = Tensor.fromNested([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    const G = Tensor.fromNested([[16, -32]]);
    const values = avgpoolSigmoidConv.forward(dims).evaluate({ X, K: Tensor.zeros([2, 1]), G });
    const dC = avgpoolSigmoidConv.targets.find((t) => t.name === 'dC')!;
    expect(compileClaim(avgpoolSigmoidConv, dC, dC.closedForms[0]!.formula).evaluate(values, dims).toNested()).toEqual([
      [1, 1, -2, -2],
      [1, 1, -2, -2],
    ]);
  });
});

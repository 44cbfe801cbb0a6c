import { describe, expect, test } from 'vitest';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem conv2d (the question file problems/conv2d.yaml). */
const conv2dLayer = findProblem(problems, 'conv2d');

/**
 * The layer in numpy with explicit loops (0-based): Y[n,f,i,j] = Σ_{c,u,v} X[n,c,i+u,j+v] K[f,c,u,v];
 * dX by scattering every dY[n,f,i,j]·K[f,c] onto the window it came from (no convolution written as
 * such); dK[f,c,u,v] = Σ_{n,i,j} X[n,c,i+u,j+v] dY[n,f,i,j]; one SGD step on K.
 */
const NUMPY_CONV_LAYER = `
import json, sys, numpy as np
d = json.load(sys.stdin)
X, K, dY, lr = np.array(d['X'], float), np.array(d['K'], float), np.array(d['dY'], float), d['lr']
N, C, H, W = X.shape
F, _, kh, kw = K.shape
Ho, Wo = H - kh + 1, W - kw + 1
Y = np.zeros((N, F, Ho, Wo))
dX = np.zeros_like(X)
dK = np.zeros_like(K)
for n in range(N):
  for f in range(F):
    for i in range(Ho):
      for j in range(Wo):
        window = X[n, :, i:i+kh, j:j+kw]
        Y[n, f, i, j] = np.sum(window * K[f])
        dX[n, :, i:i+kh, j:j+kw] += dY[n, f, i, j] * K[f]
        dK[f] += dY[n, f, i, j] * window
print(json.dumps({'loss': float((dY * Y).sum()), 'dX': dX.tolist(), 'dK': dK.tolist(), 'K': (K - lr * dK).tolist()}))
`;

/** numpy and derivcheck add the same few products in different orders: a few ulps. */
const NUMPY_AGREEMENT = 1e-13;

describe('conv2d', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(conv2dLayer);
  });

  test.skipIf(!hasPython)('worked example conv-2ch-3x4: loss, dX, dK and the SGD step on K match numpy', () => {
    const worked = workExample(conv2dLayer, 'conv-2ch-3x4');
    const expected = runPython(NUMPY_CONV_LAYER, { ...worked.example.inputs, lr: worked.example.lr }) as Record<'dX' | 'dK' | 'K', number[][][][]> & { loss: number };
    expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * Math.max(1, Math.abs(expected.loss)));
    for (const name of ['dX', 'dK'] as const) expectClose(worked.gradients[name]!, Tensor.fromNested(expected[name]), NUMPY_AGREEMENT);
    expectClose(worked.stepped['K']!, Tensor.fromNested(expected.K), NUMPY_AGREEMENT);
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(conv2dLayer, 'conv-2ch-3x4')) expect(verdict.status, formula).toBe('pass');
  });

  test('FD perturbs X and K incrementally (a kh×kw window per entry), so full sweeps stay cheap', () => {
    const dims = { N: 3, C: 3, F: 3, H: 7, W: 6, kh: 3, kw: 2 };
    const rng = new Rng(7);
    const inputs = {
      X: sample.normal(rng, [3, 3, 7, 6]),
      K: sample.normal(rng, [3, 3, 3, 2]),
      dY: sample.normal(rng, [3, 3, 5, 5]),
    };
    const graph = conv2dLayer.forward(dims);
    expect(graph.objective('X', inputs).incremental).toBe(true);
    expect(graph.objective('K', inputs).incremental).toBe(true);
  });
});

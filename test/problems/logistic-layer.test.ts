import { describe, expect, test } from 'vitest';
import { compileClaim } from '../../src/problem/claim.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem logistic-layer (the question file problems/logistic-layer.yaml). */
const logisticLayer = findProblem(problems, 'logistic-layer');

/** Forward and gradients of the logistic layer in numpy: σ'(a) = σ(a)(1 − σ(a)), chain rule by hand. */
const NUMPY_LOGISTIC = `
import json, sys, numpy as np
d = json.load(sys.stdin)
x, W, b, g = (np.array(d[k], dtype=float) for k in ('x', 'W', 'b', 'g'))
s = 1 / (1 + np.exp(-(W @ x + b)))
delta = g * s * (1 - s)
print(json.dumps({'loss': float((g * s).sum()), 'dx': (W.T @ delta).tolist(), 'dW': (delta @ x.T).tolist(), 'db': delta.tolist()}))
`;

/** numpy and derivcheck evaluate the same few exp/products in possibly different orders: a few ulps. */
const NUMPY_AGREEMENT = 1e-13;

describe('logistic-layer', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(logisticLayer);
  });

  test.skipIf(!hasPython)('worked example logistic-3-to-2: loss and dx, dW, db match numpy', () => {
    const worked = workExample(logisticLayer, 'logistic-3-to-2');
    const expected = runPython(NUMPY_LOGISTIC, worked.example.inputs) as Record<'dx' | 'dW' | 'db', number[][]> & { loss: number };
    expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * Math.max(1, Math.abs(expected.loss)));
    for (const name of ['dx', 'dW', 'db'] as const) expectClose(worked.gradients[name]!, Tensor.fromNested(expected[name]), NUMPY_AGREEMENT);
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(logisticLayer, 'logistic-3-to-2')) expect(verdict.status, formula).toBe('pass');
  });

  test("at a = 0 the σ' factor is exactly 1/4: db = g/4 and dW = (g/4) xᵀ", () => {
    // W = 0 and b = 0 put every pre-activation at 0, where σ = 1/2 and σ' = 1/4 exactly in float64.
    const dims = { n: 2, m: 3 };
    const g = Tensor.fromNested([[1], [-2], [0.5]]);
    const x = Tensor.fromNested([[3], [-1]]);
    const values = logisticLayer.forward(dims).evaluate({ x, W: Tensor.zeros([3, 2]), b: Tensor.zeros([3, 1]), g });
    const claimOf = (name: string) => {
      const target = logisticLayer.targets.find((t) => t.name === name)!;
      return compileClaim(logisticLayer, target, target.closedForms[0]!.formula).evaluate(values, dims);
    };
    expect(claimOf('db').toNested()).toEqual([[0.25], [-0.5], [0.125]]);
    expect(claimOf('dW').toNested()).toEqual([[0.75, -0.25], [-1.5, 0.5], [0.375, -0.125]]);
  });
});

import { describe, expect, test } from 'vitest';
import { verdictAt } from '../../src/problem/check.js';
import { compileClaim } from '../../src/problem/claim.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, exampleInputs, exampleNamed, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem mlp2-mse (the question file problems/mlp2-mse.yaml). */
const mlp2Mse = findProblem(problems, 'mlp2-mse');

/** Forward, backpropagation by hand and one SGD step in numpy. */
const NUMPY_MLP_STEP = `
import json, sys, numpy as np
d = json.load(sys.stdin)
lr = d.pop('lr')
x1, W1, b1, W2, b2, t = (np.array(d[k], dtype=float) for k in ('x1', 'W1', 'b1', 'W2', 'b2', 't'))
sig = lambda a: 1 / (1 + np.exp(-a))
x2 = sig(W1 @ x1 + b1)
x3 = sig(W2 @ x2 + b2)
d2 = (x3 - t) * x3 * (1 - x3)
d1 = (W2.T @ d2) * x2 * (1 - x2)
grads = {'dW1': d1 @ x1.T, 'db1': d1, 'dW2': d2 @ x2.T, 'db2': d2}
params = {'W1': W1, 'b1': b1, 'W2': W2, 'b2': b2}
out = {'loss': float(0.5 * ((t - x3) ** 2).sum())}
out.update({k: v.tolist() for k, v in grads.items()})
out['stepped'] = {k: (v - lr * grads['d' + k]).tolist() for k, v in params.items()}
print(json.dumps(out))
`;

/** numpy and derivcheck evaluate the same exp/products in possibly different orders: a few ulps on O(1) values. */
const NUMPY_AGREEMENT = 1e-13;
const GRADIENTS = ['dW1', 'db1', 'dW2', 'db2'] as const;
const PARAMETERS = ['W1', 'b1', 'W2', 'b2'] as const;

describe('mlp2-mse', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(mlp2Mse);
  });

  test.skipIf(!hasPython)('worked example sigmoid-mlp-step: loss, the four gradients and the SGD step (lr 0.5) match numpy', () => {
    const worked = workExample(mlp2Mse, 'sigmoid-mlp-step');
    expect(worked.example.lr).toBe(0.5);
    type Expected = Record<(typeof GRADIENTS)[number], number[][]> & { loss: number; stepped: Record<(typeof PARAMETERS)[number], number[][]> };
    const expected = runPython(NUMPY_MLP_STEP, { ...worked.example.inputs, lr: worked.example.lr }) as Expected;
    expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * Math.max(1, Math.abs(expected.loss)));
    for (const name of GRADIENTS) expectClose(worked.gradients[name]!, Tensor.fromNested(expected[name]), NUMPY_AGREEMENT);
    for (const name of PARAMETERS) expectClose(worked.stepped[name]!, Tensor.fromNested(expected.stepped[name]), NUMPY_AGREEMENT);
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(mlp2Mse, 'sigmoid-mlp-step')) expect(verdict.status, formula).toBe('pass');
  });

  test('the forgotten ½ is rejected at the worked example: every entry of dW2 comes out doubled', () => {
    const target = mlp2Mse.targets.find((t) => t.name === 'dW2')!;
    const doubled = target.mistakes.find((m) => m.label === 'factor')!;
    const example = exampleNamed(mlp2Mse, 'sigmoid-mlp-step');
    const claim = compileClaim(mlp2Mse, target, doubled.formula);
    const verdict = verdictAt(mlp2Mse, target, claim, example.dims, 0, exampleInputs(mlp2Mse, example));
    expect(verdict.status).toBe('fail');
    expect(verdict.overBudget).toBe(4);
    for (const entry of verdict.worst) expect(entry.analytic / entry.numeric).toBeCloseTo(2, 8);
  });
});

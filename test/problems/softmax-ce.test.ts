import { describe, expect, test } from 'vitest';
import { softmaxCe } from '../../problems/softmax-ce.js';
import { verifyProperty } from '../../src/problem/verify.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { TEST_RUNS, expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';

/** Loss and gradient of softmax cross-entropy in numpy (rows are samples), from the definition. */
const NUMPY_SOFTMAX_CE = `
import json, sys, numpy as np
d = json.load(sys.stdin)
z, p = np.array(d['z']), np.array(d['p'])
s = np.exp(z - z.max(axis=1, keepdims=True)); s /= s.sum(axis=1, keepdims=True)
print(json.dumps({'loss': float(-(p * np.log(s)).sum()), 'dz': (s * p.sum(axis=1, keepdims=True) - p).tolist()}))
`;

/**
 * numpy and derivcheck evaluate the same handful of float64 operations (exp, a row sum, a log) in
 * possibly different orders: a few ulps on O(1) values, so 1e-13 relative leaves margin.
 */
const NUMPY_AGREEMENT = 1e-13;

describe('softmax-ce', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(softmaxCe);
  });

  test('softmax(z) − p is not the gradient without Σp = 1, and the shrunk counterexample is one sample of one class', () => {
    const property = softmaxCe.properties.find((p) => p.name === 'closed-form-needs-simplex')!;
    const report = verifyProperty(softmaxCe, property, 0, { runs: TEST_RUNS, seed: 1 });
    expect(report.status).toBe('pass');
    // At B = K = 1 the loss is −p·log 1 = 0 for every z, so dz = 0, while softmax(z) − p = 1 − p ≠ 0.
    expect((report.counterexample!.value as { dims: unknown }).dims).toEqual({ B: 1, K: 1 });
    expect(report.counterexample!.message).toMatch(/differs from FD at dims \{"B":1,"K":1\}/);
  });

  test.skipIf(!hasPython)('worked example softmax-ce-2x3: loss and dz match numpy', () => {
    const worked = workExample(softmaxCe, 'softmax-ce-2x3');
    const expected = runPython(NUMPY_SOFTMAX_CE, worked.example.inputs) as { loss: number; dz: number[][] };
    expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * Math.abs(expected.loss));
    expectClose(worked.gradients['dz']!, Tensor.fromNested(expected.dz), NUMPY_AGREEMENT);
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(softmaxCe, 'softmax-ce-2x3')) expect(verdict.status, formula).toBe('pass');
  });
});

import { describe, expect, test } from 'vitest';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem softmax-ce-labels (the question file problems/softmax-ce-labels.yaml). */
const softmaxCeLabels = findProblem(problems, 'softmax-ce-labels');

/** Mean cross-entropy of integer labels, columns are samples, in numpy: picks −log s[c_b − 1, b] directly, no one-hot. */
const NUMPY_SOFTMAX_CE_LABELS = `
import json, sys, numpy as np
d = json.load(sys.stdin)
z, c = np.array(d['z']), np.array(d['c']) - 1
K, B = z.shape
s = np.exp(z - z.max(axis=0)); s /= s.sum(axis=0)
dz = s.copy(); dz[c, np.arange(B)] -= 1; dz /= B
print(json.dumps({'loss': float(-np.log(s[c, np.arange(B)]).mean()), 'dz': dz.tolist()}))
`;

/** Same handful of float64 operations in possibly different orders: a few ulps on O(1) values. */
const NUMPY_AGREEMENT = 1e-13;

/** A column sum of K = 3 terms of size ≤ 1/B: each addition rounds by at most ε/2 of a value ≤ 1. */
const COLUMN_SUM_TOL = 4 * Number.EPSILON;

describe('softmax-ce-labels', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(softmaxCeLabels);
  });

  test.skipIf(!hasPython)('worked example softmax-ce-labels-3x2: loss and dz match numpy', () => {
    const worked = workExample(softmaxCeLabels, 'softmax-ce-labels-3x2');
    const expected = runPython(NUMPY_SOFTMAX_CE_LABELS, worked.example.inputs) as { loss: number; dz: number[][] };
    expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * Math.abs(expected.loss));
    expectClose(worked.gradients['dz']!, Tensor.fromNested(expected.dz), NUMPY_AGREEMENT);
  });

  test('each column of dz sums to 0 and the label entry is the only negative one', () => {
    // Σ_k (s[k,b] − δ_{k c_b}) / B = (1 − 1) / B; s > 0 everywhere, so only the label row can go below 0.
    const { gradients, inputs } = workExample(softmaxCeLabels, 'softmax-ce-labels-3x2');
    const dz = gradients['dz']!;
    const labels = Array.from(inputs['c']!.data);
    labels.forEach((c, b) => {
      let total = 0;
      for (let k = 0; k < 3; k++) {
        total += dz.get(k, b);
        expect(dz.get(k, b) < 0, `dz[${k + 1},${b + 1}]`).toBe(k === c - 1);
      }
      expect(Math.abs(total)).toBeLessThanOrEqual(COLUMN_SUM_TOL);
    });
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(softmaxCeLabels, 'softmax-ce-labels-3x2')) expect(verdict.status, formula).toBe('pass');
  });
});

import { beforeAll, describe, expect, test } from 'vitest';
import { type ProblemReport, verifyProblem } from '../../src/problem/verify.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { TEST_RUNS, failuresOf } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem dense-batch-col (the question file problems/dense-batch-col.yaml). */
const denseBatchCol = findProblem(problems, 'dense-batch-col');

/** Loss and gradients of the column-layout dense layer in numpy, from the definition L = Σ dY .* (W X + b 1ᵀ). */
const NUMPY_DENSE_COL = `
import json, sys, numpy as np
d = json.load(sys.stdin)
X, W, b, dY = (np.array(d[k], dtype=float) for k in ('X', 'W', 'b', 'dY'))
Y = W @ X + b
print(json.dumps({'loss': float((dY * Y).sum()), 'dX': (W.T @ dY).tolist(), 'dW': (dY @ X.T).tolist(), 'db': dY.sum(axis=1, keepdims=True).tolist()}))
`;

/** numpy and derivcheck sum the same few products in possibly different orders: a few ulps on O(1) values. */
const NUMPY_AGREEMENT = 1e-13;

describe('dense-batch-col', () => {
  // One verification run serves the tests that read its report.
  let report: ProblemReport;
  beforeAll(() => {
    report = verifyProblem(denseBatchCol, { runs: TEST_RUNS, seed: 1 });
  });

  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expect(failuresOf(report)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  test('a 1/N mistake is caught on a batch of two or more samples (at N = 1 a mean is the sum)', () => {
    const meanVsSum = report.targets.flatMap((t) => t.mistakes.filter((m) => m.label === 'mean-vs-sum'));
    expect(meanVsSum.length).toBeGreaterThanOrEqual(3);
    for (const m of meanVsSum) {
      expect(m.finding.status, m.formula).toBe('incorrect');
      expect(m.finding.evidence!.dims['N'], m.formula).toBeGreaterThanOrEqual(2);
    }
  });

  test("the rows-are-samples answer dY' * W is refused with a transposed-shape error, before any number", () => {
    const transposed = report.targets.find((t) => t.target === 'dX')!.mistakes.find((m) => m.label === 'transposed')!;
    expect(transposed.finding).toMatchObject({ status: 'incorrect', reason: 'shape', mistake: { label: 'transposed' } });
    expect(transposed.finding.message).toMatch(/expected D×N, got N×D/);
  });

  test.skipIf(!hasPython)('worked example dense-col-3x2x2: loss and dX, dW, db match numpy', () => {
    const worked = workExample(denseBatchCol, 'dense-col-3x2x2');
    const expected = runPython(NUMPY_DENSE_COL, worked.example.inputs) as Record<'dX' | 'dW' | 'db', number[][]> & { loss: number };
    expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * Math.max(1, Math.abs(expected.loss)));
    for (const name of ['dX', 'dW', 'db'] as const) expectClose(worked.gradients[name]!, Tensor.fromNested(expected[name]), NUMPY_AGREEMENT);
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(denseBatchCol, 'dense-col-3x2x2')) expect(verdict.status, formula).toBe('pass');
  });
});

import { describe, expect, test } from 'vitest';
import { evaluateProblem } from '../../src/problem/evaluate.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem dense-batch (the question file problems/dense-batch.yaml). */
const denseBatch = findProblem(problems, 'dense-batch');

const NUMPY_DENSE = `
import json, sys, numpy as np
d = json.load(sys.stdin)
X, W, b, dY = (np.array(d[k], dtype=float) for k in ('X', 'W', 'b', 'dY'))
Y = X @ W + b
print(json.dumps({'loss': float((dY * Y).sum()), 'dX': (dY @ W.T).tolist(), 'dW': (X.T @ dY).tolist(), 'db': dY.sum(axis=0, keepdims=True).tolist()}))
`;

describe('dense-batch', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(denseBatch);
  });

  test.skipIf(!hasPython)('worked example dense-2x2x3: loss and gradients match numpy', () => {
    const worked = workExample(denseBatch, 'dense-2x2x3');
    const expected = runPython(NUMPY_DENSE, worked.example.inputs) as Record<string, number | number[][]>;
    expect(worked.loss).toBeCloseTo(expected['loss'] as number, 13);
    for (const name of ['dX', 'dW', 'db']) expectClose(worked.gradients[name]!, Tensor.fromNested(expected[name] as number[][]), 1e-14);
  });

  test('every closed form (whole-tensor, index notation, LaTeX) passes the FD check at the worked example', () => {
    const verdicts = closedFormVerdictsAt(denseBatch, 'dense-2x2x3');
    expect(verdicts.length).toBe(10);
    for (const { formula, verdict } of verdicts) expect(verdict.status, formula).toBe('pass');
  });

  test('eval names the mistake of a mean instead of a sum for db: the known mistake of the problem', () => {
    const example = denseBatch.examples[0]!;
    const report = evaluateProblem(denseBatch, { dims: example.dims, inputs: example.inputs }, { example, formulas: { db: 'mean(dY, 1)' } });
    const db = report.targets.find((t) => t.name === 'db')!;
    expect(db.formula!.finding.status).toBe('incorrect');
    expect(db.formula!.finding.mistake).toMatchObject({ label: 'mean-vs-sum', source: 'known-mistake' });
    // Without the known mistake, the pattern alone says the same, with the factor 1/N it sees.
    const bare = { ...denseBatch, targets: denseBatch.targets.map((t) => ({ ...t, mistakes: [] })) };
    const unnamed = evaluateProblem(bare, { dims: example.dims, inputs: example.inputs }, { example, formulas: { db: 'mean(dY, 1)' } });
    expect(unnamed.targets.find((t) => t.name === 'db')!.formula!.finding.mistake).toMatchObject({ label: 'mean-vs-sum', description: expect.stringContaining(`factor ${1 / example.dims['N']!}`), source: 'fd-pattern' });
  });

  test('one SGD step moves W and b against the gradients (W − lr·Xᵀ dY, b − lr·Σ dY)', () => {
    const example = denseBatch.examples[0]!;
    const report = evaluateProblem(denseBatch, { inputs: example.inputs }, { lr: 0.5 });
    // Xᵀ dY = [[1·1+3·0.5, 1·0+3·2, 1·(−1)+3·1], [2·1+4·0.5, 2·0+4·2, 2·(−1)+4·1]] = [[2.5, 6, 2], [4, 8, 2]].
    expectClose(report.step!.params['W']!, Tensor.fromNested([[0.5 - 1.25, -1 - 3, 2 - 1], [1 - 2, 0 - 4, -0.5 - 1]]), 1e-15);
    // Σ dY over rows = [1.5, 2, 0].
    expectClose(report.step!.params['b']!, Tensor.fromNested([[0.1 - 0.75, 0.2 - 1, 0.3]]), 1e-15);
  });
});

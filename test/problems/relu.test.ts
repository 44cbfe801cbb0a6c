import { describe, expect, test } from 'vitest';
import { compileClaim } from '../../src/problem/claim.js';
import { verdictAt } from '../../src/problem/check.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem relu (the question file problems/relu.yaml). */
const reluActivation = findProblem(problems, 'relu');

const NUMPY_RELU = `
import json, sys, numpy as np
d = json.load(sys.stdin)
X, dY = np.array(d['X']), np.array(d['dY'])
print(json.dumps({'loss': float((np.maximum(X, 0) * dY).sum()), 'dX': np.where(X > 0, dY, 0.0).tolist()}))
`;

describe('relu', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(reluActivation);
  });

  test.skipIf(!hasPython)('worked example relu-2x3: loss and dX match numpy exactly', () => {
    // Masking and a sum of six products of small binary fractions: every operation is exact.
    const worked = workExample(reluActivation, 'relu-2x3');
    const expected = runPython(NUMPY_RELU, worked.example.inputs) as { loss: number; dX: number[][] };
    expect(worked.loss).toBe(expected.loss);
    expectClose(worked.gradients['dX']!, Tensor.fromNested(expected.dX), 0);
  });

  test('every closed form passes the FD check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(reluActivation, 'relu-2x3')) expect(verdict.status, formula).toBe('pass');
  });

  describe('an input within the FD step of the kink', () => {
    const target = reluActivation.targets[0]!;
    const inputs = { X: Tensor.fromNested([[1e-9, -2], [0.5, 1]]), dY: Tensor.fromNested([[1, 2], [3, 4]]) };
    const verdictOf = (formula: string) => verdictAt(reluActivation, target, compileClaim(reluActivation, target, formula), { N: 2, D: 2 }, 0, inputs);

    test('makes the closed form non-differentiable at that entry, not wrong', () => {
      const verdict = verdictOf('(X > 0) .* dY');
      expect(verdict.status).toBe('non-differentiable');
      expect(verdict.nonDifferentiableEntries.map((e) => e.index)).toEqual([[0, 0]]);
    });

    test('does not hide a mistake that is wrong at a smooth entry', () => {
      // dY passes the gradient 2 through X[1,2] = −2, where relu is flat.
      const verdict = verdictOf('dY');
      expect(verdict.status).toBe('fail');
      expect(verdict.worst[0]!.index).toEqual([0, 1]);
    });
  });
});

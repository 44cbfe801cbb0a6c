import { describe, expect, test } from 'vitest';
import { compileClaim } from '../../src/problem/claim.js';
import { verdictAt } from '../../src/problem/check.js';
import { sampleDomain, sampleInputs } from '../../src/problem/sample.js';
import { concreteShape } from '../../src/problem/shapes.js';
import { Rng } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';
import { problems } from '../../problems/index.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem relu-softmax-ce (the question file problems/relu-softmax-ce.yaml). */
const reluSoftmaxCe = findProblem(problems, 'relu-softmax-ce');

/** The layer, the loss, backprop and one SGD step in numpy, written from the definitions. */
const NUMPY_RELU_SOFTMAX_STEP = `
import json, sys, numpy as np
d = json.load(sys.stdin)
x, W, b, p, lr = (np.array(d[k]) for k in ('x', 'W', 'b', 'p', 'lr'))
q = W @ x + b
z = np.maximum(q, 0)
s = np.exp(z - z.max()); s /= s.sum()
dz = s - p
dq = dz * (q > 0)
dW, db = dq @ x.T, dq
print(json.dumps({'q': q.tolist(), 'loss': float(-(p * np.log(s)).sum()), 'dz': dz.tolist(), 'dW': dW.tolist(), 'db': db.tolist(),
                  'W1': (W - lr * dW).tolist(), 'b1': (b - lr * db).tolist()}))
`;

/** A few float64 operations on O(1) values, possibly in another order: a few ulps. */
const NUMPY_AGREEMENT = 1e-13;

describe('relu-softmax-ce', () => {
  test('every closed form agrees with FD on random shapes and every known mistake is rejected', () => {
    expectVerified(reluSoftmaxCe);
  });

  describe('worked example relu-softmax-step', () => {
    test('q = [1; −1]: the first unit is on, the second off, and neither is at the kink', () => {
      const { values, example } = workExample(reluSoftmaxCe, 'relu-softmax-step');
      expect(Array.from(values['q']!.data)).toEqual([1, -1]);
      expect(Array.from(values['z']!.data)).toEqual([1, 0]);
      expect(example.lr).toBe(0.02);
    });

    test.skipIf(!hasPython)('loss, dz, dW, db and the parameters after one SGD step match numpy', () => {
      const worked = workExample(reluSoftmaxCe, 'relu-softmax-step');
      const expected = runPython(NUMPY_RELU_SOFTMAX_STEP, { ...worked.example.inputs, lr: worked.example.lr }) as Record<string, number[][]> & { loss: number };
      expect(Math.abs(worked.loss - expected.loss)).toBeLessThanOrEqual(NUMPY_AGREEMENT * expected.loss);
      for (const name of ['dz', 'dW', 'db']) expectClose(worked.gradients[name]!, Tensor.fromNested(expected[name]!), NUMPY_AGREEMENT);
      expectClose(worked.stepped['W']!, Tensor.fromNested(expected['W1']!), NUMPY_AGREEMENT);
      expectClose(worked.stepped['b']!, Tensor.fromNested(expected['b1']!), NUMPY_AGREEMENT);
      // Only the parameters step; the data x and p stay as they are.
      expect(Object.keys(worked.stepped).sort()).toEqual(['W', 'b']);
    });

    test('every closed form passes the FD check there', () => {
      for (const { target, formula, verdict } of closedFormVerdictsAt(reluSoftmaxCe, 'relu-softmax-step')) expect(verdict.status, `${target}: ${formula}`).toBe('pass');
    });
  });

  test('a pre-activation within the FD step of 0 makes dW and db non-differentiable, not wrong', () => {
    // q = W x + b = [1e-9; 0.5]: the first unit sits on the kink.
    const inputs = {
      x: Tensor.fromNested([[1], [2]]),
      W: Tensor.fromNested([[1, 0], [0, 0.25]]),
      b: Tensor.fromNested([[-1 + 1e-9], [0]]),
      p: Tensor.fromNested([[0.3], [0.7]]),
    };
    for (const target of reluSoftmaxCe.targets.filter((t) => t.name !== 'dz')) {
      const claim = compileClaim(reluSoftmaxCe, target, target.closedForms[0]!.formula);
      expect(verdictAt(reluSoftmaxCe, target, claim, { N: 2, K: 2 }, 0, inputs).status, target.name).toBe('non-differentiable');
    }
  });

  test('a draw with every unit off is redrawn, reproducibly from the same seed', () => {
    const dims = { N: 3, K: 2 };
    // The first draw at a seed, as sampleInputs makes it before asking the problem whether it is admissible.
    const firstDraw = (seed: number) =>
      Object.fromEntries(reluSoftmaxCe.inputs.map((input, i) => [input.name, sampleDomain(input.domain, concreteShape(input.shape, dims, input.name), dims, Rng.derive(seed, i))]));
    const qOf = (inputs: Record<string, Tensor>) => Array.from(reluSoftmaxCe.forward(dims).evaluate(inputs)['q']!.data);
    // With K = 2 about one draw in four has q < 0 in both units.
    const seed = Array.from({ length: 64 }, (_, s) => s).find((s) => qOf(firstDraw(s)).every((v) => v < 0))!;
    expect(seed).toBeDefined();
    const drawn = sampleInputs(reluSoftmaxCe, dims, seed);
    expect(qOf(drawn).some((v) => v > 0)).toBe(true);
    expect(qOf(sampleInputs(reluSoftmaxCe, dims, seed))).toEqual(qOf(drawn));
  });
});

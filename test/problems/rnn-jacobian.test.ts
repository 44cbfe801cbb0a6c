import { describe, expect, test } from 'vitest';
import { rnnJacobian } from '../../problems/rnn-jacobian.js';
import { jacobian } from '../../src/fd/jacobian.js';
import { compileClaim } from '../../src/problem/claim.js';
import { sampleInputs } from '../../src/problem/sample.js';
import { spectralNorm } from '../../src/tensor/linalg.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from '../tensor/reference.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, exampleInputs, exampleNamed } from './worked-example.js';

/** The recurrence, the last step's Jacobian, ∂h_T/∂h_0 as the product of step Jacobians, and the bound, in numpy. */
const NUMPY_RNN = `
import json, sys, numpy as np
d = json.load(sys.stdin)
Wh, Wx, b, x, h = (np.array(d[k], dtype=float) for k in ('Wh', 'Wx', 'b', 'x', 'h0'))
T = x.shape[1]
full = np.eye(Wh.shape[0])
for t in range(T):
    h = 1 / (1 + np.exp(-(Wh @ h + Wx @ x[:, t:t+1] + b)))
    step = np.diag((h * (1 - h)).ravel()) @ Wh
    full = step @ full
print(json.dumps({'h': h.tolist(), 'step': step.tolist(), 'full': full.tolist(),
                  'fullNorm': float(np.linalg.norm(full, 2)), 'bound': float((np.linalg.norm(Wh, 2) / 4) ** T)}))
`;

/** numpy and derivcheck evaluate the same exp and products in possibly different orders: a few ulps. */
const NUMPY_AGREEMENT = 1e-13;
/** FD Jacobians (central differences + Richardson) are accurate to ~1e-10 on these O(1) smooth maps. */
const FD_AGREEMENT = 1e-8;
const EXAMPLE = 'rnn-2x1x3';

function stepClaim() {
  const target = rnnJacobian.targets.find((t) => t.name === 'step')!;
  return compileClaim(rnnJacobian, target, target.closedForms[0]!.formula);
}

describe('rnn-jacobian', () => {
  test('every closed form agrees with the FD Jacobian on random shapes, every mistake is rejected, and the norm bound holds', () => {
    expectVerified(rnnJacobian);
  });

  test.skipIf(!hasPython)('worked example rnn-2x1x3: h_T, the step Jacobian and ∂h_T/∂h_0 match numpy, and the bound holds there', () => {
    const example = exampleNamed(rnnJacobian, EXAMPLE);
    const inputs = exampleInputs(rnnJacobian, example);
    const graph = rnnJacobian.forward(example.dims);
    const values = graph.evaluate(inputs);
    const expected = runPython(NUMPY_RNN, example.inputs) as { h: number[][]; step: number[][]; full: number[][]; fullNorm: number; bound: number };
    expectClose(values['h']!, Tensor.fromNested(expected.h), NUMPY_AGREEMENT);
    expectClose(stepClaim().evaluate(values, example.dims), Tensor.fromNested(expected.step), NUMPY_AGREEMENT);
    const full = jacobian(graph.restrict('h0', inputs, 'h'), inputs['h0']!.clone()).value;
    expectClose(full, Tensor.fromNested(expected.full), FD_AGREEMENT);
    expect(expected.fullNorm).toBeLessThanOrEqual(expected.bound);
    expect(spectralNorm(full)).toBeLessThanOrEqual(expected.bound);
  });

  test('every closed form passes the FD Jacobian check at the worked example', () => {
    for (const { formula, verdict } of closedFormVerdictsAt(rnnJacobian, EXAMPLE)) expect(verdict.status, formula).toBe('pass');
  });

  test('at T = 1 the last step starts from h0, so the step Jacobian is the whole ∂h_1/∂h_0', () => {
    const dims = { H: 3, X: 2, T: 1 };
    const inputs = sampleInputs(rnnJacobian, dims, 7);
    const graph = rnnJacobian.forward(dims);
    const values = graph.evaluate(inputs);
    expect(values['hprev']!.toNested()).toEqual(inputs['h0']!.toNested());
    const whole = jacobian(graph.restrict('h0', inputs, 'h'), inputs['h0']!.clone()).value;
    expectClose(stepClaim().evaluate(values, dims), whole, FD_AGREEMENT);
  });
});

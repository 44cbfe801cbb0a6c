import { describe, expect, test } from 'vitest';
import { rnnRatio } from '../../problems/rnn-ratio.js';
import type { ValueTarget } from '../../src/problem/types.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectVerified } from './verified.js';
import { closedFormVerdictsAt, workExample } from './worked-example.js';

/** h' and the ratio w σ'(z + h w) in numpy, and the critical w by scipy's brentq on w σ'(0) − 1. */
const NUMPY_RNN_RATIO = `
import json, sys, numpy as np
from scipy.optimize import brentq
sig = lambda a: 1 / (1 + np.exp(-a))
critical = brentq(lambda v: v * sig(0.0) * (1 - sig(0.0)) - 1, 0.0, 16.0, xtol=1e-15)
out = []
for d in json.load(sys.stdin):
    s = sig(d['z'] + d['h'] * d['w'])
    out.append({'hn': float(s - 0.5), 'ratio': float(d['w'] * s * (1 - s)), 'critical_w': critical})
print(json.dumps(out))
`;

/** numpy and derivcheck evaluate the same exp and products: a few ulps on O(1) values. */
const NUMPY_AGREEMENT = 1e-13;
/** The critical w is a root found from FD derivatives: accurate to ~1e-12 (see CRITICAL_W_TOLERANCE in the module). */
const ROOT_AGREEMENT = 1e-10;
const EXAMPLES = ['rnn-ratio-critical', 'rnn-ratio-saturating'];

describe('rnn-ratio', () => {
  test('every closed form agrees with FD on random draws and every known mistake is rejected', () => {
    expectVerified(rnnRatio);
  });

  test.skipIf(!hasPython)("worked examples: h', the ratio and the critical w match numpy/scipy", () => {
    const worked = EXAMPLES.map((name) => workExample(rnnRatio, name));
    const expected = runPython(NUMPY_RNN_RATIO, worked.map((w) => w.example.inputs)) as { hn: number; ratio: number; critical_w: number }[];
    worked.forEach((w, i) => {
      const name = w.example.name;
      expect(Math.abs(w.values['hn']!.item() - expected[i]!.hn), name).toBeLessThanOrEqual(NUMPY_AGREEMENT);
      expect(Math.abs(w.gradients['ratio']!.item() - expected[i]!.ratio), name).toBeLessThanOrEqual(NUMPY_AGREEMENT);
      expect(Math.abs(w.gradients['critical_w']!.item() - expected[i]!.critical_w), name).toBeLessThanOrEqual(NUMPY_AGREEMENT);
    });
  });

  test('at z = 0, h = 0, w = 4 the ratio is 1: the boundary between vanishing and exploding', () => {
    expect(workExample(rnnRatio, 'rnn-ratio-critical').gradients['ratio']!.item()).toBe(1);
  });

  test("critical_w's reference finds 4 numerically from the forward, whatever the sampled inputs", () => {
    const target = rnnRatio.targets.find((t) => t.name === 'critical_w') as ValueTarget;
    const root = target.reference({}, {}).item();
    expect(Math.abs(root - 4)).toBeLessThanOrEqual(ROOT_AGREEMENT);
  });

  test('every closed form passes its check at both worked examples', () => {
    for (const name of EXAMPLES) {
      for (const { formula, verdict } of closedFormVerdictsAt(rnnRatio, name)) expect(verdict.status, `${name}: ${formula}`).toBe('pass');
    }
  });
});

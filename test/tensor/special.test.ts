import { describe, expect, test } from 'vitest';
import { erf, erfc, gelu, geluExact, logSigmoid, sigmoid, softplus } from '../../src/tensor/special.js';
import { hasPython, runPython } from './python.js';

/**
 * Special functions against independent references: scipy for erf/erfc, numpy's logaddexp for softplus,
 * and mpmath at 60 digits (raised where the defining formula cancels) for the GELUs.
 */

/** Points across every range of Cody's erf (0.46875, 4) and the tails where naive formulas overflow or cancel. */
const POINTS = [
  -800, -40, -27, -12.5, -6, -4, -3.99, -2.5, -1, -0.5, -0.46875, -0.3, -1e-5, -1e-300, 0, 1e-300, 1e-8, 0.2, 0.46875, 0.47, 1, 2, 3.3, 4, 4.01, 5.9, 9, 26, 30, 40, 700, 800,
];

const REFERENCES = `
import json, sys
import numpy as np
import scipy.special as sp
import mpmath
xs = json.load(sys.stdin)
def gelu_tanh(x):
    # 1 + tanh(u) cancels to about e^(2u) for u < 0: about 0.87|u| digits are lost.
    with mpmath.workdps(60 + int(abs(x) + 0.05 * abs(x) ** 3)):
        X = mpmath.mpf(x)
        return float(X / 2 * (1 + mpmath.tanh(mpmath.sqrt(2 / mpmath.pi) * (X + mpmath.mpf('0.044715') * X ** 3))))
def gelu_erf(x):
    with mpmath.workdps(60):
        X = mpmath.mpf(x)
        return float(X / 2 * mpmath.erfc(-X / mpmath.sqrt(2)))
a = np.array(xs)
print(json.dumps({
  'erf': sp.erf(a).tolist(), 'erfc': sp.erfc(a).tolist(),
  'softplus': np.logaddexp(0, a).tolist(), 'logsigmoid': (-np.logaddexp(0, -a)).tolist(),
  'sigmoid': sp.expit(a).tolist(),
  'gelu': [gelu_tanh(x) if abs(x) < 60 else (x if x > 0 else 0.0) for x in xs], 'gelu_exact': [gelu_erf(x) for x in xs],
}))
`;

/** Relative agreement `tol` (absolute below 1e-300, where values are subnormal or 0). */
function expectNear(got: number, expected: number, tol: number, what: string): void {
  if (Math.abs(expected) < 1e-300) expect(Math.abs(got - expected), what).toBeLessThan(1e-300);
  else expect(Math.abs(got - expected) / Math.abs(expected), `${what}: ${got} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe.skipIf(!hasPython)('special functions against scipy, numpy and mpmath', () => {
  const ref = runPython(REFERENCES, POINTS) as Record<string, number[]>;
  const cases: [string, (x: number) => number, number][] = [
    // Cody's approximations: a few ulp.
    ['erf', erf, 1e-15],
    ['erfc', erfc, 1e-14],
    ['softplus', softplus, 1e-15],
    ['logsigmoid', logSigmoid, 1e-15],
    ['sigmoid', sigmoid, 1e-15],
    // The GELUs amplify the argument's rounding by ≈ x² in the far tail (exp of a cubic): 1e-13 there.
    ['gelu', gelu, 1e-13],
    ['gelu_exact', geluExact, 1e-13],
  ];
  test.each(cases)('%s', (name, f, tol) => {
    POINTS.forEach((x, i) => expectNear(f(x), ref[name]![i]!, Math.abs(x) < 6 ? Math.min(tol, 1e-14) : tol, `${name}(${x})`));
  });
});

describe('special functions at their edges', () => {
  test('never overflow: softplus(800) = 800, logsigmoid(-800) = -800, sigmoid(±800) = 1 and 0', () => {
    expect(softplus(800)).toBe(800);
    expect(logSigmoid(-800)).toBe(-800);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
  });

  test('odd and even symmetries hold exactly: erf(−x) = −erf(x), erfc(x) + erfc(−x) = 2', () => {
    for (const x of POINTS) {
      expect(erf(-x)).toBe(-erf(x));
      expect(Math.abs(erfc(x) + erfc(-x) - 2)).toBeLessThanOrEqual(4.5e-16);
    }
  });

  test('NaN in, NaN out', () => {
    for (const f of [erf, erfc, softplus, logSigmoid, gelu, geluExact]) expect(f(Number.NaN)).toBeNaN();
  });
});

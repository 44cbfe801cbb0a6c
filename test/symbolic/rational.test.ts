import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Rational, ScalarExpression, SymbolicLimitError, rationalNormalForm, rationalNormalFormSimplifier } from '../../src/symbolic/index.js';
import { hasPython, runPython } from '../tensor/python.js';
import { FC_OPTIONS, NAMES, type Tree, commuted, text, tree } from './arbitraries.js';

const VARIABLES = ['a', 'b', 'x', 'z1', 'z2', 'z3'];

/** true: the normal form is 0; false: it is not; null: no normal form (division by zero). */
function reducesToZero(source: string, variables = VARIABLES): boolean | null {
  const normal = rationalNormalForm(ScalarExpression.parse(source, variables));
  return normal === null ? null : normal.isZero();
}

describe('rational normal form', () => {
  test.each([
    ['(a + b)^2 - (a^2 + 2*a*b + b^2)'],
    ['exp(a + b) - exp(a) * exp(b)'],
    ['exp(2*a) - exp(a)^2'],
    ['exp(-a) * exp(a) - 1'],
    ['tanh(a) - (exp(2*a) - 1) / (exp(2*a) + 1)'],
    ['sech(a)^2 + tanh(a)^2 - 1'],
    ['cosh(a)^2 - sinh(a)^2 - 1'],
    ['1 / (1 + exp(-x)) * (1 - 1 / (1 + exp(-x))) - exp(-x) / (1 + exp(-x))^2'],
    // mathjs's simplify leaves this one unreduced (engines.test.ts pins that).
    ['exp(z1) / (exp(z1) + exp(z2) + exp(z3)) - 1 / (exp(z1 - z1) + exp(z2 - z1) + exp(z3 - z1))'],
    ['x / x - 1'],
    ['0.5 + 0.25 - 0.75'],
  ])('reduces the identity %s to 0', (source) => {
    expect(reducesToZero(source)).toBe(true);
  });

  test.each([
    ['(a + b)^2 - (a^2 + b^2)', 'a wrong expansion'],
    ['exp(a + b) - exp(a) - exp(b)', 'a wrong exponential rule'],
    ['tanh(a) - sinh(a)', 'different functions'],
    ['0.1 + 0.2 - 0.3', 'the doubles 0.1 + 0.2 and 0.3 differ by 2^-54 exactly'],
    ['log(a * b) - log(a) - log(b)', 'log atoms are opaque: true for positive a, b but not reduced (the numbers decide)'],
    ['exp(a / 2)^2 - exp(a)', 'exp(a/2) and exp(a) are separate atoms: true but not reduced (the numbers decide)'],
  ])('does not reduce %s (%s)', (source) => {
    expect(reducesToZero(source)).toBe(false);
  });

  test('has no normal form for a division by an identically zero expression', () => {
    expect(reducesToZero('1 / (x - x)')).toBeNull();
  });

  test('gives up beyond the term limit, and the simplifier then offers nothing', () => {
    const huge = ScalarExpression.parse('(a + b + x + z1 + z2 + z3)^16 - 1', VARIABLES);
    expect(() => rationalNormalForm(huge)).toThrow(SymbolicLimitError);
    expect(rationalNormalFormSimplifier.simplify(huge)).toBeNull();
  });

  test('an expression minus its commuted copy reduces to 0', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const decided = decide(`(${text(t)}) - (${text(commuted(t))})`);
        expect(decided === 'zero' || decided === 'no answer').toBe(true);
      }),
      FC_OPTIONS,
    );
  });

  test('never reduces a non-zero difference to 0 (soundness): e − (commuted e + c·x) with c ≠ 0', () => {
    const nonZero = fc.double({ min: 0.01, max: 5, noNaN: true }).chain((m) => fc.constantFrom(m, -m));
    fc.assert(
      fc.property(tree, nonZero, (t: Tree, c: number) => {
        expect(decide(`(${text(t)}) - ((${text(commuted(t))}) + (${c}) * x)`)).not.toBe('zero');
      }),
      FC_OPTIONS,
    );
  });

  test('Rational.fromNumber is the exact value of the double (Python fractions as the oracle)', () => {
    const samples = [0.1, -2.5e-7, 1 / 3, 123456.789, 2 ** -60, -0];
    const expected = hasPython
      ? (runPython('import json,sys\nfrom fractions import Fraction\nprint(json.dumps([[str(Fraction(x).numerator), str(Fraction(x).denominator)] for x in json.load(sys.stdin)]))', samples) as [string, string][])
      : null;
    if (!expected) return;
    samples.forEach((x, k) => {
      const r = Rational.fromNumber(x);
      expect([r.p.toString(), r.q.toString()]).toEqual(expected[k]);
    });
  });
});

function decide(source: string): 'zero' | 'non-zero' | 'no answer' {
  try {
    const normal = rationalNormalForm(ScalarExpression.parse(source, NAMES));
    return normal === null ? 'no answer' : normal.isZero() ? 'zero' : 'non-zero';
  } catch (error) {
    if (error instanceof SymbolicLimitError) return 'no answer';
    throw error;
  }
}

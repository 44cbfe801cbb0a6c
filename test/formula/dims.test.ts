import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type SymbolicDim, parseDimension } from '../../src/formula/index.js';
import { FC } from './helpers.js';

/**
 * Symbolic dimensions are polynomials in canonical form: equal exactly when they are the same
 * polynomial. The oracle here is evaluation: two low-degree polynomials with small integer coefficients
 * that agree at several random points of a wide range are the same polynomial.
 */

const NAMES = new Set(['n', 'kh', 'H']);

interface Expression {
  readonly text: string;
  readonly value: (at: Record<string, number>) => number;
}

const expression: fc.Arbitrary<Expression> = fc.letrec<{ e: Expression }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('n', 'kh', 'H').map((name) => ({ text: name, value: (at: Record<string, number>) => at[name]! })),
    fc.integer({ min: 0, max: 5 }).map((k) => ({ text: String(k), value: () => k })),
    fc.tuple(tie('e'), tie('e'), fc.constantFrom('+', '-', '*')).map(([a, b, op]) => ({
      text: `(${a.text}) ${op} (${b.text})`,
      value: (at: Record<string, number>) => (op === '+' ? a.value(at) + b.value(at) : op === '-' ? a.value(at) - b.value(at) : a.value(at) * b.value(at)),
    })),
  ),
})).e;

const point = fc.record({ n: fc.integer({ min: -1000, max: 1000 }), kh: fc.integer({ min: -1000, max: 1000 }), H: fc.integer({ min: -1000, max: 1000 }) });

const dimOf = (e: Expression): SymbolicDim => parseDimension(e.text, NAMES, 'test');

describe('symbolic dimensions', () => {
  test('evaluate to the value of the expression they were parsed from', () => {
    fc.assert(
      fc.property(expression, point, (e, at) => {
        expect(dimOf(e).evaluate(new Map(Object.entries(at))) === e.value(at)).toBe(true);
      }),
      { ...FC, numRuns: 500 },
    );
  });

  test('are equal exactly when the polynomials agree everywhere', () => {
    fc.assert(
      fc.property(expression, expression, fc.array(point, { minLength: 6, maxLength: 6 }), (a, b, points) => {
        const agree = points.every((at) => a.value(at) === b.value(at));
        expect(dimOf(a).equals(dimOf(b))).toBe(agree);
      }),
      { ...FC, numRuns: 500 },
    );
  });

  test('print in a canonical form that parses back to the same dimension', () => {
    fc.assert(
      fc.property(expression, (e) => {
        const d = dimOf(e);
        expect(parseDimension(d.toString(), NAMES, 'test').equals(d)).toBe(true);
      }),
      { ...FC, numRuns: 500 },
    );
  });

  test('sum order and factoring do not matter; division is by constants only', () => {
    expect(parseDimension('H-kh+1', NAMES, 't').equals(parseDimension('1+H-kh', NAMES, 't'))).toBe(true);
    expect(parseDimension('2*(n+1)', NAMES, 't').toString()).toBe('2*n+2');
    expect(parseDimension('(2*n+kh-1)-kh+1', NAMES, 't').toString()).toBe('2*n');
    expect(parseDimension('H/2', NAMES, 't').toString()).toBe('H/2');
    expect(() => parseDimension('H/kh', NAMES, 't')).toThrow('divided only by a nonzero constant');
  });
});

/**
 * The shape checker's dimension polynomials are priced: an expression that would expand past the term,
 * degree or product budget is a LimitExceededError at its position, raised before the expansion (in
 * milliseconds, where `(A+B+...+H+1)^12` used to take 6.7 s and `P^8 * P^8` the whole machine's memory).
 */
import { describe, expect, test } from 'vitest';
import { checkFormula } from '../../src/formula/check.js';
import { resolveDeclarations } from '../../src/formula/declarations.js';
import { Dim, MAX_DIM_DEGREE, MAX_DIM_PRODUCT_PAIRS, MAX_DIM_TERMS, formatSymbolicShape, symbolicSize } from '../../src/formula/dims.js';
import { LimitExceededError } from '../../src/formula/errors.js';
import { parseFormula } from '../../src/formula/parse.js';

const NAMES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
const declarations = { dims: NAMES, symbols: [{ name: 'X', shape: NAMES }] };
const P = `(${NAMES.join('+')}+1)`;

/** The LimitExceededError that checking `text` raises (failing the test if it raises none, or another). */
function limitError(text: string): LimitExceededError {
  const start = performance.now();
  try {
    checkFormula(parseFormula(text, { declarations }), declarations);
  } catch (err) {
    // A loose bound, far above the milliseconds it takes: the old expansion took seconds to minutes.
    expect(performance.now() - start).toBeLessThan(2000);
    expect(err).toBeInstanceOf(LimitExceededError);
    return err as LimitExceededError;
  }
  throw new Error(`${text} was accepted`);
}

describe('dimension polynomials past the budget are refused where they are written', () => {
  test.each([
    [`ones(${P}^12, 1)`, `${P}^12`, 'dimensionTerms'],
    [`ones(${P}^12 * ${P}^12, 1)`, `${P}^12`, 'dimensionTerms'],
    [`ones(${P}^8 * ${P}^8, 1)`, `${P}^8`, 'dimensionTerms'],
    [`zeros(A^16 * B^16 * C, 2)`, 'A^16 * B^16 * C', 'dimensionDegree'],
    [`sum(X) * ones(${P}^3 * ${P}^3, 1)`, `${P}^3 * ${P}^3`, 'dimensionTerms'],
  ])('%s', (text, culprit, limit) => {
    const err = limitError(text);
    expect(err.limit).toBe(limit);
    expect(err.message).toMatch(/^this dimension expression (expands to more than|has degree above|multiplies)/);
    // The caret points at the sub-expression whose expansion broke the budget.
    expect(text.slice(err.position!.offset, err.position!.end)).toBe(culprit);
  });

  test('a shape entry past the budget is refused at the entry', () => {
    expect(() => resolveDeclarations({ dims: NAMES, symbols: [{ name: 'Y', shape: [`${P}^12`] }] })).toThrow(LimitExceededError);
    expect(() => resolveDeclarations({ dims: NAMES, symbols: [{ name: 'Y', shape: [`${P}^12`] }] })).toThrow(/Y: shape entry '.*\^12': this dimension expression expands to more than 500 terms/);
  });

  test('the budgets are priced before the work: a product of two long sums is refused without expanding it', () => {
    const sum = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => Dim.symbol(`${prefix}${i}`)).reduce((a, b) => a.add(b));
    const a = sum('x', 100);
    const b = sum('y', 51);
    expect(100 * 51).toBeGreaterThan(MAX_DIM_PRODUCT_PAIRS);
    expect(() => a.mul(b)).toThrow(/multiplies 100 terms by 51, more than the 5000 products allowed/);
    const n16 = Dim.symbol('N').pow(Dim.constant(16))!;
    expect(() => n16.mul(n16).mul(Dim.symbol('N'))).toThrow(new RegExp(`degree above ${MAX_DIM_DEGREE}`));
    expect(() => sum('z', MAX_DIM_TERMS + 1)).toThrow(/more than 500 terms/);
  });

  test('honest shapes are far inside the budget: a rank-8 shape of two-term sides, a conv layer', () => {
    const sides = NAMES.map((n) => Dim.symbol(n).add(Dim.constant(1)));
    const size = symbolicSize(sides);
    expect(size.termCount()).toBe(256);
    const conv = ['N', 'F', 'H-kh+1', 'W-kw+1'];
    const scope = resolveDeclarations({ dims: ['N', 'F', 'H', 'W', 'kh', 'kw'], symbols: [{ name: 'Y', shape: conv }] });
    expect(symbolicSize(scope.symbols.get('Y')!.shape).termCount()).toBe(9);
  });

  test('a shape message cuts a long polynomial and says how many terms it has', () => {
    const long = symbolicSize(NAMES.map((n) => Dim.symbol(n).add(Dim.constant(1))));
    expect(formatSymbolicShape([long, Dim.symbol('N')])).toMatch(/^\(A\*B\*C\*D\*E\*F\*G\*H\+A\*B\*C\*D\*E\*F\*G\+.{20,}… 256 terms\)×N$/);
  });
});

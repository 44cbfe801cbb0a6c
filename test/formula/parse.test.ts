import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { UnsupportedSyntaxError, parseFormula, treeShape } from '../../src/formula/index.js';
import { EXAMPLES } from './examples.js';
import { FC } from './helpers.js';

describe('parseFormula reads every example and echoes the canonical reading', () => {
  test.each(EXAMPLES)('%s reads as %s', (text, readAs) => {
    expect(parseFormula(text).readAs).toBe(readAs);
  });

  test.each(EXAMPLES)('parsing the reading of %s gives the same tree', (text) => {
    const first = parseFormula(text);
    const second = parseFormula(first.readAs);
    expect(treeShape(second.statement)).toBe(treeShape(first.statement));
    expect(second.readAs).toBe(first.readAs);
  });

  test('W^T is a transpose unless T is declared as a dimension or a scalar, then it is a power', () => {
    expect(parseFormula('W^T').statement).toMatchObject({ expr: { kind: 'transpose' } });
    expect(parseFormula('W^T', { declarations: { dims: ['N'], symbols: [{ name: 'T', shape: ['N', 'N'] }] } }).readAs).toBe("W'");
    expect(parseFormula('W^T', { declarations: { dims: ['T'], symbols: [] } }).readAs).toBe('W ^ T');
    expect(parseFormula('W^T', { declarations: { dims: [], symbols: [{ name: 'T', shape: [] }] } }).readAs).toBe('W ^ T');
  });

  test('spans point into the text', () => {
    const parsed = parseFormula('sum(dY, 1) + X');
    const stmt = parsed.statement;
    if (stmt.kind !== 'expression' || stmt.expr.kind !== 'binary') throw new Error('expected a binary expression');
    expect(stmt.expr.opSpan).toEqual({ start: 11, end: 12 });
    expect(stmt.expr.right.span).toEqual({ start: 13, end: 14 });
    expect(stmt.expr.left.span).toEqual({ start: 0, end: 10 });
  });
});

/** Random formulas over the whole operator set, written with random spacing and redundant parentheses. */
const formulaText: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('X', 'W', 'dY', 'a', 'b', 'N'),
    fc.constantFrom('0', '1', '2', '0.5', '1e-3', '10', '3.25'),
    fc.tuple(fc.constantFrom('+', '-', '*', '/', '.*', './', '^', '.^', '>', '<=', '=='), tie('expr'), tie('expr'), fc.constantFrom(' ', '')).map(([op, a, b, sp]) => `${a}${sp}${op}${sp}${b}`),
    tie('expr').map((a) => `(${a})`),
    tie('expr').map((a) => `-${a}`),
    tie('expr').map((a) => `(${a})'`),
    fc.tuple(fc.constantFrom('exp', 'log', 'sigmoid', 'sum', 'relu'), tie('expr')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `max(${a}, ${b})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `A[${a}, ${b}]`),
    tie('expr').map((a) => `sum(${a}, k, 1, N)`),
  ),
})).expr;

describe('the canonical printer round-trips', () => {
  test('parse(readAs) has the same tree for random formulas', () => {
    fc.assert(
      fc.property(formulaText, (text) => {
        let first;
        try {
          first = parseFormula(text);
        } catch (err) {
          // Chained comparisons (a < b < c) are refused; everything else must read.
          expect(err).toBeInstanceOf(UnsupportedSyntaxError);
          return;
        }
        const second = parseFormula(first.readAs);
        expect(treeShape(second.statement)).toBe(treeShape(first.statement));
      }),
      { ...FC, numRuns: 2000 },
    );
  });
});

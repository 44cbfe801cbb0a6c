import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { UnsupportedSyntaxError, parseFormula, treeShape } from '../../src/formula/index.js';
import { FC } from './helpers.js';

/** Every syntax example of the language reference, with the canonical reading the user is shown. */
export const EXAMPLES: readonly (readonly [string, string])[] = [
  ["X' * dY", "X' * dY"],
  ["dY * W'", "dY * W'"],
  ['W^T', "W'"],
  ['transpose(W)', "W'"],
  ['sum(dY, 1)', 'sum(dY, 1)'],
  ['dY * ones(N, 1)', 'dY * ones(N, 1)'],
  ['softmax(z, 2) - p', 'softmax(z, 2) - p'],
  ['s .* (1 - s)', 's .* (1 - s)'],
  ['(X > 0) .* dY', '(X > 0) .* dY'],
  ['kron(G, ones(2, 2)) / 4', 'kron(G, ones(2, 2)) / 4'],
  ["conv2(dY, rot90(K, 2), 'full')", "conv2(dY, rot90(K, 2), 'full')"],
  ["corr2(X, dC, 'valid')", "corr2(X, dC, 'valid')"],
  ['dS[i,j] = G[ceil(i/2), ceil(j/2)] / 4', 'dS[i, j] = G[ceil(i / 2), ceil(j / 2)] / 4'],
  ['dX[n,c,i,j] = sum(K[f,c,m,t] * dY[n,f,i-m+1,j-t+1], f, m, t)', 'dX[n, c, i, j] = sum(K[f, c, m, t] * dY[n, f, i - m + 1, j - t + 1], f, m, t)'],
  ['sum(K[m] * x[i - m + 1], m, 1, kh)', 'sum(K[m] * x[i - m + 1], m, 1, kh)'],
  ["dX[n,c,:,:] = sum(conv2(dY[n,f,:,:], K[f,c,:,:], 'full'), f)", "dX[n, c, :, :] = sum(conv2(dY[n, f, :, :], K[f, c, :, :], 'full'), f)"],
  ['dz[i,j] = p[i,j] - delta(j, c[i])', 'dz[i, j] = p[i, j] - delta(j, c[i])'],
  ['mod(i, 2) + floor(j / 3)', 'mod(i, 2) + floor(j / 3)'],
  ['sum(log(1 + exp(X * w)))', 'sum(log(1 + exp(X * w)))'],
  ['-sum(p .* log(softmax(z, 2)))', '-sum(p .* log(softmax(z, 2)))'],
  ['0.5 * sum((X*W - T).^2)', '0.5 * sum((X * W - T) .^ 2)'],
  ['dW = X\' * dY', "dW = X' * dY"],
  ['2x', '2 * x'],
  ['-2^2', '-2 ^ 2'],
  ['(-2)^2', '(-2) ^ 2'],
  ['a - -b', 'a - (-b)'],
  ['a - (b - c)', 'a - (b - c)'],
  ['(a - b) - c', 'a - b - c'],
  ['a ^ b ^ c', 'a ^ b ^ c'],
  ['(a ^ b) ^ c', '(a ^ b) ^ c'],
  ["(X * W)'", "(X * W)'"],
  ["X''", "X''"],
  ['max(X, [], 2) + max(0, z)', 'max(X, [], 2) + max(0, z)'],
  ['reshape(X, [N, D])', 'reshape(X, [N, D])'],
  ['A[2:N, :]', 'A[2:N, :]'],
  ['norm(X, "fro")', "norm(X, 'fro')"],
  ['1e-3 * x + 2.5e+2', '0.001 * x + 250'],
];

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

/**
 * The canonical reading (`read as: ...`, print.ts) parses back to the same tree, also for the shapes
 * that used to break it: long runs of signs, power chains with negated exponents, lists in lists
 * (the grammar fuzz in test/fuzz checks the property on generated formulas at large).
 */
import { describe, expect, test } from 'vitest';
import { parseFormula } from '../../src/formula/parse.js';
import { MAX_TREE_DEPTH } from '../../src/formula/read.js';
import { MAX_NESTING } from '../../src/formula/tokens.js';
import { treeShape } from '../../src/formula/tree.js';

const declarations = { dims: ['N', 'D', 'T'], symbols: [{ name: 'X', shape: ['N', 'D'] }, { name: 'a', shape: [] }] };

function expectRoundTrip(text: string): string {
  const parsed = parseFormula(text, { declarations });
  const again = parseFormula(parsed.readAs, { declarations });
  expect(treeShape(again.statement)).toBe(treeShape(parsed.statement));
  expect(again.readAs).toBe(parsed.readAs);
  return parsed.readAs;
}

describe('readAs parses back to the same tree', () => {
  test('100 leading minus signs (the reading used to nest 99 parentheses, past the bound of 64)', () => {
    expect(expectRoundTrip(`${'-'.repeat(100)}X`)).toBe(`${'- '.repeat(99)}-X`);
    expect(expectRoundTrip(`${'- '.repeat(MAX_TREE_DEPTH - 1)}X`)).toMatch(/^- - /);
  });

  test('power chains with negated exponents, as deep as the tree allows', () => {
    const chain = (n: number, op: string) => Array.from({ length: n }, () => 'X').join(`${op}-`);
    for (const op of ['^', '.^']) {
      expect(expectRoundTrip(chain(3, op))).toBe(`X ${op} -X ${op} -X`);
      expectRoundTrip(chain(MAX_NESTING + 20, op));
    }
    expect(expectRoundTrip('X * -X * -X')).toBe('X * -X * -X');
  });

  test('a list inside a list is parenthesised (a bare one reads as a matrix literal)', () => {
    expect(expectRoundTrip('[1, ([2, a])]')).toBe('[1, ([2, a])]');
    expect(expectRoundTrip('[+[]]')).toBe('[([])]');
  });

  test('the parentheses a precedence needs are kept, and only those', () => {
    expect(expectRoundTrip('(-X) ^ 2')).toBe('(-X) ^ 2');
    expect(expectRoundTrip('-(X ^ 2)')).toBe('-X ^ 2');
    expect(expectRoundTrip('-(X * a)')).toBe('-(X * a)');
    expect(expectRoundTrip("(-X)'")).toBe("(-X)'");
    expect(expectRoundTrip('a - (-(-a))')).toBe('a - - -a');
  });
});

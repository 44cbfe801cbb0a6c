import { describe, expect, test } from 'vitest';
import { type Declarations, compileFormula, parseFormula } from '../../src/formula/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { normals } from './helpers.js';

/**
 * A compiled formula's piece signature (CompiledFormula.pieces): the codes of its piecewise nodes, from
 * the function table's smoothness rules and the comparison operators. The signature changes exactly when
 * an input crosses a kink.
 */

const DECLARATIONS: Declarations = {
  dims: ['N', 'D'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'Y', shape: ['N', 'D'] },
    { name: 'A', shape: ['N', 'N'] },
    { name: 'P', shape: [4, 4] },
  ],
};
const DIMS = { N: 3, D: 4 };
const compile = (text: string) => compileFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS, text.startsWith('Z[') ? { targetShape: ['N', 'D'] } : {});

/** X with one entry moved to `value`. */
function withEntry(t: Tensor, flat: number, value: number): Tensor {
  const out = t.clone();
  out.data[flat] = value;
  return out;
}

describe('piece signatures', () => {
  const base = normals(11, { X: [3, 4], Y: [3, 4], A: [3, 3], P: [4, 4] });
  base.X = withEntry(base.X!, 5, 0.5);

  test('a smooth formula has none', () => {
    const f = compile('sum(exp(X) .* Y) + logsumexp(X) + norm(X * Y\')');
    expect(f.piecewise).toBe(false);
    expect(f.pieces(base, DIMS)).toEqual([]);
  });

  test.each([
    ['sum(relu(X) .* Y)', 'whole-tensor relu'],
    ['sum(relu(X[i, j]) * Y[i, j], i, j)', 'relu inside generated loops'],
    ['sum((X > 0) .* Y)', 'a comparison'],
    ['sum(abs(X))', 'abs'],
    ['sum(max(X, 0.1))', 'max of two'],
    ['max(X)', 'max of all entries'],
    ['sum(max(X, [], 2))', 'max along a dim'],
    ['sum(clip(X, -0.2, 1))', 'clip'],
    ['sum(sign(X) .* Y)', 'sign'],
    ['Z[i, j] = (X[i, j] > 0) * Y[i, j] + min(X[i, j], Y[i, j])', 'index notation with a comparison and min'],
  ])('%s (%s): the signature changes when an entry crosses the kink, not when it moves within a piece', (text) => {
    const f = compile(text);
    expect(f.piecewise).toBe(true);
    const at = (x: number) => f.pieces({ ...base, X: withEntry(base.X!, 5, x) }, DIMS);
    const here = at(0.5);
    expect(here.length).toBeGreaterThan(0);
    expect(at(0.5 + 1e-6)).toEqual(here);
    // Entry 5 goes from 0.5 to −0.5: across 0 (relu, abs, sign, comparisons, clip's lower bound −0.2, max with 0.1).
    const across = text.includes('max(X)') || text.includes('max(X, [], 2)') ? at(10) : at(-0.5);
    expect(across).not.toEqual(here);
  });

  test('maxpool2: which entry of each window is the largest', () => {
    const f = compile('sum(maxpool2(P))');
    const P = Tensor.fromArray([4, 4], [1, 2, 0, 0, 3, 0, 0, 5, 0, 0, 1, 1, 0, 9, 1, 2]);
    const here = f.pieces({ ...base, P }, DIMS);
    expect(here).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]);
    // The top-left window's maximum moves from 3 to 2 when 3 becomes 1.9.
    expect(f.pieces({ ...base, P: withEntry(P, 4, 1.9) }, DIMS)).not.toEqual(here);
  });

  test('logdet: the sign of the determinant, which changes across a singular matrix', () => {
    const f = compile('logdet(A)');
    const A = Tensor.fromArray([3, 3], [2, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(f.pieces({ ...base, A }, DIMS)).toEqual([1]);
    expect(f.pieces({ ...base, A: withEntry(A, 0, -2) }, DIMS)).toEqual([-1]);
  });
});

describe('a compiled formula called again with the same dims object', () => {
  test('reads the sizes again when the object has changed in between', () => {
    const f = compile('sum(X, 2)');
    const dims = { N: 3, D: 4 };
    expect(f({ X: Tensor.zeros([3, 4]) }, dims).shape).toEqual([3, 1]);
    dims.N = 2;
    expect(f({ X: Tensor.zeros([2, 4]) }, dims).shape).toEqual([2, 1]);
    expect(() => f({ X: Tensor.zeros([3, 4]) }, dims)).toThrow(/declared shape/);
  });
});

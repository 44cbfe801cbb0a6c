import { describe, expect, test } from 'vitest';
import { type Declarations, compileFormula, parseFormula } from '../../src/formula/index.js';
import { formulaNode } from '../../src/problem/formula-node.js';
import { Tensor } from '../../src/tensor/index.js';

/**
 * formulaNode: a compiled formula as a forward-graph node. FD reads a piecewise node's value and then its
 * pieces at the same arguments; both come from one evaluation, and the pieces must still be those of the
 * arguments as they are when asked (FD perturbs its point in place), never those of an earlier call.
 */

const DECLARATIONS: Declarations = { dims: ['N'], symbols: [{ name: 'x', shape: ['N'] }, { name: 'y', shape: ['N'] }] };
const DIMS = { N: 3 };
const compile = (text: string) => compileFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS);

describe('formulaNode', () => {
  test('a smooth formula declares no pieces', () => {
    const node = formulaNode('s', compile('exp(x) .* y'), ['x', 'y'], DIMS);
    expect(node.pieces).toBeUndefined();
    expect(node.op(Tensor.fromNested([0, 1, 2]), Tensor.fromNested([1, 1, 1])).toNested()).toEqual([1, Math.E, Math.exp(2)]);
  });

  test('a piecewise formula gives the value and the pieces of the arguments it is asked about', () => {
    const formula = compile('relu(x) .* y');
    const node = formulaNode('r', formula, ['x', 'y'], DIMS);
    const x = Tensor.fromNested([1, -2, 3]);
    const y = Tensor.fromNested([2, 2, 2]);
    expect(node.op(x, y).toNested()).toEqual([2, 0, 6]);
    expect(Array.from(node.pieces!(x, y))).toEqual(formula.pieces({ x, y }, DIMS));
    // Moved in place across the kink after the value was computed: the pieces are those of the moved point.
    x.data[1] = 0.5;
    expect(Array.from(node.pieces!(x, y))).toEqual(formula.pieces({ x, y }, DIMS));
    expect(Array.from(node.pieces!(x, y))).not.toEqual(formula.pieces({ x: Tensor.fromNested([1, -2, 3]), y }, DIMS));
  });
});

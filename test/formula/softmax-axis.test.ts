import { describe, expect, test } from 'vitest';
import { type Declarations, FormulaShapeError, compileFormula, parseFormula } from '../../src/formula/index.js';
import { Rng, Tensor, sample } from '../../src/tensor/index.js';
import { build, expectClose } from './helpers.js';

/** softmax written out: exp of each entry over the sum of exps along `axis` (0-based) of a matrix. */
function softmaxAlong(z: Tensor, axis: 0 | 1): Tensor {
  const [r, c] = z.shape as [number, number];
  return build([r, c], ([i, j]) => {
    let s = 0;
    for (let k = 0; k < (axis === 0 ? r : c); k++) s += Math.exp(axis === 0 ? z.get(k, j!) : z.get(i!, k));
    return Math.exp(z.get(i!, j!)) / s;
  });
}

function evaluate(text: string, declarations: Declarations, z: Tensor, dims: Record<string, number>): Tensor {
  return compileFormula(parseFormula(text, { declarations }), declarations)({ z }, dims);
}

describe('softmax without a dim', () => {
  const rng = new Rng(17);

  test('normalises a K×1 column along its only long axis', () => {
    const z = sample.normal(rng, [4, 1]);
    expectClose(evaluate('softmax(z)', { dims: ['K'], symbols: [{ name: 'z', shape: ['K', 1] }] }, z, { K: 4 }), softmaxAlong(z, 0));
  });

  test('normalises a 1×K row along its only long axis', () => {
    const z = sample.normal(rng, [1, 5]);
    expectClose(evaluate('softmax(z)', { dims: ['K'], symbols: [{ name: 'z', shape: [1, 'K'] }] }, z, { K: 5 }), softmaxAlong(z, 1));
  });

  test('follows the declared class axis of a B×K batch (rows) and of a K×B batch (columns)', () => {
    const z = sample.normal(rng, [3, 4]);
    const rows: Declarations = { dims: ['B', 'K'], symbols: [{ name: 'z', shape: ['B', 'K'] }], classAxis: 2 };
    const columns: Declarations = { dims: ['B', 'K'], symbols: [{ name: 'z', shape: ['K', 'B'] }], classAxis: 1 };
    expectClose(evaluate('softmax(z)', rows, z, { B: 3, K: 4 }), softmaxAlong(z, 1));
    expectClose(evaluate('softmax(z)', columns, z, { B: 4, K: 3 }), softmaxAlong(z, 0));
  });

  test('asks for the dim of a matrix when no class axis is declared, with both readings as a hint', () => {
    const declarations: Declarations = { dims: ['B', 'K'], symbols: [{ name: 'z', shape: ['B', 'K'] }] };
    expect(() => compileFormula(parseFormula('softmax(z)'), declarations)).toThrow(FormulaShapeError);
    expect(() => compileFormula(parseFormula('softmax(z)'), declarations)).toThrow(/softmax of the B×K z needs a dim/);
  });

  test('rejects a class axis other than 1 or 2', () => {
    expect(() => compileFormula(parseFormula('softmax(z)'), { dims: ['K'], symbols: [{ name: 'z', shape: ['K', 'K'] }], classAxis: 3 as 1 })).toThrow(/classAxis must be 1 or 2/);
  });
});

import { describe, expect, test } from 'vitest';
import { LetError, checkLetChain } from '../../src/formula/let.js';
import { type Declarations, FormulaShapeError, FormulaSyntaxError, UnknownSymbolError, formatSymbolicShape } from '../../src/formula/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { hasPython, runPython } from '../tensor/python.js';
import { expectClose } from './helpers.js';

const MLP: Declarations = {
  dims: ['N', 'D', 'Hd', 'K'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'W1', shape: ['D', 'Hd'] },
    { name: 'b1', shape: [1, 'Hd'] },
    { name: 'W2', shape: ['Hd', 'K'] },
    { name: 'b2', shape: [1, 'K'] },
    { name: 'c', shape: ['N'], dtype: 'index' },
  ],
};

const TANH_MLP = [
  { name: 'H', formula: 'tanh(X * W1 + b1)' },
  { name: 'Z', formula: 'H * W2 + b2' },
  { name: 'P', formula: 'softmax(Z, 2)' },
];

/** Where a LetError points: the step, and the offending characters of its formula. */
function letErrorOf(run: () => unknown): { error: LetError; marked: string } {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(LetError);
    const error = err as LetError;
    const marked = error.source !== undefined && error.position ? error.source.slice(error.position.offset, error.position.end) : '';
    return { error, marked };
  }
  throw new Error('expected a LetError');
}

describe('a let chain', () => {
  test('infers each step’s shape from the declarations and the steps before it', () => {
    const chain = checkLetChain([...TANH_MLP, { name: 'Q', formula: "P' * X" }, { name: 'L2', formula: 'sum(Z .* Z)' }, { name: 'S', formula: 'ones(1, 2) * ones(2, 2 * N)' }], MLP);
    expect(chain.steps.map((s) => [s.name, formatSymbolicShape(s.shape)])).toEqual([
      ['H', 'N×Hd'],
      ['Z', 'N×K'],
      ['P', 'N×K'],
      ['Q', 'K×D'],
      ['L2', 'scalar'],
      ['S', '1×(2*N)'],
    ]);
    expect(chain.steps.at(-1)!.declaredShape).toEqual([1, '2*N']);
    // Later formulas may name every step, with its shape.
    expect(chain.declarations.symbols.map((s) => s.name)).toEqual(['X', 'W1', 'b1', 'W2', 'b2', 'c', 'H', 'Z', 'P', 'Q', 'L2', 'S']);
  });

  test.skipIf(!hasPython)('evaluates in order, as numpy computes the same network', () => {
    const chain = checkLetChain(TANH_MLP, MLP);
    const X = Tensor.fromNested([[1, 2], [-0.5, 0.25], [3, -1]]);
    const W1 = Tensor.fromNested([[0.1, 0.2, -0.3], [0.3, 0.4, 0.5]]);
    const b1 = Tensor.fromNested([[0, 0.1, -0.2]]);
    const W2 = Tensor.fromNested([[1, 0], [0, 1], [0.5, -0.5]]);
    const b2 = Tensor.fromNested([[0.2, -0.1]]);
    const c = Tensor.labels([3], [1, 2, 2]);
    const values = chain.evaluate({ X, W1, b1, W2, b2, c }, { N: 3, D: 2, Hd: 3, K: 2 });
    const expected = runPython(
      `import json, sys, numpy as np
d = {k: np.array(v) for k, v in json.load(sys.stdin).items()}
H = np.tanh(d['X'] @ d['W1'] + d['b1'])
Z = H @ d['W2'] + d['b2']
P = np.exp(Z - Z.max(1, keepdims=True)); P /= P.sum(1, keepdims=True)
print(json.dumps({'H': H.tolist(), 'Z': Z.tolist(), 'P': P.tolist()}))`,
      { X: X.toNested(), W1: W1.toNested(), b1: b1.toNested(), W2: W2.toNested(), b2: b2.toNested() },
    ) as Record<string, number[][]>;
    expect([...values.keys()]).toEqual(['H', 'Z', 'P']);
    for (const name of ['H', 'Z', 'P']) expectClose(values.get(name)!, Tensor.fromNested(expected[name]!));
  });

  test('takes index notation with a declared shape, and `NAME = ...`', () => {
    const chain = checkLetChain(
      [
        { name: 'G', formula: 'G[i, j] = X[i, j] * (i + j)', shape: ['N', 'D'] },
        { name: 'T', formula: "T = G'" },
      ],
      MLP,
    );
    const values = chain.evaluate({ X: Tensor.fromNested([[1, 1], [2, 2]]) }, { N: 2, D: 2 });
    expect(values.get('T')!.toNested()).toEqual([[2, 6], [3, 8]]);
  });

  test('accepts user names that are also names of Object.prototype', () => {
    const declarations: Declarations = { dims: ['N'], symbols: [{ name: 'constructor', shape: ['N', 1] }] };
    const chain = checkLetChain([{ name: 'toString', formula: '2 * constructor' }, { name: 'hasOwnProperty', formula: 'toString + constructor' }], declarations);
    const values = chain.evaluate({ constructor: Tensor.fromNested([[1], [2]]) }, { N: 2 });
    expect(values.get('hasOwnProperty')!.toNested()).toEqual([[3], [6]]);
  });
});

describe('a let chain refuses', () => {
  test('a step that names a later step, with the caret on the name', () => {
    const { error, marked } = letErrorOf(() => checkLetChain([{ name: 'H', formula: 'tanh(Z)' }, { name: 'Z', formula: 'X * W1' }], MLP));
    expect(error.step).toBe('H');
    expect(error.index).toBe(0);
    expect(error.cause).toBeInstanceOf(UnknownSymbolError);
    expect(marked).toBe('Z');
    expect(error.message).toMatch(/^let H: /);
  });

  test('shapes that do not fit, pointing into the step’s formula', () => {
    const { error, marked } = letErrorOf(() => checkLetChain([{ name: 'H', formula: 'tanh(X * W1 + b1)' }, { name: 'Z', formula: 'H * W1' }], MLP));
    expect(error.step).toBe('Z');
    expect(error.cause).toBeInstanceOf(FormulaShapeError);
    expect(marked).toContain('*');
    expect(error.describe()).toContain('^');
  });

  test('a syntax error', () => {
    const { error } = letErrorOf(() => checkLetChain([{ name: 'H', formula: 'tanh(X * W1 +' }], MLP));
    expect(error.cause).toBeInstanceOf(FormulaSyntaxError);
  });

  test('a name that is taken or reserved', () => {
    expect(letErrorOf(() => checkLetChain([{ name: 'X', formula: 'W1' }], MLP)).error.message).toContain('already an input');
    expect(letErrorOf(() => checkLetChain([{ name: 'N', formula: 'W1' }], MLP)).error.message).toContain('already a dimension');
    expect(letErrorOf(() => checkLetChain([{ name: 'H', formula: 'W1' }, { name: 'H', formula: 'W2' }], MLP)).error.message).toContain('already an earlier let name');
    expect(letErrorOf(() => checkLetChain([{ name: 'sum', formula: 'W1' }], MLP)).error.message).toContain('reserved word or function');
  });

  test('an assignment to another name, and a declared shape that is not the step’s', () => {
    const { marked } = letErrorOf(() => checkLetChain([{ name: 'H', formula: 'G = X * W1' }], MLP));
    expect(marked).toBe('G');
    const wrong = letErrorOf(() => checkLetChain([{ name: 'H', formula: 'X * W1', shape: ['Hd', 'N'] }], MLP));
    expect(wrong.error.cause).toBeInstanceOf(FormulaShapeError);
  });

  test('index notation without a declared shape, saying how to give one', () => {
    const { error } = letErrorOf(() => checkLetChain([{ name: 'G', formula: 'G[i, j] = X[i, j]' }], MLP));
    expect(error.message).toMatch(/shape of G is unknown/);
  });
});

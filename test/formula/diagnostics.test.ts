import { describe, expect, test } from 'vitest';
import {
  DeclarationError,
  type Declarations,
  FormulaError,
  FormulaShapeError,
  FormulaSyntaxError,
  FormulaValueError,
  LimitExceededError,
  UnknownSymbolError,
  UnsupportedSyntaxError,
  checkFormula,
  compileFormula,
  parseFormula,
  resolveDeclarations,
} from '../../src/formula/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { normals } from './helpers.js';

const DECLARATIONS: Declarations = {
  dims: ['N', 'D', 'M', 'K'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'W', shape: ['D', 'M'] },
    { name: 'dY', shape: ['N', 'M'] },
    { name: 'z', shape: ['N', 'K'] },
    { name: 'G', shape: ['N', 'N'] },
    { name: 'x', shape: ['N'] },
    { name: 'c', shape: ['N'], dtype: 'index' },
  ],
};

/** The error `text` raises at parse, check or compile time (with `targetShape`), or fails the test. */
function errorOf(text: string, targetShape?: (string | number)[], limits?: Record<string, number>): FormulaError {
  try {
    const parsed = parseFormula(text, { declarations: DECLARATIONS });
    compileFormula(parsed, DECLARATIONS, { ...(targetShape ? { targetShape } : {}), ...(limits ? { limits } : {}) });
  } catch (err) {
    if (err instanceof FormulaError) return err;
    throw err;
  }
  throw new Error(`expected ${text} to be rejected`);
}

/** The error evaluating `text` raises. */
function runtimeErrorOf(text: string, values: Record<string, Tensor>, dims: Record<string, number>, options: { targetShape?: (string | number)[]; limits?: Record<string, number> } = {}): FormulaError {
  const run = compileFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS, options);
  try {
    run(values, dims);
  } catch (err) {
    if (err instanceof FormulaError) return err;
    throw err;
  }
  throw new Error(`expected evaluating ${text} to fail`);
}

describe('shape errors say what is wrong, where, and how to fix it', () => {
  test('a matrix product with mismatched inner dimensions suggests the transpose', () => {
    const err = errorOf('1 + X * dY');
    expect(err).toBeInstanceOf(FormulaShapeError);
    expect(err.message).toBe("X * dY: inner dimensions differ (X is N×D, dY is N×M); did you mean X' * dY?");
    expect(err.position).toMatchObject({ offset: 4, column: 5 });
    expect(err.hint).toBe("did you mean X' * dY?");
    expect(err.describe()).toContain('    ^^^^^^');
  });

  test('an answer with the transposed shape is rejected as transposed', () => {
    const err = errorOf("dY' * X", ['D', 'M']);
    expect(err).toBeInstanceOf(FormulaShapeError);
    expect(err.message).toBe('expected D×M, got M×D (transposed?)');
    expect(err.position?.column).toBe(1);
  });

  test('an answer of another shape is rejected without the transposed remark', () => {
    expect(errorOf('sum(dY, 1)', ['D', 'M']).message).toBe('expected D×M, got 1×M');
  });

  test('elementwise operands that do not broadcast suggest a transpose that fits', () => {
    const err = errorOf("X + dY'");
    expect(err.message).toContain('shapes do not broadcast');
    expect(errorOf("G + X'").hint).not.toContain('did you mean');
    expect(errorOf("X .* X'").hint).toBe('did you mean X .* X?');

  });

  test('/ by a matrix and ^ of a matrix point to ./ and .^', () => {
    expect(errorOf('X ./ X + X / X').hint).toBe('for elementwise division write X ./ X');
    expect(errorOf('X ^ 2').hint).toContain('X .^ 2');
  });

  test('index notation: index counts, whole-number indices, ranges and name clashes', () => {
    expect(errorOf('dS[i,j] = G[i]', ['N', 'N']).what).toBe('G is N×N, so it takes 2 indices, not 1');
    const half = errorOf('dS[i,j] = G[i/2, j]', ['N', 'N']);
    expect(half.message).toContain('the index i / 2 is not always a whole number');
    expect(half.hint).toContain('ceil(i / 2)');
    expect(half.position?.column).toBe(13);
    expect(errorOf('y[i] = sum(x[i + m], m)', ['N']).what).toBe('cannot infer the range of m: it is never used alone as an index');
    expect(errorOf('y[i] = sum(X[i, k] * W[k, k], k)', ['N']).message).toContain('k indexes axes of different lengths');
    expect(errorOf('y[i] = sum(x[i], i)', ['N']).message).toContain('already bound');
    expect(errorOf('y[N] = x[N]', ['N']).message).toContain('N is declared as a dimension');
    expect(errorOf('y[i] = X[i, :]', ['N']).message).toContain('the right side is D');
    expect(errorOf('Y[i, j] = x[i]', ['N']).message).toContain('takes 1 index, not 2');
    expect(errorOf('Q[i] = x[i]').what).toBe('the shape of Q is unknown');
  });

  test('sum over a declared dimension name is explained', () => {
    expect(errorOf('y[i] = sum(G[i, N], N)', ['N']).message).toContain('N is a dimension');
  });
});

describe('unknown names list close names', () => {
  test('a misspelt symbol suggests the declared one', () => {
    const err = errorOf('X * dy');
    expect(err).toBeInstanceOf(UnknownSymbolError);
    expect((err as UnknownSymbolError).suggestions).toEqual(['dY']);
    expect(err.message).toBe('unknown symbol dy; did you mean dY?');
    expect(err.position?.column).toBe(5);
  });

  test('a misspelt function suggests the allowed one', () => {
    const err = errorOf('softmx(z, 2)');
    expect(err).toBeInstanceOf(UnknownSymbolError);
    expect((err as UnknownSymbolError).suggestions).toContain('softmax');
  });

  test('an unbound index is unknown', () => {
    expect(errorOf('y[i] = x[j]', ['N'])).toBeInstanceOf(UnknownSymbolError);
  });

  test('a name with nothing close lists what is declared', () => {
    expect(errorOf('qqqqqq + 1').hint).toContain('known names: X, W, dY');
  });
});

describe('safety: untrusted text is never evaluated and escapes are refused with typed errors', () => {
  test.each([
    ["import('fs')", UnknownSymbolError],
    ['evaluate("1+1")', UnknownSymbolError],
    ['parse("x")', UnknownSymbolError],
    ['createUnit("foo")', UnknownSymbolError],
    ['a.b', UnsupportedSyntaxError],
    ['X.constructor', UnsupportedSyntaxError],
    ["X['constructor']", FormulaShapeError],
    ["x['constructor']", UnsupportedSyntaxError],
    ['{a: 1}', UnsupportedSyntaxError],
    ['f(x) = x', UnsupportedSyntaxError],
    ['x = 1; x', UnsupportedSyntaxError],
    ['constructor', UnknownSymbolError],
    ['__proto__', UnknownSymbolError],
    ['toString(X)', UnknownSymbolError],
    ['X ? 1 : 0', UnsupportedSyntaxError],
    ['[]', UnsupportedSyntaxError],
    ["'full'", UnsupportedSyntaxError],
    ['x mod 2', UnsupportedSyntaxError],
    ['x!', UnsupportedSyntaxError],
    ['X & G', UnsupportedSyntaxError],
    ['0x10', UnsupportedSyntaxError],
    ['NaN', UnsupportedSyntaxError],
    ['true', UnsupportedSyntaxError],
    ['A[1][2]', UnknownSymbolError],
    ['sum(X)[1]', FormulaShapeError],
    ['x[1][1]', FormulaShapeError],
    ['X[end]', UnsupportedSyntaxError],
    ['\\frac{a}{b}', UnsupportedSyntaxError],
    ['X × W', FormulaSyntaxError],
    ['X * ', FormulaSyntaxError],
    ['(X', FormulaSyntaxError],
    ["'unterminated", FormulaSyntaxError],
    ['ones(1e5, 1e5)', LimitExceededError],
    [`${'('.repeat(80)}x${')'.repeat(80)}`, LimitExceededError],
    [`x${' + x'.repeat(1200)}`, LimitExceededError],
  ] as const)('%s is rejected', (text, errorClass) => {
    const err = errorOf(text);
    expect(err).toBeInstanceOf(errorClass);
    expect(err.position).toBeDefined();
  });

  test('a loop nest whose trip count exceeds the budget is refused before it runs', () => {
    const started = performance.now();
    const err = runtimeErrorOf('sum(x[i], i, 1, 1e12)', normals(1, { x: [3] }), { N: 3, D: 1, M: 1, K: 1 });
    expect(err).toBeInstanceOf(LimitExceededError);
    expect(performance.now() - started).toBeLessThan(100);
  });

  test('a formula whose loops outrun the iteration budget stops with LimitExceededError', () => {
    const values = normals(1, { x: [3000] });
    const err = runtimeErrorOf('sum(sum(x[i] * x[j], i), j)', values, { N: 3000, D: 1, M: 1, K: 1 }, { limits: { maxIterations: 1e6 } });
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).limit).toBe('maxIterations');
  });

  test('a formula whose loops outrun the time limit stops with LimitExceededError', () => {
    const values = normals(1, { x: [4000] });
    const started = performance.now();
    // A bound read from the input's values defeats the price before the run; the clock check in the loops stops it.
    const err = runtimeErrorOf('sum(sum(x[m], m, 1, floor(abs(x[j]) * 1e5)), j, 1, N)', values, { N: 4000, D: 1, M: 1, K: 1 }, { limits: { timeLimitMs: 20, maxIterations: 1e15 } });
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).limit).toBe('timeLimitMs');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('loops whose bounds are other indices are priced before they run, from the ranges of those indices', () => {
    const values = normals(1, { x: [4000] });
    const started = performance.now();
    const err = runtimeErrorOf('sum(sum(sum(x[m], m, 1, j), j, 1, i), i, 1, N)', values, { N: 4000, D: 1, M: 1, K: 1 }, { limits: { maxIterations: 1e15 } });
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).limit).toBe('maxSeconds');
    expect(performance.now() - started).toBeLessThan(100);
  });

  test('element counts are capped at run time for symbolic sizes', () => {
    const values = normals(1, { x: [5000] });
    const err = runtimeErrorOf('ones(N, N) * x', values, { N: 5000, D: 1, M: 1, K: 1 });
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).limit).toBe('maxElements');
  });

  test('formulas longer than the length limit are refused before parsing', () => {
    expect(() => parseFormula('x + '.repeat(2000) + 'x')).toThrow(LimitExceededError);
  });
});

describe('run-time inputs are checked against the declarations', () => {
  const dims = { N: 3, D: 2, M: 2, K: 4 };
  const values = normals(2, { X: [3, 2], W: [2, 2], dY: [3, 2], x: [3] });

  test('a missing input, a wrong shape and a missing dimension are FormulaValueErrors', () => {
    expect(runtimeErrorOf("X' * dY", { X: values.X! }, dims)).toBeInstanceOf(FormulaValueError);
    expect(runtimeErrorOf("X' * dY", { ...values, X: Tensor.zeros([2, 3]) }, dims).message).toContain('X is 2×3, but its declared shape N×D is 3×2');
    expect(runtimeErrorOf("X' * dY", values, { N: 3, D: 2 }).message).toBe('no size given for the dimension M; pass dims.M');
    expect(runtimeErrorOf("X' * dY", values, { ...dims, N: 2.5 })).toBeInstanceOf(FormulaValueError);
  });

  test('labels outside 1..K and non-integer labels are FormulaValueErrors with the position', () => {
    const bad = runtimeErrorOf('onehot(c, K)', { c: Tensor.fromArray([3], [1, 2, 5]) }, dims);
    expect(bad).toBeInstanceOf(FormulaValueError);
    expect(bad.position?.column).toBe(1);
    expect(runtimeErrorOf('onehot(c, K)', { c: Tensor.fromArray([3], [1, 2.5, 1]) }, dims).message).toContain('labels');
  });
});

describe('declarations are validated', () => {
  test.each([
    [{ dims: ['N', 'N'], symbols: [] }, 'declared twice'],
    [{ dims: ['sum'], symbols: [] }, 'reserved'],
    [{ dims: ['N'], symbols: [{ name: 'N', shape: [] }] }, 'both as a dimension and as a symbol'],
    [{ dims: ['N'], symbols: [{ name: 'X', shape: ['N', 'Q'] }] }, 'Q is not a dimension'],
    [{ dims: ['N'], symbols: [{ name: 'X', shape: ['N/D'] }] }, 'D is not a dimension'],
    [{ dims: ['N'], symbols: [{ name: '1X', shape: [] }] }, 'not a valid name'],
    [{ dims: ['N'], symbols: [{ name: 'X', shape: [-1] }] }, 'not a non-negative integer'],
  ] as const)('%j is refused (%s)', (declarations, message) => {
    expect(() => resolveDeclarations(declarations as unknown as Declarations)).toThrow(DeclarationError);
    expect(() => resolveDeclarations(declarations as unknown as Declarations)).toThrow(message);
  });

  test('shape entries are dimension expressions in canonical form', () => {
    const scope = resolveDeclarations({ dims: ['n', 'kh'], symbols: [{ name: 'X', shape: ['2*n+kh-1', '(kh+1)*2'] }] });
    expect(scope.symbols.get('X')!.shape.map(String)).toEqual(['kh+2*n-1', '2*kh+2']);
  });

  test('checkFormula reports the symbolic shape', () => {
    const checked = checkFormula(parseFormula("X' * dY"), DECLARATIONS);
    expect(checked.shapeText).toBe('D×M');
    expect(checked.kind).toBe('expression');
  });
});

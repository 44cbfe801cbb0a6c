import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Declarations, FormulaDomainError, FormulaShapeError, checkFormula, parseFormula } from '../../src/formula/index.js';
import { Rng, Tensor, add, eye, matmul, sample } from '../../src/tensor/index.js';
import { hasPython, runPython } from '../tensor/python.js';
import { FC, build, evaluate, expectClose, normals, seed, size } from './helpers.js';

/**
 * The functions added with the function table, through formulas (whole-tensor and index notation),
 * against numpy and scipy; their shape rules as properties over random dims; their typed errors.
 */

const DECLARATIONS: Declarations = {
  dims: ['N', 'D', 'H'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'Y', shape: ['N', 'D'] },
    { name: 'lo', shape: [1, 'D'] },
    { name: 'A', shape: ['N', 'N'] },
    { name: 'S', shape: ['N', 'N'] },
    { name: 'B', shape: ['N', 'D'] },
    { name: 'b', shape: ['N'] },
    { name: 'h', shape: ['H'] },
    { name: 'x', shape: ['D'] },
  ],
};

const N = 4;
const D = 5;
const DIMS = { N, D, H: 3 };

/** Entries that reach every branch: tails where naive formulas overflow or cancel, 0, tiny values. */
const SPECIAL = [-40, -9.5, -3, -1, -0.46875, -1e-9, 0, 1e-9, 0.3, 1, 2.5, 4.2, 9, 30, 700, -700, 0.7, -0.2, 1.5, -2.5];

function values(): Record<string, Tensor> {
  const rng = new Rng(77);
  const A = sample.normal(rng, [N, N]);
  const M = sample.normal(rng, [N, N]);
  return {
    X: Tensor.fromArray([N, D], SPECIAL),
    Y: sample.normal(rng, [N, D]),
    lo: Tensor.fromArray([1, D], [-1, -0.5, 0, 0.5, -2]),
    A,
    S: add(matmul(M, M, { transB: true }), eye(N)),
    B: sample.normal(rng, [N, D]),
    b: sample.normal(rng, [N]),
    h: sample.normal(rng, [3]),
    x: sample.normal(rng, [D]),
  };
}

const ELEMENTWISE: readonly (readonly [string, string])[] = [
  ['erf(X)', 'sp.erf(X)'],
  ['erfc(X)', 'sp.erfc(X)'],
  ['sign(X)', 'np.sign(X)'],
  ['sgn(X)', 'np.sign(X)'],
  ['clip(X, lo, 2)', 'np.clip(X, lo, 2)'],
  ['clamp(X, -1, lo)', 'np.clip(X, -1, lo)'],
  ['softplus(X)', 'np.logaddexp(0, X)'],
  ['log1p(abs(X))', 'np.log1p(np.abs(X))'],
  ['expm1(X / 100)', 'np.expm1(X / 100)'],
  ['sin(X)', 'np.sin(X)'],
  ['cos(X)', 'np.cos(X)'],
  ['tan(X)', 'np.tan(X)'],
  ['sinh(X / 10)', 'np.sinh(X / 10)'],
  ['cosh(X / 10)', 'np.cosh(X / 10)'],
  ['atan(X)', 'np.arctan(X)'],
  ['square(X)', 'np.square(X)'],
  ['logsigmoid(X)', '-np.logaddexp(0, -X)'],
  ['gelu(X / 10)', 'gelu_tanh(X / 10)'],
  ['gelu_exact(X / 10)', 'X / 20 * sp.erfc(-X / 10 / np.sqrt(2))'],
];

const LINEAR_ALGEBRA: readonly (readonly [string, string])[] = [
  ['inv(A)', 'np.linalg.inv(A)'],
  ['det(A)', 'np.linalg.det(A)'],
  ['logdet(A)', 'np.linalg.slogdet(A)[1]'],
  ['logdet(S)', 'np.linalg.slogdet(S)[1]'],
  ['trace(A)', 'np.trace(A)'],
  ['tr(A * S)', 'np.trace(A @ S)'],
  ['solve(A, B)', 'np.linalg.solve(A, B)'],
  ['A \\ B', 'np.linalg.solve(A, B)'],
  ['A \\ b', 'np.linalg.solve(A, b)'],
  ['mldivide(A, b)', 'np.linalg.solve(A, b)'],
  ['X\' * (S \\ X)', 'X.T @ np.linalg.solve(S, X)'],
  ['chol(S, \'lower\')', 'np.linalg.cholesky(S)'],
  ['chol(S)', 'np.linalg.cholesky(S).T'],
  ['inv(A)\' * det(A)', 'np.linalg.inv(A).T * np.linalg.det(A)'],
];

const CONCATENATION: readonly (readonly [string, string])[] = [
  ['[X, Y]', 'np.hstack([X, Y])'],
  ['[X; Y]', 'np.vstack([X, Y])'],
  ['[X, Y; Y, X]', 'np.block([[X, Y], [Y, X]])'],
  ['cat(1, X, Y, X)', 'np.concatenate([X, Y, X], 0)'],
  ['cat(2, X, ones(N, 1) * lo)\'', 'np.concatenate([X, np.ones((N, 1)) @ lo], 1).T'],
  ['[h; x]', 'np.concatenate([h, x])'],
  ['[x; 1]', 'np.concatenate([x, [1]])'],
  ['[1, 2; 3, 4]', 'np.array([[1, 2], [3, 4]])'],
  ['[1, lo]', 'np.hstack([[[1]], lo])'],
  ["[lo'; -1]", 'np.vstack([lo.T, [[-1]]])'],
  ['[X, Y][:, 3:7]', 'np.hstack([X, Y])[:, 2:7]'],
  ['(X * Y\')[2:N, :]', '(X @ Y.T)[1:, :]'],
  ['[X; Y][N + 1, :]', 'Y[0, :]'],
  ['X[:, 2:D]', 'X[:, 1:]'],
];

const REFERENCES = `
import json, sys
import numpy as np
import scipy.special as sp
d = json.load(sys.stdin)
g = {k: np.array(v, dtype=float) for k, v in d['values'].items()}
g.update({'np': np, 'sp': sp, 'N': d['N'], 'D': d['D']})
g['gelu_tanh'] = lambda v: 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) * (v + 0.044715 * v ** 3)))
print(json.dumps({e: np.asarray(eval(e, g), dtype=float).tolist() for e in d['exprs']}))
`;

describe.skipIf(!hasPython)('new functions against numpy and scipy', () => {
  const v = values();
  const cases = [...ELEMENTWISE, ...LINEAR_ALGEBRA, ...CONCATENATION];
  const ref = runPython(REFERENCES, { values: Object.fromEntries(Object.entries(v).map(([k, t]) => [k, t.toNested()])), exprs: cases.map(([, e]) => e), N, D }) as Record<string, number | number[] | number[][]>;
  /** A relative 1e-12: linear algebra on cond ≤ 1e3 matrices, elementwise functions to a few ulp. */
  const TOL = 1e-12;

  test.each(cases)('%s', (formula, numpy) => {
    const got = evaluate(formula, DECLARATIONS, v, DIMS);
    const expected = Tensor.fromNested(ref[numpy]!);
    expectClose(got, expected, TOL);
  });

  test.each(ELEMENTWISE.filter(([f]) => !/\blo\b/.test(f)))('%s in index notation agrees with the whole-tensor form bit for bit', (formula) => {
    const indexed = formula.replace(/\bX\b/g, 'X[i, j]');
    const loops = evaluate(`Z[i, j] = ${indexed}`, DECLARATIONS, v, DIMS, { targetShape: ['N', 'D'] }).toArray();
    const whole = evaluate(formula, DECLARATIONS, v, DIMS).toArray();
    loops.forEach((x, i) => expect(Object.is(x, whole[i]), `entry ${i}: ${x} vs ${whole[i]}`).toBe(true));
  });
});

describe('shape rules of the new functions, over random dims', () => {
  const D2: Declarations = {
    dims: ['m', 'n', 'k'],
    symbols: [
      { name: 'P', shape: ['m', 'n'] },
      { name: 'Q', shape: ['m', 'k'] },
      { name: 'R', shape: ['k', 'n'] },
      { name: 'Sq', shape: ['m', 'm'] },
      { name: 'u', shape: ['m'] },
      { name: 'v', shape: ['k'] },
    ],
  };
  const arb = fc.record({ m: size(4), n: size(4), k: size(4), seed });
  const inputs = (d: { m: number; n: number; k: number; seed: number }) => normals(d.seed, { P: [d.m, d.n], Q: [d.m, d.k], R: [d.k, d.n], Sq: [d.m, d.m], u: [d.m], v: [d.k] });

  test('[P, Q] and cat(2, P, Q) put Q beside P; [P; R] and cat(1, P, R) put R below P', () => {
    fc.assert(
      fc.property(arb, (d) => {
        const t = inputs(d);
        const side = build([d.m, d.n + d.k], ([i, j]) => (j! < d.n ? t.P!.get(i!, j!) : t.Q!.get(i!, j! - d.n)));
        const below = build([d.m + d.k, d.n], ([i, j]) => (i! < d.m ? t.P!.get(i!, j!) : t.R!.get(i! - d.m, j!)));
        expectClose(evaluate('[P, Q]', D2, t, d), side, 0);
        expectClose(evaluate('cat(2, P, Q)', D2, t, d), side, 0);
        expectClose(evaluate('[P; R]', D2, t, d), below, 0);
        expectClose(evaluate('cat(1, P, R)', D2, t, d), below, 0);
        expectClose(evaluate('[u; v]', D2, t, d), build([d.m + d.k], ([i]) => (i! < d.m ? t.u!.get(i!) : t.v!.get(i! - d.m))), 0);
      }),
      { ...FC, numRuns: 60 },
    );
  });

  test('a slice of a concatenation is the operand it covers', () => {
    fc.assert(
      fc.property(arb, (d) => {
        const t = inputs(d);
        expectClose(evaluate('[P, Q][:, n + 1:n + k]', D2, t, d), t.Q!, 0);
        expectClose(evaluate('[P; R][1:m, :]', D2, t, d), t.P!, 0);
      }),
      { ...FC, numRuns: 60 },
    );
  });

  test('the checked shape of every new function is the evaluated shape', () => {
    const formulas = ['[P, Q]', '[P; R]', '[Q, P; ones(k, k), R]\'', 'cat(1, u, v)', '[P, Q][:, 2:n]', 'inv(Sq)', 'det(Sq)', 'logdet(Sq * Sq\' + eye(m))', 'trace(Sq)', 'Sq \\ P', 'solve(Sq, u)', "chol(Sq * Sq' + eye(m), 'lower')", 'clip(P, -1, 1)', 'erf(P) .* gelu(P)'];
    fc.assert(
      fc.property(arb, (d) => {
        const t = inputs(d);
        for (const formula of formulas) {
          const checked = checkFormula(parseFormula(formula, { declarations: D2 }), D2);
          const shape = checked.shape.map((dim) => dim.evaluate(new Map(Object.entries(d))));
          expect(evaluate(formula, D2, t, d).shape, formula).toEqual(shape);
        }
      }),
      { ...FC, numRuns: 40 },
    );
  });
});

describe('typed errors of the new functions', () => {
  const errorOf = (text: string): Error => {
    try {
      checkFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS);
    } catch (err) {
      return err as Error;
    }
    throw new Error(`expected ${text} to be rejected`);
  };

  test.each([
    ['inv(X)', 4, 'inv needs a square matrix, and X is N×D'],
    ['det(X)', 4, 'det needs a square matrix'],
    ['logdet(B)', 7, 'logdet needs a square matrix'],
    ['trace(X)', 6, 'trace needs a square matrix'],
    ['chol(X)', 5, 'chol needs a square matrix'],
    ['X \\ B', 0, 'solve needs a square matrix'],
    ['A \\ X\'', 4, 'so B needs N rows'],
    ["chol(S, 'full')", 8, "the mode of chol must be 'upper' or 'lower'"],
    ['[X\', A]', 5, 'side by side, [A, B] needs the same number of rows'],
    ['[X; A]', 4, 'stacked, [A; B] needs the same number of columns'],
    ['[h, X]', 1, 'X is N×D and h is H; joined tensors need the same rank'],
    ['cat(3, X, Y)', 4, 'the dim of cat must be 1..2'],
    ['clip(X, A, 1)', 8, 'does not broadcast'],
    ['[X, Y][1, 2, 3]', 0, 'so it takes 2 indices, not 3'],
    ['A ^ -1', 0, 'for the inverse write inv(A)'],
  ] as const)('%s', (text, column, message) => {
    const err = errorOf(text) as FormulaShapeError;
    expect(err).toBeInstanceOf(FormulaShapeError);
    expect(err.message).toContain(message);
    expect(err.position?.offset).toBe(column);
  });

  test('a singular or non-positive-definite value is a FormulaDomainError at the call', () => {
    const v = values();
    const singular = { ...v, A: Tensor.fromNested([[1, 2, 3, 4], [2, 4, 6, 8], [0, 1, 0, 1], [1, 0, 1, 0]]) };
    for (const [text, at] of [['inv(A)', 0], ['2 * (A \\ b)', 4], ['logdet(A)', 0], ['chol(A)', 0]] as const) {
      let error: unknown;
      try {
        evaluate(text, DECLARATIONS, singular, DIMS);
      } catch (err) {
        error = err;
      }
      expect(error, text).toBeInstanceOf(FormulaDomainError);
      expect((error as FormulaDomainError).position?.offset, text).toBe(at);
    }
    expect(evaluate('det(A)', DECLARATIONS, singular, DIMS).item() === 0).toBe(true);
  });
});

describe('LaTeX spellings of the new functions come from the table', () => {
  test.each([
    ['\\log\\det(A)', 'logdet(A)'],
    ['\\log \\det(A)', 'logdet(A)'],
    ['\\ln\\det(A)', 'logdet(A)'],
    ['\\det(A)', 'det(A)'],
    ['\\operatorname{tr}(A S)', 'trace(A * S)'],
    ['\\mathrm{Tr}(A)', 'trace(A)'],
    ['\\text{tr}(A)', 'trace(A)'],
    ['\\tr(A)', 'trace(A)'],
    ['\\operatorname{sgn}(X)', 'sign(X)'],
    ['\\arctan(X)', 'atan(X)'],
    ['\\sin(X) + \\cosh(X)', 'sin(X) + cosh(X)'],
    ['\\operatorname{softplus}(X)', 'softplus(X)'],
    ['\\operatorname{ReLU}(X)', 'relu(X)'],
    ['\\mathrm{erf}(X)', 'erf(X)'],
  ])('%s reads as %s', (latex, formula) => {
    expect(parseFormula(latex, { syntax: 'latex', declarations: DECLARATIONS }).readAs).toBe(formula);
  });
});

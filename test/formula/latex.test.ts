import { describe, expect, test } from 'vitest';
import { type Declarations, FormulaError, FormulaSyntaxError, UnknownSymbolError, UnsupportedNotationError, parseFormula, treeShape } from '../../src/formula/index.js';
import { Rng, Tensor, sample } from '../../src/tensor/index.js';
import { evaluate, expectClose, normals } from './helpers.js';

const DECLARATIONS: Declarations = {
  dims: ['N', 'D', 'M', 'K', 'n', 'F', 'C', 'H', 'W', 'kh', 'kw'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'Wm', shape: ['D', 'M'] },
    { name: 'dY', shape: ['N', 'M'], aliases: ['\\frac{\\partial \\ell}{\\partial Y}'] },
    { name: 'z', shape: ['N', 'K'] },
    { name: 'p', shape: ['N', 'K'] },
    { name: 's', shape: ['K'] },
    { name: 'G', shape: ['n', 'n'] },
    { name: 'x', shape: ['N'] },
    { name: 'Kc', shape: ['F', 'C', 'kh', 'kw'] },
    { name: 'dYc', shape: ['N', 'F', 'H-kh+1', 'W-kw+1'] },
  ],
};

const DIMS = { N: 3, D: 4, M: 2, K: 3, n: 2, F: 2, C: 3, H: 5, W: 4, kh: 2, kw: 3 };

function values(): Record<string, Tensor> {
  const v = normals(11, { X: [3, 4], Wm: [4, 2], dY: [3, 2], z: [3, 3], G: [2, 2], x: [3], Kc: [2, 3, 2, 3], dYc: [3, 2, 4, 2] });
  v.p = sample.simplexRows(new Rng(12), [3, 3]);
  v.s = sample.simplexRows(new Rng(13), [3]);
  return v;
}

/** LaTeX, the plain formula it must read as (same tree), and the target shape for index notation. */
const SAME_TREE: readonly (readonly [string, string, (string | number)[] | null])[] = [
  ['X^T dY', "X' * dY", null],
  ['X^{\\top} \\frac{\\partial L}{\\partial Y}', "X' * dY", null],
  ['X^\\top \\cdot \\frac{\\partial \\ell}{\\partial Y}', "X' * dY", null],
  ['dY \\, Wm^{T}', "dY * Wm'", null],
  ['\\sigma(z) \\odot (1 - \\sigma(z))', 'sigmoid(z) .* (1 - sigmoid(z))', null],
  ['\\mathbb{1}[X > 0] \\odot X', '(X > 0) .* X', null],
  ['\\operatorname{softmax}(z, 2) - p', 'softmax(z, 2) - p', null],
  ['\\mathrm{softmax}\\left(z, 2\\right) - p', 'softmax(z, 2) - p', null],
  ['\\left( X Wm \\right)^2', '(X * Wm) .^ 2', null],
  ['\\frac{X}{2} + \\exp(X) - \\log(1 + e^{X}) + \\sqrt{X \\odot X}', '(X / 2) + exp(X) - log(1 + exp(X)) + sqrt(X .* X)', null],
  ['\\tanh(x) \\cdot 2', 'tanh(x) * 2', null],
  ['|x| + \\|x\\|', 'abs(x) + norm(x)', null],
  ['dS_{ij} = \\frac{1}{4} G_{\\lceil i/2 \\rceil, \\lceil j/2 \\rceil}', 'dS[i, j] = (1 / 4) * G[ceil(i / 2), ceil(j / 2)]', ['2*n', '2*n']],
  ['J_{ic} = s_{i} (\\delta_{ic} - s_{c})', 'J[i, c] = s[i] * (delta(i, c) - s[c])', ['K', 'K']],
  ['y_{i} = \\sum_{k} X_{ik} \\lfloor k/2 \\rfloor', 'y[i] = sum(X[i, k] * floor(k / 2), k)', ['N']],
  [
    'dX_{b,c,i,j} = \\sum_{f=1}^{F} \\sum_{m,t} Kc_{f,c,m,t} \\, dYc_{b,f,i-m+1,j-t+1}',
    'dX[b, c, i, j] = sum(sum(Kc[f, c, m, t] * dYc[b, f, i - m + 1, j - t + 1], m, t), f, 1, F)',
    ['N', 'C', 'H', 'W'],
  ],
  ['y_{i} = \\sum_{k=1}^{D} X_{ik} + 1', 'y[i] = sum(X[i, k], k, 1, D) + 1', ['N']],
];

describe('LaTeX reads as the same tree as the plain formula', () => {
  test.each(SAME_TREE)('%s', (latex, plain, target) => {
    const fromLatex = parseFormula(latex, { syntax: 'latex', declarations: DECLARATIONS });
    const fromPlain = parseFormula(plain, { declarations: DECLARATIONS });
    expect(treeShape(fromLatex.statement)).toBe(treeShape(fromPlain.statement));
    expect(fromLatex.readAs).toBe(fromPlain.readAs);
    const v = values();
    const options = target ? { targetShape: target } : {};
    expectClose(evaluate(latex, DECLARATIONS, v, DIMS, { ...options, syntax: 'latex' }), evaluate(plain, DECLARATIONS, v, DIMS, options));
  });

  test('the conv gradient in LaTeX has the values of the plain index formula', () => {
    const v = values();
    const target = { targetShape: ['N', 'C', 'H', 'W'] };
    const latex = evaluate('dX_{b,c,i,j} = \\sum_{f=1}^{F} \\sum_{m,t} Kc_{f,c,m,t} \\, dYc_{b,f,i-m+1,j-t+1}', DECLARATIONS, v, DIMS, { ...target, syntax: 'latex' });
    expectClose(latex, evaluate('dX[b,c,i,j] = sum(Kc[f,c,m,t] * dYc[b,f,i-m+1,j-t+1], f, m, t)', DECLARATIONS, v, DIMS, target));
  });

  test('juxtaposed declared letters multiply; an undeclared run stays one name', () => {
    const decl: Declarations = { dims: ['N'], symbols: [{ name: 'A', shape: ['N', 'N'] }, { name: 'B', shape: ['N', 'N'] }] };
    expect(parseFormula('AB', { syntax: 'latex', declarations: decl }).readAs).toBe('A * B');
    expect(parseFormula('2AB', { syntax: 'latex', declarations: decl }).readAs).toBe('2 * A * B');
    expect(parseFormula('dY', { syntax: 'latex', declarations: decl }).readAs).toBe('dY');
  });
});

describe('LaTeX errors point into the LaTeX', () => {
  test('an unknown symbol is located in the LaTeX text', () => {
    let caught: unknown;
    try {
      evaluate('X^T \\cdot dy', DECLARATIONS, values(), DIMS, { syntax: 'latex' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnknownSymbolError);
    expect((caught as FormulaError).position).toMatchObject({ offset: 10, end: 12 });
    expect((caught as UnknownSymbolError).suggestions).toContain('dY');
  });

  test('malformed LaTeX is a syntax error and notation derivcheck does not read is refused by name, both with positions', () => {
    const caught = (latex: string): FormulaError => {
      try {
        parseFormula(latex, { syntax: 'latex', declarations: DECLARATIONS });
      } catch (err) {
        expect(err, latex).toBeInstanceOf(FormulaError);
        expect((err as FormulaError).position, latex).toBeDefined();
        return err as FormulaError;
      }
      return expect.fail(`${latex} was read`);
    };
    for (const latex of ['\\foo{x}', '\\frac{a', 'X^T dY}', '\\sum^{N} x', 'X^T +', '\\odto']) expect(caught(latex), latex).toBeInstanceOf(FormulaSyntaxError);
    for (const latex of ['X^T \\partial', '\\Rightarrow X', '\\hat{X}', 'X \\cdots']) expect(caught(latex), latex).toBeInstanceOf(UnsupportedNotationError);
    expect((caught('\\Rightarrow X') as UnsupportedNotationError).construct).toBe('\\Rightarrow');
  });
});

import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { type Declarations, FormulaError, FormulaSyntaxError, UnknownSymbolError, UnsupportedNotationError, parseFormula } from '../../src/formula/index.js';
import { type Claim, compileClaim } from '../../src/problem/claim.js';
import { declarationsOf } from '../../src/problem/shapes.js';
import type { Problem } from '../../src/problem/types.js';
import { Tensor } from '../../src/tensor/index.js';
import { FC, evaluate } from './helpers.js';

/**
 * How LaTeX answers read, construct by construct, against the built-in problems' declarations. Each
 * expectation is written in the formula language and read by the plain reader, so the LaTeX reader is
 * held to an independent spelling of what a person reads.
 */

function problem(id: string): Problem {
  return problems.find((p) => p.id === id)!;
}

function claim(id: string, target: string, latex: string, p: Problem = problem(id)): Claim {
  return compileClaim(p, p.targets.find((t) => t.name === target)!, latex, 'latex');
}

/** The canonical reading of a plain formula for the same problem (its printer is the LaTeX reader's too). */
function plain(id: string, formula: string): string {
  return parseFormula(formula, { declarations: declarationsOf(problem(id)) }).readAs;
}

/** Each [problem, target, LaTeX, plain formula] reads as the plain formula. */
function readsAs(cases: readonly (readonly [string, string, string, string])[]): void {
  test.each(cases)('%s/%s: %s reads as %s', (id, target, latex, formula) => {
    expect(claim(id, target, latex).readAs).toBe(plain(id, formula));
  });
}

function refusal(id: string, target: string, latex: string, p?: Problem): FormulaError {
  try {
    claim(id, target, latex, p);
  } catch (err) {
    if (err instanceof FormulaError) return err;
    throw err;
  }
  return expect.fail(`${latex} was read`);
}

/** [LaTeX, plain formula it reads as] for dense-batch's dW = Xᵀ dY. */
const WRAPPERS: readonly (readonly [string, string])[] = [
  ['$X^\\top dY$', "X' * dY"],
  ['$$X^\\top dY$$', "X' * dY"],
  ['\\(X^\\top dY\\)', "X' * dY"],
  ['\\[X^\\top dY\\]', "X' * dY"],
  ['\\boxed{X^\\top dY}', "X' * dY"],
  ['X^\\top dY.', "X' * dY"],
  ['X^\\top dY,', "X' * dY"],
  ['X^\\top dY \\in \\mathbb{R}^{D \\times M}', "X' * dY"],
  ['X^\\top \\, dY \\! \\quad', "X' * dY"],
  ['\\displaystyle X^\\top dY', "X' * dY"],
  ['\\left( X^\\top \\right) \\left[ dY \\right]', "X' * dY"],
  ['\\bigl( X^\\top \\bigr) \\Big( dY \\Big)', "X' * dY"],
  ['\\text{Answer: } X^\\top dY', "X' * dY"],
  ['X^\\top dY \\quad (D \\times M)', "X' * dY"],
  ['\\begin{aligned} X^\\top dY \\end{aligned}', "X' * dY"],
  ['\\begin{equation} X^\\top dY \\end{equation}', "X' * dY"],
  ['X^{\\rm T}~dY', "X' * dY"],
  ['X^\\top \\hspace{1em} dY', "X' * dY"],
  ['\\textcolor{blue}{X^\\top dY}', "X' * dY"],
  ['Xᵀ · dY', "X' * dY"],
];

describe('wrappers and decorations', () => {
  test.each(WRAPPERS)('%s reads as %s', (latex, formula) => {
    expect(claim('dense-batch', 'dW', latex).readAs).toBe(plain('dense-batch', formula));
  });

  fcTest.prop([fc.subarray(['\\left', '\\in', '.', '\\displaystyle', '\\quad', '\\boxed', '$'] as const, { minLength: 1 })], { ...FC, numRuns: 40 })('any combination of them leaves the reading unchanged', (wrappers) => {
    let latex = 'X^{T} \\frac{\\partial L}{\\partial Y}';
    for (const w of wrappers) {
      if (w === '$') latex = `$${latex}$`;
      else if (w === '\\boxed') latex = `\\boxed{${latex}}`;
      else if (w === '\\left') latex = `\\left(${latex}\\right)`;
      else if (w === '\\in') latex = `${latex} \\in \\mathbb{R}^{D \\times M}`;
      else if (w === '.') latex = `${latex}.`;
      else latex = `${w} ${latex}`;
    }
    expect(claim('dense-batch', 'dW', latex).readAs).toBe(plain('dense-batch', "X' * dY"));
  });
});

describe('left-hand sides', () => {
  test.each([
    '\\nabla_W L',
    '\\nabla_{\\mathbf{W}} \\mathcal{L}',
    '\\frac{\\partial L}{\\partial W}',
    '\\frac{\\partial \\ell}{\\partial \\boldsymbol{W}}',
    '\\frac{dL}{dW}',
    '\\frac{\\mathrm{d}L}{\\mathrm{d}W}',
    'dW',
    '\\mathrm{d}W',
    '\\partial L / \\partial W',
    '\\frac{\\partial L}{\\partial W} :',
  ])('%s = X^T dY names the answer', (left) => {
    expect(claim('dense-batch', 'dW', `${left} = X^T dY`).readAs).toBe(plain('dense-batch', "dW = X' * dY"));
  });

  test.each([
    ['\\frac{\\partial L}{\\partial W_{ij}}', 'i, j'],
    ['\\left(\\frac{\\partial L}{\\partial W}\\right)_{i,j}', 'i, j'],
    ['[\\nabla_W L]_{ij}', 'i, j'],
    ['dW_{ij}', 'i, j'],
    ['\\frac{\\partial L}{\\partial W}_{ij}', 'i, j'],
  ])('the entrywise left side %s binds %s', (left, indices) => {
    expect(claim('dense-batch', 'dW', `${left} = \\sum_n X_{n${indices[0]}} dY_{n${indices[3]}}`).readAs).toBe(plain('dense-batch', `dW[${indices}] = sum(X[n, ${indices[0]}] * dY[n, ${indices[3]}], n)`));
  });

  test('a column or row target takes one index, its axis of size 1 a colon', () => {
    expect(claim('dense-batch', 'db', 'db_m = \\sum_n dY_{nm}').readAs).toBe(plain('dense-batch', 'db[:, m] = sum(dY[n, m], n)'));
    expect(claim('logistic-layer', 'db', 'db_i = g_i s_i (1 - s_i)').readAs).toBe(plain('logistic-layer', 'db[i, :] = g[i, 1] * s[i, 1] * (1 - s[i, 1])'));
  });

  test('an earlier side of a chain that cannot be read does not stop the last from being graded', () => {
    const c = claim('dense-batch', 'dX', '\\frac{\\partial L}{\\partial X} = \\frac{\\partial L}{\\partial Y} \\frac{\\partial Y}{\\partial X} = dY W^T');
    expect(c.readAs).toBe(plain('dense-batch', "dX = dY * W'"));
    expect(c.reading!.earlierSides[0]).toBeInstanceOf(UnsupportedNotationError);
  });

  test('a chain grades its last side and keeps the others for comparison', () => {
    const c = claim('dense-batch', 'dW', '\\frac{\\partial L}{\\partial W} = X^T dY = (dY^T X)^T');
    expect(c.readAs).toBe(plain('dense-batch', "dW = (dY' * X)'"));
    expect(c.reading!.earlierSides.map((s) => (s instanceof FormulaError ? s.message : s.readAs))).toEqual([plain('dense-batch', "dW = X' * dY")]);
  });

  test('a left side naming another gradient is flagged, not graded as the target', () => {
    for (const latex of ['\\frac{\\partial L}{\\partial X} = dY W^T', 'dX = dY W^T', '\\nabla_b L = dY W^T']) {
      const err = refusal('dense-batch', 'dW', latex);
      expect(err, latex).toBeInstanceOf(UnsupportedNotationError);
      expect((err as UnsupportedNotationError).construct).toBe('the left side');
    }
    expect(refusal('avgpool-sigmoid-conv', 'dS', 'dS_{2i-1:2i, 2j-1:2j} = G_{ij} / 4')).toBeInstanceOf(UnsupportedNotationError);
  });

  test('definitions after the answer are substituted, in terms of each other too', () => {
    const c = claim('mlp2-mse', 'dW1', '\\delta_1 x_1^T, \\quad \\delta_1 = (W_2^T \\delta_2) \\odot x_2 \\odot (1 - x_2), \\; \\text{where } \\delta_2 = (x_3 - t) \\odot x_3 \\odot (1 - x_3)');
    expect(c.readAs).toBe(plain('mlp2-mse', "((W2' * ((x3 - t) .* x3 .* (1 - x3))) .* x2 .* (1 - x2)) * x1'"));
  });
});

describe('symbols', () => {
  readsAs([
    ['dense-batch', 'dX', '\\mathbf{dY}\\,\\mathbf{W}^\\top', "dY * W'"],
    ['dense-batch', 'dX', '\\boldsymbol{dY} \\bm{W}^{\\mathsf{T}}', "dY * W'"],
    ['dense-batch', 'dX', '\\frac{\\partial \\mathcal{L}}{\\partial \\mathbf{Y}} W^\\intercal', "dY * W'"],
    ['mlp2-mse', 'db2', '(\\mathbf{x}_3 - t) \\odot x_{3} \\odot (1 - x^{(3)})', '(x3 - t) .* x3 .* (1 - x3)'],
    ['mlp2-mse', 'db1', '(W_2^\\top ((x_3 - t) \\odot x_3 \\odot (1 - x_3))) \\odot x_2 \\odot (1 - x_2)', "(W2' * ((x3 - t) .* x3 .* (1 - x3))) .* x2 .* (1 - x2)"],
    ['rnn-jacobian', 'step', '\\operatorname{diag}(h_t \\odot (1 - h_t)) W_h', 'diag(h .* (1 - h)) * Wh'],
    ['avgpool-sigmoid-conv', 'dS', '\\frac14 \\operatorname{kron}(g, \\mathbf{1}_{2 \\times 2})', '1 / 4 * kron(G, ones(2, 2))'],
    ['rnn-ratio', 'ratio', "w (\\tfrac14 - h'^2)", 'w * (1 / 4 - hn .^ 2)'],
    ['mlp2-mse', 'dW1', '\\delta^{(1)} x^{(1)T}, \\quad \\delta^{(1)} := (W^{(2)T} \\delta^{(2)}) \\odot x^{(2)} \\odot (1 - x^{(2)}), \\quad \\delta^{(2)} = (x^{(3)} - t) \\odot x^{(3)} \\odot (1 - x^{(3)})', "((W2' * ((x3 - t) .* x3 .* (1 - x3))) .* x2 .* (1 - x2)) * x1'"],
    ['dense-batch', 'dX', '\\mathbf{\\nabla}_{\\mathbf{Y}} L \\, \\mathbf{W}^{T}', "dY * W'"],
    ['logistic-layer', 'db', "\\mathbf{g} \\odot \\boldsymbol{\\sigma}'(\\mathbf{a})", 'g .* (sigmoid(a) .* (1 - sigmoid(a)))'],
    ['dense-batch', 'dW', '\\sum_{n=1}^{N} X_{n,:}^T \\, dY_{n,:}', "sum(reshape(X[n, :], 1, D)' * reshape(dY[n, :], 1, M), n, 1, N)"],
    ['conv2d', 'dX', 'dX_{n,c} = \\sum_f \\operatorname{corr2}(dY_{n,f}, \\mathrm{rot180}(K_{f,c}), \\text{full})', "dX[n, c, :, :] = sum(corr2(dY[n, f, :, :], rot90(K[f, c, :, :], 2), 'full'), f)"],
  ]);

  test("a question's notation.aliases (a Map, as question files give it) adds spellings of declared names", () => {
    const p = { ...problem('dense-batch'), notation: { aliases: new Map([['G', 'dY'], ['\\Delta', 'dY'], ['W_1', 'W']]) } };
    expect(claim('dense-batch', 'dW', 'X^\\top G', p).readAs).toBe(plain('dense-batch', "X' * dY"));
    expect(claim('dense-batch', 'dX', '\\Delta W_1^T', p).readAs).toBe(plain('dense-batch', "dY * W'"));
    const unknown = { ...problem('dense-batch'), notation: { aliases: new Map([['G', 'Q']]) } };
    expect(() => claim('dense-batch', 'dW', 'X^T G', unknown)).toThrow(/not a LaTeX name for a declared name/);
  });

  test('an undeclared case variant is an unknown symbol; written with an index it is flagged (a row of X?)', () => {
    expect(refusal('dense-batch', 'dX', 'dy W^T')).toBeInstanceOf(UnknownSymbolError);
    expect(refusal('dense-batch', 'dW', '\\sum_n x_n^T dY_n')).toBeInstanceOf(UnsupportedNotationError);
  });
});

describe('vectors of ones and identities', () => {
  readsAs([
    ['dense-batch', 'db', '\\mathbf{1}^\\top dY', "ones(N, 1)' * dY"],
    ['dense-batch', 'db', '\\mathbf{1}_N^\\top dY', "ones(N, 1)' * dY"],
    ['dense-batch', 'db', '1^T dY', "ones(N, 1)' * dY"],
    ['dense-batch', 'db', '\\vec{1}^T dY', "ones(N, 1)' * dY"],
    ['dense-batch', 'db', 'e^\\top dY', "ones(N, 1)' * dY"],
    ['dense-batch-col', 'db', 'dY \\mathbf{1}', 'dY * ones(N, 1)'],
    ['avgpool-sigmoid-conv', 'dS', '\\frac14 \\mathrm{kron}(G, \\mathbf{1}_{2\\times2})', '1 / 4 * kron(G, ones(2, 2))'],
    ['logistic-layer', 'db', 'g \\odot s \\odot (\\mathbf{1} - s)', 'g .* s .* (ones(m, 1) - s)'],
    ['rnn-jacobian', 'step', '\\operatorname{diag}(h) (I - \\operatorname{diag}(h)) W_h', 'diag(h) * (eye(H) - diag(h)) * Wh'],
    ['rnn-jacobian', 'step', '\\operatorname{diag}(h) (I_H - \\operatorname{diag}(h)) W_h', 'diag(h) * (eye(H) - diag(h)) * Wh'],
  ]);

  test('a length no dimension fits, or two fit, is flagged with the construct named', () => {
    const none = refusal('avgpool-sigmoid-conv', 'dS', '\\frac14 G \\otimes \\mathbf{1}\\mathbf{1}^\\top');
    expect(none).toBeInstanceOf(UnsupportedNotationError);
    expect((none as UnsupportedNotationError).construct).toBe('\\mathbf{1}');
  });

  test('a wrong answer with a vector of ones is graded on its shape, not flagged', () => {
    // 1ᵀ dY is 1×N for the M×N dY of dense-batch-col, whose db is M×1: the only length that fits is M.
    expect(refusal('dense-batch-col', 'db', '\\mathbf{1}^\\top dY').name).toBe('FormulaShapeError');
  });
});

describe('written-out matrices', () => {
  const declarations: Declarations = { dims: ['n'], symbols: [{ name: 'G', shape: ['n', 'n'] }] };
  const G = Tensor.fromNested([[1, -2], [0.5, 3]]);
  const value = (latex: string) => evaluate(latex, declarations, { G }, { n: 2 }, { syntax: 'latex' }).toNested();

  test('numbers, a repeated entry, a scaled identity and a column read as those matrices', () => {
    expect(value('\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}')).toEqual([[1, 2], [3, 4]]);
    expect(value('\\begin{pmatrix} \\frac14 & \\frac14 \\\\ \\frac14 & \\frac14 \\end{pmatrix}')).toEqual([[0.25, 0.25], [0.25, 0.25]]);
    expect(value('\\begin{bmatrix} 2 & 0 \\\\ 0 & 2 \\end{bmatrix}')).toEqual([[2, 0], [0, 2]]);
    expect(value('\\begin{bmatrix} 1 \\\\ -1 \\end{bmatrix}')).toEqual([[1], [-1]]);
    expect(value('\\left[\\begin{array}{cc} 0 & 1 \\\\ 1 & 0 \\end{array}\\right]')).toEqual([[0, 1], [1, 0]]);
  });

  test('entries may be scalar expressions of the inputs', () => {
    expect(value('\\begin{bmatrix} G_{11} & G_{21} \\\\ G_{12} & G_{22} \\end{bmatrix}')).toEqual([[1, 0.5], [-2, 3]]);
  });

  test('blocks are joined side by side and stacked', () => {
    expect(value('\\begin{bmatrix} G & G \\end{bmatrix}')).toEqual([[1, -2, 1, -2], [0.5, 3, 0.5, 3]]);
    expect(value('\\begin{bmatrix} G^T \\\\ 2 G \\end{bmatrix}')).toEqual([[1, 0.5], [-2, 3], [2, -4], [1, 6]]);
  });

  test('a matrix written with an ellipsis is flagged', () => {
    expect(() => parseFormula('\\begin{bmatrix} 1 & \\cdots & 1 \\end{bmatrix}', { syntax: 'latex', declarations })).toThrow(UnsupportedNotationError);
  });
});

describe('functions', () => {
  readsAs([
    ['softmax-ce', 'dz', 'dz_{bk} = \\frac{e^{z_{bk}}}{\\sum_j e^{z_{bj}}} - p_{bk}', 'dz[b, k] = exp(z[b, k]) / sum(exp(z[b, j]), j) - p[b, k]'],
    ['logistic-layer', 'db', "g \\odot \\sigma'(a)", 'g .* (sigmoid(a) .* (1 - sigmoid(a)))'],
    ['logistic-layer', 'db', 'g \\odot \\sigma^\\prime(a)', 'g .* (sigmoid(a) .* (1 - sigmoid(a)))'],
    ['avgpool-sigmoid-conv', 'dC', "\\frac14 \\operatorname{kron}(G, \\mathbf{1}_{2\\times2}) \\odot \\sigma'(C)", '1 / 4 * kron(G, ones(2, 2)) .* (sigmoid(C) .* (1 - sigmoid(C)))'],
    ['logistic-layer', 'db', 'g \\odot \\frac{1 - \\tanh^2(a/2)}{4}', 'g .* ((1 - tanh(a / 2) .^ 2) / 4)'],
    ['rnn-jacobian', 'step', '\\mathrm{diag}(\\sigma(a) \\odot (1 - \\sigma(a))) W_h', 'diag(sigmoid(a) .* (1 - sigmoid(a))) * Wh'],
    ['rnn-ratio', 'ratio', 'w \\exp(\\ln \\sigma(a) + \\log(1 - \\sigma(a)))', 'w * exp(log(sigmoid(a)) + log(1 - sigmoid(a)))'],
    ['rnn-ratio', 'ratio', 'w \\frac{\\mathrm{e}^{-a}}{(1 + \\mathrm{e}^{-a})^2}', 'w * (exp(-a) / (1 + exp(-a)) .^ 2)'],
    ['dense-batch', 'dW', 'dW_{ij} = \\sum_{n}^{N} X_{ni} dY_{nj}', 'dW[i, j] = sum(X[n, i] * dY[n, j], n, 1, N)'],
    ['relu', 'dX', 'dY \\odot \\frac{\\max(0, X)}{X}', 'dY .* (max(0, X) ./ X)'],
    ['relu', 'dX', "\\operatorname{ReLU}'(X) \\odot dY", '(X > 0) .* dY'],
    ['relu', 'dX', '\\frac{\\operatorname{ReLU}(X)}{X} \\odot dY', 'relu(X) ./ X .* dY'],
  ]);

  test('a function the language does not have is refused by name', () => {
    for (const latex of ['\\operatorname{upsample}(G) / 4', "f'(C) \\odot G"]) expect(refusal('avgpool-sigmoid-conv', 'dS', latex), latex).toBeInstanceOf(UnsupportedNotationError);
  });

  test('\\log followed by more than one operand is refused: where its argument ends is unclear', () => {
    expect(refusal('rnn-ratio', 'ratio', 'w \\exp \\ln a w')).toBeInstanceOf(UnsupportedNotationError);
  });
});

describe('indicators', () => {
  test.each([
    '\\mathbb{1}[X>0]',
    '\\mathbb{1}(X>0)',
    '\\mathbb{1}\\{X>0\\}',
    '\\mathbb{1}\\left\\{X>0\\right\\}',
    '\\mathbb{I}[X>0]',
    'I[X>0]',
    '\\mathbf{1}_{X>0}',
    '\\mathbb{1}_{\\{X>0\\}}',
    '1_{X>0}',
    '[X > 0]',
    "\\operatorname{relu}'(X)",
    '\\begin{cases} 1 & X > 0 \\\\ 0 & \\text{otherwise} \\end{cases}',
  ])('%s ⊙ dY reads as the mask (X > 0)', (mask) => {
    const read = claim('relu', 'dX', `${mask} \\odot dY`).readAs;
    if (mask.startsWith('\\begin')) expect(read).toBe(plain('relu', '(1 .* (X > 0)) .* dY'));
    else expect(read).toBe(plain('relu', '(X > 0) .* dY'));
  });

  test('\\theta(X) is the unit step where the question declares it, and flagged where not', () => {
    const withStep = { ...problem('relu'), notation: { step: ['\\theta'] } };
    expect(claim('relu', 'dX', 'dY \\odot \\theta(X)', withStep).readAs).toBe(plain('relu', 'dY .* (X > 0)'));
    expect(refusal('relu', 'dX', 'dY \\odot \\theta(X)')).toBeInstanceOf(UnsupportedNotationError);
  });

  test('cases take the first condition that holds', () => {
    expect(claim('relu', 'dX', 'dX_{ij} = \\begin{cases} dY_{ij} & \\text{if } X_{ij} > 0, \\\\ 0 & \\text{otherwise.} \\end{cases}').readAs).toBe(plain('relu', 'dX[i, j] = dY[i, j] .* (X[i, j] > 0)'));
    expect(claim('relu', 'dX', '\\begin{cases} dY & X > 0 \\\\ 2 dY & X > -1 \\\\ 0 & \\text{else} \\end{cases}').readAs).toBe(plain('relu', 'dY .* (X > 0) + 2 * dY .* (X > -1) .* (1 - (X > 0))'));
  });
});

describe('operators', () => {
  test.each([
    ['g \\circ s \\circ (1 - s)', 'g .* s .* (1 - s)'],
    ['g \\odot s \\odot (1 - s)', 'g .* s .* (1 - s)'],
    ['g \\cdot s \\cdot (1 - s)', 'g .* s .* (1 - s)'],
    ['g \\times s (1 - s)', 'g .* s .* (1 - s)'],
    ['g ⊙ σ(a) ⊙ (1 − σ(a))', 'g .* sigmoid(a) .* (1 - sigmoid(a))'],
    ['\\tfrac{1}{2} g \\odot s \\odot (1 - s) \\cdot \\dfrac{4}{2}', '1 / 2 * g .* s .* (1 - s) * (4 / 2)'],
  ])('logistic db: %s reads as %s', (latex, formula) => {
    expect(claim('logistic-layer', 'db', latex).readAs).toBe(plain('logistic-layer', formula));
  });

  test('\\otimes is the Kronecker product, elementwise where the question says so, and flagged when only another reading fits', () => {
    expect(claim('avgpool-sigmoid-conv', 'dS', '\\frac14 G \\otimes \\mathbf{1}_2 \\mathbf{1}_2^\\top').readAs).toBe(plain('avgpool-sigmoid-conv', "kron(1 / 4 * G, ones(2, 1) * ones(2, 1)')"));
    const elementwise = { ...problem('logistic-layer'), notation: { otimes: 'elementwise' as const } };
    expect(claim('logistic-layer', 'db', 'g \\otimes s \\otimes (1 - s)', elementwise).readAs).toBe(plain('logistic-layer', 'g .* s .* (1 - s)'));
    const flagged = refusal('logistic-layer', 'db', 'g \\otimes s \\otimes (1 - s)');
    expect(flagged).toBeInstanceOf(UnsupportedNotationError);
    expect((flagged as UnsupportedNotationError).construct).toBe('\\otimes');
    expect(flagged.message).toContain('g .* s .* (1 - s)');
    expect(refusal('logistic-layer', 'dW', '(g \\odot s \\odot (1 - s)) \\otimes x').message).toContain('outer product');
  });
});

describe('entrywise answers without a left side', () => {
  readsAs([
    ['softmax-ce', 'dz', 's_{ij} - p_{ij}', 'dz[i, j] = s[i, j] - p[i, j]'],
    ['softmax-ce', 'dz', 's_{ji} - p_{ji}', 'dz[j, i] = s[j, i] - p[j, i]'],
    ['dense-batch', 'dX', '\\sum_m dY_{nm} W_{dm}', 'dX[n, d] = sum(dY[n, m] * W[d, m], m)'],
    ['avgpool-sigmoid-conv', 'dS', '\\frac14 g_{\\lceil i/2\\rceil, \\lceil j/2\\rceil}', 'dS[i, j] = 1 / 4 * G[ceil(i / 2), ceil(j / 2)]'],
    ['conv2d', 'dK', '\\sum_{n,i,j} X_{n,c,i+m-1,j+t-1} dY_{n,f,i,j}', 'dK[f, c, m, t] = sum(X[n, c, i + m - 1, j + t - 1] * dY[n, f, i, j], n, i, j)'],
    ['dense-batch', 'db', '\\sum_n dY_{nm}', 'db[:, m] = sum(dY[n, m], n)'],
    ['rnn-jacobian', 'step', '\\left[h_i (1 - h_i) (W_h)_{ij}\\right]_{ij}', 'step[i, j] = h[i, 1] * (1 - h[i, 1]) * Wh[i, j]'],
    ['dense-batch', 'dW', '(X^T dY)_{ij}', "X' * dY"],
  ]);

  test('fewer free indices than axes take the leading axes, the rest whole (a plane per n, c)', () => {
    expect(claim('conv2d', 'dX', "\\sum_f \\operatorname{conv2}(dY_{n,f}, K_{f,c}, 'full')").readAs).toBe(plain('conv2d', "dX[n, c, :, :] = sum(conv2(dY[n, f, :, :], K[f, c, :, :], 'full'), f)"));
    expect(claim('conv2d', 'dX', "dX[n,c,:,:] = \\sum_f \\mathrm{conv2}(dY[n,f,:,:], K[f,c,:,:], \\text{full})").readAs).toBe(plain('conv2d', "dX[n, c, :, :] = sum(conv2(dY[n, f, :, :], K[f, c, :, :], 'full'), f)"));
  });

  test("a primed summation index (k') is its own name", () => {
    expect(claim('softmax-ce', 'dz', "\\frac{e^{z_{bk}}}{\\sum_{k'=1}^{K} e^{z_{bk'}}} - p_{bk}").readAs).toBe(plain('softmax-ce', 'dz[b, k] = exp(z[b, k]) / sum(exp(z[b, k_prime]), k_prime, 1, K) - p[b, k]'));
  });

  test('indices whose order neither their ranges nor the alphabet decide are flagged', () => {
    expect(refusal('rnn-jacobian', 'step', 'h_j (1 - h_j) (W_h)_{ji}')).toBeInstanceOf(UnsupportedNotationError);
  });
});

describe('juxtaposed matrices', () => {
  test('a product that cannot be a matrix product by its shapes is read elementwise, and the note says so', () => {
    const c = claim('avgpool-sigmoid-conv', 'dC', '\\frac14 \\operatorname{kron}(G, \\mathbf{1}_{2\\times2}) \\odot S(1-S)');
    expect(c.readAs).toBe(plain('avgpool-sigmoid-conv', '1 / 4 * kron(G, ones(2, 2)) .* S .* (1 - S)'));
    expect(c.reading!.notes.join()).toContain('elementwise');
  });

  test('where both products fit, the matrix product is read and the elementwise one kept as an alternative', () => {
    const c = claim('rnn-jacobian', 'step', 'W_h W_h');
    expect(c.readAs).toBe(plain('rnn-jacobian', 'Wh * Wh'));
    expect(c.reading!.alternatives.map((a) => a.claim.readAs)).toEqual([plain('rnn-jacobian', 'Wh .* Wh')]);
  });

  test('a product that fits only grouped otherwise than a product groups (W^T g s (1 - s), W^T a ⊙ b) is flagged as a precedence question', () => {
    for (const [id, target, latex, grouped] of [
      ['logistic-layer', 'dx', 'W^T g s (1-s)', "W' * (g .* s .* (1 - s))"],
      ['mlp2-mse', 'db1', "\\sigma'(a_1) \\odot (W_2^T \\sigma'(a_2) \\odot (x_3 - t))", "W2' * (sigmoid(a2) .* (1 - sigmoid(a2)) .* (x3 - t))"],
    ] as const) {
      const err = refusal(id, target, latex);
      expect(err, latex).toBeInstanceOf(UnsupportedNotationError);
      expect((err as UnsupportedNotationError).construct).toBe('precedence');
      expect(err.message).toContain(grouped);
    }
  });

  test('* between tensors that fit no product is flagged (a convolution?)', () => {
    const err = refusal('conv2d', 'dX', 'dX_{n,c} = \\sum_f dY_{n,f} * \\mathrm{rot180}(K_{f,c})');
    expect(err).toBeInstanceOf(UnsupportedNotationError);
    expect((err as UnsupportedNotationError).construct).toBe('*');
  });

  test('\\sigma of a vector is the sigmoid, with the softmax kept as a reading a person may prefer', () => {
    const c = claim('relu-softmax-ce', 'dz', '\\sigma(z) - p');
    expect(c.readAs).toBe(plain('relu-softmax-ce', 'sigmoid(z) - p'));
    expect(c.reading!.alternatives.filter((a) => a.review).map((a) => a.claim.readAs)).toEqual([plain('relu-softmax-ce', 'softmax(z) - p')]);
  });

  test('a product that fits neither way is a shape error, not a guess', () => {
    expect(refusal('dense-batch', 'dW', 'X dY').name).toBe('FormulaShapeError');
  });
});

describe('what used to be misread', () => {
  test('\\mathbf{1}_N^\\top dY is a 1×M row, 1^T dY a row of ones, \\mathbf{1}_{2\\times2} a matrix of ones', () => {
    expect(claim('dense-batch', 'db', '\\mathbf{1}_N^\\top dY').readAs).toBe(plain('dense-batch', "ones(N, 1)' * dY"));
    expect(claim('dense-batch', 'db', '1^T dY').readAs).toBe(plain('dense-batch', "ones(N, 1)' * dY"));
    expect(claim('avgpool-sigmoid-conv', 'dS', '\\mathrm{kron}(G, \\mathbf{1}_{2\\times2})').readAs).toBe(plain('avgpool-sigmoid-conv', 'kron(G, ones(2, 2))'));
  });
});

describe('refusals and errors', () => {
  test.each([
    ['\\begin{vmatrix} 1 \\end{vmatrix}', '\\begin{vmatrix}'],
    ['\\hat{X}^T dY', '\\hat'],
    ['X^{-1} dY', '^{-1}'],
    ['\\operatorname{vec}(X^T dY)', '\\operatorname{vec}'],
    ['X^T dY \\text{ if } X > 0', '\\text{if}'],
    ['2 (X^T dY)_{ij}', '(…)_{…}'],
    ['\\Rightarrow X^T dY', '\\Rightarrow'],
  ])('%s is flagged, naming %s', (latex, construct) => {
    const err = refusal('dense-batch', 'dW', latex);
    expect(err).toBeInstanceOf(UnsupportedNotationError);
    expect((err as UnsupportedNotationError).construct).toBe(construct);
  });

  test.each(['X^T dY}', '\\frac{X^T dY', 'X^T \\odto dY', '', '$$ $$', 'dW ='])('%j is malformed', (latex) => {
    expect(refusal('dense-batch', 'dW', latex)).toBeInstanceOf(FormulaSyntaxError);
  });

  test('an empty answer says so', () => {
    expect(refusal('dense-batch', 'dW', ' ').message).toContain('the answer is empty');
    expect(() => parseFormula('', {})).toThrow('the answer is empty');
  });
});

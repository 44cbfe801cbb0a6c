import { describe, expect, test } from 'vitest';
import { FormulaError, UnsupportedNotationError, parseFormula } from '../../src/formula/index.js';
import { type AdHocSpec, adHocProblem } from '../../src/question/adhoc.js';
import { compileClaim } from '../../src/problem/claim.js';
import type { Finding } from '../../src/problem/finding.js';
import { judgeText } from '../../src/problem/judge.js';
import { declarationsOf } from '../../src/problem/shapes.js';
import { TruthCache } from '../../src/problem/truth-cache.js';

/**
 * Linear algebra written in LaTeX as students write it (issue 14 with issue 15's functions): inverses,
 * determinants, traces, signs and block matrices. Each reading is held to a plain formula read by the
 * plain reader; the shape of a matrix decides what `|A|` and `A^{-1}` mean.
 */

/** Square X (N×N), rectangular A (P×N) and B (N×P), columns a and b (N×1), a vector v (N), a scalar s, G of X's shape. */
const SHAPES = { X: ['N', 'N'], A: ['P', 'N'], B: ['N', 'P'], a: ['N', 1], b: ['N', 1], v: ['N'], s: [], G: ['N', 'N'], H: ['N', 'N'] } as const;

function adHoc(spec: Partial<AdHocSpec> = {}) {
  return adHocProblem({ loss: 'logdet(X) + sum(G .* X)', wrt: 'X', grad: "inv(X)' + G", shapes: SHAPES, dimRanges: { N: [2, 4], P: [1, 3] }, ...spec });
}

const { problem, target } = adHoc();

function readAs(latex: string): string {
  return compileClaim(problem, target, latex, 'latex', { againstTarget: false }).readAs;
}

function plain(formula: string): string {
  return parseFormula(formula, { declarations: declarationsOf(problem) }).readAs;
}

/** Each [LaTeX, plain formula] reads as the plain formula. */
function readsAs(cases: readonly (readonly [string, string])[]): void {
  test.each(cases)('%s reads as %s', (latex, formula) => {
    expect(readAs(latex)).toBe(plain(formula));
  });
}

function refusal(latex: string): FormulaError {
  try {
    compileClaim(problem, target, latex, 'latex', { againstTarget: false });
  } catch (err) {
    if (err instanceof FormulaError) return err;
    throw err;
  }
  return expect.fail(`${latex} was read`);
}

describe('inverses: the shape of the base decides', () => {
  readsAs([
    ['X^{-1}', 'inv(X)'],
    ['X^{-T}', "inv(X)'"],
    ['X^{-\\top}', "inv(X)'"],
    ['X^{-\\intercal} G', "inv(X)' * G"],
    ['(X^{-1})^\\top', "inv(X)'"],
    ['(X^\\top)^{-1}', "inv(X')"],
    ['\\left(X^T X\\right)^{-1} X^T', "inv(X' * X) * X'"],
    ['-X^{-T} A^T B^T X^{-T}', "-inv(X)' * A' * B' * inv(X)'"],
    ['(a^T b)^{-1} a', "(a' * b) .^ -1 .* a"],
    ['s^{-1} X', 's .^ -1 * X'],
    ['(X^T X + s I)^{-1} X^T', "inv(X' * X + s * eye(N)) * X'"],
    ['\\operatorname{diag}(v)^{-1}', 'inv(diag(v))'],
    ['{X^\\top}^{-1}', "inv(X')"],
  ]);

  test.each([
    ['A^{-1}', '^{-1}'],
    ['a^{-1}', '^{-1}'],
    ['B^{-T}', '^{-T}'],
    ['(A X)^{-1}', '^{-1}'],
  ])('%s of a non-square value is flagged, naming %s', (latex, construct) => {
    const err = refusal(latex);
    expect(err).toBeInstanceOf(UnsupportedNotationError);
    expect((err as UnsupportedNotationError).construct).toBe(construct);
  });
});

describe('determinants and |·|', () => {
  readsAs([
    ['\\det(X) X^{-T}', "det(X) * inv(X)'"],
    ['\\det X \\, X^{-\\top}', "det(X) * inv(X)'"],
    ['|X| X^{-T}', "det(X) * inv(X)'"],
    ['\\left| X \\right| X^{-T}', "det(X) * inv(X)'"],
    ['\\lvert X^T X \\rvert', "det(X' * X)"],
    ['\\log\\det X', 'logdet(X)'],
    ['\\ln \\det(X)', 'logdet(X)'],
    ['\\log|X|', 'logdet(X)'],
    ['\\log\\left|X\\right| + 1', 'logdet(X) + 1'],
    ['|a|', 'abs(a)'],
    ['|v|', 'abs(v)'],
    ['|A|', 'abs(A)'],
    ['|s| X', 'abs(s) * X'],
    ['|a^T b|', "abs(a' * b)"],
    ['|X|^{-1}', 'det(X) .^ -1'],
    ['\\frac{1}{|X|}', '1 / det(X)'],
    ['|X^{-1}|', 'det(inv(X))'],
    ['\\mathrm{det}(X)', 'det(X)'],
    ['\\operatorname{det}\\left(A B\\right)', 'det(A * B)'],
  ]);

  test('the determinant is said in the notes', () => {
    expect(compileClaim(problem, target, '|X| X^{-T}', 'latex').reading!.notes).toEqual(['|X| is read as a determinant, of a square matrix']);
  });

  test('where the determinant does not fit the target, |X| is the absolute value', () => {
    expect(compileClaim(problem, target, '|X|', 'latex').readAs).toBe(plain('abs(X)'));
  });
});

describe('traces, signs and other function names from the table', () => {
  readsAs([
    ['\\operatorname{tr}(A X^{-1} B)', 'trace(A * inv(X) * B)'],
    ['\\mathrm{Tr}(A X B)', 'trace(A * X * B)'],
    ['\\tr\\left(X^T G\\right)', "trace(X' * G)"],
    ['\\text{tr}(X)', 'trace(X)'],
    ['\\operatorname{sign}(X)', 'sign(X)'],
    ['\\operatorname{sgn}(X) \\odot G', 'sign(X) .* G'],
    ['\\sgn(X)', 'sign(X)'],
    ['\\mathrm{sign}(X)', 'sign(X)'],
    ['\\operatorname{Relu}(X)', 'relu(X)'],
    ['\\operatorname{diag}(v)', 'diag(v)'],
    ['\\operatorname{LSE}(v)', 'logsumexp(v)'],
  ]);
});

describe('block matrices are concatenations', () => {
  readsAs([
    ['\\begin{bmatrix} A^T & B \\end{bmatrix}', "[A', B]"],
    ['\\begin{bmatrix} A \\\\ B^\\top \\end{bmatrix}', "[A; B']"],
    ['\\begin{pmatrix} X & G \\\\ H & X \\end{pmatrix}', '[X, G; H, X]'],
    ['\\begin{bmatrix} a & b \\end{bmatrix}^T X', "[a, b]' * X"],
    ['\\begin{bmatrix} 1 & s \\end{bmatrix}', '[1, s]'],
  ]);

  test.each(['\\begin{bmatrix} X & A \\end{bmatrix}', '\\begin{bmatrix} X & 0 \\\\ 0 & G \\end{bmatrix}', '[X, A] G'])('blocks that fit neither side by side nor stacked are flagged: %s', (latex) => {
    const err = refusal(latex);
    expect(err).toBeInstanceOf(UnsupportedNotationError);
    expect((err as UnsupportedNotationError).construct).toBe('a block matrix');
  });

  test('a block matrix of the wrong shape for the target is a wrong answer, not a notation question', () => {
    const t = { ...target, shape: ['N', 'N'] };
    expect(() => compileClaim(problem, t, '\\begin{bmatrix} A^T & B \\end{bmatrix}', 'latex')).toThrow(expect.objectContaining({ name: 'FormulaShapeError' }));
  });
});

/** The Finding of a LaTeX answer for an ad hoc problem (loss, wrt, shapes), as `check --latex` gives it. */
function judge(spec: Partial<AdHocSpec>, latex: string): Finding {
  const { problem: p, target: t } = adHoc(spec);
  return judgeText(p, t, latex, 'latex', { runs: 8, fcSeed: 7, truths: new TruthCache() }).finding;
}

describe('graded', () => {
  const det = { loss: 'det(X)', grad: "det(X) * inv(X)'" };

  test('∂ det X written with |X| and X^{-T} is correct; X^{-1} for X^{-T} and the missing factor are not', () => {
    expect(judge(det, '|X| X^{-T}').status).toBe('correct');
    expect(judge(det, '\\det(X) \\left(X^{-1}\\right)^T').status).toBe('correct');
    expect(judge(det, '|X| X^{-1}').status).toBe('incorrect');
    expect(judge(det, 'X^{-T}').status).toBe('incorrect');
  });

  test('an answer wrong with X^2 elementwise and right as the matrix power needs review', () => {
    const f = judge({ loss: 'sum(G .* (X * X))', wrt: 'G', grad: 'X * X' }, 'X^2');
    expect(f).toMatchObject({ status: 'undecided', reason: 'unsupported-notation', review: true });
    expect(f.message).toContain('matrix power');
    expect(judge({ loss: 'sum(G .* X .^ 2)', wrt: 'G', grad: 'X .^ 2' }, 'X^2').status).toBe('correct');
  });

  test('an answer wrong with |X| as the determinant and right as the absolute value needs review', () => {
    const f = judge({ loss: 'sum(G .* (abs(X) * H))', wrt: 'G', grad: 'abs(X) * H' }, '|X| H');
    expect(f).toMatchObject({ status: 'undecided', reason: 'unsupported-notation', review: true });
    expect(f.message).toContain('absolute value');
  });
});

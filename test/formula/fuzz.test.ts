import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Declarations, FormulaError, compileFormula, parseFormula } from '../../src/formula/index.js';
import { Rng, ShapeError, Tensor, sample } from '../../src/tensor/index.js';
import { FC } from './helpers.js';
import { EXAMPLES } from './examples.js';

/**
 * Fuzzing the whole pipeline (parse → check → compile → evaluate): for any input text the result is a
 * value or a FormulaError, never another exception. A FormulaError caused by a tensor-core ShapeError
 * would mean the shape checker let a mismatch through, so it fails the test too.
 */

const DECLARATIONS: Declarations = {
  dims: ['N', 'D', 'M', 'K', 'n', 'F', 'C', 'H', 'kh'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'W', shape: ['D', 'M'] },
    { name: 'dY', shape: ['N', 'M'] },
    { name: 'T', shape: ['N', 'M'] },
    { name: 'z', shape: ['N', 'K'] },
    { name: 'p', shape: ['N', 'K'] },
    { name: 's', shape: ['N', 'D'] },
    { name: 'w', shape: ['D'] },
    { name: 'G', shape: ['n', 'n'] },
    { name: 'dC', shape: ['H-kh+1', 'H-kh+1'] },
    { name: 'K4', shape: ['F', 'C', 'kh', 'kh'] },
    { name: 'dY4', shape: ['N', 'F', 'H-kh+1', 'H-kh+1'] },
    { name: 'c', shape: ['N'], dtype: 'index' },
    { name: 'a', shape: [] },
  ],
};

const DIMS = { N: 3, D: 2, M: 4, K: 3, n: 2, F: 2, C: 2, H: 4, kh: 2 };

const rng = new Rng(99);
const VALUES: Record<string, Tensor> = {
  X: sample.normal(rng, [3, 2]),
  W: sample.normal(rng, [2, 4]),
  dY: sample.normal(rng, [3, 4]),
  T: sample.normal(rng, [3, 4]),
  z: sample.normal(rng, [3, 3]),
  p: sample.simplexRows(rng, [3, 3]),
  s: sample.uniform(rng, [3, 2]),
  w: sample.normal(rng, [2]),
  G: sample.normal(rng, [2, 2]),
  dC: sample.normal(rng, [3, 3]),
  K4: sample.normal(rng, [2, 2, 2, 2]),
  dY4: sample.normal(rng, [3, 2, 3, 3]),
  c: sample.labels(rng, [3], 3),
  a: Tensor.scalar(0.7),
};

/** Target shapes of the index-notation seeds, by assigned name (others get N×D). */
const TARGETS: Readonly<Record<string, string[]>> = { dX: ['N', 'C', 'H', 'H'], Z: ['N', 'K'] };

/** Tight limits keep hostile inputs (huge sizes, long loops) fast. */
const LIMITS = { maxElements: 1e5, maxIterations: 1e6, timeLimitMs: 200 };

/** Runs the pipeline; returns 'value' or the FormulaError's name, and fails on anything else. */
function outcome(text: string, syntax: 'formula' | 'latex' = 'formula'): string {
  try {
    const parsed = parseFormula(text, { syntax, declarations: DECLARATIONS });
    const target = parsed.statement.kind === 'assignment' && parsed.statement.indices !== null ? (TARGETS[parsed.statement.target] ?? ['N', 'D']) : undefined;
    const run = compileFormula(parsed, DECLARATIONS, { limits: LIMITS, ...(target ? { targetShape: target } : {}) });
    const value = run(VALUES, DIMS);
    expect(value).toBeInstanceOf(Tensor);
    return 'value';
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
    // A ShapeError from a kernel would mean the checker let a shape mismatch through; argument errors
    // about values (a label outside 1..K) are the data's fault and legitimately surface at run time.
    if (err.cause instanceof ShapeError) throw new Error(`a shape mismatch got past the checker for ${JSON.stringify(text)}: ${err.message}`);
    return err.name;
  }
}

const ALPHABET = [
  ...'XWdYTzpswGcaNDMKnFCHkhijmt',
  ...'0123456789',
  ...'+-*/^.\'",:;=<>!()[]{} \t\n',
  '.*', './', '.^', "'", 'sum', 'exp', 'log', 'softmax', 'conv2', 'ones', 'kron', 'onehot', 'ceil', 'delta', 'reshape', '\\frac', '×', 'é', '\u0000', '\\', 'inv', 'logdet', 'chol', 'cat', 'clip', 'tr',
];

const textFromAlphabet = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }).map((parts) => parts.join(''));

const VALID = [
  ...EXAMPLES.map(([text]) => text),
  "X' * dY",
  'dY * W\'',
  'sum(dY, 1)',
  'softmax(z, 2) - p',
  's .* (1 - s)',
  '(X > 0) .* s',
  'kron(G, ones(2, 2)) / 4',
  "conv2(dC, rot90(G, 2), 'full')",
  'dS[i,j] = X[i,j] * sum(X[i,k], k)',
  "dX[b,q,:,:] = sum(conv2(dY4[b,f,:,:], K4[f,q,:,:], 'full'), f)",
  'dX[b,q,i,j] = sum(K4[f,q,m,t] * dY4[b,f,i-m+1,j-t+1], f, m, t)',
  'sum(log(1 + exp(X * w)))',
  '-sum(p .* log(softmax(z, 2)))',
  '0.5 * sum((X*W - T).^2)',
  'onehot(c, K) - p',
  'Z[i,j] = delta(j, c[i]) * a',
  'flip(a, 1) + sum(a, 1) + norm(a) + mean(a, 1) + max(a, [], 1) + logsumexp(a, 1) + prod(a)',
  "softmax(w) + flip(w) + w'",
  'rot90(G, -3) + flip(G, 2) + diag(diag(G))',
  '[X, s] * [W; W]',
  "inv(G) * G + logdet(G * G' + eye(n)) + det(G) + tr(G)",
  "G \\ G + chol(G * G' + eye(n), 'lower')",
  'clip(X, -1, 1) + erf(s) .* gelu(X) - softplus(X) + logsigmoid(s) + sign(X) + square(s)',
  'cat(1, X, s)[N + 1:2*N, :] - s',
  '[w; a; w]',
];

const TOKENS = ['X', 'W', 'dY', 'i', 'j', 'N', '1', '0', '2.5', '1e9', '-1', '+', '-', '*', '.*', '/', '^', "'", '(', ')', '[', ']', ',', ';', '\\', ':', '=', 'sum(', 'ones(', 'inv(', 'N*N*N*N', '1e300', '0.5', ' '];

/** A valid formula with 1 to 3 random edits: deletions, insertions of tokens, swaps of slices. */
const mutated = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('delete', 'insert', 'swap', 'duplicate'), fc.constantFrom(...TOKENS)), { minLength: 1, maxLength: 3 }),
  )
  .map(([text, edits]) => {
    let s = text;
    for (const [a, b, kind, token] of edits) {
      const i = s.length === 0 ? 0 : a % s.length;
      const j = s.length === 0 ? 0 : b % s.length;
      const [lo, hi] = i <= j ? [i, j] : [j, i];
      if (kind === 'delete') s = s.slice(0, lo) + s.slice(hi + 1);
      else if (kind === 'insert') s = s.slice(0, i) + token + s.slice(i);
      else if (kind === 'swap') s = s.slice(0, lo) + s.slice(hi, hi + (hi - lo)) + s.slice(lo, hi) + s.slice(hi + (hi - lo));
      else s = s.slice(0, hi) + s.slice(lo, hi) + s.slice(hi);
    }
    return s;
  });

const NAMES = ['X', 'W', 'dY', 'T', 'z', 'p', 's', 'w', 'G', 'dC', 'K4', 'dY4', 'c', 'a', 'N', 'D', 'M', 'K', 'n', 'H', 'kh', 'i', 'j', 'k', 'b', 'f', 'm', 't', 'q', 'sum', 'exp', 'max', 'ones', 'conv2', 'onehot', 'pi', 'inv', 'det', 'trace', 'chol', 'solve', 'cat'];
const NUMBERS = ['0', '1', '2', '3', '0.5', '-1', '1e6', 'N', '100', '2.5'];

/** A valid formula with names and numbers swapped for others: well-formed text with the semantics shaken. */
const substituted = fc
  .tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => {
    const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|[^A-Za-z0-9_]/g) ?? [];
    for (const [at, pick] of edits) {
      const i = at % Math.max(1, tokens.length);
      const token = tokens[i] ?? '';
      if (/^[A-Za-z_]/.test(token)) tokens[i] = NAMES[pick % NAMES.length]!;
      else if (/^\d/.test(token)) tokens[i] = NUMBERS[pick % NUMBERS.length]!;
    }
    return tokens.join('');
  });

const LATEX_VALID = [
  'X^T \\frac{\\partial L}{\\partial Y}',
  '\\sigma(z) \\odot (1 - \\sigma(z))',
  'dS_{ij} = \\frac{1}{4} G_{\\lceil i/2 \\rceil, \\lceil j/2 \\rceil}',
  'dX_{b,q,i,j} = \\sum_{f=1}^{F} \\sum_{m,t} K4_{f,q,m,t} dY4_{b,f,i-m+1,j-t+1}',
  '\\mathbb{1}[X > 0] \\odot s',
  '\\operatorname{softmax}(z, 2) - p',
];
const LATEX_TOKENS = ['\\frac{', '}', '{', '^', '_', '\\sum', '\\left(', '\\right)', '\\cdot', '\\odot', '\\top', '\\lceil', '\\rceil', 'X', 'i', '1', ' ', '\\foo', '$', '%', '&'];

const latexMutated = fc
  .tuple(fc.constantFrom(...LATEX_VALID), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...LATEX_TOKENS), fc.boolean()), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [a, token, insert] of edits) {
      const i = s.length === 0 ? 0 : a % s.length;
      s = insert ? s.slice(0, i) + token + s.slice(i) : s.slice(0, i) + s.slice(i + 1 + (a % 3));
    }
    return s;
  });

describe('any input text gives a value or a FormulaError', () => {
  test('strings over the formula alphabet (4000 cases)', () => {
    fc.assert(fc.property(textFromAlphabet, (text) => void outcome(text)), { ...FC, numRuns: 4000 });
  });

  test('arbitrary unicode strings, also read as LaTeX (1000 cases)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.boolean(), (text, latex) => void outcome(text, latex ? 'latex' : 'formula')), { ...FC, numRuns: 1000 });
  });

  test('mutated valid formulas (5000 cases), a fair share of which still evaluate', () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(mutated, (text) => {
        const o = outcome(text);
        outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
      }),
      { ...FC, numRuns: 5000 },
    );
    expect(outcomes.get('value') ?? 0).toBeGreaterThan(250);
  });

  test('valid formulas with names and numbers substituted (3000 cases)', () => {
    fc.assert(fc.property(substituted, (text) => void outcome(text)), { ...FC, numRuns: 3000 });
  });

  test('mutated LaTeX (1000 cases)', () => {
    fc.assert(fc.property(latexMutated, (text) => void outcome(text, 'latex')), { ...FC, numRuns: 1000 });
  });

  test('every valid seed formula evaluates', () => {
    for (const text of VALID.slice(EXAMPLES.length)) expect(outcome(text), text).toBe('value');
    for (const text of LATEX_VALID) expect(outcome(text, 'latex'), text).toBe('value');
  });
});

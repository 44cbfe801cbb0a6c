/**
 * Formula texts for the fuzz suite, from grammars: a shape-directed one whose formulas mostly check and
 * evaluate (so that the compilers and kernels are exercised, not only the reader), a free one over the
 * whole syntax (most of it wrong in some way), a hostile one (the shapes of the attacks: huge
 * sizes and loops, deep nesting, long sign runs, dimension polynomials), a LaTeX one, and mutations of
 * valid formulas (deletions, insertions, swaps, substituted names). All are fast-check arbitraries, so
 * a failure shrinks to a small formula and prints the seed that reproduces it.
 */
import fc from 'fast-check';
import type { Declarations } from '../../src/formula/index.js';
import { Rng, Tensor, sample } from '../../src/tensor/index.js';
import { EXAMPLES } from '../formula/examples.js';

export const DECLARATIONS: Declarations = {
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

export const DIMS = { N: 3, D: 2, M: 4, K: 3, n: 2, F: 2, C: 2, H: 4, kh: 2 };

const rng = new Rng(99);
export const VALUES: Record<string, Tensor> = {
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

/** Target shapes of index-notation assignments, by assigned name (others get N×D). A Map: the fuzz assigns to `toString` too. */
export const TARGETS: ReadonlyMap<string, string[]> = new Map([
  ['dX', ['N', 'C', 'H', 'H']],
  ['Z', ['N', 'K']],
  ['dS', ['N', 'D']],
]);

// ---------------------------------------------------------------------------------------------------
// Shape-directed grammar: a formula of a given shape, built from pieces of known shapes. One rule per
// shape (every pair of N, D, M, K, and n×n) and one for scalars, tied together lazily (fc.letrec).

const SIDES = ['N', 'D', 'M', 'K'];
const SHAPES: readonly (readonly [string, string])[] = [...SIDES.flatMap((r) => SIDES.map((c) => [r, c] as const)), ['n', 'n']];
const MATRICES: ReadonlyMap<string, readonly string[]> = new Map([
  ['N×D', ['X', 's']],
  ['D×M', ['W']],
  ['N×M', ['dY', 'T']],
  ['N×K', ['z', 'p']],
  ['n×n', ['G']],
]);
const SMOOTH = ['exp', 'tanh', 'sigmoid', 'abs', 'relu'];
const NUMBERS = ['0', '1', '2', '0.5', '3.25', '1e-3', '2.5e+2', 'pi'];
const shapeKey = (r: string, c: string) => `${r}×${c}`;

/** Operator nesting of the typed grammar: deep enough to compose every rule, shallow enough to stay fast. */
const TYPED_DEPTH = { depthSize: 'small', maxDepth: 5, depthIdentifier: 'typed', withCrossShrink: true } as const;

const typedRules = fc.letrec<Record<string, string>>((tie) => {
  const rules: Record<string, fc.Arbitrary<string>> = {};
  const anyMatrix = fc.oneof(...SHAPES.map(([r, c]) => tie(shapeKey(r, c))));
  const scalar = tie('scalar');
  rules['scalar'] = fc.oneof(
    TYPED_DEPTH,
    fc.constantFrom(...NUMBERS, 'a', 'N', 'D', 'X[1, 2]', 'G[2, 1]', 'w[2]', 'c[1]'),
    anyMatrix.map((m) => `sum(${m})`),
    anyMatrix.map((m) => `mean(${m})`),
    anyMatrix.map((m) => `norm(${m}, 'fro')`),
    anyMatrix.map((m) => `logsumexp(${m})`),
    fc.tuple(scalar, fc.constantFrom('+', '-', '*', '/'), scalar).map(([x, op, y]) => `(${x} ${op} ${y})`),
  );
  for (const [r, c] of SHAPES) {
    const same = tie(shapeKey(r, c));
    const leaves = [`ones(${r}, ${c})`, `zeros(${r}, ${c})`, ...(MATRICES.get(shapeKey(r, c)) ?? []), ...(MATRICES.get(shapeKey(c, r)) ?? []).map((m) => `${m}'`), ...(r === c ? [`eye(${r})`] : [])];
    rules[shapeKey(r, c)] = fc.oneof(
      TYPED_DEPTH,
      fc.constantFrom(...leaves),
      fc.tuple(same, fc.constantFrom('+', '-', '.*'), same).map(([x, op, y]) => `${x} ${op} ${y}`),
      fc.tuple(same, same).map(([x, y]) => `${x} ./ (1 + abs(${y}))`),
      fc.tuple(fc.constantFrom(...SMOOTH), same).map(([f, x]) => `${f}(${x})`),
      same.map((x) => `log(1 + exp(${x}))`),
      same.map((x) => `sqrt(abs(${x}))`),
      fc.tuple(scalar, same).map(([k, x]) => `${k} * ${x}`),
      same.map((x) => `(${x}) .^ 2`),
      same.map((x) => `-${x}`),
      same.map((x) => `(${x})`),
      fc.tuple(same, same).map(([x, y]) => `(${x} > 0) .* ${y}`),
      fc.tuple(same, same).map(([x, y]) => `max(${x}, ${y})`),
      tie(shapeKey(c, r)).map((x) => `(${x})'`),
      tie(shapeKey(c, r)).map((x) => `transpose(${x})`),
      fc.oneof(...(r === 'n' ? ['n'] : SIDES).map((k) => fc.tuple(tie(shapeKey(r, k)), tie(shapeKey(k, c))))).map(([x, y]) => `${x} * ${y}`),
      // Broadcasting: a column (r×1) and a row (1×c) reduction against the whole.
      fc.tuple(same, same).map(([x, y]) => `${x} + sum(${y}, 2)`),
      fc.tuple(same, same).map(([x, y]) => `${x} - max(${y}, [], 1)`),
      same.map((x) => `softmax(${x}, 2)`),
      same.map((x) => `flip(${x}, 1)`),
      ...(r === c ? [same.map((x) => `diag(diag(${x}))`), same.map((x) => `rot90(${x}, 2)`)] : []),
    );
  }
  return rules;
});

/** Whole-tensor formulas of the declared shapes, and index-notation assignments built around them. */
export const typedFormula: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(...[...MATRICES.keys()].map((k) => typedRules[k]!)) },
  { weight: 2, arbitrary: typedRules['scalar']! },
  { weight: 1, arbitrary: fc.tuple(typedRules['N×D']!, fc.constantFrom('X', 's')).map(([m, x]) => `dS[i, j] = ${x}[i, j] * sum(${x}[i, k], k) + sum(${m})`) },
  { weight: 1, arbitrary: typedRules['N×K']!.map((m) => `Z[i, j] = delta(j, c[i]) * a + sum(${m}) / N`) },
);

// ---------------------------------------------------------------------------------------------------
// Free grammar: the whole syntax, with little regard for shapes or arity.

const FREE_LEAVES = ['X', 'W', 'dY', 'a', 'w', 'G', 'c', 'N', 'D', 'kh', 'pi', 'i', 'j', 'T', 'y', '1', '2', '0.5', '1e300', '1e-7', '3.25e+2', "'full'", "'fro'"];
const FREE_OPS = ['+', '-', '*', '/', '.*', './', '^', '.^', '<', '>', '<=', '>=', '==', '!='];
const FREE_FUNCTIONS = ['exp', 'log', 'sum', 'max', 'min', 'mean', 'softmax', 'ones', 'zeros', 'eye', 'diag', 'kron', 'reshape', 'transpose', 'conv2', 'corr2', 'flip', 'rot90', 'norm', 'onehot', 'delta', 'mod', 'ceil', 'pad', 'maxpool2', 'avgpool2'];

export const freeFormula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...FREE_LEAVES),
    fc.tuple(tie('e'), fc.constantFrom(...FREE_OPS), tie('e'), fc.constantFrom(' ', '')).map(([l, op, r, sp]) => `${l}${sp}${op}${sp}${r}`),
    tie('e').map((x) => `-${x}`),
    tie('e').map((x) => `+${x}`),
    tie('e').map((x) => `(${x})`),
    tie('e').map((x) => `${x}'`),
    tie('e').map((x) => `${x}^T`),
    fc.tuple(fc.constantFrom(...FREE_FUNCTIONS), fc.array(tie('e'), { minLength: 0, maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.tuple(fc.constantFrom('X', 'W', 'K4', 'c'), fc.array(fc.oneof(tie('e'), fc.constant(':')), { minLength: 1, maxLength: 4 })).map(([name, entries]) => `${name}[${entries.join(', ')}]`),
    fc.tuple(tie('e'), tie('e')).map(([lo, hi]) => `X[${lo}:${hi}, :]`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `${x} ${y}`),
    fc.array(tie('e'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc.tuple(fc.constantFrom('i', 'j', 'k'), tie('e'), tie('e')).map(([i, body, hi]) => `sum(${body}, ${i}, 1, ${hi})`),
    fc.tuple(fc.constantFrom('dS[i, j]', 'Z[i, :]', 'dW', 'dX[n, c, :, :]'), tie('e')).map(([lhs, rhs]) => `${lhs} = ${rhs}`),
  ),
})).e;

// ---------------------------------------------------------------------------------------------------
// Hostile grammar: the attacks of issue 20 and their relatives, each of which must be refused fast.

const times = (n: number, text: string) => Array.from({ length: n }, () => text);

export const hostileFormula: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('ones(1e5, 1e5)', 'zeros(N*N*N*N*N*N*N*N*N*N, N*N*N*N*N*N*N*N*N)', 'ones(2^60, 1)', 'eye(1e9)', 'kron(kron(kron(ones(100,100), ones(100,100)), ones(100,100)), X)'),
  fc.constantFrom('sum(i, i, 1, 1e12)', 'sum(sum(i * j, i, 1, 30000), j, 1, 30000)', 'sum(exp(i), i, 1, 9e8)', 'sum(X[i, 1], i, -1e15, 1e15)', "conv2(ones(3000, 3000), ones(300, 300), 'full')"),
  fc.integer({ min: 2, max: 16 }).map((k) => `ones((N+D+M+K+n+F+C+H+1)^${k}, 1)`),
  fc.integer({ min: 2, max: 12 }).map((k) => `ones((N+D+M+K+n+F+C+H+1)^${k} * (N+D+M+K+n+F+C+H+1)^${k}, 1)`),
  fc.integer({ min: 1, max: 40 }).map((k) => `ones(N^${k} * D^${k}, 1)`),
  fc.integer({ min: 50, max: 2500 }).map((n) => `${'('.repeat(n)}X${')'.repeat(n)}`),
  fc.integer({ min: 50, max: 2500 }).map((n) => `${'exp('.repeat(n)}X${')'.repeat(n)}`),
  fc.integer({ min: 50, max: 3900 }).map((n) => `${'-'.repeat(n)}X`),
  fc.integer({ min: 20, max: 1300 }).map((n) => times(n, 'X').join('^-')),
  fc.integer({ min: 20, max: 1300 }).map((n) => times(n, 'X').join("'*")),
  fc.integer({ min: 20, max: 1900 }).map((n) => `X${"'".repeat(n)}`),
  fc.integer({ min: 100, max: 2000 }).map((n) => times(n, 'X').join(' + ')),
  fc.integer({ min: 100, max: 1000 }).map((n) => `max(${times(n, 'X').join(', ')})`),
  fc.integer({ min: 3990, max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('toString(X)', 'constructor', '__proto__', 'X.constructor', 'hasOwnProperty(X)', 'valueOf + 1', 'import("fs")', 'evaluate("1")', 'f(x) = x', '{a: 1}', 'x ? 1 : 2', 'NaN', 'Infinity * X', '1e309 * X', '0x10', '2 + 3i'),
);

// ---------------------------------------------------------------------------------------------------
// Resource grammar: work and memory on either side of the limits (src/formula/limits.ts), evaluated
// with the default limits, so that the price decides: every formula is refused before it runs or runs
// within the fuzz's 2 s and 1 GB.

/** Sizes from 1 to about 1e5, spread evenly in their logarithm. */
const size = fc.integer({ min: 0, max: 15 }).map((k) => Math.round(10 ** (k / 3)));
/** Loop lengths from 10 to 1e10. */
const length = fc.integer({ min: 3, max: 30 }).map((k) => Math.round(10 ** (k / 3)));

/** A matrix-valued piece of heavy work, over sizes drawn from `size`. */
const heavyMatrix: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(size, size).map(([a, b]) => `ones(${a}, ${b})`),
  fc.tuple(size, size, size).map(([a, b, c]) => `ones(${a}, ${b}) * ones(${b}, ${c})`),
  fc.tuple(size, size).map(([a, b]) => `exp(ones(${a}, ${b}) / 3) .^ 3`),
  fc.tuple(size, size).map(([a, b]) => `softmax(ones(${a}, ${b}), 2)`),
  fc.tuple(size, size).map(([a, b]) => `kron(ones(${a}, ${a}), ones(${b}, ${b}))`),
  fc.tuple(size, size).map(([a, b]) => `conv2(ones(${a}, ${a}), ones(${b}, ${b}), 'full')`),
  size.map((n) => `inv(2 * eye(${n}))`),
  size.map((n) => `solve(3 * eye(${n}), ones(${n}, 2))`),
  fc.tuple(size, size).map(([a, b]) => `ones(${a}, ${b}) * norm(ones(${a}, ${b}) + eye(${a}, ${b}))`),
  fc.tuple(fc.integer({ min: 2, max: 40 }), size).map(([k, n]) => `${Array.from({ length: k - 1 }, () => `2*ones(${n},${n}) + (`).join('')}2*ones(${n},${n})${')'.repeat(k - 1)}`),
  fc.tuple(size, length).map(([n, l]) => `sum(ones(${n}, ${n}), i, 1, ${l})`),
);

/** A scalar piece of heavy work: a sum of a matrix, or loops of index notation. */
const heavyScalar: fc.Arbitrary<string> = fc.oneof(
  heavyMatrix.map((m) => `sum(sum(${m}))`),
  length.map((l) => `sum(exp(i / ${l}), i, 1, ${l})`),
  fc.tuple(length, length).map(([a, b]) => `sum(sum(X[1, 1] * i * j, i, 1, ${a}), j, 1, ${b})`),
  length.map((l) => `sum(sum(i * j, j, 1, i), i, 1, ${l})`),
  length.map((l) => `sum(w[mod(i, D) + 1], i, 1, ${l})`),
);

/** Heavy work added to a cheap formula of the declared inputs, as a hostile answer hides it. */
export const resourceFormula: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("X' * dY", 'X * W', 'sum(sum(X))', 'dS[r, t] = X[r, t] * 2'), fc.array(heavyScalar, { minLength: 1, maxLength: 3 }))
  .map(([base, heavy]) => `${base} + 0 * (${heavy.join(' + ')})`);

// ---------------------------------------------------------------------------------------------------
// LaTeX grammar: the spellings students write, over the same pieces.

const LATEX_MATRICES = ['X', 's', 'W^T', 'W^{\\top}', "W'", '\\frac{\\partial L}{\\partial Y}', 'dY', 'z', 'p', 'G'];

export const latexFormula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LATEX_MATRICES, '1', '2', '\\frac{1}{2}', 'a', 'N', '\\pi'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '\\odot', '\\cdot', '\\times', ' ', '\\oslash'), tie('e')).map(([x, op, y]) => `${x} ${op} ${y}`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `\\frac{${x}}{${y}}`),
    tie('e').map((x) => `\\left(${x}\\right)`),
    tie('e').map((x) => `{${x}}^T`),
    tie('e').map((x) => `\\left(${x}\\right)^2`),
    fc.tuple(fc.constantFrom('\\sigma', '\\exp', '\\log', '\\tanh', '\\operatorname{softmax}', '\\operatorname{relu}'), tie('e')).map(([f, x]) => `${f}\\left(${x}\\right)`),
    tie('e').map((x) => `\\sqrt{${x}}`),
    tie('e').map((x) => `\\sum_{i} ${x}`),
    tie('e').map((x) => `\\mathbb{1}[${x} > 0]`),
    tie('e').map((x) => `-${x}`),
    fc.constantFrom('X_{ij}', 'G_{1,2}', '\\lceil a \\rceil', '|a|', '\\|X\\|', '\\delta_{ij}', '\\foo{X}', '$X$', '\\begin{pmatrix}1\\end{pmatrix}', '\\mathbf{X}'),
  ),
})).e;

// ---------------------------------------------------------------------------------------------------
// Mutations of valid formulas: text that is almost right.

export const VALID = [
  "X' * dY",
  "dY * W'",
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
];

export const LATEX_VALID = [
  'X^T \\frac{\\partial L}{\\partial Y}',
  '\\sigma(z) \\odot (1 - \\sigma(z))',
  'dS_{ij} = \\frac{1}{4} G_{\\lceil i/2 \\rceil, \\lceil j/2 \\rceil}',
  'dX_{b,q,i,j} = \\sum_{f=1}^{F} \\sum_{m,t} K4_{f,q,m,t} dY4_{b,f,i-m+1,j-t+1}',
  '\\mathbb{1}[X > 0] \\odot s',
  '\\operatorname{softmax}(z, 2) - p',
];

/** What the mutations start from: the valid formulas and every example of the language reference. */
const MUTATION_SEEDS = [...VALID, ...EXAMPLES.map(([text]) => text)];

const EDIT_TOKENS = ['X', 'W', 'dY', 'i', 'j', 'N', '1', '0', '2.5', '1e9', '-1', '+', '-', '*', '.*', '/', '^', "'", '(', ')', '[', ']', ',', ':', '=', 'sum(', 'ones(', 'N*N*N*N', '1e300', '0.5', ' '];

/** A valid formula with 1 to 3 random edits: deletions, insertions of tokens, swaps and copies of slices. */
export const mutatedFormula = fc
  .tuple(
    fc.constantFrom(...MUTATION_SEEDS),
    fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('delete', 'insert', 'swap', 'duplicate'), fc.constantFrom(...EDIT_TOKENS)), { minLength: 1, maxLength: 3 }),
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

const SUBSTITUTE_NAMES = ['X', 'W', 'dY', 'T', 'z', 'p', 's', 'w', 'G', 'dC', 'K4', 'dY4', 'c', 'a', 'N', 'D', 'M', 'K', 'n', 'H', 'kh', 'i', 'j', 'k', 'b', 'f', 'm', 't', 'q', 'sum', 'exp', 'max', 'ones', 'conv2', 'onehot', 'pi', 'toString', '__proto__'];
const SUBSTITUTE_NUMBERS = ['0', '1', '2', '3', '0.5', '-1', '1e6', 'N', '100', '2.5'];

/** A valid formula with names and numbers swapped for others: well-formed text with the meaning shaken. */
export const substitutedFormula = fc
  .tuple(fc.constantFrom(...MUTATION_SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => {
    const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|[^A-Za-z0-9_]/g) ?? [];
    for (const [at, pick] of edits) {
      const i = at % Math.max(1, tokens.length);
      const token = tokens[i] ?? '';
      if (/^[A-Za-z_]/.test(token)) tokens[i] = SUBSTITUTE_NAMES[pick % SUBSTITUTE_NAMES.length]!;
      else if (/^\d/.test(token)) tokens[i] = SUBSTITUTE_NUMBERS[pick % SUBSTITUTE_NUMBERS.length]!;
    }
    return tokens.join('');
  });

const LATEX_EDIT_TOKENS = ['\\frac{', '}', '{', '^', '_', '\\sum', '\\left(', '\\right)', '\\cdot', '\\odot', '\\top', '\\lceil', '\\rceil', 'X', 'i', '1', ' ', '\\foo', '$', '%', '&'];

export const mutatedLatex = fc
  .tuple(fc.constantFrom(...LATEX_VALID), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...LATEX_EDIT_TOKENS), fc.boolean()), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [a, token, insert] of edits) {
      const i = s.length === 0 ? 0 : a % s.length;
      s = insert ? s.slice(0, i) + token + s.slice(i) : s.slice(0, i) + s.slice(i + 1 + (a % 3));
    }
    return s;
  });

const ALPHABET = [
  ...'XWdYTzpswGcaNDMKnFCHkhijmt',
  ...'0123456789',
  ...'+-*/^.\'",:;=<>!()[]{} \t\n',
  '.*', './', '.^', "'", 'sum', 'exp', 'log', 'softmax', 'conv2', 'ones', 'kron', 'onehot', 'ceil', 'delta', 'reshape', '\\frac', '×', 'é', '\u0000',
];

/** Strings over the formula alphabet: mostly not formulas at all. */
export const alphabetText = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }).map((parts) => parts.join(''));

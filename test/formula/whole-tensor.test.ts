import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Declarations } from '../../src/formula/index.js';
import { Rng, Tensor, sample } from '../../src/tensor/index.js';
import { FC, build, evaluate, expectClose, normals, seed, size } from './helpers.js';

/**
 * Whole-tensor formulas against independent definitions: every expected value below is computed by
 * plain loops in this file, from the mathematical definition of the operation.
 */

const DECLARATIONS: Declarations = {
  dims: ['N', 'D', 'M', 'K', 'n', 'H', 'W', 'kh', 'kw'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'Wt', shape: ['D', 'M'] },
    { name: 'dY', shape: ['N', 'M'] },
    { name: 'T', shape: ['N', 'M'] },
    { name: 'b', shape: [1, 'M'] },
    { name: 'w', shape: ['D'] },
    { name: 'y', shape: ['N'] },
    { name: 'z', shape: ['N', 'K'] },
    { name: 'p', shape: ['N', 'K'] },
    { name: 's', shape: ['N', 'D'] },
    { name: 'G', shape: ['n', 'n'] },
    { name: 'Img', shape: ['H', 'W'] },
    { name: 'Ker', shape: ['kh', 'kw'] },
    { name: 'dC', shape: ['H-kh+1', 'W-kw+1'] },
    { name: 'c', shape: ['N'], dtype: 'index' },
    { name: 'r', shape: [1, 'N'], dtype: 'index' },
    { name: 'A', shape: ['n', 'n'] },
  ],
};

const dimsArb = fc.record({ N: size(4), D: size(4), M: size(4), K: size(4), n: size(3), kh: size(3), kw: size(3), extraH: fc.integer({ min: 0, max: 3 }), extraW: fc.integer({ min: 0, max: 3 }) }).map(
  ({ extraH, extraW, ...d }) => ({ ...d, H: d.kh + extraH, W: d.kw + extraW }),
);

type Dims = { N: number; D: number; M: number; K: number; n: number; H: number; W: number; kh: number; kw: number };

function inputs(d: Dims, s: number): Record<string, Tensor> {
  const values = normals(s, {
    X: [d.N, d.D], Wt: [d.D, d.M], dY: [d.N, d.M], T: [d.N, d.M], b: [1, d.M], w: [d.D], y: [d.N], z: [d.N, d.K], s: [d.N, d.D],
    G: [d.n, d.n], Img: [d.H, d.W], Ker: [d.kh, d.kw], dC: [d.H - d.kh + 1, d.W - d.kw + 1], A: [d.n, d.n],
  });
  const rng = new Rng(s + 1);
  values.p = sample.simplexRows(rng, [d.N, d.K]);
  values.c = sample.labels(rng, [d.N], d.K);
  values.r = sample.labels(rng, [1, d.N], d.K);
  return values;
}

const run = (text: string, d: Dims, values: Record<string, Tensor>, targetShape?: (string | number)[]): Tensor => evaluate(text, DECLARATIONS, values, d, targetShape ? { targetShape } : {});

/** Each case: the formula and its definition by loops. */
const CASES: readonly (readonly [string, (v: Record<string, Tensor>, d: Dims) => Tensor])[] = [
  ["X' * dY", (v, d) => build([d.D, d.M], ([i, j]) => sumOver(d.N, (n) => v.X!.get(n, i!) * v.dY!.get(n, j!)))],
  ["dY * Wt'", (v, d) => build([d.N, d.D], ([i, j]) => sumOver(d.M, (m) => v.dY!.get(i!, m) * v.Wt!.get(j!, m)))],
  ['Wt^T', (v, d) => build([d.M, d.D], ([i, j]) => v.Wt!.get(j!, i!))],
  ['transpose(Wt)', (v, d) => build([d.M, d.D], ([i, j]) => v.Wt!.get(j!, i!))],
  ['sum(dY, 1)', (v, d) => build([1, d.M], ([, j]) => sumOver(d.N, (n) => v.dY!.get(n, j!)))],
  ['sum(dY, 2)', (v, d) => build([d.N, 1], ([i]) => sumOver(d.M, (m) => v.dY!.get(i!, m)))],
  ["dY' * ones(N, 1)", (v, d) => build([d.M, 1], ([j]) => sumOver(d.N, (n) => v.dY!.get(n, j!)))],
  ['dY * ones(M, 1)', (v, d) => build([d.N, 1], ([i]) => sumOver(d.M, (m) => v.dY!.get(i!, m)))],
  ['softmax(z, 2) - p', (v, d) => build([d.N, d.K], ([i, j]) => softmaxRow(v.z!, i!)[j!]! - v.p!.get(i!, j!))],
  ['s .* (1 - s)', (v, d) => build([d.N, d.D], ([i, j]) => v.s!.get(i!, j!) * (1 - v.s!.get(i!, j!)))],
  ['(X > 0) .* s', (v, d) => build([d.N, d.D], ([i, j]) => (v.X!.get(i!, j!) > 0 ? v.s!.get(i!, j!) : 0))],
  ['kron(G, ones(2, 2)) / 4', (v, d) => build([2 * d.n, 2 * d.n], ([i, j]) => v.G!.get(Math.floor(i! / 2), Math.floor(j! / 2)) / 4)],
  ["conv2(Img, rot90(Ker, 2), 'full')", (v, d) => build([d.H + d.kh - 1, d.W + d.kw - 1], ([i, j]) => fullCorrelation(v.Img!, v.Ker!, i!, j!))],
  ["corr2(Img, dC, 'valid')", (v, d) => build([d.kh, d.kw], ([i, j]) => sumOver(d.H - d.kh + 1, (a) => sumOver(d.W - d.kw + 1, (bb) => v.Img!.get(i! + a, j! + bb) * v.dC!.get(a, bb))))],
  ['X * Wt + b', (v, d) => build([d.N, d.M], ([i, j]) => sumOver(d.D, (k) => v.X!.get(i!, k) * v.Wt!.get(k, j!)) + v.b!.get(0, j!))],
  ['dY + b', (v, d) => build([d.N, d.M], ([i, j]) => v.dY!.get(i!, j!) + v.b!.get(0, j!))],
  ["X' * (sigmoid(X * w) - y)", (v, d) => build([d.D], ([i]) => sumOver(d.N, (n) => v.X!.get(n, i!) * (sig(sumOver(d.D, (k) => v.X!.get(n, k) * v.w!.get(k))) - v.y!.get(n))))],
  ['sum(log(1 + exp(X * w)))', (v, d) => Tensor.scalar(sumOver(d.N, (n) => Math.log(1 + Math.exp(sumOver(d.D, (k) => v.X!.get(n, k) * v.w!.get(k))))))],
  ['-sum(p .* log(softmax(z, 2)))', (v, d) => Tensor.scalar(-sumOver(d.N, (i) => sumOver(d.K, (j) => v.p!.get(i, j) * Math.log(softmaxRow(v.z!, i)[j]!))))],
  ['0.5 * sum((X*Wt - T).^2)', (v, d) => Tensor.scalar(0.5 * sumOver(d.N, (i) => sumOver(d.M, (j) => (sumOver(d.D, (k) => v.X!.get(i, k) * v.Wt!.get(k, j)) - v.T!.get(i, j)) ** 2)))],
  ['mean(X, 1)', (v, d) => build([1, d.D], ([, j]) => sumOver(d.N, (n) => v.X!.get(n, j!)) / d.N)],
  ['max(X, [], 2)', (v, d) => build([d.N, 1], ([i]) => Math.max(...Array.from({ length: d.D }, (_, k) => v.X!.get(i!, k))))],
  ['min(X)', (v, d) => Tensor.scalar(Math.min(...Array.from({ length: d.N * d.D }, (_, k) => v.X!.get(Math.floor(k / d.D), k % d.D))))],
  ['max(0, X)', (v, d) => build([d.N, d.D], ([i, j]) => Math.max(0, v.X!.get(i!, j!)))],
  ['relu(X) - max(X, 0)', (_v, d) => Tensor.zeros([d.N, d.D])],
  ['prod(s, 2)', (v, d) => build([d.N, 1], ([i]) => Array.from({ length: d.D }, (_, k) => v.s!.get(i!, k)).reduce((a, x) => a * x, 1))],
  ['logsumexp(z, 2)', (v, d) => build([d.N, 1], ([i]) => Math.log(sumOver(d.K, (k) => Math.exp(v.z!.get(i!, k)))))],
  ["norm(X, 'fro')", (v, d) => Tensor.scalar(Math.sqrt(sumOver(d.N, (i) => sumOver(d.D, (j) => v.X!.get(i, j) ** 2))))],
  ['norm(w)', (v, d) => Tensor.scalar(Math.sqrt(sumOver(d.D, (i) => v.w!.get(i) ** 2)))],
  ['onehot(c, K)', (v, d) => build([d.N, d.K], ([i, j]) => (v.c!.get(i!) === j! + 1 ? 1 : 0))],
  ['onehot(r, K)', (v, d) => build([d.K, d.N], ([j, i]) => (v.r!.get(0, i!) === j! + 1 ? 1 : 0))],
  ["onehot(r', K)", (v, d) => build([d.N, d.K], ([i, j]) => (v.r!.get(0, i!) === j! + 1 ? 1 : 0))],
  ['diag(w)', (v, d) => build([d.D, d.D], ([i, j]) => (i === j ? v.w!.get(i!) : 0))],
  ['diag(A)', (v, d) => build([d.n], ([i]) => v.A!.get(i!, i!))],
  ['eye(n) .* A', (v, d) => build([d.n, d.n], ([i, j]) => (i === j ? v.A!.get(i!, j!) : 0))],
  ['reshape(X, [D, N])', (v, d) => build([d.D, d.N], ([i, j]) => { const k = i! * d.N + j!; return v.X!.get(Math.floor(k / d.D), k % d.D); })],
  ['reshape(X, 1, N * D)', (v, d) => build([1, d.N * d.D], ([, k]) => v.X!.get(Math.floor(k! / d.D), k! % d.D))],
  ['flip(X, 1)', (v, d) => build([d.N, d.D], ([i, j]) => v.X!.get(d.N - 1 - i!, j!))],
  ['flip(X)', (v, d) => build([d.N, d.D], ([i, j]) => v.X!.get(d.N - 1 - i!, d.D - 1 - j!))],
  ['rot90(Img)', (v, d) => build([d.W, d.H], ([i, j]) => v.Img!.get(j!, d.W - 1 - i!))],
  ['pad(G, 1)', (v, d) => build([d.n + 2, d.n + 2], ([i, j]) => (i! >= 1 && i! <= d.n && j! >= 1 && j! <= d.n ? v.G!.get(i! - 1, j! - 1) : 0))],
  ['avgpool2(kron(G, ones(2, 2)))', (v) => v.G!.clone()],
  ['maxpool2(kron(G, ones(2, 2)))', (v) => v.G!.clone()],
  ['zeros(N, 2) + 3', (_v, d) => Tensor.full([d.N, 2], 3)],
  ['sqrt(abs(X)) + tanh(X) - exp(-X) .* floor(X) ./ (1 + ceil(abs(X)))', (v, d) => build([d.N, d.D], ([i, j]) => { const x = v.X!.get(i!, j!); return Math.sqrt(Math.abs(x)) + Math.tanh(x) - (Math.exp(-x) * Math.floor(x)) / (1 + Math.ceil(Math.abs(x))); })],
  ['w\' * w + N / 2 - pi', (v, d) => Tensor.scalar(sumOver(d.D, (i) => v.w!.get(i) ** 2) + d.N / 2 - Math.PI)],
  ['X[N, :] + X[1, 1]', (v, d) => build([d.D], ([j]) => v.X!.get(d.N - 1, j!) + v.X!.get(0, 0))],
  ['sum(X[2:N, :], 1)', (v, d) => build([1, d.D], ([, j]) => sumOver(d.N - 1, (i) => v.X!.get(i + 1, j!)))],
];

function sumOver(n: number, f: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
}

function sig(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function softmaxRow(z: Tensor, i: number): number[] {
  const row = Array.from({ length: z.shape[1]! }, (_, k) => z.get(i, k));
  const m = Math.max(...row);
  const e = row.map((x) => Math.exp(x - m));
  const total = e.reduce((a, x) => a + x, 0);
  return e.map((x) => x / total);
}

/** conv2(x, rot90(k, 2), 'full')[i, j] = Σ_{u,v} x[i − u, j − v] · k[kh−1−u, kw−1−v], x zero outside. */
function fullCorrelation(x: Tensor, k: Tensor, i: number, j: number): number {
  const [H, W] = x.shape as [number, number];
  const [kh, kw] = k.shape as [number, number];
  let s = 0;
  for (let u = 0; u < kh; u++) {
    for (let v = 0; v < kw; v++) {
      const a = i - u;
      const b = j - v;
      if (a >= 0 && a < H && b >= 0 && b < W) s += x.get(a, b) * k.get(kh - 1 - u, kw - 1 - v);
    }
  }
  return s;
}

describe('whole-tensor formulas equal their definitions on random shapes', () => {
  test.each(CASES)('%s', (text, reference) => {
    fc.assert(
      fc.property(dimsArb, seed, (d, s) => {
        const values = inputs(d, s);
        expectClose(run(text, d, values), reference(values, d), 1e-10);
      }),
      { ...FC, numRuns: 25 },
    );
  });
});

describe('answers', () => {
  test('are fresh tensors, never views of inputs', () => {
    const d: Dims = { N: 3, D: 2, M: 2, K: 2, n: 2, H: 3, W: 3, kh: 2, kw: 2 };
    const values = inputs(d, 1);
    const out = run("X'", d, values);
    out.data[0] = 1234;
    expect(values.X!.get(0, 0)).not.toBe(1234);
    expect(out.isContiguous()).toBe(true);
  });

  test('a 1×1 answer fits a scalar target and the reverse', () => {
    const d: Dims = { N: 3, D: 4, M: 2, K: 2, n: 2, H: 3, W: 3, kh: 2, kw: 2 };
    const values = inputs(d, 2);
    const expected = sumOver(d.D, (i) => values.w!.get(i) ** 2);
    expect(run("w' * w", d, values, []).item()).toBeCloseTo(expected, 12);
    expect(run('sum(w .* w)', d, values, [1, 1]).shape).toEqual([1, 1]);
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Declarations } from '../../src/formula/index.js';
import { Rng, Tensor, conv2d, flip, kron, ones, sample } from '../../src/tensor/index.js';
import { FC, at, build, evaluate, expectClose, normals, seed, size } from './helpers.js';

/**
 * Index notation against plain loops written here (1-based, 0 outside bounds), and against the
 * tensor-core kernels that compute the same gradients (conv2d for the conv input gradient, kron for the
 * pooling upsample).
 */

const CONV: Declarations = {
  dims: ['N', 'C', 'F', 'H', 'W', 'kh', 'kw'],
  symbols: [
    { name: 'X', shape: ['N', 'C', 'H', 'W'] },
    { name: 'K', shape: ['F', 'C', 'kh', 'kw'] },
    { name: 'dY', shape: ['N', 'F', 'H-kh+1', 'W-kw+1'] },
  ],
};

const convDims = fc.record({ N: size(2), C: size(3), F: size(3), kh: size(3), kw: size(3), extraH: fc.integer({ min: 0, max: 3 }), extraW: fc.integer({ min: 0, max: 3 }) }).map(
  ({ extraH, extraW, ...d }) => ({ ...d, H: d.kh + extraH, W: d.kw + extraW }),
);

type ConvDims = { N: number; C: number; F: number; H: number; W: number; kh: number; kw: number };

function convInputs(d: ConvDims, s: number): Record<string, Tensor> {
  return normals(s, { X: [d.N, d.C, d.H, d.W], K: [d.F, d.C, d.kh, d.kw], dY: [d.N, d.F, d.H - d.kh + 1, d.W - d.kw + 1] });
}

/** dX[n, c, i, j] = Σ_{f,m,t} K[f, c, m, t] · dY[n, f, i − m + 1, j − t + 1], by loops. */
function convInputGradient(v: Record<string, Tensor>, d: ConvDims): Tensor {
  return build([d.N, d.C, d.H, d.W], ([n, c, i, j]) => {
    let s = 0;
    for (let f = 1; f <= d.F; f++) {
      for (let m = 1; m <= d.kh; m++) for (let t = 1; t <= d.kw; t++) s += at(v.K!, f, c! + 1, m, t) * at(v.dY!, n! + 1, f, i! + 1 - m + 1, j! + 1 - t + 1);
    }
    return s;
  });
}

const DX_INDEX = 'dX[n,c,i,j] = sum(K[f,c,m,t] * dY[n,f,i-m+1,j-t+1], f, m, t)';
const DX_SLICES = "dX[n,c,:,:] = sum(conv2(dY[n,f,:,:], K[f,c,:,:], 'full'), f)";
const DX_TARGET = ['N', 'C', 'H', 'W'];

describe('the convolution input gradient', () => {
  test('in index notation equals the loops and the conv2d kernel (full correlation with the flipped kernel)', () => {
    fc.assert(
      fc.property(convDims, seed, (d, s) => {
        const v = convInputs(d, s);
        const got = evaluate(DX_INDEX, CONV, v, d, { targetShape: DX_TARGET });
        expectClose(got, convInputGradient(v, d));
        const kernel = conv2d(v.dY!, flip(v.K!, [2, 3]).transpose([1, 0, 2, 3]).contiguous(), { padding: [d.kh - 1, d.kw - 1] });
        expectClose(got, kernel);
      }),
      { ...FC, numRuns: 60 },
    );
  });

  test('mixed with slices (sum of conv2 over f) equals index notation', () => {
    fc.assert(
      fc.property(convDims, seed, (d, s) => {
        const v = convInputs(d, s);
        expectClose(evaluate(DX_SLICES, CONV, v, d, { targetShape: DX_TARGET }), convInputGradient(v, d));
      }),
      { ...FC, numRuns: 40 },
    );
  });

  test('the kernel gradient dK[f,c,m,t] = Σ X[n,c,i+m−1,j+t−1] dY[n,f,i,j] equals the loops', () => {
    fc.assert(
      fc.property(convDims, seed, (d, s) => {
        const v = convInputs(d, s);
        const got = evaluate('dK[f,c,m,t] = sum(X[n,c,i+m-1,j+t-1] * dY[n,f,i,j], n, i, j)', CONV, v, d, { targetShape: ['F', 'C', 'kh', 'kw'] });
        const expected = build([d.F, d.C, d.kh, d.kw], ([f, c, m, t]) => {
          let acc = 0;
          for (let n = 1; n <= d.N; n++) {
            for (let i = 1; i <= d.H - d.kh + 1; i++) for (let j = 1; j <= d.W - d.kw + 1; j++) acc += at(v.X!, n, c! + 1, i + m!, j + t!) * at(v.dY!, n, f! + 1, i, j);
          }
          return acc;
        });
        expectClose(got, expected);
      }),
      { ...FC, numRuns: 40 },
    );
  });
});

const SMALL: Declarations = {
  dims: ['n', 'N', 'D', 'M', 'K', 'kh', 's'],
  symbols: [
    { name: 'G', shape: ['n', 'n'] },
    { name: 'X', shape: ['N', 'D'] },
    { name: 'dY', shape: ['N', 'M'] },
    { name: 'z', shape: ['N', 'K'] },
    { name: 'c', shape: ['N'], dtype: 'index' },
    { name: 'x', shape: ['N'] },
    { name: 'k', shape: ['kh'] },
  ],
};

const smallDims = fc.record({ n: size(3), N: size(4), D: size(4), M: size(3), K: size(4), kh: size(3), s: fc.integer({ min: 0, max: 5 }) });
type SmallDims = { n: number; N: number; D: number; M: number; K: number; kh: number; s: number };

function smallInputs(d: SmallDims, s: number): Record<string, Tensor> {
  const v = normals(s, { G: [d.n, d.n], X: [d.N, d.D], dY: [d.N, d.M], z: [d.N, d.K], x: [d.N], k: [d.kh] });
  v.c = sample.labels(new Rng(s + 7), [d.N], d.K);
  return v;
}

/** Each case: formula, target shape, definition by loops (1-based indices). */
const CASES: readonly (readonly [string, (string | number)[], (v: Record<string, Tensor>, d: SmallDims) => Tensor])[] = [
  ['dS[i,j] = G[ceil(i/2), ceil(j/2)] / 4', ['2*n', '2*n'], (v, d) => build([2 * d.n, 2 * d.n], ([i, j]) => at(v.G!, Math.ceil((i! + 1) / 2), Math.ceil((j! + 1) / 2)) / 4)],
  ['dW[i,j] = sum(X[b,i] * dY[b,j], b)', ['D', 'M'], (v, d) => build([d.D, d.M], ([i, j]) => sum1(d.N, (n) => at(v.X!, n, i! + 1) * at(v.dY!, n, j! + 1)))],
  ['dz[i,j] = exp(z[i,j]) / sum(exp(z[i,q]), q) - delta(j, c[i])', ['N', 'K'], (v, d) => build([d.N, d.K], ([i, j]) => Math.exp(at(v.z!, i! + 1, j! + 1)) / sum1(d.K, (k) => Math.exp(at(v.z!, i! + 1, k))) - (at(v.c!, i! + 1) === j! + 1 ? 1 : 0))],
  ['Y[i,j] = delta(j, c[i])', ['N', 'K'], (v, d) => build([d.N, d.K], ([i, j]) => (at(v.c!, i! + 1) === j! + 1 ? 1 : 0))],
  ['y[i] = sum(x[i - m + 1] * k[m], m, 1, kh)', ['N'], (v, d) => build([d.N], ([i]) => sum1(d.kh, (m) => at(v.x!, i! + 1 - m + 1) * at(v.k!, m)))],
  ['y[i] = sum(x[m], m, 1, i)', ['N'], (v) => build([v.x!.size], ([i]) => sum1(i! + 1, (m) => at(v.x!, m)))],
  ['y[i] = x[i + 1] + 1', ['N'], (v, d) => build([d.N], ([i]) => at(v.x!, i! + 2) + 1)],
  ['y[i] = sum(x[m + 1] + 1, m, 1, N)', ['N'], (v, d) => build([d.N], () => sum1(d.N, (m) => at(v.x!, m + 1) + 1))],
  ['y[i] = x[mod(i - 1 + s, N) + 1]', ['N'], (v, d) => build([d.N], ([i]) => at(v.x!, ((i! + d.s) % d.N) + 1))],
  ['A[i,j] = sum(X[i,q] * sum(X[l,q], l), q)', ['N', 'N'], (v, d) => build([d.N, d.N], ([i]) => sum1(d.D, (k) => at(v.X!, i! + 1, k) * sum1(d.N, (l) => at(v.X!, l, k))))],
  ['dZ[i,j] = X[i,j] * sum(X[i, :]) + sum(X)', ['N', 'D'], (v, d) => build([d.N, d.D], ([i, j]) => at(v.X!, i! + 1, j! + 1) * sum1(d.D, (k) => at(v.X!, i! + 1, k)) + sum1(d.N, (a) => sum1(d.D, (b) => at(v.X!, a, b))))],
  ['dZ[i,j] = max(X[i,j], 0) * (X[i,j] > 0) - min(X[i,j], -1) + floor(X[i,j]) * ceil(X[i,j]) + abs(X[i,j]) ^ 2 + tanh(X[i,j])', ['N', 'D'], (v, d) => build([d.N, d.D], ([i, j]) => { const x = at(v.X!, i! + 1, j! + 1); return Math.max(x, 0) * (x > 0 ? 1 : 0) - Math.min(x, -1) + Math.floor(x) * Math.ceil(x) + Math.abs(x) ** 2 + Math.tanh(x); })],
  ['dZ[i,j] = sigmoid(X[i,j]) * relu(X[i,j]) + sqrt(abs(X[i,j])) - log(1 + exp(X[i,j])) + pi', ['N', 'D'], (v, d) => build([d.N, d.D], ([i, j]) => { const x = at(v.X!, i! + 1, j! + 1); return (1 / (1 + Math.exp(-x))) * Math.max(x, 0) + Math.sqrt(Math.abs(x)) - Math.log(1 + Math.exp(x)) + Math.PI; })],
  ['S[i,j] = sum(sum(X[a,b], b), a) + i - 2 * j', ['N', 'D'], (v, d) => build([d.N, d.D], ([i, j]) => sum1(d.N, (a) => sum1(d.D, (b) => at(v.X!, a, b))) + (i! + 1) - 2 * (j! + 1))],
  ['Z[i,j] = X[N + 1 - i, j]', ['N', 'D'], (v, d) => build([d.N, d.D], ([i, j]) => at(v.X!, d.N - i!, j! + 1))],
  ['Z[i,:] = X[i,:] .* (X[i,:] > 0)', ['N', 'D'], (v, d) => build([d.N, d.D], ([i, j]) => Math.max(at(v.X!, i! + 1, j! + 1), 0))],
];

function sum1(n: number, f: (i: number) => number): number {
  let s = 0;
  for (let i = 1; i <= n; i++) s += f(i);
  return s;
}

describe('index notation equals its loop definition on random shapes', () => {
  test.each(CASES)('%s', (text, target, reference) => {
    fc.assert(
      fc.property(smallDims, seed, (d, s) => {
        const v = smallInputs(d, s);
        expectClose(evaluate(text, SMALL, v, d, { targetShape: target }), reference(v, d));
      }),
      { ...FC, numRuns: 40 },
    );
  });

  test('a scalar index sum inside a whole-tensor loss equals the loops', () => {
    const d: SmallDims = { n: 2, N: 3, D: 4, M: 2, K: 3, kh: 2, s: 1 };
    const v = smallInputs(d, 3);
    const got = evaluate('0.5 * sum(X[i, j] ^ 2, i, j) + sum(X .* X)', SMALL, v, d).item();
    expect(got).toBeCloseTo(1.5 * sum1(d.N, (i) => sum1(d.D, (j) => at(v.X!, i, j) ** 2)), 12);
  });

  test('the pooling upsample equals avgpool2 backward written with kron', () => {
    fc.assert(
      fc.property(size(4), seed, (n, s) => {
        const v = normals(s, { G: [n, n] });
        const got = evaluate('dS[i,j] = G[ceil(i/2), ceil(j/2)] / 4', SMALL, v, { n, N: 1, D: 1, M: 1, K: 1, kh: 1, s: 0 }, { targetShape: ['2*n', '2*n'] });
        const kernel = kron(v.G!, ones([2, 2]));
        expectClose(got, new Tensor(kernel.toArray().map((x) => x / 4), kernel.shape));
      }),
      { ...FC, numRuns: 30 },
    );
  });
});

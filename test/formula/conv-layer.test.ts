import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Declarations, FormulaShapeError, checkFormula, parseFormula } from '../../src/formula/index.js';
import { Tensor } from '../../src/tensor/index.js';
import { hasPython, runPython } from '../tensor/python.js';
import { FC, evaluate, expectClose, normals, size } from './helpers.js';

/** conv2d(X, K), the convolution layer of CNNs: against numpy loops, the slice formula it abbreviates, and its shape errors. */

const DECLARATIONS: Declarations = {
  dims: ['N', 'C', 'F', 'H', 'W', 'kh', 'kw'],
  symbols: [
    { name: 'X', shape: ['N', 'C', 'H', 'W'] },
    { name: 'K', shape: ['F', 'C', 'kh', 'kw'] },
    { name: 'M', shape: ['H', 'W'] },
    { name: 'B', shape: ['F', 'N', 'kh', 'kw'] },
  ],
};

const NUMPY_CONV_LAYER = `
import json, sys, numpy as np
d = json.load(sys.stdin)
X = np.array(d['X']); K = np.array(d['K'])
N, C, H, W = X.shape; F, _, kh, kw = K.shape
Y = np.zeros((N, F, H - kh + 1, W - kw + 1))
for n in range(N):
  for f in range(F):
    for i in range(H - kh + 1):
      for j in range(W - kw + 1):
        Y[n, f, i, j] = np.sum(X[n, :, i:i + kh, j:j + kw] * K[f])
print(json.dumps(Y.tolist()))
`;

describe('conv2d(X, K)', () => {
  test.skipIf(!hasPython)('agrees with numpy loops (PyTorch conv2d: a correlation, stride 1, no padding)', () => {
    const dims = { N: 2, C: 3, F: 2, H: 5, W: 6, kh: 2, kw: 3 };
    const values = normals(5, { X: [2, 3, 5, 6], K: [2, 3, 2, 3] });
    const expected = runPython(NUMPY_CONV_LAYER, { X: values['X']!.toNested(), K: values['K']!.toNested() }) as number[][][][];
    expectClose(evaluate('conv2d(X, K)', DECLARATIONS, values, dims), Tensor.fromNested(expected));
  });

  test('is the slice formula it abbreviates, at any sizes', () => {
    const sizes = fc.record({ N: size(2), C: size(3), F: size(2), kh: size(3), kw: size(3), Ho: size(3), Wo: size(3), seed: fc.integer({ min: 0, max: 1000 }) });
    fc.assert(
      fc.property(sizes, ({ Ho, Wo, seed, ...rest }) => {
        const dims = { ...rest, H: Ho + rest.kh - 1, W: Wo + rest.kw - 1 };
        const values = normals(seed, { X: [dims.N, dims.C, dims.H, dims.W], K: [dims.F, dims.C, dims.kh, dims.kw] });
        const layer = evaluate('conv2d(X, K)', DECLARATIONS, values, dims);
        expect(layer.shape).toEqual([dims.N, dims.F, Ho, Wo]);
        const slices = evaluate("Y[n,f,:,:] = sum(corr2(X[n,c,:,:], K[f,c,:,:], 'valid'), c)", DECLARATIONS, values, dims, { targetShape: ['N', 'F', 'H-kh+1', 'W-kw+1'] });
        expectClose(layer, slices);
      }),
      FC,
    );
  });

  test.each([
    ['conv2d(M, K)', 'a batch of images N×C×H×W', 'corr2(A, K)'],
    ['conv2d(X, M)', 'filters F×C×kh×kw', 'corr2(A, K)'],
    ['conv2d(X, B)', 'channels', 'must agree'],
  ])('%s is a shape error naming what it takes', (text, says, hint) => {
    const check = () => checkFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS);
    expect(check).toThrow(FormulaShapeError);
    expect(check).toThrow(says);
    try {
      check();
    } catch (err) {
      expect((err as FormulaShapeError).describe()).toContain(hint);
    }
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Rng, TensorArgumentError, matmul, sample, sampleMatrix } from '../../src/tensor/index.js';
import { FC_OPTIONS, dim } from './arbitraries.js';
import { hasPython, runPython } from './python.js';

/** Structured random matrices: each property is checked on every matrix of a batch. */
describe('random matrices', () => {
  const batch = fc.record({ b: fc.integer({ min: 1, max: 3 }), n: dim(5), m: dim(5), seed: fc.nat() });
  /** Symmetry and orthonormality are exact up to the rounding of a few dot products. */
  const TOL = 1e-13;

  test('symmetric and spd draws equal their transpose, matrix by matrix', () => {
    fc.assert(
      fc.property(batch, ({ b, n, seed }) => {
        for (const draw of [sampleMatrix.symmetric, sampleMatrix.spd]) {
          const t = draw(new Rng(seed), [b, n, n]);
          for (let k = 0; k < b; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(t.get(k, i, j)).toBe(t.get(k, j, i));
        }
      }),
      FC_OPTIONS,
    );
  });

  test('orthogonal draws have orthonormal columns (tall) or rows (wide)', () => {
    fc.assert(
      fc.property(batch, ({ n, m, seed }) => {
        const q = sampleMatrix.orthogonal(new Rng(seed), [m, n]);
        const gram = m >= n ? matmul(q, q, { transA: true }) : matmul(q, q, { transB: true });
        const k = Math.min(m, n);
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(Math.abs(gram.get(i, j) - (i === j ? 1 : 0))).toBeLessThan(TOL);
      }),
      FC_OPTIONS,
    );
  });

  test('the same seed gives the same draw', () => {
    for (const draw of [sampleMatrix.symmetric, sampleMatrix.spd, sampleMatrix.orthogonal]) {
      expect(draw(new Rng(5), [2, 3, 3]).toArray()).toEqual(draw(new Rng(5), [2, 3, 3]).toArray());
    }
  });

  test('square draws of a non-square shape, and matrix draws of vectors, are argument errors', () => {
    expect(() => sampleMatrix.spd(new Rng(1), [2, 3])).toThrow(TensorArgumentError);
    expect(() => sampleMatrix.symmetric(new Rng(1), [4])).toThrow(TensorArgumentError);
    expect(() => sampleMatrix.orthogonal(new Rng(1), [])).toThrow(TensorArgumentError);
  });

  test('binary and ±1 draws take both values and nothing else', () => {
    const bits = sample.binary(new Rng(3), [200]).toArray();
    const signs = sample.signs(new Rng(3), [200]).toArray();
    expect(new Set(bits)).toEqual(new Set([0, 1]));
    expect(new Set(signs)).toEqual(new Set([-1, 1]));
  });

  test.skipIf(!hasPython)('spd draws have eigenvalues in [0.5, 2] (numpy.linalg.eigvalsh): condition number at most 4', () => {
    const draws = [1, 2, 3, 6, 10].map((n, k) => sampleMatrix.spd(new Rng(100 + k), [n, n]).toNested());
    const eigenvalues = runPython('import json, sys\nimport numpy as np\nprint(json.dumps([np.linalg.eigvalsh(np.array(a)).tolist() for a in json.load(sys.stdin)]))', draws) as number[][];
    for (const values of eigenvalues) for (const l of values) expect(l >= 0.5 - 1e-12 && l <= 2 + 1e-12, `eigenvalue ${l}`).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DomainError, Rng, ShapeError, Tensor, add, cholesky, det, eye, frobeniusNorm, inv, matmul, mul, sample, slogdet, solve, spectralNorm, trace } from '../../src/tensor/index.js';
import { FC_OPTIONS, viewed } from './arbitraries.js';
import { hasPython, runPython } from './python.js';
import { build, expectClose, indices } from './reference.js';

/** The brief's accuracy bar for ‖A‖₂: 1e-10 relative; Jacobi SVD delivers a few eps. */
const SPECTRAL_TOL = 1e-10;

/** A random orthogonal n×n matrix from Gram–Schmidt on normal columns (test-side construction). */
function orthogonal(rng: Rng, n: number): Tensor {
  const q = sample.normal(rng, [n, n]);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q.get(i, j) * q.get(i, p);
      for (let i = 0; i < n; i++) q.set([i, j], q.get(i, j) - d * q.get(i, p));
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q.get(i, j) ** 2;
    for (let i = 0; i < n; i++) q.set([i, j], q.get(i, j) / Math.sqrt(norm));
  }
  return q;
}

/** U · diag(s) · Vᵀ with known singular values s. */
function withSingularValues(rng: Rng, m: number, n: number, s: number[]): Tensor {
  const u = orthogonal(rng, m);
  const v = orthogonal(rng, n);
  const sigma = build([m, n], ([i, j]) => (i === j ? (s[i!] ?? 0) : 0));
  return matmul(matmul(u, sigma), v, { transB: true });
}

describe('spectralNorm', () => {
  test('recovers known singular values, including a near-tie at the top (where power iteration stalls)', () => {
    const rng = new Rng(31);
    const cases: [number, number, number[]][] = [
      [5, 5, [3, 2, 1, 0.5, 0.1]],
      [6, 4, [1, 1 - 1e-9, 0.3, 0]],
      [3, 7, [2.5, 2.5, 2.5]],
      [8, 8, [1e-3, 1e-4, 0, 0, 0, 0, 0, 0]],
    ];
    for (const [m, n, s] of cases) {
      const a = withSingularValues(rng, m, n, s);
      expect(Math.abs(spectralNorm(a) - s[0]!) / s[0]!).toBeLessThan(SPECTRAL_TOL);
      expect(Math.abs(spectralNorm(a.transpose()) - s[0]!) / s[0]!).toBeLessThan(SPECTRAL_TOL);
    }
  });

  test('closed forms: diagonal → max |d|, rank one u·vᵀ → ‖u‖·‖v‖, vector → Euclidean length', () => {
    expect(spectralNorm(Tensor.fromArray([3, 3], [1, 0, 0, 0, -4, 0, 0, 0, 2]))).toBe(4);
    const u = Tensor.fromArray([3, 1], [1, 2, 2]);
    const v = Tensor.fromArray([1, 2], [3, 4]);
    expect(Math.abs(spectralNorm(matmul(u, v)) - 15)).toBeLessThan(1e-14);
    expect(spectralNorm(Tensor.fromArray([2], [3, 4]))).toBe(5);
    expect(spectralNorm(Tensor.zeros([3, 0]))).toBe(0);
    expect(spectralNorm(Tensor.zeros([2, 2]))).toBe(0);
  });

  test('scales without overflow or underflow (entries 1e200 and 1e-200)', () => {
    const a = withSingularValues(new Rng(4), 4, 3, [2, 1, 0.5]);
    for (const scale of [1e200, 1e-200]) {
      expect(Math.abs(spectralNorm(mul(a, scale)) / scale - 2) / 2).toBeLessThan(SPECTRAL_TOL);
    }
  });

  test('NaN and ∞ entries give NaN and ∞, and rank 3 is a ShapeError', () => {
    expect(spectralNorm(Tensor.fromArray([2, 2], [1, Number.NaN, 0, 1]))).toBeNaN();
    expect(spectralNorm(Tensor.fromArray([2, 2], [1, Infinity, 0, 1]))).toBe(Infinity);
    expect(() => spectralNorm(Tensor.zeros([2, 2, 2]))).toThrow(ShapeError);
  });
});

describe.skipIf(!hasPython)('spectralNorm against numpy.linalg.norm(A, 2)', () => {
  test('random matrices of many shapes agree to 1e-10 relative', () => {
    const rng = new Rng(99);
    const matrices = [
      [1, 1],
      [1, 6],
      [6, 1],
      [2, 2],
      [3, 5],
      [7, 4],
      [10, 10],
      [25, 17],
      [40, 60],
    ].map(([m, n]) => sample.normal(rng, [m!, n!]));
    matrices.push(withSingularValues(rng, 6, 6, [1, 1 - 1e-7, 1 - 2e-7, 0.5, 0.1, 0]));
    const script = `
import json, sys
import numpy as np
print(json.dumps([float(np.linalg.norm(np.array(a, dtype=float), 2)) for a in json.load(sys.stdin)]))
`;
    const expected = runPython(script, matrices.map((a) => a.toNested())) as number[];
    matrices.forEach((a, i) => {
      expect(Math.abs(spectralNorm(a) - expected[i]!) / expected[i]!, `matrix ${i} (${a.shape.join('×')})`).toBeLessThan(SPECTRAL_TOL);
    });
  });
});

describe('frobeniusNorm', () => {
  test('is √Σ t² over every element of any view', () => {
    fc.assert(
      fc.property(viewed(0, 4), (t) => {
        let s = 0;
        for (const idx of indices(t.shape)) s += t.get(...idx) ** 2;
        expect(Math.abs(frobeniusNorm(t) - Math.sqrt(s))).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.sqrt(s)));
      }),
      FC_OPTIONS,
    );
  });

  test('does not overflow for entries near 1e200 nor underflow near 1e-200', () => {
    expect(Math.abs(frobeniusNorm(Tensor.fromArray([2], [3e200, 4e200])) / 5e200 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(frobeniusNorm(Tensor.fromArray([2], [3e-200, 4e-200])) / 5e-200 - 1)).toBeLessThan(1e-15);
    expect(frobeniusNorm(Tensor.fromArray([2], [Number.NaN, 1]))).toBeNaN();
  });
});

describe.skipIf(!hasPython)('LU and Cholesky kernels against numpy', () => {
  /** Results of backward-stable factorisations differ by ≈ cond·eps; these matrices have cond ≤ ~1e3. */
  const LINALG_TOL = 1e-11;
  const rng = new Rng(2024);
  const sizes = [1, 2, 3, 5, 8];
  const square = sizes.map((n) => sample.normal(rng, [n, n]));
  const rhs = sizes.map((n) => sample.normal(rng, [n, 3]));
  const spd = square.map((a) => add(matmul(a, a, { transB: true }), eye(a.shape[0]!)));
  const script = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
out = []
for a, b, s in zip(d['square'], d['rhs'], d['spd']):
    a, b, s = np.array(a), np.array(b), np.array(s)
    sign, logabs = np.linalg.slogdet(a)
    out.append({'inv': np.linalg.inv(a).tolist(), 'det': float(np.linalg.det(a)), 'sign': float(sign), 'logabs': float(logabs),
                'solve': np.linalg.solve(a, b).tolist(), 'solve_vec': np.linalg.solve(a, b[:, 0]).tolist(),
                'trace': float(np.trace(a)), 'chol': np.linalg.cholesky(s).tolist()})
print(json.dumps(out))
`;
  const expected = runPython(script, { square: square.map((a) => a.toNested()), rhs: rhs.map((b) => b.toNested()), spd: spd.map((s) => s.toNested()) }) as {
    inv: number[][];
    det: number;
    sign: number;
    logabs: number;
    solve: number[][];
    solve_vec: number[];
    trace: number;
    chol: number[][];
  }[];

  test.each(sizes.map((n, i) => [n, i]))('n = %i: inv, det, slogdet, solve, trace and cholesky', (_, i) => {
    const a = square[i]!;
    const e = expected[i]!;
    expectClose(inv(a), Tensor.fromNested(e.inv), LINALG_TOL);
    expect(Math.abs(det(a) - e.det)).toBeLessThanOrEqual(LINALG_TOL * Math.max(1, Math.abs(e.det)));
    const s = slogdet(a);
    expect(s.sign).toBe(e.sign);
    expect(Math.abs(s.logAbs - e.logabs)).toBeLessThanOrEqual(LINALG_TOL * Math.max(1, Math.abs(e.logabs)));
    expectClose(solve(a, rhs[i]!), Tensor.fromNested(e.solve), LINALG_TOL);
    expectClose(solve(a, rhs[i]!.slice([null, 0])), Tensor.fromNested(e.solve_vec), LINALG_TOL);
    expect(Math.abs(trace(a) - e.trace)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(e.trace)));
    expectClose(cholesky(spd[i]!), Tensor.fromNested(e.chol), LINALG_TOL);
  });
});

describe('LU and Cholesky kernels on edge cases', () => {
  test('a singular matrix: det is 0, inv and solve are DomainErrors, logAbs is −∞', () => {
    const a = Tensor.fromNested([[1, 2], [2, 4]]);
    expect(det(a) === 0).toBe(true);
    expect(() => inv(a)).toThrow(DomainError);
    expect(() => solve(a, Tensor.fromNested([1, 1]))).toThrow(DomainError);
    expect(slogdet(a).logAbs).toBe(-Infinity);
  });

  test('a numerically singular matrix (condition number ≈ 1e13) is refused by inv, not inverted into noise', () => {
    const a = Tensor.fromNested([[1, 1], [1, 1 + 1e-13]]);
    expect(() => inv(a)).toThrow(/numerically singular/);
    expect(inv(Tensor.fromNested([[1, 1], [1, 1 + 1e-6]])).shape).toEqual([2, 2]);
  });

  test('partial pivoting: a zero leading entry is no problem', () => {
    expectClose(inv(Tensor.fromNested([[0, 1], [1, 0]])), Tensor.fromNested([[0, 1], [1, 0]]), 0);
    expect(det(Tensor.fromNested([[0, 1], [1, 0]]))).toBe(-1);
  });

  test('cholesky reads the lower triangle only and refuses a matrix that is not positive definite', () => {
    const lower = cholesky(Tensor.fromNested([[4, 1e6], [2, 5]]));
    expectClose(lower, Tensor.fromNested([[2, 0], [1, 2]]), 0);
    expect(() => cholesky(Tensor.fromNested([[1, 2], [2, 1]]))).toThrow(DomainError);
    expect(() => cholesky(Tensor.fromNested([[0]]))).toThrow(DomainError);
  });

  test('non-square matrices are ShapeErrors', () => {
    const a = Tensor.zeros([2, 3]);
    for (const f of [inv, det, trace, cholesky]) expect(() => f(a)).toThrow(ShapeError);
    expect(() => solve(Tensor.zeros([2, 2]), Tensor.zeros([3, 1]))).toThrow(ShapeError);
  });
});

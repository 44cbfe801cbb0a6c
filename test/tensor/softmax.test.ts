import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Tensor, TensorArgumentError, logSoftmax, logsumexp, softmax } from '../../src/tensor/index.js';
import { FC_OPTIONS, viewed } from './arbitraries.js';
import { build, expectClose, expectRowMajor } from './reference.js';

/** The textbook definitions along one axis, without any shift (fine for |z| ≤ 10). */
function referenceAlong(t: Tensor, axis: number, f: (z: number, row: number[]) => number): Tensor {
  return build(t.shape, (idx) => {
    const row: number[] = [];
    for (let i = 0; i < t.shape[axis]!; i++) {
      const j = [...idx];
      j[axis] = i;
      row.push(t.get(...j));
    }
    return f(t.get(...idx), row);
  });
}

const sumExp = (row: number[]): number => row.reduce((s, z) => s + Math.exp(z), 0);

const withAxis = viewed(1, 4).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: -t.rank, max: t.rank - 1 })));

describe('softmax family', () => {
  test('softmax(z) = exp(z) / Σ exp(z) along any axis of any view', () => {
    fc.assert(
      fc.property(withAxis, ([t, axis]) => {
        const out = softmax(t, axis);
        expectRowMajor(out);
        expectClose(out, referenceAlong(t, (axis + t.rank) % t.rank, (z, row) => Math.exp(z) / sumExp(row)), 1e-13);
      }),
      FC_OPTIONS,
    );
  });

  test('logSoftmax(z) = z − log Σ exp(z) and logsumexp matches log Σ exp(z)', () => {
    fc.assert(
      fc.property(withAxis, fc.boolean(), ([t, axis], keepdims) => {
        const ax = (axis + t.rank) % t.rank;
        expectClose(logSoftmax(t, axis), referenceAlong(t, ax, (z, row) => z - Math.log(sumExp(row))), 1e-13);
        const lse = logsumexp(t, axis, keepdims);
        const full = referenceAlong(t, ax, (_, row) => Math.log(sumExp(row)));
        const expected = full.slice(t.shape.map((_, a) => (a === ax ? (keepdims ? ([0, 1] as const) : 0) : null)));
        expectClose(lse, expected.clone(), 1e-13);
      }),
      FC_OPTIONS,
    );
  });

  test('the default axis is the last one and logsumexp without an axis reduces everything', () => {
    const t = Tensor.fromArray([2, 2], [0, Math.log(3), 1, 1]);
    expectClose(softmax(t), Tensor.fromArray([2, 2], [0.25, 0.75, 0.5, 0.5]), 1e-15);
    expect(logsumexp(t).shape).toEqual([]);
    expect(Math.abs(logsumexp(t).item() - Math.log(1 + 3 + 2 * Math.E))).toBeLessThan(1e-15);
  });

  /**
   * At |z| = 1e3 an unshifted exp overflows (e^1000 = ∞) or underflows (e^-1000 = 0). The exact
   * answers are known in closed form: softmax([a, a − d]) = [1/(1 + e^−d), e^−d/(1 + e^−d)] and
   * logsumexp([a, a − d]) = a + log(1 + e^−d), whatever a is.
   */
  test.each([1e3, -1e3, 5e2, -7e2])('stable at z ≈ %d: matches the closed form for [a, a − d]', (a) => {
    for (const d of [0, 1, 30]) {
      const z = Tensor.fromArray([1, 2], [a, a - d]);
      const p = softmax(z).data;
      expect(Math.abs(p[0]! - 1 / (1 + Math.exp(-d)))).toBeLessThan(1e-15);
      expect(Math.abs(p[1]! - Math.exp(-d) / (1 + Math.exp(-d))) / (Math.exp(-d) / (1 + Math.exp(-d)))).toBeLessThan(1e-14);
      expect(Math.abs(logsumexp(z).item() - (a + Math.log1p(Math.exp(-d))))).toBeLessThanOrEqual(1e-13 * Math.abs(a));
      const ls = logSoftmax(z).data;
      expect(Math.abs(ls[1]! - (-d - Math.log1p(Math.exp(-d))))).toBeLessThan(1e-12);
    }
  });

  test('rows at ±∞ give ±∞ logsumexp and NaN probabilities, never a finite lie', () => {
    const z = Tensor.fromArray([2, 2], [-Infinity, -Infinity, Infinity, 0]);
    expect(Array.from(logsumexp(z, 1).data)).toEqual([-Infinity, Infinity]);
    const p = softmax(z).data;
    expect([p[0], p[1], p[2]]).toEqual([Number.NaN, Number.NaN, Number.NaN]);
    expect(logsumexp(Tensor.zeros([3, 0]), 1).data[0]).toBe(-Infinity);
  });

  test('an axis out of range is a TensorArgumentError', () => {
    expect(() => softmax(Tensor.zeros([2, 3]), 2)).toThrow(TensorArgumentError);
    expect(() => softmax(Tensor.zeros([2, 3]), 2)).toThrow(/^softmax: axis 2 is out of range for rank 2/);
  });
});

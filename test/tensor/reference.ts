import { expect } from 'vitest';
import { type Shape, Tensor, sizeOf } from '../../src/tensor/index.js';

/** Every 0-based multi-index of `shape` in row-major order: the plain loop the reference definitions use. */
export function* indices(shape: Shape): Generator<number[]> {
  if (sizeOf(shape) === 0) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    yield [...idx];
    let ax = shape.length - 1;
    while (ax >= 0 && ++idx[ax]! === shape[ax]!) idx[ax--] = 0;
    if (ax < 0) return;
  }
}

/** A tensor of `shape` whose entry at each multi-index is f(index). */
export function build(shape: Shape, f: (idx: number[]) => number): Tensor {
  const out = Tensor.zeros(shape);
  for (const idx of indices(shape)) out.set(idx, f(idx));
  return out;
}

/**
 * Sums computed in another order differ by at most n·eps·Σ|terms| (Higham, Thm 4.1 bound for any
 * order); with ≤ 200 terms of size ≤ 100 that is < 5e-12 absolute, so 1e-11 leaves margin and still
 * catches any wrong index (an error of size ≥ 1e-3 for these inputs).
 */
export const SUM_ORDER_TOL = 1e-11;

/** Same shape and every entry within tol·max(1, |expected|); NaN only where NaN is expected. */
export function expectClose(actual: Tensor, expected: Tensor, tol = SUM_ORDER_TOL): void {
  expect(actual.shape).toEqual(expected.shape);
  for (const idx of indices(expected.shape)) {
    const a = actual.get(...idx);
    const e = expected.get(...idx);
    if (Number.isNaN(e)) {
      expect(a, `at [${idx}]`).toBeNaN();
      continue;
    }
    if (Math.abs(a - e) > tol * Math.max(1, Math.abs(e))) {
      expect.fail(`at [${idx}]: got ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

/** Same shape and exactly the same entries (rearrangements, comparisons, max: no rounding involved). */
export function expectExact(actual: Tensor, expected: Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(Array.from(actual.toArray())).toEqual(Array.from(expected.toArray()));
}

/** The result must be a fresh row-major tensor, as every kernel promises. */
export function expectRowMajor(t: Tensor): void {
  expect(t.isContiguous()).toBe(true);
}

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as T from '../../src/tensor/index.js';
import { ShapeError, Tensor, TensorArgumentError } from '../../src/tensor/index.js';
import { FC_OPTIONS, viewed } from './arbitraries.js';
import { build, expectClose, expectRowMajor, indices } from './reference.js';

type Reducer = (t: Tensor, axis?: number | readonly number[], keepdims?: boolean) => Tensor;

/** Plain-loop reduction: for each kept index, fold every index of the reduced axes. */
function referenceReduce(t: Tensor, axes: number[], keepdims: boolean, fold: (values: number[]) => number): Tensor {
  const kept = t.shape.map((_, ax) => ax).filter((ax) => !axes.includes(ax));
  const outShape = keepdims ? t.shape.map((d, ax) => (axes.includes(ax) ? 1 : d)) : kept.map((ax) => t.shape[ax]!);
  return build(outShape, (outIdx) => {
    const values: number[] = [];
    for (const idx of indices(t.shape)) {
      const matches = kept.every((ax, i) => idx[ax] === (keepdims ? outIdx[ax] : outIdx[i]));
      if (matches) values.push(t.get(...idx));
    }
    return fold(values);
  });
}

const reducers: [string, Reducer, (v: number[]) => number][] = [
  ['sum', T.sum, (v) => v.reduce((s, x) => s + x, 0)],
  ['mean', T.mean, (v) => v.reduce((s, x) => s + x, 0) / v.length],
  ['max', T.max, (v) => v.reduce((m, x) => (x > m ? x : m), -Infinity)],
  ['min', T.min, (v) => v.reduce((m, x) => (x < m ? x : m), Infinity)],
  ['prod', T.prod, (v) => v.reduce((p, x) => p * x, 1)],
];

/** A tensor, a set of its axes (each written as positive or negative at random), and keepdims. */
const reduction = viewed(0, 4).chain((t) =>
  fc.tuple(
    fc.constant(t),
    fc.oneof(
      fc.constant(undefined),
      fc.subarray([...t.shape.keys()]).chain((axes) =>
        fc.tuple(...axes.map((ax) => fc.constantFrom(ax, ax - t.rank))).map((list) => (list.length === 1 && axes.length === 1 ? list[0]! : list)),
      ),
    ),
    fc.boolean(),
  ),
);

describe('reductions', () => {
  test.each(reducers)('%s over any axes (negative ones included) matches the plain loop', (_, kernel, fold) => {
    fc.assert(
      fc.property(reduction, ([t, axis, keepdims]) => {
        const axes = axis === undefined ? [...t.shape.keys()] : (typeof axis === 'number' ? [axis] : axis).map((a) => (a + t.rank) % t.rank);
        const out = kernel(t, axis, keepdims);
        expectRowMajor(out);
        expectClose(out, referenceReduce(t, axes, keepdims, fold), 1e-12);
      }),
      FC_OPTIONS,
    );
  });

  test('omitting the axis reduces everything to a rank-0 tensor', () => {
    const t = Tensor.fromArray([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(T.sum(t).shape).toEqual([]);
    expect(T.sum(t).item()).toBe(21);
    expect(T.sum(t, undefined, true).shape).toEqual([1, 1]);
    expect(T.mean(t, [0, 1]).item()).toBe(3.5);
  });

  test('empty reductions: sum 0, prod 1, mean NaN; max/min of nothing is a ShapeError', () => {
    const e = Tensor.zeros([2, 0]);
    expect(Array.from(T.sum(e, 1).data)).toEqual([0, 0]);
    expect(Array.from(T.prod(e, 1).data)).toEqual([1, 1]);
    expect(T.mean(e, 1).data[0]).toBeNaN();
    expect(() => T.max(e, 1)).toThrow(ShapeError);
    expect(() => T.max(e, 1)).toThrow(/^max: cannot take the max over an empty axis.*\(shapes 2×0\)$/);
  });

  test('max and min propagate NaN', () => {
    const t = Tensor.fromArray([3], [1, Number.NaN, 3]);
    expect(T.max(t).item()).toBeNaN();
    expect(T.min(t).item()).toBeNaN();
  });

  test('bad axes are TensorArgumentErrors naming the axis', () => {
    const t = Tensor.zeros([2, 3]);
    expect(() => T.sum(t, 2)).toThrow(TensorArgumentError);
    expect(() => T.sum(t, 2)).toThrow(/sum: axis 2 is out of range for rank 2/);
    expect(() => T.sum(t, -3)).toThrow(/axis -3 is out of range/);
    expect(() => T.mean(t, [1, -1])).toThrow(/mean: axis 1 is listed twice/);
    expect(() => T.sum(t, 0.5)).toThrow(TensorArgumentError);
  });
});

describe('pairwise summation', () => {
  /**
   * 2^20 copies of fl(0.1): the exact sum is 2^20 · fl(0.1), itself a float64 (scaling by a power of 2
   * is exact). A running sum drifts with a bound of n·eps relative (observed 1.5e-11 here); the
   * pairwise bound is log2(n)·eps ≈ 4e-15.
   */
  test('sumAll stays within log2(n)·eps where a running sum drifts by n·eps', () => {
    const n = 1 << 20;
    const data = new Float64Array(n).fill(0.1);
    const exact = n * 0.1;
    let running = 0;
    for (const x of data) running += x;
    expect(Math.abs(running - exact) / exact).toBeGreaterThan(1e-12);
    expect(Math.abs(T.sumAll(new Tensor(data, [n])) - exact) / exact).toBeLessThan(20 * Number.EPSILON);
    expect(Math.abs(T.sum(new Tensor(data, [4, n / 4]), 1).data[0]! - exact / 4) / exact).toBeLessThan(20 * Number.EPSILON);
  });

  test('dot is the pairwise Σ a·b of two equal shapes, on any views', () => {
    fc.assert(
      fc.property(viewed(1, 3), fc.integer(), (a, shift) => {
        const b = T.add(T.mul(a, 0.5), shift % 7);
        let expected = 0;
        for (const idx of indices(a.shape)) expected += a.get(...idx) * b.get(...idx);
        expect(Math.abs(T.dot(a, b) - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
        expect(Math.abs(T.sumAll(a) - T.sum(a).item())).toBe(0);
      }),
      FC_OPTIONS,
    );
    expect(() => T.dot(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(/^dot: operands must have the same shape \(shapes 2×3, 3×2\)$/);
  });
});

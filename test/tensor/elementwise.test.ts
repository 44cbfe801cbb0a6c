import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as T from '../../src/tensor/index.js';
import { ShapeError, Tensor } from '../../src/tensor/index.js';
import { FC_OPTIONS, layout, shape, tensorOf, viewed, withLayout } from './arbitraries.js';
import { build, expectExact, expectRowMajor, indices } from './reference.js';

const unary: [string, (t: Tensor) => Tensor, (x: number) => number][] = [
  ['exp', T.exp, (x) => Math.exp(x)],
  ['log', T.log, (x) => Math.log(x)],
  ['sqrt', T.sqrt, (x) => Math.sqrt(x)],
  ['abs', T.abs, (x) => (x < 0 ? -x : x)],
  ['tanh', T.tanh, (x) => Math.tanh(x)],
  ['sigmoid', T.sigmoid, (x) => 1 / (1 + Math.exp(-x))],
  ['relu', T.relu, (x) => (x > 0 ? x : 0)],
  ['step', T.step, (x) => (x > 0 ? 1 : 0)],
  ['ceil', T.ceil, (x) => Math.ceil(x)],
  ['floor', T.floor, (x) => Math.floor(x)],
  ['neg', T.neg, (x) => -x],
  ['square', T.square, (x) => x * x],
  ['sign', T.sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : 0)],
];

describe('elementwise functions', () => {
  test.each(unary)('%s applies the scalar function to every element of any view', (_, kernel, scalar) => {
    fc.assert(
      fc.property(viewed(0, 4), (t) => {
        const out = kernel(t);
        expectRowMajor(out);
        expect(out.shape).toEqual(t.shape);
        for (const idx of indices(t.shape)) {
          const expected = scalar(t.get(...idx));
          const got = out.get(...idx);
          // sigmoid is written differently for x < 0 (e^x / (1 + e^x)): equal up to rounding.
          if (Number.isNaN(expected)) expect(got).toBeNaN();
          else if (!Number.isFinite(expected)) expect(got).toBe(expected);
          else expect(Math.abs(got - expected)).toBeLessThanOrEqual(4e-16 * Math.abs(expected));
        }
      }),
      FC_OPTIONS,
    );
  });

  test('sigmoid neither overflows nor loses the tail (σ(x) ≈ e^x for x ≪ 0)', () => {
    const out = T.sigmoid(Tensor.fromArray([4], [-700, -40, 40, 800]));
    expect(Math.abs(out.data[0]! - Math.exp(-700)) / Math.exp(-700)).toBeLessThan(1e-15);
    expect(Math.abs(out.data[1]! - Math.exp(-40)) / Math.exp(-40)).toBeLessThan(1e-15);
    expect(out.data[3]).toBe(1);
  });

  test('relu and step keep NaN instead of hiding a bad input', () => {
    const x = Tensor.fromArray([1], [Number.NaN]);
    expect(T.relu(x).data[0]).toBeNaN();
    expect(T.step(x).data[0]).toBeNaN();
    expect(Array.from(T.step(Tensor.fromArray([3], [-1, 0, 2])).data)).toEqual([0, 0, 1]);
  });

  test('map returns a new tensor and leaves its input alone', () => {
    const t = Tensor.fromArray([2], [1, 2]);
    const out = T.map(t, (x) => 10 * x);
    expect(Array.from(out.data)).toEqual([10, 20]);
    expect(Array.from(t.data)).toEqual([1, 2]);
  });
});

/** Independent NumPy broadcasting: an axis of size 1 (or a missing leading axis) repeats index 0. */
function referenceBinary(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const rank = Math.max(a.rank, b.rank);
  const dimOf = (t: Tensor, ax: number): number => t.shape[ax - (rank - t.rank)] ?? 1;
  const out = Array.from({ length: rank }, (_, ax) => Math.max(dimOf(a, ax), dimOf(b, ax)));
  const pick = (t: Tensor, idx: number[]): number[] => idx.slice(rank - t.rank).map((i, ax) => (t.shape[ax] === 1 ? 0 : i));
  return build(out, (idx) => f(a.get(...pick(a, idx)), b.get(...pick(b, idx))));
}

/** Two shapes that broadcast: start from one shape and set some axes to 1 / drop leading axes in the other. */
const broadcastPair = shape(0, 4).chain((s) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
      fc.nat({ max: s.length }),
    )
    .chain(([onesA, onesB, drop]) =>
      fc.tuple(
        tensorOf(s.map((d, i) => (onesA[i] ? 1 : d))),
        tensorOf(s.slice(drop).map((d, i) => (onesB[i + drop] ? 1 : d))),
        layout,
        layout,
      ),
    )
    .map(([a, b, la, lb]) => [withLayout(a, la), withLayout(b, lb)] as const),
);

const binary: [string, (a: T.Operand, b: T.Operand) => Tensor, (x: number, y: number) => number][] = [
  ['add', T.add, (x, y) => x + y],
  ['sub', T.sub, (x, y) => x - y],
  ['mul', T.mul, (x, y) => x * y],
  ['div', T.div, (x, y) => x / y],
  ['pow', T.pow, (x, y) => Math.pow(x, y)],
  ['maximum', T.maximum, (x, y) => Math.max(x, y)],
  ['minimum', T.minimum, (x, y) => Math.min(x, y)],
  ['gt', T.gt, (x, y) => Number(x > y)],
  ['ge', T.ge, (x, y) => Number(x >= y)],
  ['lt', T.lt, (x, y) => Number(x < y)],
  ['le', T.le, (x, y) => Number(x <= y)],
  ['eq', T.eq, (x, y) => Number(x === y)],
  ['ne', T.ne, (x, y) => Number(x !== y)],
];

describe('broadcasting binary operations', () => {
  test.each(binary)('%s follows NumPy broadcasting on any views', (_, kernel, scalar) => {
    fc.assert(
      fc.property(broadcastPair, fc.boolean(), ([a, b], swap) => {
        const [x, y] = swap ? [b, a] : [a, b];
        const out = kernel(x, y);
        expectRowMajor(out);
        expectExact(out, referenceBinary(x, y, scalar));
      }),
      FC_OPTIONS,
    );
  });

  test('comparisons on equal values give 0/1 exactly (ties included)', () => {
    const a = Tensor.fromArray([3], [1, 2, 3]);
    expect(Array.from(T.ge(a, 2).data)).toEqual([0, 1, 1]);
    expect(Array.from(T.gt(a, 2).data)).toEqual([0, 0, 1]);
    expect(Array.from(T.eq(2, a).data)).toEqual([0, 1, 0]);
  });

  test('JS numbers act as rank-0 tensors', () => {
    const a = Tensor.fromArray([2, 2], [1, 2, 3, 4]);
    expect(T.sub(10, a).toNested()).toEqual([
      [9, 8],
      [7, 6],
    ]);
    const s = T.mul(3, 4);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(12);
  });

  test('maximum and minimum propagate NaN', () => {
    expect(T.maximum(Number.NaN, 1).item()).toBeNaN();
    expect(T.minimum(1, Number.NaN).item()).toBeNaN();
  });

  test('shapes that do not broadcast are a ShapeError naming the op and both shapes', () => {
    const a = Tensor.zeros([3, 4]);
    const b = Tensor.zeros([5]);
    expect(() => T.add(a, b)).toThrow(ShapeError);
    expect(() => T.add(a, b)).toThrow(/^add: 3×4 and 5 do not broadcast.*\(shapes 3×4, 5\)$/);
    expect(() => T.gt(Tensor.zeros([2, 1]), Tensor.zeros([3, 3]))).toThrow(/^gt: 2×1 and 3×3 do not broadcast/);
    expect(T.broadcastShapes([2, 1, 4], [3, 1], 'test')).toEqual([2, 3, 4]);
  });

  test('a single value broadcasts to the other operand\'s shape, and adds its leading axes when it has more', () => {
    const a = Tensor.fromArray([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(T.sub(a, Tensor.fromArray([1, 1], [1])).toNested()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(T.sub(Tensor.fromArray([1], [1]), a).shape).toEqual([2, 3]);
    const lifted = T.mul(Tensor.fromArray([1, 1, 1], [2]), a);
    expect(lifted.shape).toEqual([1, 2, 3]);
    expect(Array.from(lifted.data)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(T.add(Tensor.fromArray([1], [1]), Tensor.scalar(2)).shape).toEqual([1]);
    expect(T.add(Tensor.scalar(2), Tensor.fromArray([1], [1])).shape).toEqual([1]);
  });

  test('empty operands give empty results of the broadcast shape', () => {
    expect(T.add(Tensor.zeros([0, 3]), Tensor.zeros([1, 3])).shape).toEqual([0, 3]);
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Nested, ShapeError, Tensor, TensorArgumentError, formatShape, viewOffsets } from '../../src/tensor/index.js';
import { FC_OPTIONS, layout, tensor, withLayout } from './arbitraries.js';
import { build, indices } from './reference.js';

describe('Tensor views', () => {
  test('every layout (transposed, sliced, reversed) reads the same values as the row-major original', () => {
    fc.assert(
      fc.property(tensor(0, 4), layout, (t, l) => {
        const v = withLayout(t, l);
        for (const idx of indices(t.shape)) expect(v.get(...idx)).toBe(t.get(...idx));
        expect(Array.from(v.toArray())).toEqual(Array.from(t.toArray()));
        expect(v.clone().isContiguous()).toBe(true);
      }),
      FC_OPTIONS,
    );
  });

  test('viewOffsets lists where every entry of a view is stored, in row-major order', () => {
    fc.assert(
      fc.property(tensor(0, 4), layout, (t, l) => {
        const v = withLayout(t, l);
        const offsets = viewOffsets(v.shape, v.strides, v.offset);
        expect(offsets.length).toBe(t.size);
        [...indices(t.shape)].forEach((idx, k) => expect(offsets[k]).toBe(v.offsetOf(idx)));
      }),
      FC_OPTIONS,
    );
  });

  test('transpose(perm) is the view out[i] = t[i permuted back], and agrees with a copy', () => {
    fc.assert(
      fc.property(
        tensor(1, 4).chain((t) => fc.tuple(fc.constant(t), fc.shuffledSubarray([...t.shape.keys()], { minLength: t.rank, maxLength: t.rank }))),
        ([t, perm]) => {
          const view = t.transpose(perm);
          expect(view.data).toBe(t.data);
          const copy = build(perm.map((ax) => t.shape[ax]!), (idx) => {
            const src = new Array<number>(t.rank);
            perm.forEach((ax, i) => (src[ax] = idx[i]!));
            return t.get(...src);
          });
          expect(Array.from(view.toArray())).toEqual(Array.from(copy.toArray()));
        },
      ),
      FC_OPTIONS,
    );
  });

  test('slice keeps [start, end) ranges and drops indexed axes, sharing storage', () => {
    const t = build([3, 4, 2], ([i, j, k]) => 100 * i! + 10 * j! + k!);
    const s = t.slice([[1, 3], 2]);
    expect(s.shape).toEqual([2, 2]);
    expect(s.data).toBe(t.data);
    expect(s.toNested()).toEqual([
      [120, 121],
      [220, 221],
    ]);
    expect(() => t.slice([[2, 5]])).toThrow(ShapeError);
    expect(() => t.slice([3])).toThrow(ShapeError);
  });

  test('reshape of any view keeps row-major order, infers one -1, and refuses a wrong size', () => {
    fc.assert(
      fc.property(tensor(1, 4), layout, (t, l) => {
        const v = withLayout(t, l);
        const flat = v.reshape([-1]);
        expect(flat.shape).toEqual([t.size]);
        expect(Array.from(flat.toArray())).toEqual(Array.from(t.toArray()));
      }),
      FC_OPTIONS,
    );
    const t = Tensor.zeros([2, 3]);
    expect(t.reshape([3, 2]).data).toBe(t.data);
    expect(() => t.reshape([4, 2])).toThrow(/reshape: cannot reshape 6 elements to 4×2/);
    expect(() => t.reshape([-1, -1])).toThrow(TensorArgumentError);
  });

  test('assign writes through a view and copies the source first, so overlapping views are safe', () => {
    const t = Tensor.fromArray([2, 2], [1, 2, 3, 4]);
    t.slice([null, 0]).assign(Tensor.fromArray([2], [7, 8]));
    expect(t.toNested()).toEqual([
      [7, 2],
      [8, 4],
    ]);
    const u = Tensor.fromArray([2, 2], [1, 2, 3, 4]);
    u.assign(u.transpose());
    expect(u.toNested()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });
});

describe('nested arrays', () => {
  test('fromNested(toNested(t)) is t, for every rank including 0 and empty axes', () => {
    fc.assert(
      fc.property(tensor(0, 4), layout, (t, l) => {
        const round = Tensor.fromNested(withLayout(t, l).toNested());
        expect(round.shape).toEqual(t.shape);
        expect(Array.from(round.toArray())).toEqual(Array.from(t.toArray()));
      }),
      FC_OPTIONS,
    );
    expect(Tensor.fromNested(3.5).shape).toEqual([]);
    // JSON cannot carry the axes after an empty one: [[], []] is all that is left of 2×0×3.
    expect(Tensor.zeros([2, 0, 3]).toNested()).toEqual([[], []]);
    expect(Tensor.fromNested([[], []]).shape).toEqual([2, 0]);
    expect(Tensor.fromNested([[1, 2, 3]]).shape).toEqual([1, 3]);
  });

  test.each<[string, Nested, RegExp]>([
    ['a short row', [[1, 2], [3]], /ragged array at \[1\]: expected 2 entries/],
    ['a number where a row should be', [[1, 2], 3], /ragged array at \[1\]/],
    ['a row where a number should be', [1, [2]], /expected a number at \[1\]/],
    ['a deeper ragged level', [[[1], [2]], [[3], []]], /ragged array at \[1\]\[1\]/],
  ])('a ragged array (%s) is a ShapeError naming where it breaks', (_, nested, message) => {
    expect(() => Tensor.fromNested(nested)).toThrow(ShapeError);
    expect(() => Tensor.fromNested(nested)).toThrow(message);
  });
});

describe('construction errors', () => {
  test('shapes must be non-negative integers and data must fill them', () => {
    expect(() => Tensor.zeros([2, -1])).toThrow(TensorArgumentError);
    expect(() => Tensor.zeros([1.5])).toThrow(TensorArgumentError);
    expect(() => Tensor.fromArray([2, 2], [1, 2, 3])).toThrow(/fromArray: 3 values do not fill 4 entries \(shapes 2×2\)/);
    expect(() => Tensor.labels([2], [1, 0])).toThrow(/labels are integers ≥ 1, got 0 at position 1/);
  });

  test('get names the axis of an out-of-range index', () => {
    const t = Tensor.zeros([2, 3]);
    expect(() => t.get(0, 3)).toThrow(/index 3 out of range on axis 1/);
    expect(() => t.get(0)).toThrow(/1 indices for a tensor of rank 2/);
    expect(formatShape([])).toBe('scalar');
  });
});

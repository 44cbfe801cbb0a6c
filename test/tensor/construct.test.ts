import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ShapeError, Tensor, TensorArgumentError, concat, diag, eye, kron, onehot, ones, zeros } from '../../src/tensor/index.js';
import { FC_OPTIONS, dim, shape, tensor, tensorOf, viewed } from './arbitraries.js';
import { build, expectExact, expectRowMajor, indices } from './reference.js';

describe('constructors', () => {
  test('zeros, ones and eye', () => {
    fc.assert(
      fc.property(shape(0, 4), (s) => {
        expect(zeros(s).data.every((x) => x === 0)).toBe(true);
        expect(ones(s).data.every((x) => x === 1)).toBe(true);
        expect(ones(s).shape).toEqual(s);
      }),
      FC_OPTIONS,
    );
    fc.assert(
      fc.property(fc.nat(5), fc.nat(5), (n, m) => expectExact(eye(n, m), build([n, m], ([i, j]) => Number(i === j)))),
      FC_OPTIONS,
    );
    expect(eye(2).shape).toEqual([2, 2]);
    expect(() => eye(-1)).toThrow(TensorArgumentError);
  });

  test('diag: a vector becomes a diagonal matrix, a matrix gives its main diagonal (min(m, n) long)', () => {
    fc.assert(
      fc.property(viewed(1, 2), (t) => {
        if (t.rank === 1) {
          expectExact(diag(t), build([t.size, t.size], ([i, j]) => (i === j ? t.get(i!) : 0)));
        } else {
          const n = Math.min(t.shape[0]!, t.shape[1]!);
          expectExact(diag(t), build([n], ([i]) => t.get(i!, i!)));
        }
      }),
      FC_OPTIONS,
    );
    expect(() => diag(Tensor.zeros([2, 2, 2]))).toThrow(/^diag: needs a vector.*\(shapes 2×2×2\)$/);
  });

  test('kron: block (i, j) of kron(a, b) is a[i, j]·b; ranks are aligned on the right', () => {
    fc.assert(
      fc.property(tensor(1, 2, 3), tensor(1, 2, 3), (a, b) => {
        const A = a.rank === 2 ? a : a.reshape([1, a.size]);
        const B = b.rank === 2 ? b : b.reshape([1, b.size]);
        const [mb, nb] = B.shape as [number, number];
        const expected = build([A.shape[0]! * mb, A.shape[1]! * nb], ([r, c]) => A.get(Math.floor(r! / mb), Math.floor(c! / nb)) * B.get(r! % mb, c! % nb));
        const out = kron(a, b);
        expectExact(out.rank === 2 ? out : out.reshape([1, out.size]), expected);
        expect(out.rank).toBe(Math.max(a.rank, b.rank));
      }),
      FC_OPTIONS,
    );
  });

  test('onehot puts a 1 at label − 1 on a new class axis inserted at `axis`', () => {
    const labelled = fc
      .tuple(shape(0, 3), dim(5))
      .chain(([s, k]) =>
        fc.tuple(
          fc.array(fc.integer({ min: 1, max: k }), { minLength: s.reduce((p, d) => p * d, 1), maxLength: s.reduce((p, d) => p * d, 1) }).map((v) => Tensor.labels(s, v)),
          fc.constant(k),
          fc.integer({ min: -(s.length + 1), max: s.length }),
        ),
      );
    fc.assert(
      fc.property(labelled, ([labels, k, axis]) => {
        const at = axis < 0 ? axis + labels.rank + 1 : axis;
        const outShape = [...labels.shape];
        outShape.splice(at, 0, k);
        const expected = build(outShape, (idx) => {
          const cls = idx[at]!;
          const pos = idx.filter((_, ax) => ax !== at);
          return Number(labels.get(...pos) === cls + 1);
        });
        expectExact(onehot(labels, k, axis), expected);
      }),
      FC_OPTIONS,
    );
  });

  test('onehot of N labels with axis 0 is the k×N column-per-example matrix', () => {
    const y = Tensor.labels([3], [2, 1, 2]);
    expect(onehot(y, 2, 0).toNested()).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });

  test.each([
    [[1, 4, 2], 3, /label 4 at position \[1\] is not an integer in 1\.\.3/],
    [[1, 0, 2], 3, /label 0 at position \[1\]/],
    [[1, 2, 1.5], 3, /label 1\.5 at position \[2\]/],
  ])('a label outside 1..k or not an integer is a TensorArgumentError naming its position (%j)', (values, k, message) => {
    const labels = Tensor.fromArray([3], values);
    expect(() => onehot(labels, k)).toThrow(TensorArgumentError);
    expect(() => onehot(labels, k)).toThrow(message);
  });

  test('positions in a matrix of labels are 0-based multi-indices', () => {
    const labels = Tensor.fromArray([2, 2], [1, 2, 3, 9]);
    expect(() => onehot(labels, 3)).toThrow(/^onehot: label 9 at position \[1, 1\]/);
    expect(() => onehot(labels, 0)).toThrow(/the number of classes k must be an integer ≥ 1/);
  });
});

describe('concat', () => {
  test('joins views along an axis: each entry comes from its operand at the shifted index', () => {
    fc.assert(
      fc.property(
        shape(1, 3, 3).chain((s) =>
          fc.record({
            axis: fc.integer({ min: 0, max: s.length - 1 }),
            lengths: fc.array(dim(3), { minLength: 1, maxLength: 3 }),
            base: fc.constant(s),
          }),
        ).chain(({ axis, lengths, base }) =>
          fc.record({ axis: fc.constant(axis), parts: fc.tuple(...lengths.map((n) => tensorOf(base.map((d, i) => (i === axis ? n : d))))) }),
        ),
        ({ axis, parts }) => {
          const out = concat(parts, axis);
          expectRowMajor(out);
          let start = 0;
          for (const part of parts) {
            for (const idx of indices(part.shape)) {
              const at = idx.map((v, i) => (i === axis ? v + start : v));
              expect(out.get(...at)).toBe(part.get(...idx));
            }
            start += part.shape[axis]!;
          }
          expect(out.shape[axis]).toBe(start);
        },
      ),
      FC_OPTIONS,
    );
  });

  test('operands that differ off the axis, or in rank, are a ShapeError', () => {
    expect(() => concat([Tensor.zeros([2, 3]), Tensor.zeros([3, 3])], 1)).toThrow(ShapeError);
    expect(() => concat([Tensor.zeros([2, 3]), Tensor.zeros([3])], 0)).toThrow(ShapeError);
  });
});

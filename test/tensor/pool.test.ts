import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ShapeError, Tensor, TensorArgumentError, avgpool, avgpool2, maxpool, maxpool2 } from '../../src/tensor/index.js';
import { FC_OPTIONS, dim, layout, tensorOf, withLayout } from './arbitraries.js';
import { build, expectClose, expectExact, expectRowMajor } from './reference.js';

/** out[..., i, j] = fold of t[..., i·th + u, j·tw + v] over the size window, read entry by entry. */
function referencePool(t: Tensor, [sh, sw]: [number, number], [th, tw]: [number, number], fold: (v: number[]) => number): Tensor {
  const r = t.rank;
  const H = t.shape[r - 2]!;
  const W = t.shape[r - 1]!;
  const shape = [...t.shape.slice(0, r - 2), Math.floor((H - sh) / th) + 1, Math.floor((W - sw) / tw) + 1];
  return build(shape, (idx) => {
    const lead = idx.slice(0, r - 2);
    const [i, j] = idx.slice(r - 2) as [number, number];
    const window: number[] = [];
    for (let u = 0; u < sh; u++) for (let v = 0; v < sw; v++) window.push(t.get(...lead, i * th + u, j * tw + v));
    return fold(window);
  });
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const largest = (v: number[]): number => v.reduce((m, x) => (x > m ? x : m), -Infinity);

/** Rank 2..4 tensors whose last two sizes are at least the window. */
const pooled = fc
  .tuple(fc.array(dim(3), { maxLength: 2 }), dim(3), dim(3), dim(3), dim(3), fc.nat(4), fc.nat(4))
  .chain(([lead, sh, sw, th, tw, extraH, extraW]) =>
    fc.tuple(tensorOf([...lead, sh + extraH, sw + extraW]), fc.constant([sh, sw] as [number, number]), fc.constant([th, tw] as [number, number]), layout),
  );

describe('pooling', () => {
  test('avgpool and maxpool match the window loops for any size and stride', () => {
    fc.assert(
      fc.property(pooled, ([t, size, stride, l]) => {
        const v = withLayout(t, l);
        const avg = avgpool(v, size, stride);
        expectRowMajor(avg);
        expectClose(avg, referencePool(t, size, stride, mean), 1e-14);
        expectExact(maxpool(v, size, stride), referencePool(t, size, stride, largest));
      }),
      FC_OPTIONS,
    );
  });

  test('avgpool2 / maxpool2 are 2×2 windows with stride 2 on even sizes', () => {
    const even = fc
      .tuple(fc.array(dim(3), { maxLength: 2 }), dim(3), dim(3), layout)
      .chain(([lead, h, w, l]) => fc.tuple(tensorOf([...lead, 2 * h, 2 * w]), fc.constant(l)));
    fc.assert(
      fc.property(even, ([t, l]) => {
        expectClose(avgpool2(withLayout(t, l)), referencePool(t, [2, 2], [2, 2], mean), 1e-14);
        expectExact(maxpool2(withLayout(t, l)), referencePool(t, [2, 2], [2, 2], largest));
      }),
      FC_OPTIONS,
    );
  });

  test('the stride defaults to the window size', () => {
    const t = Tensor.fromArray([3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(maxpool(t, 3).data)).toEqual([9]);
    expect(Array.from(avgpool(t, [1, 3]).data)).toEqual([2, 5, 8]);
  });

  test('a NaN in a window makes its max NaN', () => {
    expect(maxpool2(Tensor.fromArray([2, 2], [1, Number.NaN, 3, 2])).item()).toBeNaN();
  });

  test('an odd trailing row or column is a ShapeError for the 2×2 pools, naming the shape', () => {
    expect(() => avgpool2(Tensor.zeros([4, 5]))).toThrow(ShapeError);
    expect(() => maxpool2(Tensor.zeros([2, 3, 4]))).toThrow(/^maxpool2: 2×2 pooling needs an even number of rows and columns, got 3×4.*\(shapes 2×3×4\)$/);
    expect(() => avgpool2(Tensor.zeros([4]))).toThrow(/needs at least 2 axes/);
    expect(() => maxpool(Tensor.zeros([2, 2]), 3)).toThrow(/^maxpool: the 3×3 window does not fit in 2×2/);
    expect(() => avgpool(Tensor.zeros([4, 4]), 0)).toThrow(TensorArgumentError);
  });
});

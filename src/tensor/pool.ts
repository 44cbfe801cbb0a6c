import { type IntPair, intPair } from './arguments.js';
import { ShapeError } from './errors.js';
import { Tensor, sizeOf } from './tensor.js';

/**
 * Pools the last two axes (leading axes are a batch) with a sh×sw window moved by (th, tw): output size
 * floor((H − sh)/th) + 1, as PyTorch's pooling without padding (trailing rows/columns that do not fill a
 * window are not read). `average` selects mean pooling, otherwise max pooling; the max of a window that
 * holds a NaN is NaN, and ties go to the first maximum in row-major order.
 */
function pool(op: string, t: Tensor, size: IntPair, stride: IntPair, average: boolean): Tensor {
  if (t.rank < 2) throw new ShapeError(op, [t.shape], 'needs at least 2 axes (the last two are pooled)');
  const [sh, sw] = intPair(op, 'size', size, 1);
  const [th, tw] = intPair(op, 'stride', stride, 1);
  const H = t.shape[t.rank - 2]!;
  const W = t.shape[t.rank - 1]!;
  if (H < sh || W < sw) throw new ShapeError(op, [t.shape], `the ${sh}×${sw} window does not fit in ${H}×${W}`);
  const Ho = Math.floor((H - sh) / th) + 1;
  const Wo = Math.floor((W - sw) / tw) + 1;
  const planes = sizeOf(t.shape.slice(0, -2));
  const src = t.contiguous().data;
  const out = new Float64Array(planes * Ho * Wo);
  const area = sh * sw;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * H * W;
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const corner = base + i * th * W + j * tw;
        let acc = average ? 0 : -Infinity;
        for (let u = 0; u < sh; u++) {
          for (let v = 0, s = corner + u * W; v < sw; v++, s++) {
            const x = src[s]!;
            if (average) acc += x;
            else if (x > acc || x !== x) acc = x; // x !== x: a NaN wins, as in NumPy/PyTorch max
          }
        }
        out[o++] = average ? acc / area : acc;
      }
    }
  }
  return new Tensor(out, [...t.shape.slice(0, -2), Ho, Wo]);
}

/** Mean over size-sized windows of the last two axes, moved by `stride` (default: `size`, non-overlapping). */
export function avgpool(t: Tensor, size: IntPair, stride: IntPair = size): Tensor {
  return pool('avgpool', t, size, stride, true);
}

/** Max over size-sized windows of the last two axes, moved by `stride` (default: `size`, non-overlapping). */
export function maxpool(t: Tensor, size: IntPair, stride: IntPair = size): Tensor {
  return pool('maxpool', t, size, stride, false);
}

/** 2×2 pooling with stride 2 needs even sizes: an odd trailing row or column would be silently dropped. */
function checkEven(op: string, t: Tensor): void {
  if (t.rank < 2) throw new ShapeError(op, [t.shape], 'needs at least 2 axes (the last two are pooled)');
  const H = t.shape[t.rank - 2]!;
  const W = t.shape[t.rank - 1]!;
  if (H % 2 !== 0 || W % 2 !== 0) {
    throw new ShapeError(op, [t.shape], `2×2 pooling needs an even number of rows and columns, got ${H}×${W}; pad or crop the odd trailing row/column`);
  }
}

/** Mean of each 2×2 block of the last two axes (stride 2); H and W must be even. */
export function avgpool2(t: Tensor): Tensor {
  checkEven('avgpool2', t);
  return pool('avgpool2', t, 2, 2, true);
}

/** Max of each 2×2 block of the last two axes (stride 2); H and W must be even. */
export function maxpool2(t: Tensor): Tensor {
  checkEven('maxpool2', t);
  return pool('maxpool2', t, 2, 2, false);
}

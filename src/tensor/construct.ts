import { normalizeAxis } from './axes.js';
import { ShapeError, TensorArgumentError } from './errors.js';
import { type Shape, Tensor, rowMajorStrides, sizeOf, viewOffsets } from './tensor.js';

export function zeros(shape: Shape): Tensor {
  return Tensor.zeros(shape);
}

export function ones(shape: Shape): Tensor {
  return Tensor.full(shape, 1);
}

/** The n×m identity: 1 on the main diagonal, 0 elsewhere. */
export function eye(n: number, m = n): Tensor {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0) {
    throw new TensorArgumentError('eye', `sizes are integers ≥ 0, got ${n}×${m}`);
  }
  const t = Tensor.zeros([n, m]);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** Vector → square matrix with it on the diagonal; matrix → its main diagonal (length min(m, n)). MATLAB's `diag`. */
export function diag(t: Tensor): Tensor {
  if (t.rank === 1) {
    const n = t.shape[0]!;
    const out = Tensor.zeros([n, n]);
    for (let i = 0; i < n; i++) out.data[i * n + i] = t.data[t.offset + i * t.strides[0]!]!;
    return out;
  }
  if (t.rank === 2) {
    const n = Math.min(t.shape[0]!, t.shape[1]!);
    const out = new Float64Array(n);
    const step = t.strides[0]! + t.strides[1]!;
    for (let i = 0; i < n; i++) out[i] = t.data[t.offset + i * step]!;
    return new Tensor(out, [n]);
  }
  throw new ShapeError('diag', [t.shape], 'needs a vector (to build a diagonal matrix) or a matrix (to read its diagonal)');
}

/**
 * Kronecker product: block (i, j) of the result is a[i, j] · b. Operands of different rank are aligned
 * on the right (NumPy `kron`); for matrices the result is (ma·mb) × (na·nb). Entry (i_0·b_0 + j_0, …)
 * of the result is a[i]·b[j]: each entry of a, at its block's corner, times b laid out at the block's
 * offsets (computed once).
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  const rank = Math.max(a.rank, b.rank);
  const as = [...new Array<number>(rank - a.rank).fill(1), ...a.shape];
  const bs = [...new Array<number>(rank - b.rank).fill(1), ...b.shape];
  const shape = as.map((d, i) => d * bs[i]!);
  const strides = rowMajorStrides(shape);
  const out = new Float64Array(sizeOf(shape));
  const bData = b.contiguous().data;
  const aData = a.contiguous().data;
  // Offsets of b's entries within a block, and of each block's corner (row-major over a), in the result.
  const within = viewOffsets(bs, strides);
  const corners = viewOffsets(as, strides.map((stride, i) => stride * bs[i]!));
  for (let i = 0; i < corners.length; i++) {
    const v = aData[i]!;
    const corner = corners[i]!;
    for (let j = 0; j < within.length; j++) out[corner + within[j]!] = v * bData[j]!;
  }
  return new Tensor(out, shape);
}


/**
 * One-hot encoding of 1-based class labels: a new axis of length k inserted at `axis` of the result
 * (default −1, the last) holds 1 at position label − 1 and 0 elsewhere. `onehot(y, k, 0)` turns N labels
 * into the k×N matrix of column-per-example course notes. A label that is not an integer in 1..k is a
 * TensorArgumentError naming its 0-based position.
 */
export function onehot(labels: Tensor, k: number, axis = -1): Tensor {
  if (!Number.isInteger(k) || k < 1) throw new TensorArgumentError('onehot', `the number of classes k must be an integer ≥ 1, got ${k}`);
  const at = normalizeAxis('onehot', axis, labels.rank + 1);
  const src = labels.contiguous().data;
  const n = labels.size;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const y = src[i]!;
    if (!Number.isInteger(y) || y < 1 || y > k) {
      throw new TensorArgumentError('onehot', `label ${y} at position ${positionOf(i, labels.shape)} is not an integer in 1..${k}`);
    }
    out[i * k + y - 1] = 1;
  }
  const last = new Tensor(out, [...labels.shape, k]);
  if (at === labels.rank) return last;
  const perm = [...labels.shape.keys()];
  perm.splice(at, 0, labels.rank);
  return last.transpose(perm).contiguous();
}

/** The 0-based multi-index of row-major position `i`, written [i0, i1, ...]. */
function positionOf(i: number, shape: Shape): string {
  const index = new Array<number>(shape.length);
  for (let ax = shape.length - 1; ax >= 0; ax--) {
    index[ax] = i % shape[ax]!;
    i = Math.floor(i / shape[ax]!);
  }
  return `[${index.join(', ')}]`;
}

/**
 * The tensors joined along `axis` (NumPy `concatenate`): every one has the first one's rank and its
 * lengths on the other axes; the lengths along `axis` add up.
 */
export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  const first = tensors[0];
  if (first === undefined) throw new TensorArgumentError('concat', 'needs at least one tensor');
  const at = normalizeAxis('concat', axis, first.rank);
  let length = 0;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== at && d !== first.shape[i])) {
      throw new ShapeError('concat', tensors.map((x) => x.shape), `every tensor must match the first on all axes but axis ${at}`);
    }
    length += t.shape[at]!;
  }
  const out = Tensor.zeros(first.shape.map((d, i) => (i === at ? length : d)));
  const ranges: (readonly [number, number] | null)[] = first.shape.map(() => null);
  let start = 0;
  for (const t of tensors) {
    ranges[at] = [start, start + t.shape[at]!];
    out.slice(ranges).assign(t);
    start += t.shape[at]!;
  }
  return out;
}

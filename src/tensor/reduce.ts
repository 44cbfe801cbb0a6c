import { normalizeAxes, rowsAlong } from './axes.js';
import { ShapeError } from './errors.js';
import { pairwiseDot, pairwiseSum } from './summation.js';
import { Tensor, sameShape } from './tensor.js';

/** Reduces one contiguous run data[start, start + n) to a number. */
export type RowReducer = (data: Float64Array, start: number, n: number) => number;

/**
 * Reduces `t` over `axis` (a 0-based axis, negative from the end, or a list; omitted = every axis) with
 * `reduceRow`: the reduced axes are moved last so that each output value reduces one contiguous run.
 * `emptyIsError` makes an empty reduction a ShapeError (for max/min, which have no identity).
 */
export function reduceAlong(op: string, t: Tensor, axis: number | readonly number[] | undefined, keepdims: boolean, reduceRow: RowReducer, emptyIsError: boolean): Tensor {
  const axes = normalizeAxes(op, axis, t.rank);
  const rows = rowsAlong(t, axes);
  if (emptyIsError && rows.rowLength === 0 && rows.rowCount > 0) {
    throw new ShapeError(op, [t.shape], `cannot take the ${op} over an empty axis (axes [${axes.join(', ')}])`);
  }
  const out = new Float64Array(rows.rowCount);
  for (let r = 0; r < rows.rowCount; r++) out[r] = reduceRow(rows.data, r * rows.rowLength, rows.rowLength);
  const shape = keepdims ? t.shape.map((d, ax) => (axes.includes(ax) ? 1 : d)) : rows.keptShape;
  return new Tensor(out, shape);
}

function rowMax(data: Float64Array, start: number, n: number): number {
  let m = -Infinity;
  for (let i = start; i < start + n; i++) {
    const v = data[i]!;
    if (v > m || v !== v) m = v; // v !== v: NaN propagates, as in NumPy's max
    if (m !== m) break;
  }
  return m;
}

function rowMin(data: Float64Array, start: number, n: number): number {
  let m = Infinity;
  for (let i = start; i < start + n; i++) {
    const v = data[i]!;
    if (v < m || v !== v) m = v;
    if (m !== m) break;
  }
  return m;
}

function rowProd(data: Float64Array, start: number, n: number): number {
  let p = 1;
  for (let i = start; i < start + n; i++) p *= data[i]!;
  return p;
}

const rowMean: RowReducer = (data, start, n) => pairwiseSum(data, start, n) / n;

/** Σ over the axes (pairwise summation); an empty sum is 0. */
export function sum(t: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAlong('sum', t, axis, keepdims, pairwiseSum, false);
}

/** Mean over the axes (pairwise sum / count); the mean of nothing is NaN. */
export function mean(t: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAlong('mean', t, axis, keepdims, rowMean, false);
}

/** Largest value over the axes; NaN if any is NaN; an empty axis is a ShapeError. */
export function max(t: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAlong('max', t, axis, keepdims, rowMax, true);
}

/** Smallest value over the axes; NaN if any is NaN; an empty axis is a ShapeError. */
export function min(t: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAlong('min', t, axis, keepdims, rowMin, true);
}

/** Product over the axes; an empty product is 1. */
export function prod(t: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  return reduceAlong('prod', t, axis, keepdims, rowProd, false);
}

/** Σ of every element, pairwise, as a number. */
export function sumAll(t: Tensor): number {
  return pairwiseSum(t.contiguous().data, 0, t.size);
}

/** Σ a·b over every element of two tensors of the same shape (the Frobenius inner product), pairwise. */
export function dot(a: Tensor, b: Tensor): number {
  if (!sameShape(a.shape, b.shape)) throw new ShapeError('dot', [a.shape, b.shape], 'operands must have the same shape');
  return pairwiseDot(a.contiguous().data, 0, b.contiguous().data, 0, a.size);
}

import { inversePermutation, normalizeAxis, rowsAlong } from './axes.js';
import { type RowReducer, reduceAlong } from './reduce.js';
import { pairwiseSum } from './summation.js';
import { Tensor } from './tensor.js';

/**
 * Softmax, log-softmax and log-sum-exp along an axis, all shifted by the row maximum m:
 * Σ exp(z − m) has a term equal to 1 and none above 1, so it neither overflows nor underflows to 0
 * however large |z| is (1e3, 1e300). A row whose maximum is ±∞ is not shifted (z − m would be NaN):
 * logsumexp is then ±∞ and softmax NaN, as in NumPy/SciPy.
 */

function rowShift(data: Float64Array, start: number, n: number): number {
  let m = -Infinity;
  for (let i = start; i < start + n; i++) if (data[i]! > m) m = data[i]!;
  return Number.isFinite(m) ? m : 0;
}

/** out[o + i] = exp(z[s + i] − shift) for i < n; returns Σ of them (pairwise). */
function shiftedExpSum(z: Float64Array, s: number, out: Float64Array, o: number, n: number, shift: number): number {
  for (let i = 0; i < n; i++) out[o + i] = Math.exp(z[s + i]! - shift);
  return pairwiseSum(out, o, n);
}

/** Applies a row transform along `axis` and puts the axis back where it was. */
function alongAxis(op: string, t: Tensor, axis: number, transform: (z: Float64Array, out: Float64Array, start: number, n: number) => void): Tensor {
  const ax = normalizeAxis(op, axis, t.rank);
  const rows = rowsAlong(t, [ax]);
  const out = new Float64Array(rows.rowCount * rows.rowLength);
  for (let r = 0; r < rows.rowCount; r++) transform(rows.data, out, r * rows.rowLength, rows.rowLength);
  const moved = new Tensor(out, [...rows.keptShape, t.shape[ax]!]);
  return moved.transpose(inversePermutation(rows.perm)).contiguous();
}

/** exp(z) / Σ exp(z) along `axis` (default: the last). */
export function softmax(t: Tensor, axis = -1): Tensor {
  return alongAxis('softmax', t, axis, (z, out, start, n) => {
    const shift = rowShift(z, start, n);
    const total = shiftedExpSum(z, start, out, start, n, shift);
    for (let i = start; i < start + n; i++) out[i]! /= total;
  });
}

/** z − logsumexp(z) along `axis` (default: the last), computed without forming softmax. */
export function logSoftmax(t: Tensor, axis = -1): Tensor {
  return alongAxis('logSoftmax', t, axis, (z, out, start, n) => {
    const shift = rowShift(z, start, n);
    const logSum = Math.log(shiftedExpSum(z, start, out, start, n, shift));
    for (let i = start; i < start + n; i++) out[i] = z[i]! - shift - logSum;
  });
}

/** log Σ exp(z) over `axis` (a number, a list, or omitted = every axis); −∞ for an empty sum. */
export function logsumexp(t: Tensor, axis?: number | readonly number[], keepdims = false): Tensor {
  let scratch = new Float64Array(0);
  const rowLogSumExp: RowReducer = (data, start, n) => {
    if (scratch.length < n) scratch = new Float64Array(n);
    const shift = rowShift(data, start, n);
    return shift + Math.log(shiftedExpSum(data, start, scratch, 0, n, shift));
  };
  return reduceAlong('logsumexp', t, axis, keepdims, rowLogSumExp, false);
}

import { TensorArgumentError } from './errors.js';
import { Tensor, sizeOf } from './tensor.js';

/** A 0-based axis in [-rank, rank): negative counts from the end, as in NumPy. Returns it in [0, rank). */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new TensorArgumentError(op, `axis ${axis} is out of range for rank ${rank} (use 0..${rank - 1}, or -${rank}..-1 from the end)`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** An axis or list of axes (omitted = every axis), normalised, checked for repeats and sorted. */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const sorted = [...out].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new TensorArgumentError(op, `axis ${sorted[i]} is listed twice in [${list.join(', ')}]`);
  }
  return sorted;
}

/**
 * `t` seen as rows: the `axes` moved to the end (in order) and made row-major, so that each row is one
 * contiguous run of `rowLength` values and rows follow the remaining axes (`keptShape`) in row-major
 * order. Copies only when `t` is not already laid out that way. `perm` is the permutation applied.
 */
export interface Rows {
  readonly data: Float64Array;
  readonly rowCount: number;
  readonly rowLength: number;
  readonly keptShape: number[];
  readonly perm: number[];
}

export function rowsAlong(t: Tensor, axes: readonly number[]): Rows {
  const kept: number[] = [];
  for (let ax = 0; ax < t.rank; ax++) if (!axes.includes(ax)) kept.push(ax);
  const perm = [...kept, ...axes];
  // Reducing along the last axes of a row-major tensor (the common case) needs no permuted view.
  const moved = perm.every((ax, i) => ax === i) ? t.contiguous() : t.transpose(perm).contiguous();
  let rowLength = 1;
  for (let i = 0; i < axes.length; i++) rowLength *= t.shape[axes[i]!]!;
  const keptShape = kept.map((ax) => t.shape[ax]!);
  const rowCount = sizeOf(keptShape);
  return { data: moved.data, rowCount, rowLength, keptShape, perm };
}

/** The inverse of a permutation: `inversePermutation(p)[p[i]] === i`. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}

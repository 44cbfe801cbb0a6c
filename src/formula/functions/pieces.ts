import { asTensor, map, sub, Tensor } from '../../tensor/index.js';
import type { Value } from '../context.js';
import type { PieceRule } from './row.js';

/**
 * Piece rules shared by rows (see PieceRule in row.ts): the codes are numbers per entry, compared
 * between the base point and each FD point.
 */

/** A code per entry from the function's first operand: f(x). */
export function entrywise(f: (x: number) => number): PieceRule {
  return ([x]) => (typeof x === 'number' ? [f(x)] : map(x!, f).data);
}

/** The sign of the first operand: the side of 0 each entry is on (relu, abs, sign). */
export const signOfArgument: PieceRule = entrywise(Math.sign);

/** The sign of a − b (broadcast): which of the two is larger (comparisons, max and min of two, delta). */
export function differenceSigns(a: Value, b: Value): ArrayLike<number> {
  return typeof a === 'number' && typeof b === 'number' ? [Math.sign(a - b)] : map(sub(asTensor(a), asTensor(b)), Math.sign).data;
}

/** differenceSigns of the first two operands. */
export const signOfDifference: PieceRule = ([a, b]) => differenceSigns(a!, b!);

/** Where each entry of t equals the (broadcast) extreme value m of its window or row: 1, else 0 (which entry wins). */
export function winners(t: Tensor, m: Tensor): ArrayLike<number> {
  return map(sub(t, m), (d) => (d === 0 ? 1 : 0)).data;
}

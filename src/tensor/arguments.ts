import { TensorArgumentError } from './errors.js';

/** A size, stride or padding for the last two axes: one number for both, or [rows, cols]. */
export type IntPair = number | readonly [number, number];

/** Reads an IntPair as [rows, cols], each an integer ≥ `min`; anything else is a TensorArgumentError naming `name`. */
export function intPair(op: string, name: string, value: IntPair, min: number): [number, number] {
  const pair: readonly number[] = typeof value === 'number' ? [value, value] : value;
  if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    throw new TensorArgumentError(op, `${name} must be an integer ≥ ${min} or a pair [rows, cols] of them, got ${JSON.stringify(value)}`);
  }
  return [pair[0]!, pair[1]!];
}

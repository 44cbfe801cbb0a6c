import { TensorArgumentError } from './errors.js';
/** Reads an IntPair as [rows, cols], each an integer ≥ `min`; anything else is a TensorArgumentError naming `name`. */
export function intPair(op, name, value, min) {
    const pair = typeof value === 'number' ? [value, value] : value;
    if (pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
        throw new TensorArgumentError(op, `${name} must be an integer ≥ ${min} or a pair [rows, cols] of them, got ${JSON.stringify(value)}`);
    }
    return [pair[0], pair[1]];
}

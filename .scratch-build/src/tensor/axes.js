import { TensorArgumentError } from './errors.js';
/** A 0-based axis in [-rank, rank): negative counts from the end, as in NumPy. Returns it in [0, rank). */
export function normalizeAxis(op, axis, rank) {
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
        throw new TensorArgumentError(op, `axis ${axis} is out of range for rank ${rank} (use 0..${rank - 1}, or -${rank}..-1 from the end)`);
    }
    return axis < 0 ? axis + rank : axis;
}
/** An axis or list of axes (omitted = every axis), normalised, checked for repeats and sorted. */
export function normalizeAxes(op, axis, rank) {
    if (axis === undefined)
        return Array.from({ length: rank }, (_, i) => i);
    const list = typeof axis === 'number' ? [axis] : axis;
    const out = list.map((a) => normalizeAxis(op, a, rank));
    const sorted = [...out].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) {
        if (sorted[i] === sorted[i - 1])
            throw new TensorArgumentError(op, `axis ${sorted[i]} is listed twice in [${list.join(', ')}]`);
    }
    return sorted;
}
export function rowsAlong(t, axes) {
    const kept = [];
    for (let ax = 0; ax < t.rank; ax++)
        if (!axes.includes(ax))
            kept.push(ax);
    const perm = [...kept, ...axes];
    const moved = t.transpose(perm).contiguous();
    let rowLength = 1;
    for (const ax of axes)
        rowLength *= t.shape[ax];
    const keptShape = kept.map((ax) => t.shape[ax]);
    let rowCount = 1;
    for (const d of keptShape)
        rowCount *= d;
    return { data: moved.data, rowCount, rowLength, keptShape, perm };
}
/** The inverse of a permutation: `inversePermutation(p)[p[i]] === i`. */
export function inversePermutation(perm) {
    const inv = new Array(perm.length);
    perm.forEach((p, i) => {
        inv[p] = i;
    });
    return inv;
}

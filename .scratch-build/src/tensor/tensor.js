import { ShapeError, TensorArgumentError, formatShape } from './errors.js';
export function sizeOf(shape) {
    let n = 1;
    for (const d of shape)
        n *= d;
    return n;
}
export function rowMajorStrides(shape) {
    const strides = new Array(shape.length);
    let s = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
        strides[i] = s;
        s *= shape[i];
    }
    return strides;
}
export function sameShape(a, b) {
    return a.length === b.length && a.every((d, i) => d === b[i]);
}
function checkShape(op, shape) {
    for (const d of shape) {
        if (!Number.isInteger(d) || d < 0)
            throw new TensorArgumentError(op, `dimensions must be non-negative integers, got ${formatShape(shape)}`);
    }
}
/**
 * Copies every element of a strided block of `shape` from `src` to `dst`, each addressed by its own
 * offset and strides: the loop that `clone`, `contiguous` and `assign` share. The innermost axis is a
 * plain strided loop; the outer axes advance an odometer once per row.
 */
export function copyStrided(shape, src, srcOffset, srcStrides, dst, dstOffset, dstStrides) {
    const rank = shape.length;
    if (sizeOf(shape) === 0)
        return;
    if (rank === 0) {
        dst[dstOffset] = src[srcOffset];
        return;
    }
    const last = rank - 1;
    const len = shape[last];
    const srcStep = srcStrides[last];
    const dstStep = dstStrides[last];
    const rows = sizeOf(shape) / len;
    const idx = new Array(rank).fill(0);
    let s = srcOffset;
    let d = dstOffset;
    for (let row = 0; row < rows; row++) {
        for (let j = 0, si = s, di = d; j < len; j++, si += srcStep, di += dstStep)
            dst[di] = src[si];
        for (let ax = last - 1; ax >= 0; ax--) {
            idx[ax]++;
            s += srcStrides[ax];
            d += dstStrides[ax];
            if (idx[ax] < shape[ax])
                break;
            s -= srcStrides[ax] * shape[ax];
            d -= dstStrides[ax] * shape[ax];
            idx[ax] = 0;
        }
    }
}
/**
 * A float64 tensor: a Float64Array, a shape, strides and an offset. Kernels produce row-major
 * contiguous tensors; `transpose`, `reshape` (of a contiguous tensor) and `slice` are views that share
 * `data`. Indices in this class are 0-based; the formula language translates its 1-based indices.
 */
export class Tensor {
    data;
    shape;
    strides;
    offset;
    dtype;
    constructor(data, shape, strides, offset = 0, dtype = 'float64') {
        checkShape('Tensor', shape);
        this.data = data;
        this.shape = Object.freeze([...shape]);
        this.strides = Object.freeze(strides ? [...strides] : rowMajorStrides(shape));
        this.offset = offset;
        this.dtype = dtype;
        if (!strides && offset + sizeOf(shape) > data.length) {
            throw new ShapeError('Tensor', [shape], `data has ${data.length} elements, the shape needs ${sizeOf(shape)}`);
        }
    }
    static zeros(shape) {
        checkShape('zeros', shape);
        return new Tensor(new Float64Array(sizeOf(shape)), shape);
    }
    static full(shape, value) {
        checkShape('full', shape);
        return new Tensor(new Float64Array(sizeOf(shape)).fill(value), shape);
    }
    static scalar(value) {
        return new Tensor(Float64Array.of(value), []);
    }
    /** Copies `values` (row-major) into a new tensor of `shape`. */
    static fromArray(shape, values) {
        checkShape('fromArray', shape);
        if (values.length !== sizeOf(shape)) {
            throw new ShapeError('fromArray', [shape], `${values.length} values do not fill ${sizeOf(shape)} entries`);
        }
        return new Tensor(Float64Array.from(values), shape);
    }
    /** Integer class labels (1-based), tagged `index`. */
    static labels(shape, values) {
        for (let i = 0; i < values.length; i++) {
            if (!Number.isInteger(values[i]) || values[i] < 1) {
                throw new TensorArgumentError('labels', `labels are integers ≥ 1, got ${values[i]} at position ${i}`);
            }
        }
        const t = Tensor.fromArray(shape, values);
        return new Tensor(t.data, t.shape, undefined, 0, 'index');
    }
    /** Reads JSON's nested row-major arrays; a ragged array is a ShapeError naming the path where it breaks. */
    static fromNested(nested) {
        const shape = [];
        let probe = nested;
        while (Array.isArray(probe)) {
            shape.push(probe.length);
            if (probe.length === 0)
                break;
            probe = probe[0];
        }
        const out = new Float64Array(sizeOf(shape));
        let k = 0;
        const walk = (node, depth, path) => {
            if (depth === shape.length) {
                if (typeof node !== 'number')
                    throw new ShapeError('fromNested', [shape], `expected a number at ${path || 'the top'}`);
                out[k++] = node;
                return;
            }
            if (!Array.isArray(node) || node.length !== shape[depth]) {
                throw new ShapeError('fromNested', [shape], `ragged array at ${path || 'the top'}: expected ${shape[depth]} entries`);
            }
            node.forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
        };
        walk(nested, 0, '');
        return new Tensor(out, shape);
    }
    get size() {
        return sizeOf(this.shape);
    }
    get rank() {
        return this.shape.length;
    }
    isContiguous() {
        if (this.offset !== 0 || this.data.length !== this.size)
            return false;
        const rm = rowMajorStrides(this.shape);
        return this.shape.every((d, i) => d <= 1 || this.strides[i] === rm[i]);
    }
    /** This tensor if it is row-major contiguous, else a row-major copy. */
    contiguous() {
        return this.isContiguous() ? this : this.clone();
    }
    /** A row-major copy that shares nothing with this tensor. */
    clone() {
        const out = new Float64Array(this.size);
        copyStrided(this.shape, this.data, this.offset, this.strides, out, 0, rowMajorStrides(this.shape));
        return new Tensor(out, this.shape, undefined, 0, this.dtype);
    }
    /** Visits every element's storage offset in row-major order (k counts from 0). */
    forEachOffset(visit) {
        const n = this.size;
        if (n === 0)
            return;
        const rank = this.rank;
        const idx = new Array(rank).fill(0);
        let off = this.offset;
        for (let k = 0; k < n; k++) {
            visit(off, k);
            for (let ax = rank - 1; ax >= 0; ax--) {
                idx[ax]++;
                off += this.strides[ax];
                if (idx[ax] < this.shape[ax])
                    break;
                off -= this.strides[ax] * this.shape[ax];
                idx[ax] = 0;
            }
        }
    }
    /** Storage offset of a 0-based multi-index; throws on a wrong rank or an index out of range. */
    offsetOf(index) {
        if (index.length !== this.rank) {
            throw new ShapeError('index', [this.shape], `${index.length} indices for a tensor of rank ${this.rank}`);
        }
        let off = this.offset;
        for (let i = 0; i < index.length; i++) {
            const j = index[i];
            if (!Number.isInteger(j) || j < 0 || j >= this.shape[i]) {
                throw new ShapeError('index', [this.shape], `index ${j} out of range on axis ${i}`);
            }
            off += j * this.strides[i];
        }
        return off;
    }
    get(...index) {
        return this.data[this.offsetOf(index)];
    }
    set(index, value) {
        this.data[this.offsetOf(index)] = value;
    }
    /** The single value of a tensor with one element. */
    item() {
        if (this.size !== 1)
            throw new ShapeError('item', [this.shape], 'only a one-element tensor has a single value');
        return this.data[this.offset];
    }
    /** Row-major values as a new array (copies). */
    toArray() {
        return this.isContiguous() ? this.data.slice() : this.clone().data;
    }
    toNested() {
        const flat = this.contiguous().data;
        if (this.rank === 0)
            return flat[0];
        let k = 0;
        const build = (depth) => {
            const out = [];
            for (let i = 0; i < this.shape[depth]; i++) {
                out.push(depth === this.rank - 1 ? flat[k++] : build(depth + 1));
            }
            return out;
        };
        return build(0);
    }
    /** A view with axes permuted; with no argument, reverses the axes (the matrix transpose for rank 2). */
    transpose(perm) {
        const p = perm ?? this.shape.map((_, i) => this.rank - 1 - i);
        if (p.length !== this.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
            throw new TensorArgumentError('transpose', `[${p.join(', ')}] is not a permutation of the ${this.rank} axes`);
        }
        return new Tensor(this.data, p.map((ax) => this.shape[ax]), p.map((ax) => this.strides[ax]), this.offset, this.dtype);
    }
    /** Same values, new shape (row-major order); a view when contiguous, a copy otherwise. One entry may be -1. */
    reshape(shape) {
        const known = shape.filter((d) => d !== -1);
        const inferred = shape.length - known.length;
        if (inferred > 1)
            throw new TensorArgumentError('reshape', 'at most one dimension may be -1');
        const knownSize = sizeOf(known);
        const target = shape.map((d) => (d === -1 ? (knownSize === 0 ? 0 : this.size / knownSize) : d));
        checkShape('reshape', target);
        if (sizeOf(target) !== this.size) {
            throw new ShapeError('reshape', [this.shape, target], `cannot reshape ${this.size} elements to ${formatShape(target)}`);
        }
        const base = this.contiguous();
        return new Tensor(base.data, target, undefined, 0, this.dtype);
    }
    /**
     * A view of a sub-block: per axis a 0-based index (the axis is dropped), a [start, end) range, or null for the whole axis.
     * Axes beyond the given ranges are kept whole.
     */
    slice(ranges) {
        if (ranges.length > this.rank)
            throw new ShapeError('slice', [this.shape], `${ranges.length} ranges for rank ${this.rank}`);
        let offset = this.offset;
        const shape = [];
        const strides = [];
        for (let ax = 0; ax < this.rank; ax++) {
            const r = ax < ranges.length ? ranges[ax] : null;
            const dim = this.shape[ax];
            if (typeof r === 'number') {
                if (!Number.isInteger(r) || r < 0 || r >= dim)
                    throw new ShapeError('slice', [this.shape], `index ${r} out of range on axis ${ax}`);
                offset += r * this.strides[ax];
            }
            else {
                const [start, end] = r ?? [0, dim];
                if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= dim)) {
                    throw new ShapeError('slice', [this.shape], `range [${start}, ${end}) out of bounds on axis ${ax}`);
                }
                offset += start * this.strides[ax];
                shape.push(end - start);
                strides.push(this.strides[ax]);
            }
        }
        return new Tensor(this.data, shape, strides, offset, this.dtype);
    }
    /** Copies `source` (same shape) into this tensor's entries, which may be a view. */
    assign(source) {
        if (!sameShape(this.shape, source.shape))
            throw new ShapeError('assign', [this.shape, source.shape], 'shapes differ');
        // Through a row-major copy of the source, so that assigning a view of the same storage is safe.
        const src = source.clone();
        copyStrided(this.shape, src.data, 0, src.strides, this.data, this.offset, this.strides);
    }
    toString() {
        return `Tensor(${formatShape(this.shape)})`;
    }
}

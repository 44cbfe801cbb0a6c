import { ShapeError, TensorArgumentError, formatShape } from './errors.js';

export type Shape = readonly number[];

/** A nested array of numbers as JSON carries tensors: row-major, a bare number for a scalar. */
export type Nested = number | Nested[];

/**
 * `float64` holds real values; `index` holds exact 1-based integers (class labels), stored as float64
 * so that every kernel accepts them, and tagged so that samplers and FD know not to perturb them.
 */
export type DType = 'float64' | 'index';

// Shape helpers run on every kernel call (on tiny tensors, as often as the kernels themselves):
// indexed loops, because a for-of iterator was one of verify's largest allocation sites.

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function rowMajorStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether `p` lists each of 0 .. rank − 1 once (without sorting a copy: transpose runs per kernel call). */
function isPermutation(p: readonly number[], rank: number): boolean {
  if (p.length !== rank) return false;
  const seen = new Uint8Array(rank);
  for (let i = 0; i < rank; i++) {
    const ax = p[i]!;
    if (!Number.isInteger(ax) || ax < 0 || ax >= rank || seen[ax] === 1) return false;
    seen[ax] = 1;
  }
  return true;
}

/**
 * The storage offsets offset + Σ_ax index_ax·strides_ax of every multi-index over `shape`, in row-major
 * order: where a strided view keeps its entries (a row-major walk, no call per entry).
 */
export function viewOffsets(shape: Shape, strides: readonly number[], offset = 0): Int32Array {
  const offsets = new Int32Array(sizeOf(shape));
  const rank = shape.length;
  const index = new Int32Array(rank);
  let at = offset;
  for (let k = 0; k < offsets.length; k++) {
    offsets[k] = at;
    for (let ax = rank - 1; ax >= 0; ax--) {
      index[ax]!++;
      at += strides[ax]!;
      if (index[ax]! < shape[ax]!) break;
      at -= strides[ax]! * shape[ax]!;
      index[ax] = 0;
    }
  }
  return offsets;
}

/** Whether `strides` step through `shape` in row-major order (axes of size ≤ 1 may have any stride). */
function hasRowMajorStrides(shape: Shape, strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i]! > 1 && strides[i] !== s) return false;
    s *= shape[i]!;
  }
  return true;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkShape(op: string, shape: Shape): void {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (!Number.isInteger(d) || d < 0) throw new TensorArgumentError(op, `dimensions must be non-negative integers, got ${formatShape(shape)}`);
  }
}

/**
 * Walks two strided operands A and B over `shape` in row-major order, one innermost row at a time:
 * visitRow(a, b, k) receives the storage offsets of the row's first element in A and in B and the
 * row-major position k of that element; the caller loops along the row itself (length shape[last],
 * steps strides[last]), so the per-element work has no call. A rank-0 shape is one row of length 1.
 * This is the loop shared by copies, broadcasting kernels and matmul's batch axes.
 */
export function forEachRow(
  shape: Shape,
  offsetA: number,
  stridesA: readonly number[],
  offsetB: number,
  stridesB: readonly number[],
  visitRow: (a: number, b: number, k: number) => void,
): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  const last = shape.length - 1;
  const rowLength = last < 0 ? 1 : shape[last]!;
  const idx = new Array<number>(shape.length).fill(0);
  let a = offsetA;
  let b = offsetB;
  for (let k = 0; k < total; k += rowLength) {
    visitRow(a, b, k);
    for (let ax = last - 1; ax >= 0; ax--) {
      idx[ax]!++;
      a += stridesA[ax]!;
      b += stridesB[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      a -= stridesA[ax]! * shape[ax]!;
      b -= stridesB[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
}

/** Copies every element of a strided block of `shape` from `src` to `dst`, each with its own offset and strides. */
export function copyStrided(
  shape: Shape,
  src: Float64Array,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: Float64Array,
  dstOffset: number,
  dstStrides: readonly number[],
): void {
  const last = shape.length - 1;
  const len = last < 0 ? 1 : shape[last]!;
  const srcStep = last < 0 ? 0 : srcStrides[last]!;
  const dstStep = last < 0 ? 0 : dstStrides[last]!;
  forEachRow(shape, srcOffset, srcStrides, dstOffset, dstStrides, (s, d) => {
    for (let j = 0; j < len; j++, s += srcStep, d += dstStep) dst[d] = src[s]!;
  });
}

/**
 * A float64 tensor: a Float64Array, a shape, strides and an offset. Kernels produce row-major
 * contiguous tensors; `transpose`, `reshape` (of a contiguous tensor) and `slice` are views that share
 * `data`. Indices in this class are 0-based; the formula language translates its 1-based indices.
 */
export class Tensor {
  readonly data: Float64Array;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtype: DType;
  /** The number of entries, the product of the shape (computed once: kernels ask for it on every call). */
  readonly size: number;
  /** Whether the entries are data[0..size) in row-major order (see isContiguous). */
  private readonly rowMajor: boolean;

  constructor(data: Float64Array, shape: Shape, strides?: readonly number[], offset = 0, dtype: DType = 'float64') {
    checkShape('Tensor', shape);
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.strides = Object.freeze(strides ? [...strides] : rowMajorStrides(shape));
    this.offset = offset;
    this.dtype = dtype;
    if (!strides && offset + this.size > data.length) {
      throw new ShapeError('Tensor', [shape], `data has ${data.length} elements, the shape needs ${this.size}`);
    }
    this.rowMajor = offset === 0 && data.length === this.size && (!strides || hasRowMajorStrides(this.shape, this.strides));
  }

  static zeros(shape: Shape): Tensor {
    checkShape('zeros', shape);
    return new Tensor(new Float64Array(sizeOf(shape)), shape);
  }

  static full(shape: Shape, value: number): Tensor {
    checkShape('full', shape);
    return new Tensor(new Float64Array(sizeOf(shape)).fill(value), shape);
  }

  static scalar(value: number): Tensor {
    return new Tensor(Float64Array.of(value), []);
  }

  /** Copies `values` (row-major) into a new tensor of `shape`. */
  static fromArray(shape: Shape, values: ArrayLike<number>): Tensor {
    checkShape('fromArray', shape);
    if (values.length !== sizeOf(shape)) {
      throw new ShapeError('fromArray', [shape], `${values.length} values do not fill ${sizeOf(shape)} entries`);
    }
    return new Tensor(Float64Array.from(values), shape);
  }

  /** Integer class labels (1-based), tagged `index`. */
  static labels(shape: Shape, values: ArrayLike<number>): Tensor {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isInteger(values[i]) || values[i]! < 1) {
        throw new TensorArgumentError('labels', `labels are integers ≥ 1, got ${values[i]} at position ${i}`);
      }
    }
    const t = Tensor.fromArray(shape, values);
    return new Tensor(t.data, t.shape, undefined, 0, 'index');
  }

  /** Reads JSON's nested row-major arrays; a ragged array is a ShapeError naming the path where it breaks. */
  static fromNested(nested: Nested): Tensor {
    const shape: number[] = [];
    let probe: Nested = nested;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      if (probe.length === 0) break;
      probe = probe[0]!;
    }
    const out = new Float64Array(sizeOf(shape));
    let k = 0;
    const walk = (node: Nested, depth: number, path: string): void => {
      if (depth === shape.length) {
        if (typeof node !== 'number') throw new ShapeError('fromNested', [shape], `expected a number at ${path || 'the top'}`);
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

  get rank(): number {
    return this.shape.length;
  }

  /** Row-major over the whole of `data`, from offset 0 (a kernel may then read `data` directly). */
  isContiguous(): boolean {
    return this.rowMajor;
  }

  /** This tensor if it is row-major contiguous, else a row-major copy. */
  contiguous(): Tensor {
    return this.isContiguous() ? this : this.clone();
  }

  /** A row-major copy that shares nothing with this tensor. */
  clone(): Tensor {
    const out = new Float64Array(this.size);
    copyStrided(this.shape, this.data, this.offset, this.strides, out, 0, rowMajorStrides(this.shape));
    return new Tensor(out, this.shape, undefined, 0, this.dtype);
  }

  /** Visits every element's storage offset in row-major order (k counts from 0). */
  forEachOffset(visit: (offset: number, k: number) => void): void {
    const offsets = viewOffsets(this.shape, this.strides, this.offset);
    for (let k = 0; k < offsets.length; k++) visit(offsets[k]!, k);
  }

  /** Storage offset of a 0-based multi-index; throws on a wrong rank or an index out of range. */
  offsetOf(index: readonly number[]): number {
    if (index.length !== this.rank) {
      throw new ShapeError('index', [this.shape], `${index.length} indices for a tensor of rank ${this.rank}`);
    }
    let off = this.offset;
    for (let i = 0; i < index.length; i++) {
      const j = index[i]!;
      if (!Number.isInteger(j) || j < 0 || j >= this.shape[i]!) {
        throw new ShapeError('index', [this.shape], `index ${j} out of range on axis ${i}`);
      }
      off += j * this.strides[i]!;
    }
    return off;
  }

  get(...index: number[]): number {
    return this.data[this.offsetOf(index)]!;
  }

  set(index: readonly number[], value: number): void {
    this.data[this.offsetOf(index)] = value;
  }

  /** The single value of a tensor with one element. */
  item(): number {
    if (this.size !== 1) throw new ShapeError('item', [this.shape], 'only a one-element tensor has a single value');
    return this.data[this.offset]!;
  }

  /** Row-major values as a new array (copies). */
  toArray(): Float64Array {
    return this.isContiguous() ? this.data.slice() : this.clone().data;
  }

  toNested(): Nested {
    const flat = this.contiguous().data;
    if (this.rank === 0) return flat[0]!;
    let k = 0;
    const build = (depth: number): Nested[] => {
      const out: Nested[] = [];
      for (let i = 0; i < this.shape[depth]!; i++) {
        out.push(depth === this.rank - 1 ? flat[k++]! : build(depth + 1));
      }
      return out;
    };
    return build(0);
  }

  /** A view with axes permuted; with no argument, reverses the axes (the matrix transpose for rank 2). */
  transpose(perm?: readonly number[]): Tensor {
    const p = perm ?? this.shape.map((_, i) => this.rank - 1 - i);
    if (!isPermutation(p, this.rank)) {
      throw new TensorArgumentError('transpose', `[${p.join(', ')}] is not a permutation of the ${this.rank} axes`);
    }
    return new Tensor(
      this.data,
      p.map((ax) => this.shape[ax]!),
      p.map((ax) => this.strides[ax]!),
      this.offset,
      this.dtype,
    );
  }

  /** Same values, new shape (row-major order); a view when contiguous, a copy otherwise. One entry may be -1. */
  reshape(shape: readonly number[]): Tensor {
    const known = shape.filter((d) => d !== -1);
    const inferred = shape.length - known.length;
    if (inferred > 1) throw new TensorArgumentError('reshape', 'at most one dimension may be -1');
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
  slice(ranges: readonly (number | readonly [number, number] | null)[]): Tensor {
    if (ranges.length > this.rank) throw new ShapeError('slice', [this.shape], `${ranges.length} ranges for rank ${this.rank}`);
    let offset = this.offset;
    const shape: number[] = [];
    const strides: number[] = [];
    for (let ax = 0; ax < this.rank; ax++) {
      const r = ax < ranges.length ? ranges[ax]! : null;
      const dim = this.shape[ax]!;
      if (typeof r === 'number') {
        if (!Number.isInteger(r) || r < 0 || r >= dim) throw new ShapeError('slice', [this.shape], `index ${r} out of range on axis ${ax}`);
        offset += r * this.strides[ax]!;
      } else {
        const [start, end] = r ?? [0, dim];
        if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= dim)) {
          throw new ShapeError('slice', [this.shape], `range [${start}, ${end}) out of bounds on axis ${ax}`);
        }
        offset += start * this.strides[ax]!;
        shape.push(end - start);
        strides.push(this.strides[ax]!);
      }
    }
    return new Tensor(this.data, shape, strides, offset, this.dtype);
  }

  /** Copies `source` (same shape) into this tensor's entries, which may be a view. */
  assign(source: Tensor): void {
    if (!sameShape(this.shape, source.shape)) throw new ShapeError('assign', [this.shape, source.shape], 'shapes differ');
    // Through a row-major copy of the source, so that assigning a view of the same storage is safe.
    const src = source.clone();
    copyStrided(this.shape, src.data, 0, src.strides, this.data, this.offset, this.strides);
  }

  toString(): string {
    return `Tensor(${formatShape(this.shape)})`;
  }
}

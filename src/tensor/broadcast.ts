import { ShapeError, formatShape } from './errors.js';
import { type Shape, Tensor, forEachRow, sameShape, sizeOf } from './tensor.js';

/** A tensor, or a JS number acting as a rank-0 tensor. */
export type Operand = Tensor | number;

/** The NumPy broadcast of two shapes (align on the right; each pair equal or one of them 1), or null. */
export function broadcastShapesOrNull(a: Shape, b: Shape): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i]! : 1;
    const db = i <= b.length ? b[b.length - i]! : 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[rank - i] = da === 1 ? db : da;
  }
  return out;
}

/** The NumPy broadcast of two shapes; a ShapeError naming `op` and both shapes when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const out = broadcastShapesOrNull(a, b);
  if (out === null) {
    throw new ShapeError(op, [a, b], `${formatShape(a)} and ${formatShape(b)} do not broadcast (aligned from the right, each pair of sizes must be equal or 1)`);
  }
  return out;
}

/**
 * Strides that read an operand of `shape` (with `strides`) as if it had the broadcast shape `target`:
 * 0 on axes that are added in front or have size 1, so every index there reads the same element.
 */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const lead = target.length - shape.length;
  return target.map((_, ax) => (ax < lead || shape[ax - lead] === 1 ? 0 : strides[ax - lead]!));
}

export function asTensor(x: Operand): Tensor {
  return typeof x === 'number' ? Tensor.scalar(x) : x;
}

const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const POW = 4;
const MAXIMUM = 5;
const MINIMUM = 6;
const GT = 7;
const GE = 8;
const LT = 9;
const LE = 10;
const EQ = 11;
const NE = 12;
type BinaryCode = number;

/**
 * out[k + j] = a[ia + j·sa] ∘ b[ib + j·sb] for j in [0, n). One loop per operation, chosen once per
 * run, so the inner loop has no call and no branch on the operation.
 */
function binaryRun(code: BinaryCode, a: Float64Array, ia: number, sa: number, b: Float64Array, ib: number, sb: number, out: Float64Array, k: number, n: number): void {
  const end = k + n;
  switch (code) {
    case ADD:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! + b[ib]!;
      return;
    case SUB:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! - b[ib]!;
      return;
    case MUL:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! * b[ib]!;
      return;
    case DIV:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! / b[ib]!;
      return;
    case POW:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! ** b[ib]!;
      return;
    case MAXIMUM:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = Math.max(a[ia]!, b[ib]!);
      return;
    case MINIMUM:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = Math.min(a[ia]!, b[ib]!);
      return;
    case GT:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! > b[ib]! ? 1 : 0;
      return;
    case GE:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! >= b[ib]! ? 1 : 0;
      return;
    case LT:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! < b[ib]! ? 1 : 0;
      return;
    case LE:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! <= b[ib]! ? 1 : 0;
      return;
    case EQ:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! === b[ib]! ? 1 : 0;
      return;
    case NE:
      for (; k < end; k++, ia += sa, ib += sb) out[k] = a[ia]! !== b[ib]! ? 1 : 0;
      return;
  }
}

/**
 * Merges neighbouring axes that both operands traverse as one (stride of the outer = size × stride of
 * the inner), so that a contiguous operand, or a scalar, is walked as one long run instead of many short
 * rows. Size-1 axes are dropped. Returns the merged shape and the two operands' strides on it.
 */
function coalesce(shape: Shape, sa: readonly number[], sb: readonly number[]): { shape: number[]; sa: number[]; sb: number[] } {
  const outShape: number[] = [];
  const outA: number[] = [];
  const outB: number[] = [];
  for (let ax = 0; ax < shape.length; ax++) {
    const d = shape[ax]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && outA[last] === d * sa[ax]! && outB[last] === d * sb[ax]!) {
      outShape[last]! *= d;
      outA[last] = sa[ax]!;
      outB[last] = sb[ax]!;
    } else {
      outShape.push(d);
      outA.push(sa[ax]!);
      outB.push(sb[ax]!);
    }
  }
  return { shape: outShape, sa: outA, sb: outB };
}

function binary(op: string, code: BinaryCode, x: Operand, y: Operand): Tensor {
  const a = asTensor(x);
  const b = asTensor(y);
  // One run over contiguous operands of one shape, or over one of them and a single value (most calls of
  // a formula's evaluation), without the general walk's shape and stride arrays.
  if (a.isContiguous() && b.isContiguous()) {
    const n = a.size;
    if (sameShape(a.shape, b.shape) || (b.size === 1 && b.rank <= a.rank)) {
      const out = new Float64Array(n);
      binaryRun(code, a.data, 0, 1, b.data, 0, b.size === n ? 1 : 0, out, 0, n);
      return new Tensor(out, a.shape);
    }
    if (a.size === 1 && a.rank <= b.rank) {
      const out = new Float64Array(b.size);
      binaryRun(code, a.data, 0, 0, b.data, 0, 1, out, 0, b.size);
      return new Tensor(out, b.shape);
    }
  }
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = new Float64Array(sizeOf(shape));
  const merged = coalesce(shape, broadcastStrides(a.shape, a.strides, shape), broadcastStrides(b.shape, b.strides, shape));
  const last = merged.shape.length - 1;
  const n = last < 0 ? 1 : merged.shape[last]!;
  const sa = last < 0 ? 0 : merged.sa[last]!;
  const sb = last < 0 ? 0 : merged.sb[last]!;
  forEachRow(merged.shape, a.offset, merged.sa, b.offset, merged.sb, (ia, ib, k) => binaryRun(code, a.data, ia, sa, b.data, ib, sb, out, k, n));
  return new Tensor(out, shape);
}

export const add = (a: Operand, b: Operand): Tensor => binary('add', ADD, a, b);
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', SUB, a, b);
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', MUL, a, b);
export const div = (a: Operand, b: Operand): Tensor => binary('div', DIV, a, b);
export const pow = (a: Operand, b: Operand): Tensor => binary('pow', POW, a, b);
/** Elementwise max; NaN if either is NaN (NumPy's `maximum`). */
export const maximum = (a: Operand, b: Operand): Tensor => binary('maximum', MAXIMUM, a, b);
/** Elementwise min; NaN if either is NaN (NumPy's `minimum`). */
export const minimum = (a: Operand, b: Operand): Tensor => binary('minimum', MINIMUM, a, b);
/** Comparisons give 1 where true and 0 where false; any comparison with NaN is false except `ne`. */
export const gt = (a: Operand, b: Operand): Tensor => binary('gt', GT, a, b);
export const ge = (a: Operand, b: Operand): Tensor => binary('ge', GE, a, b);
export const lt = (a: Operand, b: Operand): Tensor => binary('lt', LT, a, b);
export const le = (a: Operand, b: Operand): Tensor => binary('le', LE, a, b);
export const eq = (a: Operand, b: Operand): Tensor => binary('eq', EQ, a, b);
export const ne = (a: Operand, b: Operand): Tensor => binary('ne', NE, a, b);

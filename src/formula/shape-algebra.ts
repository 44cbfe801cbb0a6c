import { Dim, type SymbolicShape } from './dims.js';

/**
 * Shape algebra on symbolic shapes: the rules of the operators (NumPy broadcasting, matmul, the
 * transpose, concatenation), as pure functions that return undefined where the shapes do not fit.
 */

export function transposeShape(shape: SymbolicShape): SymbolicShape {
  return shape.length === 2 ? [shape[1]!, shape[0]!] : shape;
}

export const isAllOnes = (shape: SymbolicShape): boolean => shape.every((d) => d.isOne());

/** A square matrix (n×n with the same dimension expression on both axes). */
export const isSquare = (shape: SymbolicShape): boolean => shape.length === 2 && shape[0]!.equals(shape[1]!);

/** NumPy broadcasting on symbolic shapes: axes align on the right; equal, or one of them is 1. */
export function broadcastSymbolic(a: SymbolicShape, b: SymbolicShape): SymbolicShape | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i];
    const y = b[b.length - rank + i];
    if (x === undefined) out.push(y!);
    else if (y === undefined) out.push(x);
    else if (x.equals(y) || y.isOne()) out.push(x);
    else if (x.isOne()) out.push(y);
    else return undefined;
  }
  return out;
}

/** NumPy matmul on symbolic shapes (both operands non-scalar); undefined when inner dims differ. */
export function matmulSymbolic(a: SymbolicShape, b: SymbolicShape): SymbolicShape | undefined {
  const [m, k1] = a.length === 1 ? [Dim.constant(1), a[0]!] : [a[a.length - 2]!, a[a.length - 1]!];
  const [k2, n] = b.length === 1 ? [b[0]!, Dim.constant(1)] : [b[b.length - 2]!, b[b.length - 1]!];
  if (!k1.equals(k2)) return undefined;
  const batch = broadcastSymbolic(a.slice(0, -2), b.slice(0, -2));
  if (batch === undefined) return undefined;
  return [...batch, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
}

/** Where a concatenation fails: the operand (by position) and the axis (0-based) that does not fit the first operand. */
export interface ConcatMismatch {
  readonly operand: number;
  /** Undefined when the ranks differ. */
  readonly axis: number | undefined;
}

/**
 * Concatenation along `axis` (0-based): every operand has the first one's rank and its lengths on every
 * other axis; the lengths along `axis` add up.
 */
export function concatSymbolic(shapes: readonly SymbolicShape[], axis: number): SymbolicShape | ConcatMismatch {
  const first = shapes[0]!;
  let length = Dim.constant(0);
  for (let k = 0; k < shapes.length; k++) {
    const s = shapes[k]!;
    if (s.length !== first.length) return { operand: k, axis: undefined };
    const other = s.findIndex((d, i) => i !== axis && !d.equals(first[i]!));
    if (other >= 0) return { operand: k, axis: other };
    length = length.add(s[axis]!);
  }
  return first.map((d, i) => (i === axis ? length : d));
}

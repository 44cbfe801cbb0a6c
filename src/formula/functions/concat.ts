import { Tensor, concat } from '../../tensor/index.js';
import type { Value } from '../context.js';
import { Dim, type SymbolicShape, formatSymbolicShape } from '../dims.js';
import { printExpr } from '../print.js';
import { concatSymbolic } from '../shape-algebra.js';
import { type ComputedRow, computedRow, MANY_ARGUMENTS } from './row.js';

/**
 * Concatenation: `cat(d, A, B, ...)`, and the brackets that spell it, `[A, B]` (side by side) and
 * `[A; B]` (stacked), as MATLAB writes them. Scalars alone make a row `[a, b]` (1×n) or a column
 * `[a; b]` (n×1), so `[1, 2; 3, 4]` is 2×2; vectors with scalars join into a vector (`[h; x]` stacks an
 * H-vector on a D-vector, `[x; 1]` appends a 1); matrices and higher-rank tensors join along an axis,
 * every other axis matching, with numbers as 1×1 (`[1, x']` prepends a 1 to a row).
 */

/** Why a concatenation does not fit: the operand at fault, a message built from the operands' texts, a hint. */
export interface JoinProblem {
  readonly operand: number;
  readonly problem: (texts: readonly string[]) => string;
  readonly hint: string;
}

export interface Join {
  /** 0-based axis the operands are joined along. */
  readonly axis: number;
  readonly shape: SymbolicShape;
}

/**
 * The join of `shapes` along `axis` (0-based; 'last' and 'rows' pick the last and second-to-last axis of
 * matrices and tensors; scalars and vectors always join along their one axis).
 */
function join(shapes: readonly SymbolicShape[], axis: number | 'last' | 'rows', what: string): Join | JoinProblem {
  if (shapes.length === 1) return { axis: 0, shape: shapes[0]! };
  if (shapes.every((s) => s.length === 0)) {
    const along = axis === 'last' ? 1 : axis === 'rows' ? 0 : axis;
    const n = Dim.constant(shapes.length);
    if (along === 0) return { axis: 0, shape: [n, Dim.constant(1)] };
    if (along === 1) return { axis: 1, shape: [Dim.constant(1), n] };
    return { operand: 0, problem: () => `${what}: numbers join into a column (dim 1) or a row (dim 2), not along dim ${along + 1}`, hint: 'use dim 1 or 2' };
  }
  const vectors = shapes.every((s) => s.length <= 1);
  // Numbers join vectors as 1-vectors and matrices as 1×1 (MATLAB's [1, x'] prepends a 1 to a row).
  const rank = vectors ? 1 : Math.max(...shapes.map((s) => s.length));
  const operands = shapes.map((s) => (s.length === 0 ? new Array<Dim>(rank).fill(Dim.constant(1)) : s));
  const mixed = operands.findIndex((s) => s.length !== rank);
  if (mixed >= 0) {
    const full = operands.findIndex((s) => s.length === rank);
    return {
      operand: mixed,
      problem: (t) => `${what}: ${t[full]} is ${formatSymbolicShape(shapes[full]!)} and ${t[mixed]} is ${formatSymbolicShape(shapes[mixed]!)}; joined tensors need the same rank`,
      hint: 'declare vectors as N×1 columns (or 1×N rows) to join them with matrices',
    };
  }
  const at = vectors ? 0 : axis === 'last' ? rank - 1 : axis === 'rows' ? rank - 2 : axis;
  if (at < 0 || at >= rank) {
    return { operand: 0, problem: (t) => `${what}: ${t[0]} is ${formatSymbolicShape(shapes[0]!)}, which has no axis ${at + 1}`, hint: 'reshape the operands to add the axis first' };
  }
  const joined = concatSymbolic(operands, at);
  if (!('operand' in joined)) return { axis: at, shape: joined };
  const { operand, axis: other } = joined;
  return {
    operand,
    problem: (t) => `${what} joins along axis ${at + 1}, so the other axes must match, and ${t[0]} is ${formatSymbolicShape(shapes[0]!)} while ${t[operand]} is ${formatSymbolicShape(shapes[operand]!)} (axis ${other! + 1} differs)`,
    hint: rank === 2 ? (at === 1 ? 'side by side, [A, B] needs the same number of rows; stack them with [A; B] when the columns match' : 'stacked, [A; B] needs the same number of columns; put them side by side with [A, B] when the rows match') : 'check the shapes of the operands',
  };
}

/** `[A, B]` (horizontal: columns, the last axis) or `[A; B]` (vertical: rows, the second-to-last axis). */
export function bracketJoin(shapes: readonly SymbolicShape[], direction: 'horizontal' | 'vertical'): Join | JoinProblem {
  return join(shapes, direction === 'horizontal' ? 'last' : 'rows', direction === 'horizontal' ? '[ , ]' : '[ ; ]');
}

/** The values joined along `axis` into a value of rank `rank`: numbers join as 1×...×1 tensors of that rank; one operand is itself. */
export function concatValues(values: readonly Value[], axis: number, rank: number): Value {
  if (values.length === 1) return values[0]!;
  const unit = new Array<number>(rank).fill(1);
  return concat(values.map((v) => (typeof v === 'number' ? Tensor.fromArray(unit, [v]) : v)), axis);
}

export const CONCATENATION: readonly ComputedRow[] = [
  computedRow({
    name: 'cat',
    family: 'shape',
    arity: [2, MANY_ARGUMENTS],
    usage: 'cat(d, A, B, ...)',
    doc: 'joined along dim d: `[A, B]` is `cat(2, A, B)` and `[A; B]` is `cat(1, A, B)` for matrices; numbers alone make a column (dim 1) or a row (dim 2), vectors with numbers join into a vector',
    shape: (call) => {
      const [dim, ...parts] = call.args;
      const infos = parts.map((p) => call.value(p));
      // Numbers join into a column (dim 1) or a row (dim 2).
      const rank = Math.max(infos.every((i) => i.shape.length === 0) ? 2 : 1, ...infos.map((i) => i.shape.length));
      const axis = call.constantArg(dim!, 'the dim of cat', [1, rank]) - 1;
      const joined = join(infos.map((i) => i.shape), axis, 'cat');
      if ('problem' in joined) throw call.error(parts[joined.operand]!, joined.problem(parts.map(printExpr)), joined.hint);
      return call.result({ form: 'axis', axis: joined.axis, operands: parts }, joined.shape, infos.every((i) => i.integer));
    },
    compile: ({ operands, plan, node, shapeOf }) => {
      const axis = plan.axis!;
      const rank = shapeOf(node).length;
      return (rt) => concatValues(operands.map((o) => o(rt)), axis, rank);
    },
  }),
];

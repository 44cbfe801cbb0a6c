import { Tensor, asTensor, frobeniusNorm, logsumexp, max, maximum, mean, min, minimum, prod, softmax, spectralNorm, sum, sumAll } from '../../tensor/index.js';
import type { CallPlan, NodeInfo } from '../annotations.js';
import { type Evaluator, toValue } from '../context.js';
import { Dim, type SymbolicShape, formatSymbolicShape } from '../dims.js';
import { printExpr } from '../print.js';
import { countIterations } from '../runtime.js';
import { broadcastSymbolic } from '../shape-algebra.js';
import type { Expr } from '../tree.js';
import { TRANSCENDENTAL, jacobiSweeps, operandSize, perOperandEntry } from './cost.js';
import { signOfDifference, winners } from './pieces.js';
import { type CallChecker, type CallCompiler, type CallResult, type ComputedRow, computedRow, type CostRule, MANY_ARGUMENTS, type PieceRule } from './row.js';

/**
 * Reductions (sums, means, extremes, norms) and softmax. Dims are 1-based MATLAB dims; a reduction along
 * a dim keeps it as 1, as MATLAB does; of all entries it is a number (NumPy).
 */

const keepAxis = (shape: SymbolicShape, axis: number): SymbolicShape => shape.map((d, k) => (k === axis ? Dim.constant(1) : d));

/** f(X) of all entries, or f(X, dim) along a dim; `x` is the first argument's type. */
function allOrAxis(call: CallChecker, x: NodeInfo, integer: boolean): CallResult {
  const [arg, dim] = call.args;
  if (dim === undefined) return call.result({ form: 'all', operands: [arg!] }, [], integer);
  const axis = call.dimArg(dim, x.shape);
  return call.result({ form: 'axis', axis, operands: [arg!] }, keepAxis(x.shape, axis), integer);
}

/** all → a number; axis → keepdims along it (MATLAB). */
function reduction(plan: CallPlan, x: Evaluator, all: (t: Tensor) => number, along: (t: Tensor, axis: number) => Tensor): Evaluator {
  if (plan.form === 'all') return (rt) => all(asTensor(x(rt)));
  const axis = plan.axis!;
  return (rt) => {
    const v = x(rt);
    return typeof v === 'number' ? all(Tensor.scalar(v)) : toValue(along(v, axis));
  };
}

function reductionRow(name: string, doc: string, all: (t: Tensor) => number, along: (t: Tensor, axis: number) => Tensor, latex: readonly string[] = [], cost: CostRule = operandSize): ComputedRow {
  return computedRow({
    name,
    family: 'reduction',
    latex,
    arity: [1, 2],
    usage: `${name}(X) | ${name}(X, dim)`,
    doc,
    shape: (call) => allOrAxis(call, call.value(call.args[0]!), false),
    compile: ({ plan, operands: [x] }) => reduction(plan, x!, all, along),
    cost,
  });
}

/**
 * sum(body, i, ...) with a tensor-valued body (slices, conv2 of slices): loops over the index values,
 * accumulating the body's values in place. An empty range gives zeros of the body's shape. (A scalar
 * body never comes here: the tensor compiler hands it to the loop generator.)
 */
function tensorSum(call: CallCompiler): Evaluator {
  const body = call.operands[0]!;
  const bindings = call.plan.bindings!;
  const bounds = bindings.map((b) => ({ lo: call.bound(b, 'lo'), hi: call.bound(b, 'hi') }));
  const shape = call.shapeOf(call.node);
  const site = call.site;
  return (rt) => {
    const dims = call.dims(shape, rt);
    const acc = new Float64Array(dims.reduce((a, b) => a * b, 1));
    const visit = (level: number): void => {
      const slot = bindings[level]!.slot;
      const lo = bounds[level]!.lo(rt);
      const hi = bounds[level]!.hi(rt);
      for (let v = lo; v <= hi; v++) {
        rt.env[slot] = v;
        if (level + 1 < bindings.length) {
          visit(level + 1);
          continue;
        }
        countIterations(rt, 1, site);
        const value = body(rt);
        if (typeof value === 'number') {
          for (let k = 0; k < acc.length; k++) acc[k]! += value;
        } else {
          const src = value.contiguous().data;
          for (let k = 0; k < acc.length; k++) acc[k]! += src[k]!;
        }
      }
    };
    visit(0);
    return toValue(new Tensor(acc, dims));
  };
}

const sumRow: ComputedRow = computedRow({
  name: 'sum',
  family: 'reduction',
  arity: [1, MANY_ARGUMENTS],
  usage: 'sum(X) | sum(X, dim) | sum(expr, i, j, ...) | sum(expr, i, lo, hi)',
  doc: 'all entries (a number, unlike MATLAB), or along dim d keeping it as 1 (`sum(X, 1)` of N×M is 1×M); `sum(expr, i, ...)` sums over index names (index notation, below)',
  shape: (call) => {
    const [body, second, third] = call.args;
    if (second !== undefined && call.isFreshName(second)) return call.indexSum();
    if (second !== undefined && call.isBoundIndex(second)) throw call.error(second, `the index ${printExpr(second)} is already bound here`, 'use a new name for the summation index');
    const x = call.value(body!);
    if (third !== undefined) {
      throw call.error(call.node, `sum(X, dim) takes one dim; ${printExpr(third)} is extra`, 'to sum over indices, name them: sum(expr, i, j), which needs i and j unused elsewhere');
    }
    if (second?.kind === 'symbol' && call.isDimensionName(second.name)) {
      throw call.error(second, `${second.name} is a dimension, so sum(expr, ${second.name}) reads it as a 1-based dim, not as an index`, 'sum over an index with a name that is not declared, e.g. sum(expr, k)');
    }
    return allOrAxis(call, x, x.integer);
  },
  compile: (call) => (call.plan.form === 'index' ? tensorSum(call) : reduction(call.plan, call.operands[0]!, sumAll, (t, axis) => sum(t, axis, true))),
  cost: operandSize,
});

/** The entries that are the extreme of their row (or of all entries), or the sign of a − b for the elementwise form. */
function extremePieces(reduce: (t: Tensor, axis?: number, keepdims?: boolean) => Tensor): PieceRule {
  return (operands, plan) => {
    if (plan.form === 'pair') return signOfDifference(operands, plan);
    const t = asTensor(operands[0]!);
    return winners(t, plan.form === 'all' ? reduce(t) : reduce(t, plan.axis!, true));
  };
}

/** max(X), max(A, B) (elementwise, broadcast), max(X, [], dim); the same for min. */
function extremeRow(name: 'max' | 'min'): ComputedRow {
  const reduce = name === 'max' ? max : min;
  const pair = name === 'max' ? maximum : minimum;
  const scalar = name === 'max' ? (a: number, b: number) => Math.max(a, b) : (a: number, b: number) => Math.min(a, b);
  return computedRow({
    name,
    family: 'reduction',
    arity: [1, 3],
    usage: `${name}(X) | ${name}(A, B) | ${name}(X, [], dim)`,
    doc: `${name === 'max' ? 'largest' : 'smallest'} entry; elementwise ${name}imum of A and B (broadcast${name === 'max' ? '; `max(0, z)` is ReLU' : ''}); along dim d (MATLAB forms)`,
    latex: [`\\${name}`],
    shape: (call) => {
      const [arg, second, dim] = call.args as [Expr, Expr | undefined, Expr | undefined];
      const x = call.value(arg);
      if (second === undefined) return call.result({ form: 'all', operands: [arg] }, [], x.integer);
      if (dim === undefined) {
        const y = call.value(second);
        const shape = broadcastSymbolic(x.shape, y.shape);
        if (shape === undefined) {
          throw call.error(call.node, `${name}(A, B) is elementwise, and ${printExpr(arg)} (${formatSymbolicShape(x.shape)}) and ${printExpr(second)} (${formatSymbolicShape(y.shape)}) do not broadcast`, `to reduce along a dim write ${name}(X, [], dim)`);
        }
        return call.result({ form: 'pair', operands: [arg, second] }, shape, x.integer && y.integer);
      }
      if (second.kind !== 'list' || second.items.length !== 0) throw call.error(second, `the middle argument of ${name}(X, [], dim) must be []`, `usage: ${name}(X) | ${name}(A, B) | ${name}(X, [], dim)`);
      const axis = call.dimArg(dim, x.shape);
      return call.result({ form: 'axis', axis, operands: [arg] }, keepAxis(x.shape, axis), x.integer);
    },
    compile: ({ plan, operands: [x, y] }) => {
      if (plan.form !== 'pair') return reduction(plan, x!, (t) => reduce(t).item(), (t, axis) => reduce(t, axis, true));
      return (rt) => {
        const a = x!(rt);
        const b = y!(rt);
        return typeof a === 'number' && typeof b === 'number' ? scalar(a, b) : toValue(pair(a, b));
      };
    },
    scalar,
    smoothness: { pieces: extremePieces(reduce) },
    cost: operandSize,
  });
}

const normRow: ComputedRow = computedRow({
  name: 'norm',
  family: 'reduction',
  arity: [1, 2],
  usage: "norm(X) | norm(X, 'fro') | norm(X, 2)",
  doc: "Euclidean norm of a vector; largest singular value of a matrix (MATLAB); Frobenius with 'fro' (`norm(A, 2)` = `norm(A)`)",
  shape: (call) => {
    const [arg, mode] = call.args as [Expr, Expr | undefined];
    const x = call.value(arg);
    if (mode !== undefined) {
      if (mode.kind === 'string' && mode.value === 'fro') return call.result({ form: 'fro', operands: [arg] }, []);
      if (!(mode.kind === 'number' && mode.value === 2)) throw call.error(mode, `norm's second argument must be 'fro' or 2, got ${printExpr(mode)}`);
    }
    if (x.shape.length > 2) throw call.error(call.node, `norm of a ${formatSymbolicShape(x.shape)} tensor needs 'fro'`, `write norm(${printExpr(arg)}, 'fro')`);
    return call.result({ form: x.shape.length === 2 ? 'spectral' : 'euclid', operands: [arg] }, []);
  },
  compile: ({ plan, operands: [x] }) => {
    const norm = plan.form === 'spectral' ? spectralNorm : frobeniusNorm;
    return (rt) => norm(asTensor(x!(rt)));
  },
  // Kinks only where the norm is 0 or (spectral) where the top singular values tie: never at a random draw.
  cost: (shapes) => (shapes.form === 'spectral' ? jacobiSweeps(shapes) : perOperandEntry(2)(shapes)),
});

/**
 * The axis softmax normalises when no dim is given: the only axis of a vector, the non-singleton axis of
 * a row or column, else the declared class axis; a general matrix without one needs its dim.
 */
function softmaxAxis(call: CallChecker, arg: Expr, shape: SymbolicShape): number {
  if (shape.length === 1) return 0;
  if (shape.length === 2 && shape[0]!.isOne() !== shape[1]!.isOne()) return shape[0]!.isOne() ? 1 : 0;
  if (shape.length === 2 && call.classAxis !== undefined) return call.classAxis;
  throw call.error(call.node, `softmax of the ${formatSymbolicShape(shape)} ${printExpr(arg)} needs a dim`, `softmax(${printExpr(arg)}, 2) normalises each row, softmax(${printExpr(arg)}, 1) each column`);
}

const softmaxRow: ComputedRow = computedRow({
  name: 'softmax',
  family: 'reduction',
  arity: [1, 2],
  usage: 'softmax(X, dim)',
  doc: 'exp normalised to sum 1 along dim d (d may be omitted for a vector, or when the problem declares its class axis)',
  shape: (call) => {
    const [arg, dim] = call.args as [Expr, Expr | undefined];
    const x = call.value(arg);
    if (x.shape.length === 0) throw call.error(call.node, 'softmax of a scalar is always 1', 'softmax takes a vector or a matrix');
    const axis = dim !== undefined ? call.dimArg(dim, x.shape) : softmaxAxis(call, arg, x.shape);
    return call.result({ form: 'axis', axis, operands: [arg] }, x.shape);
  },
  compile: ({ plan, operands: [x] }) => {
    const axis = plan.axis!;
    return (rt) => softmax(asTensor(x!(rt)), axis);
  },
  // The maximum, the exponentials and their sum, the division: three passes and an exp per entry.
  cost: perOperandEntry(TRANSCENDENTAL + 3),
});

export const REDUCTIONS: readonly ComputedRow[] = [
  sumRow,
  reductionRow('mean', 'mean of all entries, or along dim d keeping it as 1', (t) => mean(t).item(), (t, axis) => mean(t, axis, true)),
  reductionRow('prod', 'product of all entries, or along dim d keeping it as 1', (t) => prod(t).item(), (t, axis) => prod(t, axis, true)),
  reductionRow('logsumexp', 'log Σ exp without overflow, of all entries or along dim d keeping it as 1', (t) => logsumexp(t).item(), (t, axis) => logsumexp(t, axis, true), ['\\operatorname{logsumexp}', '\\operatorname{LSE}'], perOperandEntry(TRANSCENDENTAL + 2)),
  extremeRow('max'),
  extremeRow('min'),
  normRow,
  softmaxRow,
];

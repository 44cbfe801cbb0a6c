import { DomainError, type Tensor, asTensor, cholesky, det, div, inv, slogdet, solve, trace } from '../../tensor/index.js';
import { formatSymbolicShape } from '../dims.js';
import { printExpr } from '../print.js';
import { isSquare } from '../shape-algebra.js';
import type { Expr } from '../tree.js';
import { choleskyFactor, inverse, luFactor } from './cost.js';
import { type CallChecker, type ComputedRow, computedRow, type CostRule, type Smoothness } from './row.js';
import type { NodeInfo } from '../annotations.js';
import type { Value } from '../context.js';

/**
 * Linear algebra of square matrices: inverse, determinant, log-determinant, trace, linear solves and the
 * Cholesky factor (kernels in src/tensor/linalg.ts). A scalar counts as a 1×1 matrix. Squareness is
 * checked symbolically; singular and non-positive-definite values are DomainErrors at run time, which
 * samplers treat as a draw to replace, not as a wrong answer.
 */

/** The argument's type, which must be a square matrix (or a scalar). */
function squareArgument(call: CallChecker, arg: Expr, why: string): NodeInfo {
  const a = call.value(arg);
  if (a.shape.length !== 0 && !isSquare(a.shape)) {
    throw call.error(arg, `${call.node.fn} needs a square matrix, and ${printExpr(arg)} is ${formatSymbolicShape(a.shape)}`, why);
  }
  return a;
}

interface SquareSpec {
  readonly usage?: string;
  readonly aliases?: readonly string[];
  readonly latex?: readonly string[];
  readonly doc: string;
  /** The result is a number (det, trace) rather than a matrix of A's shape. */
  readonly scalar: boolean;
  readonly onNumber: (a: number) => number;
  readonly onMatrix: (a: Tensor) => Value;
  readonly smoothness?: Smoothness;
  readonly cost: CostRule;
  readonly why: string;
}

/** A function of one square matrix. */
function squareRow(name: string, spec: SquareSpec): ComputedRow {
  return computedRow({
    name,
    aliases: spec.aliases ?? [],
    family: 'linear algebra',
    arity: [1, 1],
    usage: spec.usage ?? `${name}(A)`,
    doc: spec.doc,
    latex: spec.latex ?? [],
    shape: (call) => {
      const a = squareArgument(call, call.args[0]!, spec.why);
      return call.result({ form: 'map', operands: call.args }, spec.scalar ? [] : a.shape);
    },
    compile: ({ operands: [x] }) => (rt) => {
      const v = x!(rt);
      return typeof v === 'number' ? spec.onNumber(v) : spec.onMatrix(v);
    },
    smoothness: spec.smoothness ?? 'smooth',
    cost: spec.cost,
  });
}

/** log|det A|; a singular A has none. */
function logAbsDet(a: number | Tensor): number {
  const logAbs = typeof a === 'number' ? Math.log(Math.abs(a)) : slogdet(a).logAbs;
  if (logAbs === -Infinity) throw new DomainError('logdet', 'the matrix is singular (det A = 0)');
  return logAbs;
}

const solveRow: ComputedRow = computedRow({
  name: 'solve',
  aliases: ['mldivide'],
  family: 'linear algebra',
  arity: [2, 2],
  usage: 'solve(A, B) | A \\ B',
  doc: "X with A X = B (MATLAB's `A \\ B`) for a square A and B of as many rows (or a vector), by LU with partial pivoting",
  shape: (call) => {
    const [aNode, bNode] = call.args as [Expr, Expr];
    const a = squareArgument(call, aNode, 'solve(A, B) solves A X = B for a square A; for least squares write solve(A\' * A, A\' * B)');
    const b = call.value(bNode);
    const n = a.shape[0];
    const fits = n === undefined || ((b.shape.length === 1 || b.shape.length === 2) && b.shape[0]!.equals(n));
    if (!fits) {
      throw call.error(bNode, `solve(A, B): A is ${formatSymbolicShape(a.shape)}, so B needs ${n!.toString()} rows, and ${printExpr(bNode)} is ${formatSymbolicShape(b.shape)}`, 'B is a matrix or a vector with one row per row of A');
    }
    return call.result({ form: 'pair', operands: call.args }, b.shape);
  },
  compile: ({ operands: [x, y] }) => (rt) => {
    const a = x!(rt);
    const b = y!(rt);
    if (typeof a === 'number') return typeof b === 'number' ? b / a : div(b, a);
    return solve(a, asTensor(b));
  },
  cost: inverse,
});

const cholRow: ComputedRow = computedRow({
  name: 'chol',
  family: 'linear algebra',
  arity: [1, 2],
  usage: "chol(A) | chol(A, 'lower')",
  doc: "Cholesky factor of a symmetric positive definite A, MATLAB's: upper R with Rᵀ R = A (reads A's upper triangle); `chol(A, 'lower')` is L with L Lᵀ = A (reads the lower triangle, as NumPy)",
  shape: (call) => {
    const [aNode, modeNode] = call.args as [Expr, Expr | undefined];
    const a = squareArgument(call, aNode, 'a Cholesky factor exists for symmetric positive definite matrices (declare the input with the spd domain)');
    const form = modeNode !== undefined ? call.mode(modeNode, ['upper', 'lower'] as const) : 'upper';
    return call.result({ form, operands: [aNode] }, a.shape);
  },
  compile: ({ plan, operands: [x] }) => {
    const upper = plan.form === 'upper';
    return (rt) => {
      const v = x!(rt);
      if (typeof v === 'number') {
        if (!(v > 0)) throw new DomainError('chol', `${v} is not positive`);
        return Math.sqrt(v);
      }
      // The upper factor of A is the transpose of the lower factor of Aᵀ (whose lower triangle is A's upper one).
      return upper ? cholesky(v.transpose()).transpose().contiguous() : cholesky(v);
    };
  },
  cost: choleskyFactor,
});

export const LINEAR_ALGEBRA: readonly ComputedRow[] = [
  squareRow('inv', {
    doc: 'A⁻¹ of a square matrix (a singular or numerically singular A is redrawn, not graded)',
    scalar: false,
    onNumber: (a) => 1 / a,
    onMatrix: inv,
    cost: inverse,
    why: 'a rectangular matrix has no inverse; for least squares write solve(A\' * A, A\')',
  }),
  squareRow('det', {
    doc: 'determinant (by LU with partial pivoting)',
    latex: ['\\det'],
    scalar: true,
    onNumber: (a) => a,
    onMatrix: det,
    cost: luFactor,
    why: 'the determinant is defined for square matrices',
  }),
  squareRow('logdet', {
    doc: 'log |det A|, without overflow (sum of the logs of the LU pivots); a singular A is redrawn, not graded',
    latex: ['\\log\\det', '\\ln\\det', '\\operatorname{logdet}'],
    scalar: true,
    onNumber: logAbsDet,
    onMatrix: logAbsDet,
    cost: luFactor,
    // log|det A| has a pole, not a kink, where det A changes sign: a step across it is not differentiable.
    smoothness: { pieces: ([a]) => [Math.sign(typeof a === 'number' ? a : slogdet(a!).sign)] },
    why: 'the determinant is defined for square matrices',
  }),
  squareRow('trace', {
    aliases: ['tr'],
    doc: 'Σ a_ii of a square matrix',
    latex: ['\\operatorname{tr}', '\\operatorname{Tr}', '\\mathrm{tr}', '\\mathrm{Tr}', '\\text{tr}', '\\text{Tr}', '\\tr', '\\Tr'],
    scalar: true,
    onNumber: (a) => a,
    onMatrix: trace,
    cost: ({ operands }) => ({ operations: operands[0]?.[0] ?? 1 }),
    why: 'the trace is defined for square matrices (MATLAB)',
  }),
  solveRow,
  cholRow,
];

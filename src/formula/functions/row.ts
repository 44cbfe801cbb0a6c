import type { CallPlan, IndexBinding, NodeInfo } from '../annotations.js';
import type { Evaluator, Value } from '../context.js';
import type { Dim, SymbolicShape } from '../dims.js';
import type { ErrorSite, FormulaShapeError, SourceSpan } from '../errors.js';
import type { Runtime } from '../runtime.js';
import type { CallNode, Expr } from '../tree.js';
import { resultSize } from './cost.js';

/**
 * One row of the function table: everything the formula language knows about one function, read by
 * every layer as tinygrad's passes read its op enum. The reader's allow-list and the LaTeX reader look
 * up names and spellings, the shape checker runs `shape`, the tensor compiler runs `compile`, the loop
 * generator calls `scalar`, a compiled formula reports kinks from `smoothness`, and docs/formulas.md's
 * function table is generated from `usage` and `doc` (npm run docs:functions).
 */

export type ScalarKernel = (...args: number[]) => number;

/** Most arguments of a variadic function (sum over indices with ranges, sizes of ones and reshape, cat's operands). */
export const MANY_ARGUMENTS = 16;

/** What a row's shape rule sees of the call being checked (the checker implements it). */
export interface CallChecker {
  readonly node: CallNode;
  /** The arguments as written. */
  readonly args: readonly Expr[];
  /** Infers an argument as a value: its shape, whether it is whole-numbered, the indices it depends on. */
  value(arg: Expr): NodeInfo;
  /** A dimension-expression argument (sizes, ranges, pad widths): integers and dimension names only. */
  staticArg(arg: Expr, what: string): Dim;
  /** A constant whole number (a dim, rot90's turns), within `range` when given. */
  constantArg(arg: Expr, what: string, range?: readonly [number, number]): number;
  /** A 1-based MATLAB dim of a value of `shape` (rank 0 and 1 accept dim 1), returned 0-based. */
  dimArg(arg: Expr, shape: SymbolicShape): number;
  /** Sizes as separate arguments (ones(N, 1)) or as one list (reshape(X, [N, D])). */
  sizeList(args: readonly Expr[]): Dim[];
  /** A quoted mode argument: one of `allowed`. */
  mode<M extends string>(arg: Expr, allowed: readonly M[]): M;
  /** The declared class axis (0-based), which softmax without a dim normalises along. */
  readonly classAxis: number | undefined;
  isDimensionName(name: string): boolean;
  /** A name that means nothing yet here (not declared, not a constant, not a bound index): a new summation index. */
  isFreshName(arg: Expr): boolean;
  /** A name bound as an index around this call. */
  isBoundIndex(arg: Expr): boolean;
  /** Checks the call as sum(body, i, ..., [lo, hi]) over new index names. */
  indexSum(): CallResult;
  error(at: { readonly span: SourceSpan }, what: string, hint?: string): FormulaShapeError;
  /** A plan's result: the given shape, depending on the indices its operands depend on. */
  result(plan: CallPlan, shape: SymbolicShape, integer?: boolean): CallResult;
}

export interface CallResult {
  readonly plan: CallPlan;
  readonly info: NodeInfo;
}

/** What a row's compile rule sees of a checked call (the tensor compiler implements it). */
export interface CallCompiler {
  readonly node: CallNode;
  readonly plan: CallPlan;
  /** The plan's operands, compiled, in order. */
  readonly operands: readonly Evaluator[];
  /** Where the call is in the user's text: for value errors and for charging work to the budget. */
  readonly site: ErrorSite;
  /** plan.sizes for this evaluation. */
  sizes(rt: Runtime): number[];
  /** A checked shape's sizes for this evaluation. */
  dims(shape: SymbolicShape, rt: Runtime): number[];
  /** The checked shape of a node of the call. */
  shapeOf(node: Expr): SymbolicShape;
  /** Compiles another node of the call (a tensor-valued index sum compiles its body). */
  compile(node: Expr): Evaluator;
  /** An index binding's bound for this evaluation. */
  bound(binding: IndexBinding, which: 'lo' | 'hi'): (rt: Runtime) => number;
}

/**
 * Which piece of a piecewise function each entry is on, as numbers (relu: the sign of its input; max of
 * two: the sign of a − b; a pooling: which entry of each window is the largest). Between two points with
 * the same codes the function is smooth; where a code changes, a kink lies between them, and FD reports
 * the sample non-differentiable instead of averaging two slopes.
 */
export type PieceRule = (operands: readonly Value[], plan: CallPlan) => ArrayLike<number>;

export type Smoothness = 'smooth' | { readonly pieces: PieceRule };

/** What a cost rule reads: the call's operand shapes and result shape, in sizes at the evaluation's dims. */
export interface CostShapes {
  readonly operands: readonly (readonly number[])[];
  readonly result: readonly number[];
  /** The form the checker resolved the call to (a matrix's norm is 'spectral' or 'fro'). */
  readonly form: CallPlan['form'];
}

/**
 * The work of one call (src/formula/cost.ts prices a formula from these, at rates.ts's rates):
 * scalar operations of JS loops (an elementwise function per entry, a reduction's adds, a factorisation's
 * inner loop), and multiply-adds of the WebAssembly SIMD kernels (matrix products, convolutions), which
 * run more than ten times as many per second. Allocating the result is priced apart (from its size).
 */
export interface CallWork {
  readonly operations: number;
  readonly multiplyAdds?: number;
}

/** A static estimate of a call's work from its sizes. */
export type CostRule = (shapes: CostShapes) => CallWork;

/** Families, in the order the docs list them. */
export const FAMILIES = ['elementwise', 'integer', 'reduction', 'construction', 'shape', 'convolution', 'linear algebra'] as const;
export type Family = (typeof FAMILIES)[number];

interface RowBase {
  readonly name: string;
  /** Other names of the same function (`tr` for trace); the reader reads them as `name`. */
  readonly aliases: readonly string[];
  readonly family: Family;
  /** Fewest and most arguments. */
  readonly arity: readonly [number, number];
  /** How it is called, as errors and docs show it (dims are 1-based, MATLAB-style): forms separated by ' | '. */
  readonly usage: string;
  /** One line for the docs' function table. */
  readonly doc: string;
  /**
   * LaTeX spellings of the function's name, each a run of commands with at most one plain-word argument:
   * '\\tanh', '\\operatorname{tr}', '\\mathrm{Tr}', '\\log\\det'. The argument follows in parentheses.
   */
  readonly latex: readonly string[];
}

/** A function computed by the tensor compiler. */
export interface ComputedRow extends RowBase {
  readonly kind: 'computed';
  /** The shape rule: the call's result type and the plan the compilers follow. */
  readonly shape: (call: CallChecker) => CallResult;
  /** The evaluator: tensor-core calls on the operands' values. */
  readonly compile: (call: CallCompiler) => Evaluator;
  /** The function on numbers, for elementwise functions: generated loops call it, and so do scalar operands. */
  readonly scalar?: ScalarKernel;
  readonly smoothness: Smoothness;
  readonly cost: CostRule;
}

/** A function name that is another spelling of a tree node: `transpose(X)` reads as `X'`. */
export interface SpellingRow extends RowBase {
  readonly kind: 'spelling';
  readonly read: (args: readonly Expr[], span: SourceSpan) => Expr;
}

export type FunctionRow = ComputedRow | SpellingRow;

/** The fields a computed row may leave out, and their defaults. */
type Defaulted = 'aliases' | 'latex' | 'smoothness' | 'cost';

/**
 * A computed row, with the defaults most rows share: no aliases, no LaTeX spelling besides
 * `\operatorname{name}`, smooth, and a cost of one operation per result entry.
 */
export function computedRow(row: Omit<ComputedRow, 'kind' | Defaulted> & Partial<Pick<ComputedRow, Defaulted>>): ComputedRow {
  return { kind: 'computed', aliases: [], latex: [], smoothness: 'smooth', cost: resultSize, ...row };
}

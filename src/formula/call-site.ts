import { MODE_STRINGS } from './allowlist.js';
import { type CallPlan, type NodeInfo, unionUses } from './annotations.js';
import type { Env, ExprChecker, IndexBindings } from './bindings.js';
import type { Dim, SymbolicShape } from './dims.js';
import type { FormulaShapeError, SourceSpan } from './errors.js';
import type { CallChecker, CallResult } from './functions/row.js';
import { printExpr } from './print.js';
import type { CallNode, Expr } from './tree.js';

/**
 * A call as its row's shape rule sees it: the arguments, and the checker's ways of reading them (as
 * values, dimension expressions, constant dims, sizes, modes), all in the environment of the call.
 */
export class CallSite implements CallChecker {
  readonly args: readonly Expr[];

  constructor(
    readonly node: CallNode,
    private readonly env: Env,
    private readonly checker: ExprChecker,
    private readonly bindings: IndexBindings,
  ) {
    this.args = node.args;
  }

  get classAxis(): number | undefined {
    return this.checker.scope.classAxis;
  }

  value(arg: Expr): NodeInfo {
    return this.checker.expr(arg, this.env);
  }

  error(at: { readonly span: SourceSpan }, what: string, hint = ''): FormulaShapeError {
    return this.checker.shapeError(at, what, hint);
  }

  staticArg(arg: Expr, what: string): Dim {
    return staticArgument(this.checker, arg, this.env, what);
  }

  constantArg(arg: Expr, what: string, range?: readonly [number, number]): number {
    const value = this.staticArg(arg, what).constantValue();
    if (value === undefined || !Number.isInteger(value) || (range && (value < range[0] || value > range[1]))) {
      const allowed = range ? (range[0] === range[1] ? `${range[0]}` : `${range[0]}..${range[1]}`) : 'a whole number';
      throw this.error(arg, `${what} must be ${allowed}, got ${printExpr(arg)}`);
    }
    return value;
  }

  dimArg(arg: Expr, shape: SymbolicShape): number {
    const rank = Math.max(1, shape.length);
    const dim = this.constantArg(arg, `the dim of ${this.node.fn}`, [1, rank]);
    return Math.min(dim, shape.length) - 1;
  }

  sizeList(args: readonly Expr[]): Dim[] {
    const items = args.length === 1 && args[0]!.kind === 'list' ? args[0]!.items : args;
    return items.map((a) => this.staticArg(a, `a size of ${this.node.fn}`));
  }

  mode<M extends string>(arg: Expr, allowed: readonly M[]): M {
    if (arg.kind !== 'string' || !MODE_STRINGS.has(arg.value) || !(allowed as readonly string[]).includes(arg.value)) {
      const list = allowed.map((m) => `'${m}'`);
      throw this.error(arg, `the mode of ${this.node.fn} must be ${list.slice(0, -1).join(', ')}${list.length > 1 ? ' or ' : ''}${list[list.length - 1]}, got ${printExpr(arg)}`);
    }
    return arg.value as M;
  }

  isDimensionName(name: string): boolean {
    return this.checker.scope.dims.has(name);
  }

  isFreshName(arg: Expr): boolean {
    return this.bindings.isFresh(arg, this.env);
  }

  isBoundIndex(arg: Expr): boolean {
    return arg.kind === 'symbol' && this.env.has(arg.name);
  }

  indexSum(): CallResult {
    return this.bindings.indexSum(this.node, this.env);
  }

  result(plan: CallPlan, shape: SymbolicShape, integer = false): CallResult {
    const infos = plan.operands.flatMap((o) => this.checker.infoOf(o) ?? []);
    return { plan, info: { shape, integer, static: undefined, uses: unionUses(...infos) } };
  }
}

/** A dimension-expression argument (sizes, ranges, pad widths): integers and dimension names only. */
export function staticArgument(checker: ExprChecker, node: Expr, env: Env, what: string): Dim {
  const info = checker.expr(node, env);
  if (info.static === undefined || info.shape.length !== 0) {
    const dims = checker.scope.dims;
    throw checker.shapeError(node, `${what} must be a dimension expression (integers, dimension names, + - * /), got ${printExpr(node)}`, dims.size > 0 ? `e.g. ${[...dims][0]}` : 'declare the dimension names');
  }
  return info.static;
}

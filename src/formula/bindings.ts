import { CONSTANTS, RESERVED_WORDS, isFunctionName } from './allowlist.js';
import { type Bound, type IndexBinding, type NodeInfo, unionUses } from './annotations.js';
import type { Scope } from './declarations.js';
import { Dim, formatSymbolicShape } from './dims.js';
import type { FormulaShapeError, SourceSpan } from './errors.js';
import type { CallResult } from './functions/row.js';
import { printExpr } from './print.js';
import type { CallNode, Expr, IndexEntry, SymbolNode } from './tree.js';

/**
 * Index bindings of index notation: the left side's free indices and the summation indices of
 * sum(expr, i, ...), each with its range (given, or inferred from where the index is used alone as an
 * index), and the environment of names bound around a node.
 */

export type Env = ReadonlyMap<string, IndexBinding>;

/** What index bindings need from the shape checker. */
export interface ExprChecker {
  readonly scope: Scope;
  expr(node: Expr, env: Env): NodeInfo;
  infoOf(node: Expr): NodeInfo | undefined;
  shapeError(at: { readonly span: SourceSpan }, what: string, hint?: string): FormulaShapeError;
}

export class IndexBindings {
  /** Every binding, by slot. */
  readonly all: IndexBinding[] = [];

  constructor(private readonly checker: ExprChecker) {}

  private get scope(): Scope {
    return this.checker.scope;
  }

  /** Binds a new index name (left side or summation), refusing names that already mean something. */
  bind(name: string, node: { span: SourceSpan }, env: Env, lo: Bound, hi: Bound, role: 'free' | 'sum'): IndexBinding {
    const error = (what: string, hint: string) => this.checker.shapeError(node, what, hint);
    if (this.scope.isDeclared(name)) throw error(`${name} is declared as a ${this.scope.dims.has(name) ? 'dimension' : 'tensor'}, so it cannot be an index name`, 'pick another index name (i, j, k, ...)');
    if (isFunctionName(name) || RESERVED_WORDS.has(name) || CONSTANTS.has(name)) throw error(`${name} is a reserved name, so it cannot be an index name`, 'pick another index name (i, j, k, ...)');
    if (env.has(name)) throw error(`the index ${name} is already bound here`, 'use a different name for the inner index');
    const binding: IndexBinding = { name, slot: this.all.length, lo, hi, role };
    this.all.push(binding);
    return binding;
  }

  /** A summation index name: a symbol that means nothing yet (not declared, not bound). */
  isFresh(node: Expr, env: Env): node is SymbolNode {
    return node.kind === 'symbol' && !this.scope.isDeclared(node.name) && !CONSTANTS.has(node.name) && !env.has(node.name);
  }

  /** sum(body, i, j, ...) with optional explicit ranges sum(body, i, lo, hi, ...). */
  indexSum(node: CallNode, env: Env): CallResult {
    const args = node.args;
    const body = args[0]!;
    const inner = new Map(env);
    const bindings: IndexBinding[] = [];
    let k = 1;
    while (k < args.length) {
      const nameNode = args[k]!;
      if (!this.isFresh(nameNode, inner)) {
        throw this.checker.shapeError(nameNode, `expected a new index name in ${node.fn}(expr, i, ...), got ${printExpr(nameNode)}`, 'summation indices are names not declared elsewhere; ranges follow an index: sum(expr, m, 1, kh)');
      }
      const explicit = k + 2 < args.length && !this.isFresh(args[k + 1]!, inner) && !this.isFresh(args[k + 2]!, inner);
      let lo: Bound;
      let hi: Bound;
      if (explicit) {
        lo = this.bound(args[k + 1]!, inner);
        hi = this.bound(args[k + 2]!, inner);
        k += 3;
      } else {
        if (k + 1 < args.length && !this.isFresh(args[k + 1]!, inner)) {
          throw this.checker.shapeError(args[k + 1]!, `a range needs both ends: sum(expr, ${nameNode.name}, lo, hi)`, `e.g. sum(expr, ${nameNode.name}, 1, N)`);
        }
        lo = { dim: Dim.constant(1) };
        hi = { dim: this.inferRange(nameNode, body) };
        k += 1;
      }
      const binding = this.bind(nameNode.name, nameNode, inner, lo, hi, 'sum');
      inner.set(nameNode.name, binding);
      bindings.push(binding);
    }
    const b = this.checker.expr(body, inner);
    // The sum depends on the body's indices other than its own, and on indices in dynamic bounds.
    const boundInfos = bindings.flatMap((x) => [x.lo, x.hi]).flatMap((bound) => ('expr' in bound ? [this.checker.infoOf(bound.expr)!] : []));
    const uses = new Set(unionUses(b, ...boundInfos));
    for (const x of bindings) uses.delete(x.slot);
    return { plan: { form: 'index', bindings, operands: [body] }, info: { shape: b.shape, integer: b.integer, static: undefined, uses } };
  }

  private bound(node: Expr, env: Env): Bound {
    const info = this.checker.expr(node, env);
    if (info.shape.length !== 0 || !info.integer) {
      throw this.checker.shapeError(node, `a summation bound must be a whole number, got ${printExpr(node)}${info.shape.length ? ` (${formatSymbolicShape(info.shape)})` : ''}`);
    }
    return info.static !== undefined ? { dim: info.static } : { expr: node };
  }

  /**
   * The range of a summation index from where it is used alone as an index (K[f, c, m, t] gives f the
   * range 1..F): every such axis must have the same length, else the range must be given.
   */
  private inferRange(index: SymbolNode, body: Expr): Dim {
    const uses: { tensor: string; axis: number; dim: Dim }[] = [];
    const visit = (e: Expr | IndexEntry): void => {
      switch (e.kind) {
        case 'index': {
          const declared = this.scope.symbols.get(e.name);
          e.entries.forEach((entry, axis) => {
            if (entry.kind === 'symbol' && entry.name === index.name && declared && axis < declared.shape.length) {
              uses.push({ tensor: e.name, axis, dim: declared.shape[axis]! });
            } else visit(entry);
          });
          return;
        }
        case 'slice':
          visit(e.object);
          e.entries.forEach(visit);
          return;
        case 'negate':
        case 'transpose':
          visit(e.arg);
          return;
        case 'binary':
          visit(e.left);
          visit(e.right);
          return;
        case 'call':
          e.args.forEach(visit);
          return;
        case 'list':
          e.items.forEach(visit);
          return;
        case 'matrix':
          e.rows.forEach(visit);
          return;
        case 'range':
          visit(e.start);
          visit(e.end);
          return;
        default:
          return;
      }
    };
    visit(body);
    const first = uses[0];
    if (!first) {
      throw this.checker.shapeError(index, `cannot infer the range of ${index.name}: it is never used alone as an index`, `give it: sum(expr, ${index.name}, 1, ${[...this.scope.dims][0] ?? 'N'})`);
    }
    const clash = uses.find((u) => !u.dim.equals(first.dim));
    if (clash) {
      throw this.checker.shapeError(
        index,
        `${index.name} indexes axes of different lengths (${first.tensor} axis ${first.axis + 1} is ${first.dim.toString()}, ${clash.tensor} axis ${clash.axis + 1} is ${clash.dim.toString()})`,
        `give the range explicitly: sum(expr, ${index.name}, 1, ${first.dim.toString()})`,
      );
    }
    return first.dim;
  }
}

import type { Env } from './bindings.js';
import type { Scope } from './declarations.js';
import type { SymbolicShape } from './dims.js';
import { type ErrorSite, UnknownSymbolError } from './errors.js';
import { printExpr } from './print.js';
import { transposeShape } from './shape-algebra.js';
import { closeNames } from './suggest.js';
import type { BinaryNode, Expr, IndexNode, SymbolNode } from './tree.js';

/**
 * The "did you mean" part of shape and name errors: operand pairs with a transpose flipped, the first
 * of them whose shapes fit, and close names for an unknown one.
 */

/** An operand as an error names it: bare when it is a name, a call or a number, else in parentheses. */
export function operandName(node: Expr): string {
  const text = printExpr(node);
  return node.kind === 'symbol' || node.kind === 'index' || node.kind === 'call' || node.kind === 'number' ? text : `(${text})`;
}

/**
 * Operand pairs with one or both operands transposed, for "did you mean" hints: undoing a transpose the
 * user wrote comes first (X + s' → X + s), then transposing the left operand (X * dY → X' * dY).
 */
export function flips(node: BinaryNode): [Expr, Expr][] {
  const flip = (e: Expr): Expr => (e.kind === 'transpose' ? e.arg : { kind: 'transpose', arg: e, span: e.span });
  const l = node.left;
  const r = node.right;
  const single: [Expr, Expr][] = r.kind === 'transpose' && l.kind !== 'transpose' ? [[l, flip(r)], [flip(l), r]] : [[flip(l), r], [l, flip(r)]];
  return [...single, [flip(l), flip(r)]];
}

/**
 * The first candidate (left, right) operand pair whose shapes fit `rule`, printed as the same operation.
 * `shapeOf` gives the checked shape of an operand; a transpose built here takes its argument's, flipped.
 */
export function firstFitting(
  node: BinaryNode,
  candidates: readonly (readonly [Expr, Expr])[],
  rule: (a: SymbolicShape, b: SymbolicShape) => SymbolicShape | undefined,
  shapeOf: (e: Expr) => SymbolicShape | undefined,
): string | undefined {
  const shape = (e: Expr): SymbolicShape => shapeOf(e) ?? transposeShape(shapeOf((e as { arg: Expr }).arg)!);
  for (const [l, r] of candidates) {
    const ls = shape(l);
    const rs = shape(r);
    if ((l.kind === 'transpose' && ls.length !== 2) || (r.kind === 'transpose' && rs.length !== 2)) continue;
    if (rule(ls, rs) !== undefined) return printExpr({ ...node, left: l, right: r });
  }
  return undefined;
}

/** An unknown name, with close names among the declared ones and the bound indices, or how to make it known. */
export function unknownSymbol(node: SymbolNode | IndexNode, env: Env, scope: Scope, text: string): UnknownSymbolError {
  const name = node.name;
  const candidates = [...scope.names(), ...env.keys()];
  const suggestions = closeNames(name, candidates);
  const known = candidates.length > 0 ? `known names: ${[...new Set(candidates)].join(', ')}` : 'nothing is declared';
  const looksLikeIndex = /^[a-z][a-z0-9]?$/.test(name);
  const hint =
    suggestions.length > 0
      ? `did you mean ${suggestions.join(' or ')}?`
      : looksLikeIndex
        ? `to use ${name} as an index, bind it on the left (dS[${name}, j] = ...) or sum over it: sum(expr, ${name}); otherwise declare it (${known})`
        : `declare it, or check the spelling (${known})`;
  const site: ErrorSite = { text, span: 'nameSpan' in node ? node.nameSpan : node.span };
  return new UnknownSymbolError(`unknown symbol ${name}`, site, name, suggestions, hint);
}

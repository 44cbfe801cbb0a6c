import type { SourceSpan } from '../errors.js';
import type { ParsedFormula } from '../parse.js';
import { printStatement } from '../print.js';
import type { Expr, IndexEntry, Statement } from '../tree.js';

/** Walking and rebuilding formula trees, for the readings latex/resolve.ts tries. */

export type Mapper = (e: Expr) => Expr | undefined;

/** Rebuilds an expression, replacing each node `f` maps (top-down; unmapped nodes are copied with their children mapped). */
export function mapExpr(e: Expr, f: Mapper): Expr {
  const replaced = f(e);
  if (replaced !== undefined) return replaced;
  const entry = (x: IndexEntry): IndexEntry => (x.kind === 'colon' ? x : x.kind === 'range' ? { ...x, start: mapExpr(x.start, f), end: mapExpr(x.end, f) } : mapExpr(x, f));
  switch (e.kind) {
    case 'negate':
    case 'transpose':
      return { ...e, arg: mapExpr(e.arg, f) };
    case 'binary':
      return { ...e, left: mapExpr(e.left, f), right: mapExpr(e.right, f) };
    case 'call':
      return { ...e, args: e.args.map((a) => mapExpr(a, f)) };
    case 'index':
      return { ...e, entries: e.entries.map(entry) };
    case 'slice':
      return { ...e, object: mapExpr(e.object, f), entries: e.entries.map(entry) };
    case 'list':
      return { ...e, items: e.items.map((a) => mapExpr(a, f)) };
    case 'matrix':
      return { ...e, rows: e.rows.map((row) => ({ ...row, items: row.items.map((a) => mapExpr(a, f)) })) };
    default:
      return e;
  }
}

export function mapStatement(s: Statement, f: Mapper): Statement {
  return s.kind === 'expression' ? { ...s, expr: mapExpr(s.expr, f) } : { ...s, value: mapExpr(s.value, f) };
}

/** Every node of an expression, parents first, with the names bound by enclosing index sums. */
export function walk(e: Expr | IndexEntry, visit: (node: Expr | IndexEntry, bound: ReadonlySet<string>) => void, bound: ReadonlySet<string> = new Set()): void {
  visit(e, bound);
  switch (e.kind) {
    case 'negate':
    case 'transpose':
      return walk(e.arg, visit, bound);
    case 'binary':
      walk(e.left, visit, bound);
      return walk(e.right, visit, bound);
    case 'range':
      walk(e.start, visit, bound);
      return walk(e.end, visit, bound);
    case 'index':
      return e.entries.forEach((x) => walk(x, visit, bound));
    case 'slice':
      walk(e.object, visit, bound);
      return e.entries.forEach((x) => walk(x, visit, bound));
    case 'list':
      return e.items.forEach((x) => walk(x, visit, bound));
    case 'matrix':
      return e.rows.forEach((row) => walk(row, visit, bound));
    case 'call': {
      const inner = e.fn === 'sum' ? new Set([...bound, ...e.args.slice(1).flatMap((a) => (a.kind === 'symbol' ? [a.name] : []))]) : bound;
      return e.args.forEach((a) => walk(a, visit, inner));
    }
    default:
      return;
  }
}

export const valueOf = (s: Statement): Expr => (s.kind === 'expression' ? s.expr : s.value);
export const sameSpan = (a: SourceSpan, b: { offset: number; end: number } | undefined): boolean => b !== undefined && a.start === b.offset && a.end === b.end;

/** The factors of a left-grouped chain of products ((A B) C) D. */
export function spine(x: Expr): Expr[] {
  return x.kind === 'binary' && x.op === '*' ? [...spine(x.left), x.right] : [x];
}

/** Whether `node` is one of the products along the chain `x` (x itself, x.left, x.left.left, …). */
export function onSpine(x: Expr, node: Expr): boolean {
  for (let y = x; y.kind === 'binary' && y.op === '*'; y = y.left) if (y === node) return true;
  return false;
}

/** The parse with another statement (a reading tried in its place), its readAs printed anew. */
export function withParsed(parsed: ParsedFormula, statement: Statement): ParsedFormula {
  return { ...parsed, statement, readAs: printStatement(statement) };
}

import { CONSTANTS } from '../allowlist.js';
import type { Scope } from '../declarations.js';
import type { Dim } from '../dims.js';
import { UnsupportedNotationError } from '../errors.js';
import type { LatexParse, ParsedFormula } from '../parse.js';
import type { ColonNode, IndexName, Statement } from '../tree.js';
import { walk } from './trees.js';

/**
 * An entrywise answer without a left side: its free indices (names used to index that no sum binds) take
 * the target's axes. An index used alone to index an axis takes an axis of that length; the rest follow
 * the order in which they first appear, which must agree with the alphabetical order where both could
 * apply (i, j; n, d). Axes of size 1 take `:` when there are fewer indices than axes.
 */
export function withFreeIndices(statement: Statement, parsed: ParsedFormula, latex: LatexParse, scope: Scope, target: readonly Dim[]): { statement: Statement; notes: string[] } {
  if (statement.kind !== 'expression') return { statement, notes: [] };
  const holes = latex.choices.holes;
  const isFree = (name: string, bound: ReadonlySet<string>) => !bound.has(name) && !scope.isDeclared(name) && !CONSTANTS.has(name) && !holes.has(name);
  const first = new Map<string, number>();
  const lengthsOf = new Map<string, Dim[]>();
  walk(statement.expr, (node, bound) => {
    const indexing = node.kind === 'index' ? node.entries : node.kind === 'call' && node.fn === 'delta' ? node.args : [];
    indexing.forEach((entry, axis) => {
      walk(entry, (x, inner) => {
        if (x.kind === 'symbol' && isFree(x.name, new Set([...bound, ...inner])) && !first.has(x.name)) first.set(x.name, x.span.start);
      });
      if (node.kind === 'index' && entry.kind === 'symbol' && isFree(entry.name, bound)) {
        const declared = scope.symbols.get(node.name)?.shape[axis];
        if (declared) lengthsOf.set(entry.name, [...(lengthsOf.get(entry.name) ?? []), declared]);
      }
    });
  });
  if (first.size === 0) return { statement, notes: [] };
  const indices = [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)!);
  // As many indices as axes; or one per axis longer than 1 (a column's entries); or fewer, the rest whole
  // axes (dX_{n,c} of N×C×H×W: a plane), which the shape check then holds to the answer's shape.
  const long = target.flatMap((d, k) => (d.isOne() ? [] : [k]));
  const axes = indices.length === long.length ? long : target.map((_, k) => k);
  const site = { text: parsed.text, span: statement.span };
  if (indices.length > target.length) {
    throw new UnsupportedNotationError('free indices', `the answer has free indices ${indices.join(', ')}, but its target has ${target.length} axes`, site, 'write the left side: dW_{ij} = …');
  }
  const fits = (index: string, axis: number) => (lengthsOf.get(index) ?? []).every((d) => d.equals(target[axis]!));
  const bijections: number[][] = [];
  const extend = (prefix: number[]) => {
    if (prefix.length === indices.length) return void bijections.push(prefix);
    for (const axis of axes) if (!prefix.includes(axis) && fits(indices[prefix.length]!, axis)) extend([...prefix, axis]);
  };
  extend([]);
  // Lexicographically least in the order of first appearance, and in alphabetical order.
  const byOrder = (order: readonly string[]) => {
    const keyOf = (b: readonly number[]) => order.map((name) => b[indices.indexOf(name)]!);
    return [...bijections].sort((x, y) => {
      const kx = keyOf(x);
      const ky = keyOf(y);
      for (let k = 0; k < kx.length; k++) if (kx[k] !== ky[k]) return kx[k]! - ky[k]!;
      return 0;
    })[0];
  };
  const appearance = byOrder(indices);
  const alphabetical = byOrder([...indices].sort());
  let chosen: readonly number[];
  if (appearance === undefined) chosen = axes;
  else if (appearance.join() === alphabetical!.join()) chosen = appearance;
  else {
    throw new UnsupportedNotationError('free indices', `which axes the free indices ${indices.join(', ')} run along is ambiguous (in the order they appear or in alphabetical order)`, site, 'write the left side: dW_{ij} = …');
  }
  const span = statement.span;
  const slots: (IndexName | ColonNode)[] = target.map((_, axis) => {
    const k = chosen.indexOf(axis);
    return k >= 0 ? { kind: 'indexName', name: indices[k]!, span } : { kind: 'colon', span };
  });
  const name = latex.targetName ?? 'answer';
  const lhs = `${name}[${slots.map((s) => (s.kind === 'colon' ? ':' : s.name)).join(', ')}]`;
  return {
    statement: { kind: 'assignment', target: name, targetSpan: { start: span.start, end: span.start }, indices: slots, value: statement.expr, span },
    notes: [`the free indices ${indices.join(', ')} are read as ${lhs}`],
  };
}

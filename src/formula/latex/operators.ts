import type { Lowering } from './lower.js';
import { type Tok, depthChange, isChar, significant } from './tokens.js';

/** Operators: the commands for them, comparisons (conditions of indicators and cases) and \otimes. */

/** Operator commands and what they read as (\otimes is read on its own, below). */
export const OPERATORS: ReadonlyMap<string, string> = new Map([
  ['cdot', '*'],
  ['times', '*'],
  ['ast', '*'],
  ['odot', '.*'],
  ['circ', '.*'],
  ['oslash', './'],
  ['div', '/'],
  ['le', '<='],
  ['leq', '<='],
  ['leqslant', '<='],
  ['ge', '>='],
  ['geq', '>='],
  ['geqslant', '>='],
  ['ne', '!='],
  ['neq', '!='],
  ['lt', '<'],
  ['gt', '>'],
]);

/** Whether a token list holds a comparison at its top level (an indicator's condition, a case's). */
export function hasComparison(toks: readonly Tok[]): boolean {
  const s = significant(toks);
  // (X > 0), \{X > 0\} and [X > 0]: a condition in brackets.
  if (s.length > 2 && ((isChar(s[0], '(') && isChar(s[s.length - 1], ')')) || (isChar(s[0], '[') && isChar(s[s.length - 1], ']')))) return hasComparison(s.slice(1, -1));
  let depth = 0;
  for (const t of toks) {
    depth += depthChange(t);
    if (depth > 0) continue;
    if (isChar(t, '<') || isChar(t, '>') || isChar(t, '=')) return true;
    if (t.kind === 'macro' && OPERATORS.has(t.name) && /[<>=]/.test(OPERATORS.get(t.name)!)) return true;
  }
  return false;
}

/** `A \otimes B`: kron(A, B), or A .* B where the question writes ⊗ for the elementwise product. */
export function otimes(l: Lowering, toks: readonly Tok[], i: number): number {
  const t = toks[i]!;
  if (l.ctx.notation.otimes === 'elementwise') {
    l.emit('.*', 'op', t);
    return i + 1;
  }
  if (!l.callOnLastOperand('kron', t, true)) return l.syntax('\\otimes needs an operand on each side', t);
  l.ctx.choices.otimes.push({ start: t.start, end: t.end });
  l.emit(',', 'op', t);
  // The right operand runs to the next operator at its level (juxtaposed factors included).
  let j = i + 1;
  let depth = 0;
  for (; j < toks.length; j++) {
    const x = toks[j]!;
    const change = depthChange(x);
    if (change < 0 && depth === 0) break;
    depth += change;
    if (depth === 0 && ((isChar(x) && '+-=,<>&'.includes(x.ch)) || (x.kind === 'macro' && (OPERATORS.has(x.name) || x.name === 'otimes')))) break;
  }
  if (toks.slice(i + 1, j).every((x) => x.kind === 'space')) return l.syntax('\\otimes needs an operand on each side', t);
  l.sequence(toks.slice(i + 1, j));
  l.emit(')', 'close', t);
  return j;
}

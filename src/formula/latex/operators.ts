import { type Tok, depthChange, isChar, significant } from './tokens.js';

/** Operator commands and what they read as (\otimes is read on its own: lower.ts). */
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

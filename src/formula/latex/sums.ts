import { OPERATORS } from './operators.js';
import type { Lowering } from './lower.js';
import { type Tok, depthChange, isChar, isMacro, plainText, splitTopLevel } from './tokens.js';
import { letterIndices } from './scripts.js';

/**
 * `\sum_{f=1}^{F} body`, `\sum_{f,m,t} body`, `\sum_f body`, `\sum body` (all entries). The body runs to
 * the next + - = , or comparison at its bracket level, or to the closing bracket of its group.
 */
export function sum(l: Lowering, toks: readonly Tok[], i: number): number {
  const t = toks[i]!;
  let j = i + 1;
  let sub: readonly Tok[] | undefined;
  let sup: readonly Tok[] | undefined;
  for (;;) {
    const k = l.next(toks, j);
    const s = toks[k];
    if (isMacro(s, '_') && sub === undefined) sub = s.args[0] ?? [];
    else if (isMacro(s, '^') && sup === undefined) sup = s.args[0] ?? [];
    else break;
    j = k + 1;
  }
  const bodyStart = j;
  let depth = 0;
  let first = true;
  for (; j < toks.length; j++) {
    const x = toks[j]!;
    if (x.kind === 'space') continue;
    const change = depthChange(x);
    if (change > 0) depth++;
    else if (change < 0 && depth-- === 0) break;
    else if (depth === 0 && !first) {
      const stops = (isChar(x) && '+-=,<>&'.includes(x.ch)) || (x.kind === 'macro' && OPERATORS.has(x.name) && /[<>=]/.test(OPERATORS.get(x.name)!));
      if (stops) break;
    }
    first = false;
  }
  const body = toks.slice(bodyStart, j);
  if (body.every((x) => x.kind === 'space')) return l.syntax('\\sum needs a body', t);
  l.emit('sum', 'func', t);
  l.emit('(', 'open', t);
  l.sequence(body);
  if (sub !== undefined) {
    const entries = splitTopLevel(sub, (x) => isChar(x, ','));
    const eq = entries.length === 1 ? entries[0]!.findIndex((x) => isChar(x, '=')) : -1;
    if (eq >= 0) {
      const lead = entries[0]!.slice(0, eq).filter((x) => x.kind !== 'space');
      // k'=1: a primed index (lower.ts reads k' as the name k_prime).
      const index = lead.length === 2 && isChar(lead[1], "'") && isChar(lead[0]) ? `${lead[0].ch}_prime` : plainText(lead);
      if (!index) return l.syntax('\\sum_{i=lo} needs an index name before =', t);
      if (sup === undefined) return l.syntax('\\sum_{i=lo} needs an upper bound: \\sum_{i=lo}^{hi}', t);
      l.emit(',', 'op', t);
      l.emit(index, 'name', t);
      l.emit(',', 'op', t);
      l.sequence(entries[0]!.slice(eq + 1));
      l.emit(',', 'op', t);
      l.sequence(sup);
    } else {
      const split = entries.length === 1 ? letterIndices(l.ctx.names, entries[0]!) : entries;
      if (sup !== undefined) {
        // \sum_{n}^{N}: n from 1 to N.
        if (split.length !== 1) return l.syntax('an upper bound belongs to one index: \\sum_{i=1}^{N}', t);
        l.emit(',', 'op', t);
        l.sequence(split[0]!);
        l.emit(', 1,', 'op', t);
        l.sequence(sup);
        l.emit(')', 'close', t);
        return j;
      }
      for (const e of split) {
        l.emit(',', 'op', t);
        l.sequence(e);
      }
    }
  } else if (sup !== undefined) {
    return l.syntax('\\sum^{N} needs its index: \\sum_{i=1}^{N}', t);
  }
  l.emit(')', 'close', t);
  return j;
}

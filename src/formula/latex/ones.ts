import { hasComparison } from './operators.js';
import type { Lowering } from './lower.js';
import { type MacroTok, type Span, type Tok, isChar, isMacro, splitTopLevel } from './tokens.js';
import { superscript } from './scripts.js';

/**
 * Vectors of ones, identities and indicators, which LaTeX spells alike: `\\mathbf{1}`, `1^T`, `\\vec{1}`
 * (ones; `_N` gives the length, `_{2\\times 2}` a matrix, none leaves it to the shapes), `I`, `I_n`
 * (identity), and before a condition `\\mathbb{1}[X>0]`, `\\mathbb{1}_{X>0}`, `\\mathbb{I}(X>0)`, `I[X>0]`
 * (the 0/1 mask (X > 0)).
 */

/**
 * `\mathbf{1}` and its kin: an indicator when a condition follows (`[X > 0]`, `(X > 0)`, `_{X > 0}`),
 * else a vector of ones: `_N` a column of N, `_{2\times 2}` a matrix of ones, no size a column whose
 * length the shapes decide (transposed: a row).
 */
export function onesOrIndicator(l: Lowering, toks: readonly Tok[], j: number, at: Span): number {
  const k = l.next(toks, j);
  const next = toks[k];
  if (isChar(next, '[') || (isChar(next, '(') && hasComparison(toks.slice(k + 1, l.closing(toks, k))))) {
    const close = l.closing(toks, k);
    l.emit('(', 'open', at);
    l.condition(toks.slice(k + 1, close));
    l.emit(')', 'close', toks[close]!);
    return l.scripts(toks, close + 1, undefined);
  }
  // Its scripts, in either order: \mathbf{1}_N^\top or \mathbf{1}^\top_N.
  let end = j;
  let sub: MacroTok | undefined;
  let sup: MacroTok | undefined;
  for (; isMacro(toks[end], '_', '^'); end++) {
    const s = toks[end] as MacroTok;
    if (s.name === '_' && sub === undefined) sub = s;
    else if (s.name === '^' && sup === undefined) sup = s;
    else break;
  }
  if (sub && hasComparison(sub.args[0] ?? [])) {
    l.emit('(', 'open', at);
    l.condition(sub.args[0] ?? []);
    l.emit(')', 'close', sub);
  } else {
    ones(l, sub ? splitTopLevel(sub.args[0] ?? [], (x) => isMacro(x, 'times') || isChar(x, ',')) : undefined, at);
  }
  if (sup) superscript(l, sup, undefined);
  return l.scripts(toks, end, undefined);
}

/** ones(n, 1), ones(a, b), or ones(len, 1) with the length left to the shapes. */
export function ones(l: Lowering, sizes: readonly Tok[][] | undefined, at: Span): void {
  l.emit('ones', 'func', at);
  l.emit('(', 'open', at);
  if (sizes === undefined) {
    l.emit(l.ctx.choices.hole(l.source(at) || '1', at), 'name', at);
  } else {
    l.sequence(sizes[0]!);
  }
  l.emit(',', 'op', at);
  if (sizes !== undefined && sizes.length > 1) l.sequence(sizes[1]!);
  else l.emit('1', 'number', at);
  l.emit(')', 'close', at);
}

/** `I` and `\mathbb{I}`: an indicator before `[cond]` or `(cond)`, else an identity (`I_n`: of size n). */
export function identityOrIndicator(l: Lowering, toks: readonly Tok[], j: number, at: Span): number {
  const k = l.next(toks, j);
  const next = toks[k];
  if (isChar(next, '[') || (isChar(next, '(') && hasComparison(toks.slice(k + 1, l.closing(toks, k))))) {
    const close = l.closing(toks, k);
    const inner = toks.slice(k + 1, close);
    if (!hasComparison(inner)) return l.unsupported('I[…]', `${l.source({ start: at.start, end: toks[close]!.end })}: an indicator needs a condition such as X > 0`, at);
    l.emit('(', 'open', at);
    l.condition(inner);
    l.emit(')', 'close', toks[close]!);
    return l.scripts(toks, close + 1, undefined);
  }
  l.emit('eye', 'func', at);
  l.emit('(', 'open', at);
  if (isMacro(toks[j], '_')) {
    l.sequence((toks[j] as MacroTok).args[0] ?? []);
    j++;
  } else {
    l.emit(l.ctx.choices.hole(l.source(at), at), 'name', at);
  }
  l.emit(')', 'close', at);
  return l.scripts(toks, j, undefined);
}

import { declaredNameOf, derivativeKey, isDeclared, isLossKey, nameKey } from './names.js';
import type { Lowering } from './lower.js';
import { type MacroTok, type Span, type Tok, isChar, isMacro, significant, splitTopLevel } from './tokens.js';
import { index } from './scripts.js';

/**
 * Derivatives written in LaTeX, read as the names of gradients: \\frac{\\partial L}{\\partial Y},
 * \\frac{dL}{dY}, \\nabla_Y L and ∂Y are the given gradient dY (by a declared spelling, or its name
 * d<name>); with a subscript, an entry or a slice of it (∂L/∂Y_{n,f} → dY[n, f, :, :]). The gradient of a
 * tensor the problem does not give (another target's answer) and the derivative of one tensor by
 * another are refused by name.
 */

/** A derivative written as a name (dS, ∂L/∂S) of a declared tensor whose gradient is not given: another target's answer. */
export function otherGradient(l: Lowering, written: string, of: string, at: Span): never {
  return l.unsupported(written, `${l.source(at)} is the gradient with respect to ${of}, which this problem does not give`, at, 'an answer may use the given quantities only; write that gradient out (a person can check answers that build on earlier ones)');
}

/** The gradient a derivative spelling names: its declared alias, or d<name> when that is declared. */
export function gradient(l: Lowering, d: { of: string; wrt: readonly Tok[]; key: string }, at: Span): { name: string; entries?: Tok[][] } {
  const names = l.ctx.names;
  const alias = names.aliases.get(d.key);
  if (alias !== undefined) return { name: alias };
  const wrt = significant(d.wrt);
  const sub = isMacro(wrt[wrt.length - 1], '_') ? (wrt[wrt.length - 1] as MacroTok) : undefined;
  const baseToks = sub ? wrt.slice(0, -1) : wrt;
  const baseKey = nameKey(baseToks);
  const entries = sub ? splitTopLevel(sub.args[0] ?? [], (x) => isChar(x, ',')) : undefined;
  const viaAlias = baseKey !== undefined ? names.aliases.get(`${d.of}/${baseKey}`) : undefined;
  if (viaAlias !== undefined) return { name: viaAlias, ...(entries ? { entries } : {}) };
  if (d.of !== 'L') return l.unsupported('∂A/∂B', `${l.source(at)}: the derivative of one tensor by another is not read`, at, 'write what it stands for, or the gradient of the loss');
  const whole = nameKey(wrt);
  const full = whole !== undefined ? declaredNameOf(names, whole) : undefined;
  const of = full ?? (baseKey !== undefined ? declaredNameOf(names, baseKey) : undefined);
  if (of === undefined) return { name: `d${(whole ?? 'X').replace(/[^A-Za-z0-9_]/g, '')}` };
  if (isDeclared(names, `d${of}`)) return { name: `d${of}`, ...(full === undefined && entries ? { entries } : {}) };
  return otherGradient(l, `∂L/∂${of}`, of, at);
}

export function emitGradient(l: Lowering, g: { name: string; entries?: Tok[][] }, at: Span, toks: readonly Tok[], next: number): number {
  l.emit(g.name, 'name', at);
  if (g.entries) index(l, g.name, g.entries, at);
  return l.scripts(toks, next, { name: g.name });
}

export function fraction(l: Lowering, toks: readonly Tok[], i: number): number {
  const t = toks[i] as MacroTok;
  const [num, den] = t.args;
  if (!num || !den) return l.syntax(`\\${t.name} needs two arguments: \\${t.name}{a}{b}`, t);
  const numKey = nameKey(num);
  const bothDeclared = numKey !== undefined && isDeclared(l.ctx.names, numKey) && isDeclared(l.ctx.names, nameKey(den) ?? '');
  const d = bothDeclared ? undefined : derivativeKey(num, den);
  if (d) return emitGradient(l, gradient(l, d, t), t, toks, i + 1);
  l.emit('(', 'open', t);
  l.parenthesised(num, t);
  l.emit('/', 'op', t);
  l.parenthesised(den, t);
  l.emit(')', 'close', t);
  return l.scripts(toks, i + 1, undefined);
}

/** `\nabla_Y L`, `\nabla_{\mathbf{W}} \mathcal{L}`: the gradient of the loss with respect to Y. */
export function nabla(l: Lowering, toks: readonly Tok[], i: number): number {
  const t = toks[i]!;
  const sub = toks[i + 1];
  if (!isMacro(sub, '_')) return l.unsupported('\\nabla', '\\nabla without the variable as a subscript is not read', t, 'write \\nabla_W L');
  let next = i + 2;
  const k = l.next(toks, next);
  const loss = toks[k];
  if (loss && isLossKey(nameKey([loss]))) next = k + 1;
  const wrt = sub.args[0] ?? [];
  const wrtKey = nameKey(wrt);
  if (wrtKey === undefined) return l.unsupported('\\nabla', `${l.source({ start: t.start, end: sub.end })}: the variable is not a name`, t);
  return emitGradient(l, gradient(l, { of: 'L', wrt, key: `L/${wrtKey}` }, { start: t.start, end: toks[next - 1]!.end }), { start: t.start, end: toks[next - 1]!.end }, toks, next);
}

/** `\\partial Y` on its own: the differential written for the gradient dY; anything else is not read. */
export function partial(l: Lowering, toks: readonly Tok[], i: number): number {
  const t = toks[i]!;
  const k = l.next(toks, i + 1);
  // ∂L / ∂Y written inline.
  const slash = l.next(toks, k + 1);
  const second = l.next(toks, slash + 1);
  if (isLossKey(nameKey(toks.slice(k, k + 1))) && isChar(toks[slash], '/') && isMacro(toks[second], 'partial')) {
    const w = l.next(toks, second + 1);
    const end = isMacro(toks[w + 1], '_') ? w + 2 : w + 1;
    const key = nameKey(toks.slice(w, end));
    if (w < toks.length && key !== undefined) {
      const at = { start: t.start, end: toks[end - 1]!.end };
      return emitGradient(l, gradient(l, { of: 'L', wrt: toks.slice(w, end), key: `L/${key}` }, at), at, toks, end);
    }
  }
  const named = k < toks.length ? l.named(toks, k) : undefined;
  if (named?.kind === 'name') {
    const at = { start: t.start, end: toks[named.next - 1]!.end };
    return emitGradient(l, gradient(l, { of: 'L', wrt: toks.slice(k, named.next), key: `L/${named.name}` }, at), at, toks, named.next);
  }
  return l.unsupported('\\partial', '\\partial is read only in \\frac{\\partial L}{\\partial Y} and on the left of =', t, 'write the gradient\'s name (dY) or \\frac{\\partial L}{\\partial Y}');
}

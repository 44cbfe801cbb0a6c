import { application, isStep, step } from './applications.js';
import { otherGradient } from './derivatives.js';
import { functionOfName } from './functions.js';
import type { Lowering } from './lower.js';
import { declaredNameOf, isDeclared } from './names.js';
import { identityOrIndicator, ones } from './ones.js';
import { isTransposeSpelling } from './scripts.js';
import { type MacroTok, type Tok, isChar, isMacro, significant } from './tokens.js';

/**
 * Runs of letters: a definition or declared name (with its subscript, layer superscript or prime), `e^x`,
 * `I`, a function written in letters (`diag(…)`), `dS` (another target's gradient: flagged), letters of
 * declared names written together (`FCK^2`, `Wx`), and the unknown names a person must look at.
 */

/** A run of letters and digits: a definition, a declared name, a function, letters to multiply, or an unknown name. */
export function word(l: Lowering, toks: readonly Tok[], i: number): number {
  let j = i;
  let text = '';
  while (j < toks.length && isChar(toks[j]) && /[A-Za-z0-9]/.test((toks[j] as { ch: string }).ch)) text += (toks[j++] as { ch: string }).ch;
  const at = { start: toks[i]!.start, end: toks[j - 1]!.end };
  const names = l.ctx.names;
  if (text === 'e' && !isDeclared(names, 'e') && isMacro(toks[j], '^')) {
    const sup = toks[j] as MacroTok;
    // e^T, e^\top: the vector of ones (e^x is the exponential).
    if (isTransposeSpelling(sup) && (!isChar(significant(sup.args[0] ?? [])[0], 'T') || !isDeclared(names, 'T'))) {
      ones(l, undefined, at);
      return l.scripts(toks, j, undefined);
    }
    l.emit('exp', 'func', at);
    l.parenthesised(sup.args[0] ?? [], sup);
    return l.scripts(toks, j + 1, undefined);
  }
  if (text === 'I' && !isDeclared(names, 'I') && !l.named(toks, i)) return identityOrIndicator(l, toks, j, at);
  const named = l.named(toks, i, j);
  if (named) return l.emitNamed(named, at, toks, named.next);
  if (isStep(l, text) && isChar(toks[l.next(toks, j)], '(')) return step(l, toks, l.next(toks, j), at);
  const fn = functionOfName(text);
  if (fn && (isChar(toks[l.next(toks, j)], '(') || isChar(toks[j], "'"))) return application(l, fn, text, at, toks, j);
  const gradientOf = text.length > 1 && text.startsWith('d') ? declaredNameOf(names, text.slice(1)) : undefined;
  const isTensor = gradientOf !== undefined && names.symbols.has(gradientOf);
  if (isTensor) return otherGradient(l, `d${gradientOf}`, gradientOf!, at);
  if (text.length > 1 && /^[A-Za-z]+$/.test(text) && [...text].every((ch) => declaredNameOf(names, ch) !== undefined)) {
    // Juxtaposed declared letters (FCK, Wx): each is a name; scripts bind to the last one.
    for (let k = 0; k < text.length - 1; k++) l.emit(declaredNameOf(names, text[k]!)!, 'name', { start: at.start + k, end: at.start + k + 1 });
    const last = declaredNameOf(names, text[text.length - 1]!)!;
    const named1 = l.named(toks, j - 1, j);
    if (named1 && named1.kind === 'name') return l.emitNamed(named1, { start: at.end - 1, end: at.end }, toks, named1.next);
    l.emit(last, 'name', { start: at.end - 1, end: at.end });
    return l.scripts(toks, j, { name: last });
  }
  if (isChar(toks[j], "'") && isChar(toks[l.next(toks, j + 1)], '(')) {
    return l.unsupported(`${text}'`, `${text}'(…): the derivative of a function derivcheck does not know`, at, 'write the derivative out, e.g. \\sigma(a)(1 - \\sigma(a))');
  }
  if (text.length === 1 && isChar(toks[l.next(toks, j)], '(')) {
    // H(X), f(x): a one-letter function (a step, a generic f) that nothing declares.
    return l.unsupported(`${text}(…)`, `${text}(…) is not a function derivcheck knows here`, at, 'where a question declares it as the unit step, H(X) reads as (X > 0); otherwise write \\mathbb{1}[X > 0]');
  }
  const variant = [text.toUpperCase(), text.toLowerCase(), text[0]!.toUpperCase() + text.slice(1), text.slice(0, -1) + text[text.length - 1]!.toUpperCase()].find((w) => w !== text && names.symbols.has(w));
  if (variant !== undefined && isMacro(toks[j], '_')) {
    // x_n where X is given: a row of X, a column, or X itself? A person can tell.
    return l.unsupported(text, `${text} is not given, ${variant} is: what ${l.source({ start: at.start, end: toks[Math.min(j, toks.length - 1)]!.end })} stands for (${variant}, or a row or column of it) is not known`, at, `write it in terms of ${variant}`);
  }
  if (text.length === 1 && isChar(toks[j], "'") && !isDeclared(names, text)) {
    // k' as an index name (\sum_{k'} e^{z_{k'}}).
    l.emit(`${text}_prime`, 'name', { start: at.start, end: toks[j]!.end });
    return l.scripts(toks, j + 1, { name: `${text}_prime` });
  }
  l.emit(text, 'name', at);
  return l.scripts(toks, j, { name: text });
}

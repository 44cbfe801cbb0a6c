import { ARGUMENT, DERIVATIVES, REWRITES, functionOfName } from './functions.js';
import { emitGradient, otherGradient } from './derivatives.js';
import { isDeclared } from './names.js';
import { ChoiceRecorder } from './choices.js';
import { Lowering } from './lower.js';
import { OPERATORS } from './operators.js';
import { type MacroTok, type Span, type Tok, isChar, isMacro, plainText, significant, wordOf } from './tokens.js';

/**
 * Functions applied in LaTeX: `\\exp(x)`, `\\log x`, `\\operatorname{ReLU}(X)`, `\\sigma'(a)` (the
 * derivative, see functions.ts), `\\tanh^2(x)` (a power of the value), the unit step where a question
 * declares it (`\\theta(X)` → (X > 0)), and names in \\text{} or \\mathrm{}: a function, a mode ('full'),
 * `\\mathrm{d}W` (the gradient dW) or a name.
 */

/** Modes of conv2, corr2 and norm, written \\text{full}. */
const MODES = new Set(['full', 'valid', 'same', 'fro']);

/** Words of a condition written in text (`\\text{ if } X > 0`), outside a cases environment. */
const CONNECTIVES = new Set(['if', 'else', 'otherwise', 'when', 'where', 'for', 'and', 'or', 'with']);

export function textName(l: Lowering, toks: readonly Tok[], i: number): number {
  const t = toks[i] as MacroTok;
  const raw = wordOf(t.args[t.args.length - 1] ?? []);
  const word = raw?.replace(/^'(.*)'$/, '$1');
  if (word === undefined || word === '') return l.unsupported(`\\${t.name}`, `${l.source(t)}: only a name or a function name is read inside \\${t.name}`, t);
  if (CONNECTIVES.has(word.trim().toLowerCase())) {
    return l.unsupported(`\\${t.name}{${word.trim()}}`, `${l.source(t)}: a condition written in words is not read`, t, 'write a mask such as \\mathbb{1}[X > 0], or \\begin{cases}');
  }
  if (MODES.has(word)) {
    l.emit(`'${word}'`, 'name', t);
    return i + 1;
  }
  if (word === 'e' && isMacro(toks[i + 1], '^') && !isDeclared(l.ctx.names, 'e')) {
    // \mathrm{e}^{x}: the exponential.
    const sup = toks[i + 1] as MacroTok;
    l.emit('exp', 'func', t);
    l.parenthesised(sup.args[0] ?? [], sup);
    return l.scripts(toks, i + 2, undefined);
  }
  if (word === 'd' && (isChar(toks[i + 1]) || isMacro(toks[i + 1]))) {
    // \mathrm{d}W: the gradient dW.
    const named = l.named(toks, i + 1);
    if (named?.kind === 'name') {
      if (isDeclared(l.ctx.names, `d${named.name}`)) return emitGradient(l, { name: `d${named.name}` }, { start: t.start, end: toks[named.next - 1]!.end }, toks, named.next);
      return otherGradient(l, `\\mathrm{d}${named.name}`, named.name, t);
    }
  }
  const fn = functionOfName(word);
  if (fn) return application(l, fn, l.source(t), t, toks, i + 1);
  if ((isChar(toks[l.next(toks, i + 1)], '(') || t.name === 'operatorname') && !isDeclared(l.ctx.names, word)) {
    return l.unsupported(l.source(t), `${l.source(t)} is not a function derivcheck knows`, t, 'a person can check what it means');
  }
  l.emit(word, 'name', t);
  return l.scripts(toks, i + 1, { name: word });
}

/**
 * A function spelling applied to what follows: `(args)`, `{arg}`, a prime for its derivative
 * (`\sigma'(a)`), a power (`\tanh^2(x)`), or a single operand (`\log x`, `\exp z_{ij}`).
 */
export function application(l: Lowering, fn: string, written: string, at: Span, toks: readonly Tok[], j: number): number {
  let k = l.next(toks, j);
  // f'(x), f^\prime(x), f^{'}(x): the derivative.
  const primeScript = isMacro(toks[k], '^') && ['\\prime', "'"].includes(significant((toks[k] as MacroTok).args[0] ?? []).map((x) => (x.kind === 'macro' ? `\\${x.name}` : x.kind === 'char' ? x.ch : '')).join(''));
  const prime = isChar(toks[k], "'") || primeScript;
  if (prime) k = l.next(toks, k + 1);
  let power: MacroTok | undefined;
  if (isMacro(toks[k], '^')) {
    power = toks[k] as MacroTok;
    if (plainText(power.args[0] ?? []) === undefined) return l.unsupported(`${written}^{…}`, `${l.source(power)} on a function (an inverse or iterate) is not read`, power);
    k = l.next(toks, k + 1);
  }
  const next = toks[k];
  let arg: readonly Tok[];
  let after: number;
  if (isChar(next, '(')) {
    const close = l.closing(toks, k);
    arg = toks.slice(k + 1, close);
    after = close + 1;
  } else if (next?.kind === 'group') {
    arg = next.content;
    after = k + 1;
  } else if (next !== undefined && !prime) {
    // \log x, \exp z_{ij}, \log|X|: the argument is one operand; another operand right after it makes
    // the extent unclear, unless spacing sets it apart (\det X \, X^{-T}).
    const bar = isChar(next, '|') ? toks.findIndex((x, m) => m > k && isChar(x, '|')) : -1;
    const probe = new Lowering({ ...l.ctx, choices: new ChoiceRecorder(() => true) });
    after = bar > k ? bar + 1 : probe.primary(toks, k);
    arg = toks.slice(k, after);
    const beyond = l.next(toks, after);
    const following = toks[beyond];
    const spaced = toks.slice(after, beyond).some((x) => x.kind === 'space' && /^\\[,;:> ]|^\\q?quad/.test(l.source(x)));
    if (following !== undefined && !spaced && (isChar(following) ? /[A-Za-z0-9(]/.test(following.ch) : following.kind !== 'space' && !isMacro(following, ...OPERATORS.keys(), 'otimes', 'right'))) {
      return l.unsupported(`${written} without parentheses`, `${l.source({ start: at.start, end: following.end })}: where the argument of ${written} ends is unclear`, at, `write ${written}(…) with parentheses`);
    }
  } else {
    return l.syntax(`${written} needs its argument`, at, `write ${written}(x)`);
  }
  const rewrite = REWRITES.get(fn);
  if (rewrite && !prime) {
    rewrite.forEach((part, p) => {
      if (part === ARGUMENT) l.sequence(arg);
      else l.emit(part, p === 0 ? 'open' : p === rewrite.length - 1 ? 'close' : 'op', at);
    });
  } else if (prime) {
    const template = DERIVATIVES.get(fn);
    if (!template) return l.unsupported(`${written}'`, `${written}': the derivative of ${fn} is not read`, at);
    template.forEach((part, p) => {
      if (part === ARGUMENT) l.sequence(arg);
      else l.emit(part, p === 0 ? 'open' : p === template.length - 1 ? 'close' : 'op', at);
    });
  } else {
    if (written === '\\sigma') l.ctx.choices.sigmas.push({ start: at.start, end: at.end });
    l.emit(fn, 'func', at);
    l.emit('(', 'open', at);
    l.sequence(arg);
    l.emit(')', 'close', at);
  }
  if (power) {
    l.emit('.^', 'op', power);
    l.parenthesised(power.args[0] ?? [], power);
  }
  return l.scripts(toks, after, undefined);
}

export function isStep(l: Lowering, spelling: string): boolean {
  return (l.ctx.notation.step ?? []).includes(spelling);
}

/** The unit step where the question declares it: \theta(X) → (X > 0). */
export function step(l: Lowering, toks: readonly Tok[], open: number, at: Span): number {
  const close = l.closing(toks, open);
  l.emit('(', 'open', at);
  l.parenthesised(toks.slice(open + 1, close), at);
  l.emit('> 0', 'op', at);
  l.emit(')', 'close', toks[close]!);
  return l.scripts(toks, close + 1, undefined);
}

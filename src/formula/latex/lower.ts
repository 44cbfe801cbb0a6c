import { createRequire } from 'node:module';
import { FormulaSyntaxError, UnknownSymbolError, UnsupportedNotationError } from '../errors.js';
import type { LatexNotation } from '../parse.js';
import { ChoiceRecorder } from './choices.js';
import { lowerEnvironment } from './environments.js';
import { ARGUMENT, DERIVATIVES, type FunctionSpelling, functionOfCommand, functionOfName } from './functions.js';
import { GREEK, type NameTable, declaredNameOf, derivativeKey, isDeclared, isLossKey, nameKey, singletonAxes } from './names.js';
import { type LoweredLatex, type PieceKind, Pieces } from './pieces.js';
import { type MacroTok, type Span, type Tok, FONT_MACROS, TEXT_MACROS, depthChange, isChar, isDigit, isLetter, isMacro, plainText, significant, splitTopLevel, wordOf } from './tokens.js';

/**
 * Lowers one side of a LaTeX answer to formula text (see pieces.ts). Readings, besides the obvious ones:
 * `X^T`, `X^\top`, `X'` → X'; `\frac{a}{b}` → (a) / (b); `\frac{\partial L}{\partial Y}`, `\nabla_Y L`,
 * `\frac{dL}{dY}` → the declared name of that gradient; `\odot` `\circ` → .*; `\cdot` `\times` and
 * juxtaposition → * (the shapes decide matrix or elementwise product); `\otimes` → kron (or .* where the
 * question says so); `\sigma` → sigmoid and `\sigma'(u)` → σ(u)(1 − σ(u)); `\tanh^2(x)` → tanh(x).^2;
 * `e^{x}` → exp(x); `\mathbb{1}[X>0]` and its kin → (X > 0); `\mathbf{1}`, `1^T`, `I` → ones and eye of a
 * length the shapes infer; `K_{f,c,m,t}` → K[f, c, m, t], `K_{f,c}` → the plane K[f, c, :, :], `g_i` of
 * a column g → g[i, 1]; `\sum_{f=1}^{F} body` → sum(body, f, 1, F) (the body runs to the next + or − at
 * its level); `\delta_{ic}` → delta(i, c); matrices and cases: environments.ts.
 */

/** Operator commands and what they read as (\otimes is handled on its own). */
const OPERATORS: ReadonlyMap<string, string> = new Map([
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

const FRACTIONS = new Set(['frac', 'dfrac', 'tfrac', 'cfrac']);
const ACCENTS = new Set(['hat', 'widehat', 'bar', 'overline', 'tilde']);
const ELLIPSES = new Set(['cdots', 'ldots', 'dots', 'vdots', 'ddots']);
/** Commands that write the digit 1 or the letter I as a vector of ones, an identity or an indicator. */
const BLACKBOARD = new Set(['mathbb', 'mathbf', 'boldsymbol', 'bm', 'vec', 'mathbbm', 'mathds']);
const MODES = new Set(['full', 'valid', 'same', 'fro']);

/** Whether a token list holds a comparison at its top level (an indicator's condition, a case's). */
export function hasComparison(toks: readonly Tok[]): boolean {
  const s = significant(toks);
  // (X > 0) and \{X > 0\}: a condition in brackets.
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

/** Whether KaTeX knows the command: a command it does not know is a typo, one it knows is notation derivcheck does not read. */
function isKnownCommand(name: string): boolean {
  const katex = createRequire(import.meta.url)('katex') as { renderToString: (tex: string, options: object) => string };
  try {
    katex.renderToString(`\\${name}`, { throwOnError: true });
    return true;
  } catch (err) {
    return !String((err as Error).message).includes('Undefined control sequence');
  }
}

export interface LowerContext {
  readonly latex: string;
  readonly names: NameTable;
  readonly notation: LatexNotation;
  /** Names defined after the answer (`, \quad \delta = ...`): key → value tokens. */
  readonly definitions: ReadonlyMap<string, readonly Tok[]>;
  readonly choices: ChoiceRecorder;
}

/** A name read at a position: the declared name, or a definition to expand; `next` is the index after it. */
type Named = { readonly kind: 'name'; readonly name: string; readonly next: number; readonly entries?: readonly Tok[][] } | { readonly kind: 'definition'; readonly key: string; readonly value: readonly Tok[]; readonly next: number };

/** What precedes a superscript: a declared name, a number, or an expression. */
type Base = { readonly name: string } | 'number' | undefined;

export class Lowering {
  private readonly out: Pieces;
  /** Inside an indicator's or case's condition, `=` is a comparison. */
  private inCondition = 0;
  private readonly expanding = new Set<string>();

  constructor(readonly ctx: LowerContext) {
    this.out = new Pieces(ctx.latex.length);
  }

  result(): LoweredLatex {
    return this.out.result();
  }

  emit(text: string, kind: PieceKind, at: Span): void {
    this.out.emit(text, kind, at);
  }

  syntax(what: string, at: Span, hint = ''): never {
    throw new FormulaSyntaxError(what, { text: this.ctx.latex, span: at }, hint);
  }

  unsupported(construct: string, what: string, at: Span, hint = ''): never {
    throw new UnsupportedNotationError(construct, what, { text: this.ctx.latex, span: at }, hint);
  }

  source(at: Span): string {
    return this.ctx.latex.slice(at.start, at.end);
  }

  /** Lowers a token sequence (a side, a group, an argument). */
  sequence(toks: readonly Tok[]): void {
    let i = 0;
    while (i < toks.length) i = this.item(toks, i);
  }

  /** Lowers a condition (`X > 0`, `k = c_b`), where = compares. */
  condition(toks: readonly Tok[]): void {
    this.inCondition++;
    try {
      this.sequence(toks);
    } finally {
      this.inCondition--;
    }
  }

  /** `(toks)` as one parenthesised operand. */
  parenthesised(toks: readonly Tok[], at: Span): void {
    this.emit('(', 'open', at);
    this.sequence(toks);
    this.emit(')', 'close', at);
  }

  private next(toks: readonly Tok[], i: number): number {
    while (i < toks.length && toks[i]!.kind === 'space') i++;
    return i;
  }

  /** The index of the ) or ] that closes the bracket at toks[i]. */
  private closing(toks: readonly Tok[], i: number): number {
    let depth = 0;
    for (let j = i; j < toks.length; j++) {
      depth += depthChange(toks[j]!);
      if (depth === 0) return j;
    }
    return this.syntax('this bracket is never closed', toks[i]!, 'every ( needs its )');
  }

  /** Lowers the item at toks[i]; returns the index after it. */
  private item(toks: readonly Tok[], i: number): number {
    const t = toks[i]!;
    switch (t.kind) {
      case 'space':
        return i + 1;
      case 'group':
        return this.group(toks, i);
      case 'env':
        lowerEnvironment(this, t);
        return this.scripts(toks, i + 1, undefined);
      case 'char':
        return this.char(toks, i);
      case 'macro':
        return this.macro(toks, i);
    }
  }

  /** One operand: an item, or a bracketed group through its closing bracket and scripts. */
  private primary(toks: readonly Tok[], i: number): number {
    const t = toks[i];
    if (isChar(t, '(')) {
      const close = this.closing(toks, i);
      this.parenthesised(toks.slice(i + 1, close), t);
      return this.scripts(toks, close + 1, undefined);
    }
    return this.item(toks, i);
  }

  private group(toks: readonly Tok[], i: number): number {
    const t = toks[i] as Extract<Tok, { kind: 'group' }>;
    const named = this.named([t], 0);
    if (named && named.next === 1) return this.emitNamed(named, t, toks, i + 1);
    this.parenthesised(t.content, t);
    return this.scripts(toks, i + 1, undefined);
  }

  private char(toks: readonly Tok[], i: number): number {
    const t = toks[i] as Extract<Tok, { kind: 'char' }>;
    const c = t.ch;
    if (isLetter(c)) return this.word(toks, i);
    if (isDigit(c) || c === '.') return this.number(toks, i);
    switch (c) {
      case '(':
        this.emit('(', 'open', t);
        return i + 1;
      case ')':
        this.emit(')', 'close', t);
        return this.scripts(toks, i + 1, undefined);
      case '[':
        return this.bracket(toks, i);
      case ']':
        this.emit(']', 'close', t);
        return this.scripts(toks, i + 1, undefined);
      case "'":
        this.emit("'", 'postfix', t);
        return this.scripts(toks, i + 1, undefined);
      case '|':
        return this.bar(toks, i, 'abs');
      case '=':
        if (this.inCondition > 0) {
          this.emit('==', 'op', t);
          return i + 1;
        }
        return this.syntax('= can only separate the left side from the answer', t, 'write one answer: dW = X^T dY');
      case '&':
        return this.syntax('a stray & (alignment) outside a matrix or cases', t);
      default:
        this.emit(c, 'op', t);
        return i + 1;
    }
  }

  private number(toks: readonly Tok[], i: number): number {
    let j = i;
    let text = '';
    while (j < toks.length) {
      const t = toks[j]!;
      if (t.kind !== 'char' || !(isDigit(t.ch) || (t.ch === '.' && !text.includes('.')))) break;
      text += t.ch;
      j++;
    }
    const at = { start: toks[i]!.start, end: toks[j - 1]!.end };
    if (text === '.') return this.syntax('a stray full stop', at);
    // 1_{X > 0}: an indicator; 1^T, 1^\top: a row of ones.
    if (text === '1' && isMacro(toks[j], '_') && hasComparison((toks[j] as MacroTok).args[0] ?? [])) return this.onesOrIndicator(toks, j, at);
    if (text === '1' && isMacro(toks[j], '^') && this.isTransposeSpelling(toks[j] as MacroTok)) {
      this.ones(undefined, at);
      return this.scripts(toks, j, undefined);
    }
    this.emit(text, 'number', at);
    return this.scripts(toks, j, 'number');
  }

  /** `[cond]` (an Iverson bracket), `[...]` (grouping), or `A[i, j]` right after a name (an index). */
  private bracket(toks: readonly Tok[], i: number): number {
    const t = toks[i]!;
    const close = this.closing(toks, i);
    const inner = toks.slice(i + 1, close);
    if (hasComparison(inner)) {
      this.emit('(', 'open', t);
      this.condition(inner);
      this.emit(')', 'close', toks[close]!);
      return this.scripts(toks, close + 1, undefined);
    }
    const prev = toks[i - 1];
    if (this.out.endsOperand() && prev?.kind === 'char' && (isLetter(prev.ch) || isDigit(prev.ch))) {
      this.emit('[', 'openIndex', t);
      return i + 1;
    }
    this.parenthesised(inner, t);
    return this.scripts(toks, close + 1, undefined);
  }

  /** `|x|` → abs(x), `\|x\|` → norm(x): a bar opens after an operator and closes after an operand. */
  private bar(toks: readonly Tok[], i: number, fn: string): number {
    const t = toks[i]!;
    if (this.out.endsOperand()) {
      this.emit(')', 'close', t);
      return this.scripts(toks, i + 1, undefined);
    }
    this.emit(fn, 'func', t);
    this.emit('(', 'open', t);
    return i + 1;
  }

  /** A run of letters and digits: a definition, a declared name, a function, letters to multiply, or an unknown name. */
  private word(toks: readonly Tok[], i: number): number {
    let j = i;
    let word = '';
    while (j < toks.length && isChar(toks[j]) && /[A-Za-z0-9]/.test((toks[j] as { ch: string }).ch)) word += (toks[j++] as { ch: string }).ch;
    const at = { start: toks[i]!.start, end: toks[j - 1]!.end };
    const names = this.ctx.names;
    if (word === 'e' && !isDeclared(names, 'e') && isMacro(toks[j], '^')) {
      const sup = toks[j] as MacroTok;
      this.emit('exp', 'func', at);
      this.parenthesised(sup.args[0] ?? [], sup);
      return this.scripts(toks, j + 1, undefined);
    }
    if (word === 'I' && !isDeclared(names, 'I') && !this.named(toks, i)) return this.identityOrIndicator(toks, j, at);
    const named = this.named(toks, i, j);
    if (named) return this.emitNamed(named, at, toks, named.next);
    if (this.isStep(word) && isChar(toks[this.next(toks, j)], '(')) return this.step(toks, this.next(toks, j), at);
    const fn = functionOfName(word);
    if (fn && (isChar(toks[this.next(toks, j)], '(') || isChar(toks[j], "'"))) return this.application(fn, word, at, toks, j);
    const gradientOf = word.length > 1 && word.startsWith('d') ? declaredNameOf(names, word.slice(1)) : undefined;
    const isTensor = gradientOf !== undefined && names.symbols.has(gradientOf);
    if (isTensor) return this.otherGradient(`d${gradientOf}`, gradientOf!, at);
    if (word.length > 1 && /^[A-Za-z]+$/.test(word) && [...word].every((ch) => declaredNameOf(names, ch) !== undefined)) {
      // Juxtaposed declared letters (FCK, Wx): each is a name; scripts bind to the last one.
      for (let k = 0; k < word.length - 1; k++) this.emit(declaredNameOf(names, word[k]!)!, 'name', { start: at.start + k, end: at.start + k + 1 });
      const last = declaredNameOf(names, word[word.length - 1]!)!;
      const named1 = this.named(toks, j - 1, j);
      if (named1 && named1.kind === 'name') return this.emitNamed(named1, { start: at.end - 1, end: at.end }, toks, named1.next);
      this.emit(last, 'name', { start: at.end - 1, end: at.end });
      return this.scripts(toks, j, { name: last });
    }
    if (isChar(toks[j], "'") && isChar(toks[this.next(toks, j + 1)], '(')) {
      return this.unsupported(`${word}'`, `${word}'(…): the derivative of a function derivcheck does not know`, at, 'write the derivative out, e.g. \\sigma(a)(1 - \\sigma(a))');
    }
    if (word.length === 1 && isChar(toks[this.next(toks, j)], '(')) {
      // H(X), f(x): a one-letter function (a step, a generic f) that nothing declares.
      return this.unsupported(`${word}(…)`, `${word}(…) is not a function derivcheck knows here`, at, 'where a question declares it as the unit step, H(X) reads as (X > 0); otherwise write \\mathbb{1}[X > 0]');
    }
    this.emit(word, 'name', at);
    return this.scripts(toks, j, { name: word });
  }

  /**
   * The name spelled from toks[i] (a letter run ending at `end`, or one command or group), with a
   * subscript, a layer superscript (^{[2]}) or a prime when the longer spelling is a definition, an alias or
   * a declared name. `x_{3,i}`: the first subscript entry may complete the name and the rest index it.
   */
  named(toks: readonly Tok[], i: number, end = i + 1): Named | undefined {
    const extents: number[] = [];
    const script = toks[end];
    if (isMacro(script, '_', '^')) {
      if (isChar(toks[end + 1], "'")) extents.push(end + 2);
      extents.push(end + 1);
    }
    if (isChar(script, "'")) extents.push(end + 1);
    extents.push(end);
    for (const e of extents) {
      const key = nameKey(toks.slice(i, e));
      if (key === undefined) continue;
      const value = this.ctx.definitions.get(key);
      if (value !== undefined) return { kind: 'definition', key, value, next: e };
      const name = declaredNameOf(this.ctx.names, key);
      if (name !== undefined) return { kind: 'name', name, next: e };
    }
    if (isMacro(script, '_')) {
      const entries = splitTopLevel(script.args[0] ?? [], (t) => isChar(t, ','));
      const baseKey = nameKey(toks.slice(i, end));
      const first = entries.length > 1 ? plainText(entries[0]!) : undefined;
      const name = baseKey !== undefined && first ? declaredNameOf(this.ctx.names, `${baseKey}_${first}`) : undefined;
      if (name !== undefined) return { kind: 'name', name, next: end + 1, entries: entries.slice(1) };
    }
    return undefined;
  }

  /** Emits a name read by `named`, expanding a definition in parentheses. */
  private emitNamed(named: Named, at: Span, toks: readonly Tok[], next: number): number {
    if (named.kind === 'definition') {
      if (this.expanding.has(named.key)) return this.syntax(`${this.source(at)} is defined in terms of itself`, at);
      this.expanding.add(named.key);
      this.parenthesised(named.value, at);
      this.expanding.delete(named.key);
      return this.scripts(toks, next, undefined);
    }
    this.emit(named.name, 'name', at);
    if (named.entries) this.index(named.name, named.entries, at);
    return this.scripts(toks, next, { name: named.name });
  }

  /** Subscripts (indices) and superscripts (transpose or power) after an operand. */
  scripts(toks: readonly Tok[], j: number, base: Base): number {
    for (;;) {
      const k = isMacro(toks[this.next(toks, j)], '_', '^') ? this.next(toks, j) : j;
      const t = toks[k];
      if (!isMacro(t, '_', '^')) return j;
      if (t.name === '_') {
        if (base === undefined || base === 'number') {
          return this.unsupported('(…)_{…}', 'a subscript on an expression (indexing its value) is not read', t, 'index the tensors inside it: (X^T dY)_{ij} = \\sum_n X_{ni} dY_{nj}');
        }
        this.index(base.name, splitTopLevel(t.args[0] ?? [], (x) => isChar(x, ',')), t);
      } else {
        this.superscript(t, base);
      }
      base = undefined;
      j = k + 1;
    }
  }

  /** Whether a superscript is spelled as a transpose: T, \\top, \\intercal, \\mathsf{T}, \\prime. */
  private isTransposeSpelling(t: MacroTok): boolean {
    const arg = significant(t.args[0] ?? []);
    if (arg.length !== 1) return false;
    const only = arg[0]!;
    if (isMacro(only, 'top', 'intercal', 'prime')) return true;
    if (isMacro(only, 'mathsf', 'mathrm', 'mathbf', 'mathit', 'text', 'textsf') && wordOf(only.args[0] ?? []) === 'T') return true;
    return isChar(only, 'T');
  }

  /** Whether a superscript transposes its base. Where T is also a dimension, `x^T` of a scalar is a power. */
  private transposes(t: MacroTok, base: Base): boolean {
    if (!this.isTransposeSpelling(t)) return false;
    const only = significant(t.args[0] ?? [])[0]!;
    if (!isChar(only, 'T') || !isDeclared(this.ctx.names, 'T')) return true;
    if (base === 'number') return false;
    if (base !== undefined) return !this.isScalarName(base.name);
    this.ctx.choices.transposes.push({ start: t.start, end: t.end });
    return true;
  }

  private isScalarName(name: string): boolean {
    return this.ctx.names.dims.has(name) || this.ctx.names.symbols.get(name)?.length === 0;
  }

  private superscript(t: MacroTok, base: Base): void {
    if (this.transposes(t, base)) {
      this.emit("'", 'postfix', t);
      return;
    }
    const arg = significant(t.args[0] ?? []);
    const span = { start: t.start, end: t.end };
    const text = arg.length > 0 ? this.source({ start: arg[0]!.start, end: arg[arg.length - 1]!.end }).replace(/\s+/g, '') : '';
    if (/^-(\\top|T|\\intercal)$/.test(text)) this.unsupported('^{-T}', `^{${text}}: the inverse transpose is not read yet`, span);
    if (arg.some((x) => isMacro(x, 'star', 'ast', 'dagger') || isChar(x, '*') || isChar(x, '+'))) {
      this.unsupported(`^{${text}}`, `^{${text}}: a starred or daggered name is only read on the left of =`, span);
    }
    if (text === '-1') {
      if (base !== undefined && base !== 'number' && !this.isScalarName(base.name)) this.unsupported('^{-1}', `${base.name}^{-1}: the matrix inverse is not read yet`, span);
      if (base === undefined) this.ctx.choices.inverses.push(span);
    }
    this.emit('.^', 'op', t);
    this.parenthesised(t.args[0] ?? [], t);
  }

  /**
   * Index entries after a declared name: `_{ij}` (single letters) or `_{i-m+1, j}`. Fewer entries than
   * axes fill the axes of size 1 (g_i of a column g → g[i, 1]) or, failing that, the trailing axes with
   * whole slices (K_{f,c} of an F×C×kh×kw K → K[f, c, :, :]).
   */
  index(name: string, entries: readonly Tok[][], at: Span): void {
    const split = entries.length === 1 ? this.letterIndices(entries[0]!) : entries;
    const info = singletonAxes(this.ctx.names, name);
    let slots: (readonly Tok[] | '1' | ':')[] = [...split];
    if (info && split.length < info.rank) {
      if (info.singletons.length === info.rank - split.length) {
        const rest = [...split];
        slots = Array.from({ length: info.rank }, (_, axis) => (info.singletons.includes(axis) ? '1' : rest.shift()!));
      } else if (info.rank - split.length >= 2) {
        slots = [...split, ...Array.from({ length: info.rank - split.length }, () => ':' as const)];
      } else {
        // x_t of an X×T matrix: a row or a column?
        this.unsupported(`${name}_{…}`, `${this.source(at)}: ${split.length} ind${split.length === 1 ? 'ex' : 'ices'} of ${name}, which has ${info.rank} axes: which axis is left whole is not clear`, at, `write every index, with : for a whole axis: ${name}_{:,t}`);
      }
    }
    this.emit('[', 'openIndex', at);
    slots.forEach((slot, k) => {
      if (k > 0) this.emit(',', 'op', at);
      if (slot === '1' || slot === ':') this.emit(slot, slot === '1' ? 'number' : 'op', at);
      else this.sequence(slot);
    });
    this.emit(']', 'close', at);
  }

  /** `ij`, `kc_b`, `nfij`: juxtaposed single letters (each perhaps with its own subscript) are one index each. */
  private letterIndices(entry: readonly Tok[]): Tok[][] {
    const s = significant(entry);
    const word = plainText(s);
    if (word !== undefined && (word.length < 2 || isDeclared(this.ctx.names, word) || !/^[A-Za-z]+$/.test(word))) return [s];
    const out: Tok[][] = [];
    for (const t of s) {
      if (isChar(t) && isLetter(t.ch)) out.push([t]);
      else if (isMacro(t, '_') && out.length > 0) out[out.length - 1]!.push(t);
      else if (t.kind === 'macro' && GREEK.has(t.name)) out.push([t]);
      else return [s];
    }
    return out.length > 1 ? out : [s];
  }

  /** A derivative written as a name (dS, ∂L/∂S) of a declared tensor whose gradient is not given: another target's answer. */
  private otherGradient(written: string, of: string, at: Span): never {
    return this.unsupported(written, `${this.source(at)} is the gradient with respect to ${of}, which this problem does not give`, at, 'an answer may use the given quantities only; write that gradient out (a person can check answers that build on earlier ones)');
  }

  /** The gradient a derivative spelling names: its declared alias, or d<name> when that is declared. */
  private gradient(d: { of: string; wrt: readonly Tok[]; key: string }, at: Span): { name: string; entries?: Tok[][] } {
    const names = this.ctx.names;
    const alias = names.aliases.get(d.key);
    if (alias !== undefined) return { name: alias };
    const wrt = significant(d.wrt);
    const sub = isMacro(wrt[wrt.length - 1], '_') ? (wrt[wrt.length - 1] as MacroTok) : undefined;
    const baseToks = sub ? wrt.slice(0, -1) : wrt;
    const baseKey = nameKey(baseToks);
    const entries = sub ? splitTopLevel(sub.args[0] ?? [], (x) => isChar(x, ',')) : undefined;
    const viaAlias = baseKey !== undefined ? names.aliases.get(`${d.of}/${baseKey}`) : undefined;
    if (viaAlias !== undefined) return { name: viaAlias, ...(entries ? { entries } : {}) };
    if (d.of !== 'L') return this.unsupported('∂A/∂B', `${this.source(at)}: the derivative of one tensor by another is not read`, at, 'write what it stands for, or the gradient of the loss');
    const whole = nameKey(wrt);
    const full = whole !== undefined ? declaredNameOf(names, whole) : undefined;
    const of = full ?? (baseKey !== undefined ? declaredNameOf(names, baseKey) : undefined);
    if (of === undefined) return { name: `d${(whole ?? 'X').replace(/[^A-Za-z0-9_]/g, '')}` };
    if (isDeclared(names, `d${of}`)) return { name: `d${of}`, ...(full === undefined && entries ? { entries } : {}) };
    return this.otherGradient(`∂L/∂${of}`, of, at);
  }

  private emitGradient(g: { name: string; entries?: Tok[][] }, at: Span, toks: readonly Tok[], next: number): number {
    this.emit(g.name, 'name', at);
    if (g.entries) this.index(g.name, g.entries, at);
    return this.scripts(toks, next, { name: g.name });
  }

  private macro(toks: readonly Tok[], i: number): number {
    const t = toks[i] as MacroTok;
    const name = t.name;
    const op = OPERATORS.get(name);
    if (op !== undefined) {
      this.emit(op, 'op', t);
      return i + 1;
    }
    if (name === 'otimes') return this.otimes(toks, i);
    if (name === '^' || name === '_') return this.syntax(`a ${name === '^' ? 'superscript' : 'subscript'} needs something before it`, t);
    if (FRACTIONS.has(name)) return this.fraction(toks, i);
    if (name === 'sqrt') {
      this.emit('sqrt', 'func', t);
      this.parenthesised(t.args[0] ?? [], t);
      if (t.optional) {
        // \sqrt[n]{x} = x^(1/n): sqrt(x) .^ (2 / n).
        this.emit('.^', 'op', t);
        this.emit('(', 'open', t);
        this.emit('2 /', 'op', t);
        this.parenthesised(t.optional, t);
        this.emit(')', 'close', t);
      }
      return this.scripts(toks, i + 1, undefined);
    }
    if (name === 'lceil' || name === 'lfloor') {
      this.emit(name === 'lceil' ? 'ceil' : 'floor', 'func', t);
      this.emit('(', 'open', t);
      return i + 1;
    }
    if (name === 'rceil' || name === 'rfloor') {
      this.emit(')', 'close', t);
      return this.scripts(toks, i + 1, undefined);
    }
    if (name === '|' || name === 'Vert' || name === 'lVert' || name === 'rVert') return this.bar(toks, i, 'norm');
    if (name === 'vert' || name === 'lvert' || name === 'rvert') return this.bar(toks, i, 'abs');
    if (name === 'sum') return this.sum(toks, i);
    if (name === 'nabla') return this.nabla(toks, i);
    if (name === '\\') return i + 1;
    const named = this.named(toks, i);
    if (named) return this.emitNamed(named, t, toks, named.next);
    if (name === 'delta' && isMacro(toks[i + 1], '_')) {
      const sub = toks[i + 1] as MacroTok;
      this.emit('delta', 'func', t);
      this.emit('(', 'open', t);
      const entries = splitTopLevel(sub.args[0] ?? [], (x) => isChar(x, ','));
      const split = entries.length === 1 ? this.letterIndices(entries[0]!) : entries;
      split.forEach((e, k) => {
        if (k > 0) this.emit(',', 'op', sub);
        this.sequence(e);
      });
      this.emit(')', 'close', sub);
      return i + 2;
    }
    if (BLACKBOARD.has(name)) {
      const inner = wordOf(t.args[0] ?? []);
      if (inner === '1') return this.onesOrIndicator(toks, i + 1, t);
      if (inner === 'I') return this.identityOrIndicator(toks, i + 1, t);
    }
    if (this.isStep(`\\${name}`) && isChar(toks[this.next(toks, i + 1)], '(')) return this.step(toks, this.next(toks, i + 1), t);
    const fn = functionOfCommand(name);
    if (fn && !isDeclared(this.ctx.names, name)) return this.application(fn, `\\${name}`, t, toks, i + 1);
    if (TEXT_MACROS.has(name) || FONT_MACROS.has(name)) return this.textName(toks, i);
    if (GREEK.has(name)) {
      if (isChar(toks[this.next(toks, i + 1)], '(')) {
        return this.unsupported(`\\${name}(…)`, `\\${name}(…) is not a function derivcheck knows here`, t, name === 'theta' || name === 'Theta' ? 'where a question declares \\theta as the unit step, \\theta(X) reads as (X > 0); otherwise write \\mathbb{1}[X > 0]' : '');
      }
      const known = [...this.ctx.names.symbols.keys(), ...this.ctx.names.dims];
      throw new UnknownSymbolError(`unknown symbol \\${name}`, { text: this.ctx.latex, span: t }, name, [], `\\${name} is neither given nor defined here (known names: ${known.join(', ')})`);
    }
    if (ACCENTS.has(name)) return this.unsupported(`\\${name}`, `${this.source(t)}: what the accent means here is not known`, t, 'a question can declare it as a spelling of a given name');
    if (ELLIPSES.has(name)) return this.unsupported(`\\${name}`, `${this.source(t)}: an answer written with an ellipsis is not read`, t, 'write the general entry (index notation) or the whole-matrix formula');
    if (name === 'partial') return this.unsupported('\\partial', '\\partial is read only in \\frac{\\partial L}{\\partial Y} and on the left of =', t, 'write the gradient\'s name (dY) or \\frac{\\partial L}{\\partial Y}');
    if (isKnownCommand(name)) return this.unsupported(`\\${name}`, `the LaTeX command \\${name} is not read in an answer`, t);
    return this.syntax(`unknown LaTeX command \\${name}`, t, 'check its spelling');
  }

  private textName(toks: readonly Tok[], i: number): number {
    const t = toks[i] as MacroTok;
    const raw = wordOf(t.args[t.args.length - 1] ?? []);
    const word = raw?.replace(/^'(.*)'$/, '$1');
    if (word === undefined || word === '') return this.unsupported(`\\${t.name}`, `${this.source(t)}: only a name or a function name is read inside \\${t.name}`, t);
    if (MODES.has(word)) {
      this.emit(`'${word}'`, 'name', t);
      return i + 1;
    }
    if (word === 'd' && (isChar(toks[i + 1]) || isMacro(toks[i + 1]))) {
      // \mathrm{d}W: the gradient dW.
      const named = this.named(toks, i + 1);
      if (named?.kind === 'name') {
        if (isDeclared(this.ctx.names, `d${named.name}`)) return this.emitGradient({ name: `d${named.name}` }, { start: t.start, end: toks[named.next - 1]!.end }, toks, named.next);
        return this.otherGradient(`\\mathrm{d}${named.name}`, named.name, t);
      }
    }
    const fn = functionOfName(word);
    if (fn) return this.application(fn, this.source(t), t, toks, i + 1);
    if (isChar(toks[this.next(toks, i + 1)], '(') && !isDeclared(this.ctx.names, word)) {
      return this.unsupported(this.source(t), `${this.source(t)} is not a function derivcheck knows`, t, 'a person can check what it means');
    }
    this.emit(word, 'name', t);
    return this.scripts(toks, i + 1, { name: word });
  }

  /**
   * A function spelling applied to what follows: `(args)`, `{arg}`, a prime for its derivative
   * (`\sigma'(a)`), a power (`\tanh^2(x)`), or a single operand (`\log x`, `\exp z_{ij}`).
   */
  private application(fn: FunctionSpelling, written: string, at: Span, toks: readonly Tok[], j: number): number {
    if (!fn.available) return this.unsupported(written, `${written} (${fn.fn}) is not a function derivcheck reads yet`, at);
    let k = this.next(toks, j);
    const prime = isChar(toks[k], "'");
    if (prime) k = this.next(toks, k + 1);
    let power: MacroTok | undefined;
    if (isMacro(toks[k], '^')) {
      power = toks[k] as MacroTok;
      if (plainText(power.args[0] ?? []) === undefined) return this.unsupported(`${written}^{…}`, `${this.source(power)} on a function (an inverse or iterate) is not read`, power);
      k = this.next(toks, k + 1);
    }
    const next = toks[k];
    let arg: readonly Tok[];
    let after: number;
    if (isChar(next, '(')) {
      const close = this.closing(toks, k);
      arg = toks.slice(k + 1, close);
      after = close + 1;
    } else if (next?.kind === 'group') {
      arg = next.content;
      after = k + 1;
    } else if (next !== undefined && !prime) {
      // \log x, \exp z_{ij}: the argument is one operand; another operand right after it makes the extent unclear.
      const probe = new Lowering({ ...this.ctx, choices: new ChoiceRecorder(() => true) });
      after = probe.primary(toks, k);
      arg = toks.slice(k, after);
      const following = toks[this.next(toks, after)];
      if (following !== undefined && (isChar(following) ? /[A-Za-z0-9(]/.test(following.ch) : following.kind !== 'space' && !isMacro(following, ...OPERATORS.keys(), 'otimes', 'right'))) {
        return this.unsupported(`${written} without parentheses`, `${this.source({ start: at.start, end: following.end })}: where the argument of ${written} ends is unclear`, at, `write ${written}(…) with parentheses`);
      }
    } else {
      return this.syntax(`${written} needs its argument`, at, `write ${written}(x)`);
    }
    if (prime) {
      const template = DERIVATIVES.get(fn.fn);
      if (!template) return this.unsupported(`${written}'`, `${written}': the derivative of ${fn.fn} is not read`, at);
      template.forEach((part, p) => {
        if (part === ARGUMENT) this.sequence(arg);
        else this.emit(part, p === 0 ? 'open' : p === template.length - 1 ? 'close' : 'op', at);
      });
    } else {
      this.emit(fn.fn, 'func', at);
      this.emit('(', 'open', at);
      this.sequence(arg);
      this.emit(')', 'close', at);
    }
    if (power) {
      this.emit('.^', 'op', power);
      this.parenthesised(power.args[0] ?? [], power);
    }
    return this.scripts(toks, after, undefined);
  }

  private isStep(spelling: string): boolean {
    return (this.ctx.notation.step ?? []).includes(spelling);
  }

  /** The unit step where the question declares it: \theta(X) → (X > 0). */
  private step(toks: readonly Tok[], open: number, at: Span): number {
    const close = this.closing(toks, open);
    this.emit('(', 'open', at);
    this.parenthesised(toks.slice(open + 1, close), at);
    this.emit('> 0', 'op', at);
    this.emit(')', 'close', toks[close]!);
    return this.scripts(toks, close + 1, undefined);
  }

  private fraction(toks: readonly Tok[], i: number): number {
    const t = toks[i] as MacroTok;
    const [num, den] = t.args;
    if (!num || !den) return this.syntax(`\\${t.name} needs two arguments: \\${t.name}{a}{b}`, t);
    const numKey = nameKey(num);
    const bothDeclared = numKey !== undefined && isDeclared(this.ctx.names, numKey) && isDeclared(this.ctx.names, nameKey(den) ?? '');
    const d = bothDeclared ? undefined : derivativeKey(num, den);
    if (d) return this.emitGradient(this.gradient(d, t), t, toks, i + 1);
    this.emit('(', 'open', t);
    this.parenthesised(num, t);
    this.emit('/', 'op', t);
    this.parenthesised(den, t);
    this.emit(')', 'close', t);
    return this.scripts(toks, i + 1, undefined);
  }

  /** `\nabla_Y L`, `\nabla_{\mathbf{W}} \mathcal{L}`: the gradient of the loss with respect to Y. */
  private nabla(toks: readonly Tok[], i: number): number {
    const t = toks[i]!;
    const sub = toks[i + 1];
    if (!isMacro(sub, '_')) return this.unsupported('\\nabla', '\\nabla without the variable as a subscript is not read', t, 'write \\nabla_W L');
    let next = i + 2;
    const k = this.next(toks, next);
    const loss = toks[k];
    if (loss && isLossKey(nameKey([loss]))) next = k + 1;
    const wrt = sub.args[0] ?? [];
    const wrtKey = nameKey(wrt);
    if (wrtKey === undefined) return this.unsupported('\\nabla', `${this.source({ start: t.start, end: sub.end })}: the variable is not a name`, t);
    return this.emitGradient(this.gradient({ of: 'L', wrt, key: `L/${wrtKey}` }, { start: t.start, end: toks[next - 1]!.end }), { start: t.start, end: toks[next - 1]!.end }, toks, next);
  }

  /** `A \otimes B`: kron(A, B), or A .* B where the question writes ⊗ for the elementwise product. */
  private otimes(toks: readonly Tok[], i: number): number {
    const t = toks[i]!;
    if (this.ctx.notation.otimes === 'elementwise') {
      this.emit('.*', 'op', t);
      return i + 1;
    }
    const at = this.out.operandStart();
    if (this.out.length === 0) return this.syntax('\\otimes needs an operand on each side', t);
    this.out.insert(at, [
      { text: 'kron', kind: 'func', span: t },
      { text: '(', kind: 'open', span: t },
    ]);
    this.ctx.choices.otimes.push({ start: t.start, end: t.end });
    this.emit(',', 'op', t);
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
    if (toks.slice(i + 1, j).every((x) => x.kind === 'space')) return this.syntax('\\otimes needs an operand on each side', t);
    this.sequence(toks.slice(i + 1, j));
    this.emit(')', 'close', t);
    return j;
  }

  /**
   * `\mathbf{1}` and its kin: an indicator when a condition follows (`[X > 0]`, `(X > 0)`, `_{X > 0}`),
   * else a vector of ones: `_N` a column of N, `_{2\times 2}` a matrix of ones, no size a column whose
   * length the shapes decide (transposed: a row).
   */
  private onesOrIndicator(toks: readonly Tok[], j: number, at: Span): number {
    const k = this.next(toks, j);
    const next = toks[k];
    if (isChar(next, '[') || (isChar(next, '(') && hasComparison(toks.slice(k + 1, this.closing(toks, k))))) {
      const close = this.closing(toks, k);
      this.emit('(', 'open', at);
      this.condition(toks.slice(k + 1, close));
      this.emit(')', 'close', toks[close]!);
      return this.scripts(toks, close + 1, undefined);
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
      this.emit('(', 'open', at);
      this.condition(sub.args[0] ?? []);
      this.emit(')', 'close', sub);
    } else {
      this.ones(sub ? splitTopLevel(sub.args[0] ?? [], (x) => isMacro(x, 'times') || isChar(x, ',')) : undefined, at);
    }
    if (sup) this.superscript(sup, undefined);
    return this.scripts(toks, end, undefined);
  }

  /** ones(n, 1), ones(a, b), or ones(len, 1) with the length left to the shapes. */
  private ones(sizes: readonly Tok[][] | undefined, at: Span): void {
    this.emit('ones', 'func', at);
    this.emit('(', 'open', at);
    if (sizes === undefined) {
      this.emit(this.ctx.choices.hole(this.source(at) || '1', at), 'name', at);
    } else {
      this.sequence(sizes[0]!);
    }
    this.emit(',', 'op', at);
    if (sizes !== undefined && sizes.length > 1) this.sequence(sizes[1]!);
    else this.emit('1', 'number', at);
    this.emit(')', 'close', at);
  }

  /** `I` and `\mathbb{I}`: an indicator before `[cond]` or `(cond)`, else an identity (`I_n`: of size n). */
  private identityOrIndicator(toks: readonly Tok[], j: number, at: Span): number {
    const k = this.next(toks, j);
    const next = toks[k];
    if (isChar(next, '[') || (isChar(next, '(') && hasComparison(toks.slice(k + 1, this.closing(toks, k))))) {
      const close = this.closing(toks, k);
      const inner = toks.slice(k + 1, close);
      if (!hasComparison(inner)) return this.unsupported('I[…]', `${this.source({ start: at.start, end: toks[close]!.end })}: an indicator needs a condition such as X > 0`, at);
      this.emit('(', 'open', at);
      this.condition(inner);
      this.emit(')', 'close', toks[close]!);
      return this.scripts(toks, close + 1, undefined);
    }
    this.emit('eye', 'func', at);
    this.emit('(', 'open', at);
    if (isMacro(toks[j], '_')) {
      this.sequence((toks[j] as MacroTok).args[0] ?? []);
      j++;
    } else {
      this.emit(this.ctx.choices.hole(this.source(at), at), 'name', at);
    }
    this.emit(')', 'close', at);
    return this.scripts(toks, j, undefined);
  }

  /**
   * `\sum_{f=1}^{F} body`, `\sum_{f,m,t} body`, `\sum_f body`, `\sum body` (all entries). The body runs to
   * the next + - = , or comparison at its bracket level, or to the closing bracket of its group.
   */
  private sum(toks: readonly Tok[], i: number): number {
    const t = toks[i]!;
    let j = i + 1;
    let sub: readonly Tok[] | undefined;
    let sup: readonly Tok[] | undefined;
    for (;;) {
      const k = this.next(toks, j);
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
    if (body.every((x) => x.kind === 'space')) return this.syntax('\\sum needs a body', t);
    this.emit('sum', 'func', t);
    this.emit('(', 'open', t);
    this.sequence(body);
    if (sub !== undefined) {
      const entries = splitTopLevel(sub, (x) => isChar(x, ','));
      const eq = entries.length === 1 ? entries[0]!.findIndex((x) => isChar(x, '=')) : -1;
      if (eq >= 0) {
        const index = plainText(entries[0]!.slice(0, eq));
        if (!index) return this.syntax('\\sum_{i=lo} needs an index name before =', t);
        if (sup === undefined) return this.syntax('\\sum_{i=lo} needs an upper bound: \\sum_{i=lo}^{hi}', t);
        this.emit(',', 'op', t);
        this.emit(index, 'name', t);
        this.emit(',', 'op', t);
        this.sequence(entries[0]!.slice(eq + 1));
        this.emit(',', 'op', t);
        this.sequence(sup);
      } else {
        if (sup !== undefined) return this.syntax('an upper bound needs a lower one: \\sum_{i=1}^{N}', t);
        const split = entries.length === 1 ? this.letterIndices(entries[0]!) : entries;
        for (const e of split) {
          this.emit(',', 'op', t);
          this.sequence(e);
        }
      }
    } else if (sup !== undefined) {
      return this.syntax('\\sum^{N} needs its index: \\sum_{i=1}^{N}', t);
    }
    this.emit(')', 'close', t);
    return j;
  }
}

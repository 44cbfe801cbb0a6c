import { createRequire } from 'node:module';
import { FormulaSyntaxError, UnknownSymbolError, UnsupportedNotationError } from '../errors.js';
import type { LatexNotation } from '../parse.js';
import type { ChoiceRecorder } from './choices.js';
import { application, isStep, step, textName } from './applications.js';
import { fraction, nabla, otherGradient, partial } from './derivatives.js';
import { lowerEnvironment } from './environments.js';
import { functionOfCommand, functionOfName } from './functions.js';
import { GREEK, type NameTable, declaredNameOf, isDeclared, nameKey } from './names.js';
import { identityOrIndicator, ones, onesOrIndicator } from './ones.js';
import { OPERATORS, hasComparison } from './operators.js';
import { type LoweredLatex, type PieceKind, Pieces } from './pieces.js';
import { sum } from './sums.js';
import { type MacroTok, type Span, type Tok, FONT_MACROS, TEXT_MACROS, depthChange, isChar, isDigit, isLetter, isMacro, plainText, significant, splitTopLevel, wordOf } from './tokens.js';
import { index, isTransposeSpelling, letterIndices, superscript } from './scripts.js';

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

const FRACTIONS = new Set(['frac', 'dfrac', 'tfrac', 'cfrac']);
const ACCENTS = new Set(['hat', 'widehat', 'bar', 'overline', 'tilde']);
const ELLIPSES = new Set(['cdots', 'ldots', 'dots', 'vdots', 'ddots']);
/** Commands that write the digit 1 or the letter I as a vector of ones, an identity or an indicator. */
const BLACKBOARD = new Set(['mathbb', 'mathbf', 'boldsymbol', 'bm', 'vec', 'mathbbm', 'mathds']);

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
export type Base = { readonly name: string } | 'number' | undefined;

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

  next(toks: readonly Tok[], i: number): number {
    while (i < toks.length && toks[i]!.kind === 'space') i++;
    return i;
  }

  /** The index of the ) or ] that closes the bracket at toks[i]. */
  closing(toks: readonly Tok[], i: number): number {
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
  primary(toks: readonly Tok[], i: number): number {
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
      case '(': {
        // (W_h)_{ij}: an entry of a name in parentheses.
        const close = this.closing(toks, i);
        const inner = significant(toks.slice(i + 1, close));
        const named = isMacro(toks[close + 1], '_') ? this.named(inner, 0, inner.length === 1 ? 1 : inner.length - (isMacro(inner[inner.length - 1], '_', '^') ? 1 : 0)) : undefined;
        if (named?.kind === 'name' && named.next === inner.length && !named.entries) return this.emitNamed(named, { start: t.start, end: toks[close]!.end }, toks, close + 1);
        // (X^T)_{ij}: entry (j, i) of X.
        const last = inner[inner.length - 1];
        const base = isMacro(toks[close + 1], '_') && isMacro(last, '^') && isTransposeSpelling(last) ? this.named(inner.slice(0, -1), 0, inner.length - 1) : undefined;
        if (base?.kind === 'name' && base.next === inner.length - 1 && !base.entries) {
          const sub = toks[close + 1] as MacroTok;
          const entries = splitTopLevel(sub.args[0] ?? [], (x) => isChar(x, ','));
          const pair = entries.length === 1 ? letterIndices(this.ctx.names, entries[0]!) : entries;
          if (pair.length === 2) {
            const at = { start: t.start, end: sub.end };
            this.emit(base.name, 'name', at);
            index(this, base.name, [pair[1]!, pair[0]!], at);
            return this.scripts(toks, close + 2, undefined);
          }
        }
        this.emit('(', 'open', t);
        return i + 1;
      }
      case ')':
        this.emit(')', 'close', t);
        return this.scripts(toks, i + 1, undefined);
      case '[':
        return this.bracket(toks, i);
      case ']':
        this.emit(']', 'close', t);
        return this.scripts(toks, i + 1, undefined);
      case "'": {
        if (!this.out.endsOperand()) {
          // 'full': a quoted mode, where an operand starts.
          let j = i + 1;
          let word = '';
          while (isChar(toks[j]) && isLetter((toks[j] as { ch: string }).ch)) word += (toks[j++] as { ch: string }).ch;
          if (word && isChar(toks[j], "'")) {
            this.emit(`'${word}'`, 'name', { start: t.start, end: toks[j]!.end });
            return j + 1;
          }
        }
        this.emit("'", 'postfix', t);
        return this.scripts(toks, i + 1, undefined);
      }
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
    if (text === '1' && isMacro(toks[j], '_') && hasComparison((toks[j] as MacroTok).args[0] ?? [])) return onesOrIndicator(this, toks, j, at);
    if (text === '1' && isMacro(toks[j], '^') && isTransposeSpelling(toks[j] as MacroTok)) {
      ones(this, undefined, at);
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
      // e^T, e^\top: the vector of ones (e^x is the exponential).
      if (isTransposeSpelling(sup) && (!isChar(significant(sup.args[0] ?? [])[0], 'T') || !isDeclared(names, 'T'))) {
        ones(this, undefined, at);
        return this.scripts(toks, j, undefined);
      }
      this.emit('exp', 'func', at);
      this.parenthesised(sup.args[0] ?? [], sup);
      return this.scripts(toks, j + 1, undefined);
    }
    if (word === 'I' && !isDeclared(names, 'I') && !this.named(toks, i)) return identityOrIndicator(this, toks, j, at);
    const named = this.named(toks, i, j);
    if (named) return this.emitNamed(named, at, toks, named.next);
    if (isStep(this, word) && isChar(toks[this.next(toks, j)], '(')) return step(this, toks, this.next(toks, j), at);
    const fn = functionOfName(word);
    if (fn && (isChar(toks[this.next(toks, j)], '(') || isChar(toks[j], "'"))) return application(this, fn, word, at, toks, j);
    const gradientOf = word.length > 1 && word.startsWith('d') ? declaredNameOf(names, word.slice(1)) : undefined;
    const isTensor = gradientOf !== undefined && names.symbols.has(gradientOf);
    if (isTensor) return otherGradient(this, `d${gradientOf}`, gradientOf!, at);
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
    const variant = [word.toUpperCase(), word.toLowerCase(), word[0]!.toUpperCase() + word.slice(1), word.slice(0, -1) + word[word.length - 1]!.toUpperCase()].find((w) => w !== word && names.symbols.has(w));
    if (variant !== undefined && isMacro(toks[j], '_')) {
      // x_n where X is given: a row of X, a column, or X itself? A person can tell.
      return this.unsupported(word, `${word} is not given, ${variant} is: what ${this.source({ start: at.start, end: toks[Math.min(j, toks.length - 1)]!.end })} stands for (${variant}, or a row or column of it) is not known`, at, `write it in terms of ${variant}`);
    }
    if (word.length === 1 && isChar(toks[j], "'") && !isDeclared(names, word)) {
      // k' as an index name (\sum_{k'} e^{z_{k'}}).
      this.emit(`${word}_prime`, 'name', { start: at.start, end: toks[j]!.end });
      return this.scripts(toks, j + 1, { name: `${word}_prime` });
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
  emitNamed(named: Named, at: Span, toks: readonly Tok[], next: number): number {
    if (named.kind === 'definition') {
      if (this.expanding.has(named.key)) return this.syntax(`${this.source(at)} is defined in terms of itself`, at);
      this.expanding.add(named.key);
      this.parenthesised(named.value, at);
      this.expanding.delete(named.key);
      return this.scripts(toks, next, undefined);
    }
    this.emit(named.name, 'name', at);
    if (named.entries) index(this, named.name, named.entries, at);
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
        index(this, base.name, splitTopLevel(t.args[0] ?? [], (x) => isChar(x, ',')), t);
      } else {
        superscript(this, t, base);
      }
      base = undefined;
      j = k + 1;
    }
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
    if (FRACTIONS.has(name)) return fraction(this, toks, i);
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
    if (name === 'sum') return sum(this, toks, i);
    if (name === 'nabla') return nabla(this, toks, i);
    if (name === '\\') return i + 1;
    const named = this.named(toks, i);
    if (named) return this.emitNamed(named, t, toks, named.next);
    if (name === 'delta' && isMacro(toks[i + 1], '_')) {
      const sub = toks[i + 1] as MacroTok;
      this.emit('delta', 'func', t);
      this.emit('(', 'open', t);
      const entries = splitTopLevel(sub.args[0] ?? [], (x) => isChar(x, ','));
      const split = entries.length === 1 ? letterIndices(this.ctx.names, entries[0]!) : entries;
      split.forEach((e, k) => {
        if (k > 0) this.emit(',', 'op', sub);
        this.sequence(e);
      });
      this.emit(')', 'close', sub);
      return i + 2;
    }
    if (BLACKBOARD.has(name)) {
      const inner = wordOf(t.args[0] ?? []);
      if (inner === '1') return onesOrIndicator(this, toks, i + 1, t);
      if (inner === 'I') return identityOrIndicator(this, toks, i + 1, t);
    }
    if (isStep(this, `\\${name}`) && isChar(toks[this.next(toks, i + 1)], '(')) return step(this, toks, this.next(toks, i + 1), t);
    const fn = functionOfCommand(name);
    if (fn && !isDeclared(this.ctx.names, name)) return application(this, fn, `\\${name}`, t, toks, i + 1);
    if (TEXT_MACROS.has(name) || FONT_MACROS.has(name)) return textName(this, toks, i);
    if (GREEK.has(name)) {
      if (isChar(toks[this.next(toks, i + 1)], '(')) {
        return this.unsupported(`\\${name}(…)`, `\\${name}(…) is not a function derivcheck knows here`, t, name === 'theta' || name === 'Theta' ? 'where a question declares \\theta as the unit step, \\theta(X) reads as (X > 0); otherwise write \\mathbb{1}[X > 0]' : '');
      }
      const known = [...this.ctx.names.symbols.keys(), ...this.ctx.names.dims];
      throw new UnknownSymbolError(`unknown symbol \\${name}`, { text: this.ctx.latex, span: t }, name, [], `\\${name} is neither given nor defined here (known names: ${known.join(', ')})`);
    }
    if (ACCENTS.has(name)) return this.unsupported(`\\${name}`, `${this.source(t)}: what the accent means here is not known`, t, 'a question can declare it as a spelling of a given name');
    if (ELLIPSES.has(name)) return this.unsupported(`\\${name}`, `${this.source(t)}: an answer written with an ellipsis is not read`, t, 'write the general entry (index notation) or the whole-matrix formula');
    if (name === 'partial') return partial(this, toks, i);
    if (isKnownCommand(name)) return this.unsupported(`\\${name}`, `the LaTeX command \\${name} is not read in an answer`, t);
    return this.syntax(`unknown LaTeX command \\${name}`, t, 'check its spelling');
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




}

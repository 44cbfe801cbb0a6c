import { FormulaSyntaxError, UnknownSymbolError, UnsupportedNotationError } from '../errors.js';
import type { LatexNotation } from '../parse.js';
import type { ChoiceRecorder } from './choices.js';
import { application, isStep, step, textName } from './applications.js';
import { fraction, nabla, partial } from './derivatives.js';
import { concatenation, lowerEnvironment } from './environments.js';
import { functionOfCommand, spelledRun } from './functions.js';
import { GREEK, type NameTable, declaredNameOf, isDeclared, nameKey } from './names.js';
import { KATEX_COMMANDS } from './katex-commands.js';
import { identityOrIndicator, ones, onesOrIndicator } from './ones.js';
import { OPERATORS, hasComparison, otimes } from './operators.js';
import { type LoweredLatex, type PieceKind, Pieces } from './pieces.js';
import { sum } from './sums.js';
import { word } from './words.js';
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

export interface LowerContext {
  readonly latex: string;
  readonly names: NameTable;
  readonly notation: LatexNotation;
  /** Names defined after the answer (`, \quad \delta = ...`): key → value tokens. */
  readonly definitions: ReadonlyMap<string, readonly Tok[]>;
  readonly choices: ChoiceRecorder;
}

/** A name read at a position: the declared name, or a definition to expand; `next` is the index after it. */
type Named = ({ readonly kind: 'name'; readonly name: string; readonly entries?: readonly Tok[][] } | { readonly kind: 'definition'; readonly key: string; readonly value: readonly Tok[] }) & {
  readonly next: number;
  /** `W^{(2)T}`: a layer superscript with a transpose after it. */
  readonly transposed?: true;
};

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

  /** Opens `fn(` before the operand the pieces end with (with `juxtaposed`, its juxtaposed factors too: `A B \otimes` → kron(A B, …)). */
  callOnLastOperand(fn: string, at: Span, juxtaposed = false): boolean {
    if (this.out.length === 0) return false;
    this.out.insert(this.out.operandStart(juxtaposed), [
      { text: fn, kind: 'func', span: at },
      { text: '(', kind: 'open', span: at },
    ]);
    return true;
  }

  syntax(what: string, at: Span, hint = ''): never {
    throw new FormulaSyntaxError(what, { text: this.ctx.latex, span: at }, hint);
  }

  unsupported(construct: string, what: string, at: Span, hint = ''): never {
    throw new UnsupportedNotationError(construct, what, { text: this.ctx.latex, span: at }, hint);
  }

  /** A name that is neither given nor defined after the answer. */
  unknown(written: string, at: Span): UnknownSymbolError {
    const known = [...this.ctx.names.symbols.keys(), ...this.ctx.names.dims];
    return new UnknownSymbolError(`unknown symbol ${written}`, { text: this.ctx.latex, span: at }, written, [], `${written} is neither given nor defined after the answer (known names: ${known.join(', ')})`);
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
    if (isLetter(c)) return word(this, toks, i);
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
        if (c === '*') this.ctx.choices.stars.push({ start: t.start, end: t.end });
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

  /** `[cond]` (an Iverson bracket), `[a, b]` and `[a; b]` (a concatenation), `[...]` (grouping), or `A[i, j]` right after a name (an index). */
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
    const rows = splitTopLevel(inner, (x) => isChar(x, ';')).map((row) => splitTopLevel(row, (x) => isChar(x, ',')));
    if (rows.length > 1 || rows[0]!.length > 1) {
      // [h, x], [h; x]: a concatenation, as notes on RNNs write the stacked input.
      const at = { start: t.start, end: toks[close]!.end };
      this.ctx.choices.matrices.push(at);
      concatenation(this, rows, at);
      return this.scripts(toks, close + 1, undefined);
    }
    this.parenthesised(inner, t);
    return this.scripts(toks, close + 1, undefined);
  }

  /**
   * `|x|` → abs(x) (the determinant where x is a square matrix: latex/resolve.ts decides), `\|x\|` →
   * norm(x): a bar opens after an operator and closes after an operand.
   */
  private bar(toks: readonly Tok[], i: number, fn: string): number {
    const t = toks[i]!;
    if (this.out.endsOperand()) {
      this.emit(')', 'close', t);
      return this.scripts(toks, i + 1, undefined);
    }
    if (fn === 'abs') this.ctx.choices.bars.push({ start: t.start, end: t.end });
    this.emit(fn, 'func', t);
    this.emit('(', 'open', t);
    return i + 1;
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
    const sup = isMacro(script, '^') ? significant(script.args[0] ?? []) : [];
    const last = sup[sup.length - 1];
    if (sup.length > 1 && (isChar(last, 'T') || isMacro(last, 'top', 'intercal'))) {
      // W^{(2)T}, \delta^{[1]\top}: the layer's name, transposed.
      const key = nameKey([...toks.slice(i, end), { ...(script as MacroTok), args: [sup.slice(0, -1)] }]);
      const value = key !== undefined ? this.ctx.definitions.get(key) : undefined;
      const name = key !== undefined ? declaredNameOf(this.ctx.names, key) : undefined;
      if (value !== undefined) return { kind: 'definition', key: key!, value, next: end + 1, transposed: true };
      if (name !== undefined) return { kind: 'name', name, next: end + 1, transposed: true };
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
      if (named.transposed) this.emit("'", 'postfix', at);
      return this.scripts(toks, next, undefined);
    }
    this.emit(named.name, 'name', at);
    if (named.entries) index(this, named.name, named.entries, at);
    if (named.transposed) this.emit("'", 'postfix', at);
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
      if (name === 'ast') this.ctx.choices.stars.push({ start: t.start, end: t.end });
      this.emit(op, 'op', t);
      return i + 1;
    }
    if (name === 'otimes') return otimes(this, toks, i);
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
      const entries = splitTopLevel(sub.args[0] ?? [], (x) => isChar(x, ','));
      const split = entries.length === 1 ? letterIndices(this.ctx.names, entries[0]!) : entries;
      // \delta_{ic} is Kronecker's delta; \delta_2 (one subscript) a name nothing defines.
      if (split.length !== 2) throw this.unknown(`\\delta_{${this.source({ start: sub.start + 1, end: sub.end }).replace(/^\{|\}$/g, '')}}`, sub.end > t.start ? { start: t.start, end: sub.end } : t);
      this.emit('delta', 'func', t);
      this.emit('(', 'open', t);
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
    const run = spelledRun(toks, i);
    if (run) return application(this, run.fn, this.source({ start: t.start, end: toks[run.end - 1]!.end }), t, toks, run.end);
    const fn = functionOfCommand(name);
    if (fn && !isDeclared(this.ctx.names, name)) return application(this, fn, `\\${name}`, t, toks, i + 1);
    if (TEXT_MACROS.has(name) || FONT_MACROS.has(name)) return textName(this, toks, i);
    if (GREEK.has(name)) {
      if (isChar(toks[this.next(toks, i + 1)], '(')) {
        return this.unsupported(`\\${name}(…)`, `\\${name}(…) is not a function derivcheck knows here`, t, name === 'theta' || name === 'Theta' ? 'where a question declares \\theta as the unit step, \\theta(X) reads as (X > 0); otherwise write \\mathbb{1}[X > 0]' : '');
      }
      throw this.unknown(`\\${name}`, t);
    }
    if (ACCENTS.has(name)) return this.unsupported(`\\${name}`, `${this.source(t)}: what the accent means here is not known`, t, 'a question can declare it as a spelling of a given name');
    if (ELLIPSES.has(name)) return this.unsupported(`\\${name}`, `${this.source(t)}: an answer written with an ellipsis is not read`, t, 'write the general entry (index notation) or the whole-matrix formula');
    if (name === 'partial') return partial(this, toks, i);
    // A command KaTeX knows is notation derivcheck does not read; one it does not know is a typo.
    if (KATEX_COMMANDS.has(name)) return this.unsupported(`\\${name}`, `the LaTeX command \\${name} is not read in an answer`, t);
    return this.syntax(`unknown LaTeX command \\${name}`, t, 'check its spelling');
  }
}

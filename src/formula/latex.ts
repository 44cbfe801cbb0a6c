import { parseMath } from '@unified-latex/unified-latex-util-parse';
import { isFunctionName } from './allowlist.js';
import { LATEX_SPELLINGS } from './functions/table.js';
import { FormulaSyntaxError, type SourceSpan, UnsupportedSyntaxError } from './errors.js';

/**
 * LaTeX input: @unified-latex parses the LaTeX (math mode), and this module lowers its tree to formula
 * text piece by piece, remembering for every generated character the LaTeX characters it came from. The
 * formula reader then parses that text, so LaTeX and plain formulas give the same tree, and errors point
 * into the LaTeX the user wrote.
 *
 * Readings: `X^T`, `X^{\top}` → X'; `\frac{a}{b}` → (a) / (b); `\frac{\partial L}{\partial Y}` → the symbol
 * whose aliases list it, else dY; `\odot` → .*; `\cdot`, `\times` → *; `\sigma` → sigmoid; `\lceil x
 * \rceil` → ceil(x); `\sum_{f=1}^{F} body` → sum(body, f, 1, F) (the body runs to the next + or - at
 * its level); `K_{f,c,m,t}` → K[f, c, m, t] (`_{ij}` gives two indices); `\mathbb{1}[X>0]` → (X > 0);
 * `\delta_{ic}` → delta(i, c); `\operatorname{softmax}` → softmax; `\left( \right)` → ( ); other powers
 * `x^2` → x .^ 2 (elementwise); juxtaposition `X W`, `2x` → explicit `*`.
 */

type LatexNode = ReturnType<typeof parseMath>[number];

/** A LaTeX node with the fields this lowering reads (unified-latex's own types are a wide union). */
interface Node {
  readonly type: string;
  readonly content?: string | readonly LatexNode[];
  readonly args?: readonly { readonly content: readonly LatexNode[]; readonly openMark: string }[];
  readonly position?: { readonly start: { readonly offset: number }; readonly end: { readonly offset: number } };
}

/** The lowering's tokens: single characters of string nodes, macros, groups, and separators (whitespace). */
type Tok =
  | { readonly kind: 'char'; readonly ch: string; readonly start: number; readonly end: number }
  | { readonly kind: 'macro'; readonly name: string; readonly args: readonly Tok[][]; readonly optional: boolean; readonly start: number; readonly end: number }
  | { readonly kind: 'group'; readonly content: Tok[]; readonly start: number; readonly end: number }
  | { readonly kind: 'space'; readonly start: number; readonly end: number };

/** Kinds of generated pieces, for inserting `*` between juxtaposed operands. */
type PieceKind = 'name' | 'func' | 'number' | 'open' | 'openIndex' | 'close' | 'postfix' | 'op';

interface Piece {
  readonly text: string;
  readonly kind: PieceKind;
  readonly start: number;
  readonly end: number;
}

export interface LoweredLatex {
  /** The formula text the LaTeX reads as. */
  readonly text: string;
  /** Maps a span of `text` back to the LaTeX. */
  readonly mapSpan: (span: SourceSpan) => SourceSpan;
}

/** What the lowering needs to know about names: declared ones, scalar ones (for X^T), LaTeX aliases (key → name). */
export interface LatexNames {
  readonly declared: ReadonlySet<string>;
  readonly scalars: ReadonlySet<string>;
  readonly aliases: ReadonlyMap<string, string>;
}

const TRANSPOSE_MACROS = new Set(['top', 'intercal', 'mathsf', 'mathrm', 'prime']);
const NAME_MACROS = new Set(['operatorname', 'mathrm', 'text', 'textrm', 'mathit', 'mathbf', 'boldsymbol', 'bm', 'mathsf', 'mathcal']);
const OPERATOR_MACROS: ReadonlyMap<string, string> = new Map([
  ['cdot', '*'],
  ['times', '*'],
  ['ast', '*'],
  ['odot', '.*'],
  ['circ', '.*'],
  ['oslash', './'],
  ['div', '/'],
  ['le', '<='],
  ['leq', '<='],
  ['ge', '>='],
  ['geq', '>='],
  ['ne', '!='],
  ['neq', '!='],
  ['lt', '<'],
  ['gt', '>'],
]);
const SPACING_MACROS = new Set([',', ';', ':', '!', ' ', 'quad', 'qquad', 'displaystyle', 'textstyle']);
const GREEK = new Set(['alpha', 'beta', 'gamma', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'tau', 'phi', 'varphi', 'chi', 'psi', 'omega', 'Gamma', 'Lambda', 'Sigma', 'Phi', 'Psi', 'Omega', 'Delta', 'Theta']);
const FRAC_MACROS = new Set(['frac', 'dfrac', 'tfrac']);

const isLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function nodeSpan(node: Node, fallback: number): { start: number; end: number } {
  return { start: node.position?.start.offset ?? fallback, end: node.position?.end.offset ?? fallback };
}

/** Flattens unified-latex nodes into tokens; string nodes become one token per character. */
function flatten(nodes: readonly LatexNode[], latex: string): Tok[] {
  const out: Tok[] = [];
  for (const raw of nodes) {
    const node = raw as unknown as Node;
    const { start, end } = nodeSpan(node, out.length > 0 ? out[out.length - 1]!.end : 0);
    switch (node.type) {
      case 'string': {
        const text = node.content as string;
        for (let k = 0; k < text.length; k++) {
          const ch = text[k]!;
          if (ch === '$') continue; // math delimiters around the whole input
          if (ch === '{' || ch === '}') throw new FormulaSyntaxError('unbalanced braces', { text: latex, span: { start: start + k, end: start + k + 1 } }, 'every { needs its }');
          out.push({ kind: 'char', ch, start: start + k, end: start + k + 1 });
        }
        break;
      }
      case 'whitespace':
      case 'parbreak':
        out.push({ kind: 'space', start, end });
        break;
      case 'comment':
        break;
      case 'macro':
        out.push({
          kind: 'macro',
          name: node.content as string,
          args: (node.args ?? []).filter((a) => a.openMark !== '' || a.content.length > 0).map((a) => flatten(a.content, latex)),
          optional: (node.args ?? []).some((a) => a.openMark === '[' && a.content.length > 0),
          start,
          end,
        });
        break;
      case 'group':
        out.push({ kind: 'group', content: flatten(node.content as readonly LatexNode[], latex), start, end });
        break;
      default:
        throw new UnsupportedSyntaxError(`LaTeX ${node.type} is not supported in a formula`, { text: latex, span: { start, end } }, 'write a single math expression');
    }
  }
  return out;
}

/** The alias key of ∂A/∂B: the LaTeX after each \partial, without spaces or braces ("L/Y", "L/W_1"). */
function partialKey(numerator: readonly Tok[], denominator: readonly Tok[], latex: string): string | undefined {
  const rest = (toks: readonly Tok[]): string | undefined => {
    const meaningful = toks.filter((t) => t.kind !== 'space');
    const first = meaningful[0];
    if (!first || first.kind !== 'macro' || first.name !== 'partial' || meaningful.length < 2) return undefined;
    return latex.slice(meaningful[1]!.start, meaningful[meaningful.length - 1]!.end).replace(/[\s{}]/g, '');
  };
  const a = rest(numerator);
  const b = rest(denominator);
  return a !== undefined && b !== undefined ? `${a}/${b}` : undefined;
}

/** The alias key of one declared LaTeX spelling such as '\\frac{\\partial L}{\\partial Y}'. */
export function latexAliasKey(alias: string): string | undefined {
  let toks: Tok[];
  try {
    toks = flatten(parseMath(alias), alias).filter((t) => t.kind !== 'space');
  } catch {
    return undefined;
  }
  const only = toks[0];
  if (toks.length !== 1 || only?.kind !== 'macro' || !FRAC_MACROS.has(only.name) || only.args.length !== 2) return undefined;
  return partialKey(only.args[0]!, only.args[1]!, alias);
}

/**
 * The function whose LaTeX spelling (from the function table: `\tanh`, `\log\det`, `\mathrm{Tr}`)
 * starts at toks[i], the longest one first, and the index after its last command.
 */
function spelledFunction(toks: readonly Tok[], i: number): { fn: string; end: number } | undefined {
  const plainWord = (t: Extract<Tok, { kind: 'macro' }>): string => {
    const arg = t.args[t.args.length - 1] ?? [];
    return arg.every((x) => x.kind === 'char' || x.kind === 'space') ? arg.flatMap((x) => (x.kind === 'char' ? [x.ch] : [])).join('') : '';
  };
  for (const spelling of LATEX_SPELLINGS) {
    let j = i;
    const matches = spelling.commands.every((command, k) => {
      while (k > 0 && toks[j]?.kind === 'space') j++;
      const t = toks[j];
      if (t?.kind !== 'macro' || t.name !== command.name || (command.arg !== undefined && plainWord(t) !== command.arg)) return false;
      j++;
      return true;
    });
    if (matches) return { fn: spelling.fn, end: j };
  }
  return undefined;
}

class Lowering {
  private readonly pieces: Piece[] = [];

  constructor(
    private readonly latex: string,
    private readonly names: LatexNames,
  ) {}

  result(): LoweredLatex {
    let text = '';
    const starts: number[] = [];
    const ends: number[] = [];
    for (const p of this.pieces) {
      if (text.length > 0) {
        text += ' ';
        starts.push(p.start);
        ends.push(p.start);
      }
      text += p.text;
      for (let k = 0; k < p.text.length; k++) {
        starts.push(p.start);
        ends.push(p.end);
      }
    }
    const latexEnd = this.latex.length;
    const mapSpan = (span: SourceSpan): SourceSpan => {
      const start = span.start < starts.length ? starts[span.start]! : latexEnd;
      const end = span.end > span.start && span.end - 1 < ends.length ? ends[span.end - 1]! : start;
      return { start, end: Math.max(start, end) };
    };
    return { text, mapSpan };
  }

  private error(what: string, tok: { start: number; end: number }, hint = ''): never {
    throw new UnsupportedSyntaxError(what, { text: this.latex, span: { start: tok.start, end: tok.end } }, hint);
  }

  /** Appends a piece, first inserting `*` when two operands meet (`X W`, `2x`, `\frac{1}{4} G`). */
  private emit(text: string, kind: PieceKind, at: { start: number; end: number }): void {
    const prev = this.pieces[this.pieces.length - 1];
    const prevEnds = prev !== undefined && (prev.kind === 'name' || prev.kind === 'number' || prev.kind === 'close' || prev.kind === 'postfix');
    const curStarts = kind === 'name' || kind === 'func' || kind === 'number' || kind === 'open';
    if (prevEnds && curStarts) this.pieces.push({ text: '*', kind: 'op', start: at.start, end: at.start });
    this.pieces.push({ text, kind, start: at.start, end: at.end });
  }

  /** Lowers a token sequence (the whole input, a group, a macro argument). */
  sequence(toks: readonly Tok[]): void {
    let i = 0;
    while (i < toks.length) i = this.item(toks, i);
  }

  private nextSignificant(toks: readonly Tok[], i: number): number {
    while (i < toks.length && toks[i]!.kind === 'space') i++;
    return i;
  }

  /** Lowers the item at toks[i]; returns the index after it. */
  private item(toks: readonly Tok[], i: number): number {
    const tok = toks[i]!;
    switch (tok.kind) {
      case 'space':
        return i + 1;
      case 'group':
        this.emit('(', 'open', { start: tok.start, end: tok.start + 1 });
        this.sequence(tok.content);
        this.emit(')', 'close', { start: tok.end - 1, end: tok.end });
        return this.scripts(toks, i + 1, undefined);
      case 'char':
        return this.char(toks, i);
      case 'macro':
        return this.macro(toks, i);
    }
  }

  private char(toks: readonly Tok[], i: number): number {
    const tok = toks[i] as Extract<Tok, { kind: 'char' }>;
    const c = tok.ch;
    if (isLetter(c)) {
      let j = i;
      let word = '';
      while (j < toks.length) {
        const t = toks[j]!;
        if (t.kind !== 'char' || !(isLetter(t.ch) || isDigit(t.ch))) break;
        word += t.ch;
        j++;
      }
      return this.word(word, { start: tok.start, end: (toks[j - 1] as { end: number }).end }, toks, j);
    }
    if (isDigit(c) || c === '.') {
      let j = i;
      let text = '';
      while (j < toks.length) {
        const t = toks[j]!;
        if (t.kind !== 'char' || !(isDigit(t.ch) || (t.ch === '.' && !text.includes('.')))) break;
        text += t.ch;
        j++;
      }
      this.emit(text, 'number', { start: tok.start, end: (toks[j - 1] as { end: number }).end });
      return this.scripts(toks, j, undefined);
    }
    if (c === '(') this.emit('(', 'open', tok);
    else if (c === ')') {
      this.emit(')', 'close', tok);
      return this.scripts(toks, i + 1, undefined);
    } else if (c === '[') this.emit('[', 'openIndex', tok);
    else if (c === ']') this.emit(']', 'close', tok);
    else if (c === "'") this.emit("'", 'postfix', tok);
    else if (c === '|') return this.toggle(toks, i, 'abs');
    else this.emit(c, 'op', tok);
    return i + 1;
  }

  /** `|x|` → abs(x), `\|x\|` → norm(x): the bar opens when it follows an operator, closes after an operand. */
  private toggle(toks: readonly Tok[], i: number, fn: string): number {
    const tok = toks[i]!;
    const prev = this.pieces[this.pieces.length - 1];
    const closes = prev !== undefined && (prev.kind === 'name' || prev.kind === 'number' || prev.kind === 'close' || prev.kind === 'postfix');
    if (closes) {
      this.emit(')', 'close', tok);
      return this.scripts(toks, i + 1, undefined);
    }
    this.emit(fn, 'func', tok);
    this.emit('(', 'open', tok);
    return i + 1;
  }

  /** A run of letters and digits: a declared name, a function, letters to multiply, or a new name. */
  private word(word: string, at: { start: number; end: number }, toks: readonly Tok[], j: number): number {
    const next = toks[j];
    if (word === 'e' && !this.names.declared.has('e') && next?.kind === 'macro' && next.name === '^') {
      this.emit('exp', 'func', at);
      this.emit('(', 'open', next);
      this.sequence(next.args[0] ?? []);
      this.emit(')', 'close', next);
      return j + 1;
    }
    // A subscript that completes a declared name (W_1) makes one name.
    if (next?.kind === 'macro' && next.name === '_') {
      const joined = `${word}_${this.plainText(next.args[0] ?? [])}`;
      if (this.names.declared.has(joined)) {
        this.emit(joined, 'name', { start: at.start, end: next.end });
        return this.scripts(toks, j + 1, joined);
      }
    }
    const known = (w: string): boolean => this.names.declared.has(w) || isFunctionName(w);
    if (!known(word) && word.length > 1 && /^[A-Za-z]+$/.test(word) && [...word].every((ch) => this.names.declared.has(ch))) {
      [...word].forEach((ch, k) => this.emit(ch, 'name', { start: at.start + k, end: at.start + k + 1 }));
      return this.scripts(toks, j, word[word.length - 1]);
    }
    this.emit(word, isFunctionName(word) ? 'func' : 'name', at);
    return this.scripts(toks, j, word);
  }

  /** Plain letters/digits/underscores of a token list, or '' when it holds anything else. */
  private plainText(toks: readonly Tok[]): string {
    let out = '';
    for (const t of toks) {
      if (t.kind === 'space') continue;
      if (t.kind !== 'char' || !/^[A-Za-z0-9_]$/.test(t.ch)) return '';
      out += t.ch;
    }
    return out;
  }

  /** Subscripts (indices) and superscripts (transpose or elementwise power) after an operand. */
  private scripts(toks: readonly Tok[], j: number, name: string | undefined): number {
    while (j < toks.length) {
      const t = toks[j]!;
      if (t.kind !== 'macro' || (t.name !== '_' && t.name !== '^')) break;
      if (t.name === '_') {
        if (name === undefined) this.error('a subscript here has no meaning', t, 'subscripts index a named tensor: K_{f,c,m,t}');
        this.emit('[', 'openIndex', t);
        this.indexList(t.args[0] ?? [], t);
        this.emit(']', 'close', t);
      } else {
        this.superscript(t);
      }
      name = undefined;
      j++;
    }
    return j;
  }

  private superscript(t: Extract<Tok, { kind: 'macro' }>): void {
    const arg = (t.args[0] ?? []).filter((x) => x.kind !== 'space');
    const only = arg.length === 1 ? arg[0]! : undefined;
    const isT = (x: Tok | undefined): boolean => x?.kind === 'char' && x.ch === 'T' && !this.names.scalars.has('T');
    const transposes =
      isT(only) ||
      (only?.kind === 'macro' && TRANSPOSE_MACROS.has(only.name) && (only.args.length === 0 || isT(only.args[0]!.find((x) => x.kind !== 'space'))));
    if (transposes) {
      this.emit("'", 'postfix', t);
      return;
    }
    this.emit('.^', 'op', t);
    this.emit('(', 'open', t);
    this.sequence(t.args[0] ?? []);
    this.emit(')', 'close', t);
  }

  /** `_{f,c,m,t}` or `_{ij}` (single letters) or `_{i-m+1, j}`: comma-separated index expressions. */
  private indexList(toks: readonly Tok[], at: { start: number; end: number }): void {
    const entries = this.splitCommas(toks);
    if (entries.length === 1) {
      const letters = this.plainText(entries[0]!);
      if (letters.length > 1 && /^[A-Za-z]+$/.test(letters) && !this.names.declared.has(letters)) {
        const chars = entries[0]!.filter((x) => x.kind !== 'space');
        const singles = chars.flatMap((x) => (x.kind === 'char' ? [x] : []));
        singles.forEach((x, k) => {
          if (k > 0) this.emit(',', 'op', x);
          this.emit(x.ch, 'name', x);
        });
        return;
      }
    }
    entries.forEach((entry, k) => {
      if (k > 0) this.emit(',', 'op', at);
      this.sequence(entry);
    });
  }

  private splitCommas(toks: readonly Tok[]): Tok[][] {
    const out: Tok[][] = [[]];
    let depth = 0;
    for (const t of toks) {
      if (t.kind === 'char' && (t.ch === '(' || t.ch === '[')) depth++;
      if (t.kind === 'char' && (t.ch === ')' || t.ch === ']')) depth--;
      if (t.kind === 'char' && t.ch === ',' && depth === 0) out.push([]);
      else out[out.length - 1]!.push(t);
    }
    return out;
  }

  private macro(toks: readonly Tok[], i: number): number {
    const tok = toks[i] as Extract<Tok, { kind: 'macro' }>;
    const name = tok.name;
    if (SPACING_MACROS.has(name)) return i + 1;
    if (name === 'left' || name === 'right') {
      const next = toks[i + 1];
      return next?.kind === 'char' && next.ch === '.' ? i + 2 : i + 1;
    }
    const op = OPERATOR_MACROS.get(name);
    if (op !== undefined) {
      this.emit(op, 'op', tok);
      return i + 1;
    }
    if (name === '^') {
      this.superscript(tok);
      return i + 1;
    }
    if (name === '_') this.error('a subscript needs something before it', tok);
    if (FRAC_MACROS.has(name)) return this.frac(toks, i);
    if (name === 'sqrt') {
      if (tok.optional) this.error('\\sqrt[n]{x} (an n-th root) is not supported', tok, 'write x .^ (1/n)');
      return this.callWith('sqrt', tok, tok.args[tok.args.length - 1] ?? [], toks, i + 1);
    }
    if (name === 'lceil' || name === 'lfloor') {
      this.emit(name === 'lceil' ? 'ceil' : 'floor', 'func', tok);
      this.emit('(', 'open', tok);
      return i + 1;
    }
    if (name === 'rceil' || name === 'rfloor') {
      this.emit(')', 'close', tok);
      return this.scripts(toks, i + 1, undefined);
    }
    if (name === '|' || name === 'lVert' || name === 'rVert') return this.toggle(toks, i, 'norm');
    if (name === 'lvert' || name === 'rvert') return this.toggle(toks, i, 'abs');
    if (name === 'sum') return this.sum(toks, i);
    if (name === 'delta') {
      const next = toks[i + 1];
      if (next?.kind === 'macro' && next.name === '_') {
        this.emit('delta', 'func', tok);
        this.emit('(', 'open', tok);
        this.indexList(next.args[0] ?? [], next);
        this.emit(')', 'close', next);
        return i + 2;
      }
    }
    if (name === 'mathbb' || name === 'mathbf') {
      const arg = this.plainText(tok.args[0] ?? []);
      if (arg === '1') return this.indicator(toks, i);
    }
    const spelled = spelledFunction(toks, i);
    if (spelled !== undefined) return this.functionMacro(spelled.fn, toks[spelled.end - 1] as Extract<Tok, { kind: 'macro' }>, toks, spelled.end);
    if (NAME_MACROS.has(name)) {
      const word = this.plainText(tok.args[tok.args.length - 1] ?? []);
      if (word === '') this.error(`\\${name}{...} must contain a plain name`, tok);
      if (isFunctionName(word)) return this.functionMacro(word, tok, toks, i + 1);
      this.emit(word, 'name', tok);
      return this.scripts(toks, i + 1, word);
    }
    if (GREEK.has(name)) {
      this.emit(name, 'name', tok);
      return this.scripts(toks, i + 1, name);
    }
    if (name === 'partial') this.error('\\partial is only read inside \\frac{\\partial L}{\\partial Y}', tok, 'write the gradient\'s name (dY) or \\frac{\\partial L}{\\partial Y}');
    return this.error(`the LaTeX command \\${name} is not supported`, tok, 'supported: \\frac \\cdot \\odot \\top \\sigma \\exp \\log \\sqrt \\sum \\lceil \\rceil \\lfloor \\rfloor \\delta \\mathbb{1} \\operatorname \\left \\right');
  }

  /** A function macro (\exp, \sigma, \operatorname{softmax}) applied to a brace group or a parenthesised argument list. */
  private functionMacro(fn: string, tok: Extract<Tok, { kind: 'macro' }>, toks: readonly Tok[], j: number): number {
    const k = this.nextSignificant(toks, j);
    const next = toks[k];
    if (next?.kind === 'group') return this.callWith(fn, tok, next.content, toks, k + 1);
    const opensParen = (t: Tok | undefined): boolean => t?.kind === 'char' && t.ch === '(';
    const leftParen = next?.kind === 'macro' && next.name === 'left' && opensParen(toks[k + 1]);
    if (!opensParen(next) && !leftParen) this.error(`\\${tok.name} needs its argument in parentheses`, tok, `write \\${tok.name}(x)`);
    this.emit(fn, 'func', tok);
    return k;
  }

  private callWith(fn: string, at: { start: number; end: number }, arg: readonly Tok[], toks: readonly Tok[], j: number): number {
    this.emit(fn, 'func', at);
    this.emit('(', 'open', at);
    this.sequence(arg);
    this.emit(')', 'close', at);
    return this.scripts(toks, j, undefined);
  }

  private frac(toks: readonly Tok[], i: number): number {
    const tok = toks[i] as Extract<Tok, { kind: 'macro' }>;
    const [num, den] = tok.args;
    if (!num || !den) this.error('\\frac needs two arguments: \\frac{a}{b}', tok);
    const key = partialKey(num, den, this.latex);
    if (key !== undefined) {
      const name = this.names.aliases.get(key) ?? `d${key.slice(key.indexOf('/') + 1)}`;
      this.emit(name, 'name', tok);
      return this.scripts(toks, i + 1, name);
    }
    this.emit('(', 'open', tok);
    this.emit('(', 'open', tok);
    this.sequence(num);
    this.emit(')', 'close', tok);
    this.emit('/', 'op', tok);
    this.emit('(', 'open', tok);
    this.sequence(den);
    this.emit(')', 'close', tok);
    this.emit(')', 'close', tok);
    return this.scripts(toks, i + 1, undefined);
  }

  /** `\mathbb{1}[cond]` or `\mathbb{1}_{cond}` → (cond), a 0/1 mask. */
  private indicator(toks: readonly Tok[], i: number): number {
    const tok = toks[i]!;
    const k = this.nextSignificant(toks, i + 1);
    const next = toks[k];
    if (next?.kind === 'macro' && next.name === '_') {
      this.emit('(', 'open', tok);
      this.sequence(next.args[0] ?? []);
      this.emit(')', 'close', next);
      return k + 1;
    }
    if (next?.kind === 'char' && next.ch === '[') {
      let depth = 0;
      for (let j = k; j < toks.length; j++) {
        const t = toks[j]!;
        if (t.kind === 'char' && t.ch === '[') depth++;
        if (t.kind === 'char' && t.ch === ']' && --depth === 0) {
          this.emit('(', 'open', tok);
          this.sequence(toks.slice(k + 1, j));
          this.emit(')', 'close', t);
          return j + 1;
        }
      }
    }
    return this.error('\\mathbb{1} must be followed by a condition: \\mathbb{1}[X > 0]', tok);
  }

  /**
   * `\sum_{f=1}^{F} body`, `\sum_{f,m,t} body`, `\sum_f body`, `\sum body` (all entries). The body runs to
   * the next + - = , or comparison at its bracket level, or to the closing bracket of its group.
   */
  private sum(toks: readonly Tok[], i: number): number {
    const tok = toks[i]!;
    let j = i + 1;
    let sub: readonly Tok[] | undefined;
    let sup: readonly Tok[] | undefined;
    while (j < toks.length) {
      const t = toks[j]!;
      if (t.kind === 'macro' && t.name === '_' && sub === undefined) sub = t.args[0] ?? [];
      else if (t.kind === 'macro' && t.name === '^' && sup === undefined) sup = t.args[0] ?? [];
      else break;
      j++;
    }
    const bodyStart = j;
    let depth = 0;
    let first = true;
    for (; j < toks.length; j++) {
      const t = toks[j]!;
      if (t.kind === 'space') continue;
      if (t.kind === 'char' && (t.ch === '(' || t.ch === '[')) depth++;
      else if (t.kind === 'macro' && (t.name === 'lceil' || t.name === 'lfloor')) depth++;
      else if (t.kind === 'macro' && (t.name === 'rceil' || t.name === 'rfloor')) {
        if (depth-- === 0) break;
      } else if (t.kind === 'char' && (t.ch === ')' || t.ch === ']')) {
        if (depth-- === 0) break;
      } else if (depth === 0 && !first) {
        const stops = (t.kind === 'char' && '+-=,<>'.includes(t.ch)) || (t.kind === 'macro' && OPERATOR_MACROS.has(t.name) && /[<>=]/.test(OPERATOR_MACROS.get(t.name)!));
        if (stops) break;
      }
      first = false;
    }
    const body = toks.slice(bodyStart, j);
    if (body.every((t) => t.kind === 'space')) this.error('\\sum needs a body', tok);
    this.emit('sum', 'func', tok);
    this.emit('(', 'open', tok);
    this.sequence(body);
    if (sub !== undefined) {
      const entries = this.splitCommas(sub);
      const eq = entries.length === 1 ? entries[0]!.findIndex((t) => t.kind === 'char' && t.ch === '=') : -1;
      if (eq >= 0) {
        const index = this.plainText(entries[0]!.slice(0, eq));
        if (index === '') this.error('\\sum_{i=lo} needs an index name before =', tok);
        this.emit(',', 'op', tok);
        this.emit(index, 'name', tok);
        this.emit(',', 'op', tok);
        this.sequence(entries[0]!.slice(eq + 1));
        if (sup === undefined) this.error('\\sum_{i=lo} needs an upper bound: \\sum_{i=lo}^{hi}', tok);
        this.emit(',', 'op', tok);
        this.sequence(sup);
      } else {
        if (sup !== undefined) this.error('an upper bound needs a lower one: \\sum_{i=1}^{N}', tok);
        this.emit(',', 'op', tok);
        this.indexList(sub, tok);
      }
    } else if (sup !== undefined) {
      this.error('\\sum^{N} needs its index: \\sum_{i=1}^{N}', tok);
    }
    this.emit(')', 'close', tok);
    return j;
  }
}

/** Lowers LaTeX math to formula text with a map back to LaTeX positions. */
export function lowerLatex(latex: string, names: LatexNames): LoweredLatex {
  let nodes: LatexNode[];
  try {
    nodes = parseMath(latex);
  } catch (err) {
    throw new FormulaSyntaxError(`LaTeX could not be parsed: ${err instanceof Error ? err.message : String(err)}`, { text: latex, span: { start: 0, end: latex.length } }, 'check the braces and commands');
  }
  const lowering = new Lowering(latex, names);
  lowering.sequence(flatten(nodes, latex));
  return lowering.result();
}


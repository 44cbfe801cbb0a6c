import { parseMathMinimal } from '@unified-latex/unified-latex-util-parse';
import { FormulaSyntaxError } from '../errors.js';

/**
 * LaTeX as tokens: @unified-latex parses the text (math mode, its minimal parse: macros, groups,
 * environments, each with its exact position), this module flattens that tree into the tokens the reader
 * works on, one per character of text, and attaches arguments to commands itself (by the signatures
 * below): unified-latex's own attachment splits `\frac14` wrongly and loses positions inside
 * environments and scripts.
 */

type LatexNode = ReturnType<typeof parseMathMinimal>[number];

/** A LaTeX node with the fields this module reads (unified-latex's own types are a wide union). */
interface Node {
  readonly type: string;
  readonly content?: string | readonly LatexNode[];
  /** An environment's name: a string, or for math environments (equation, align*) a string node. */
  readonly env?: string | { readonly content?: string };
  readonly position?: { readonly start: { readonly offset: number }; readonly end: { readonly offset: number } };
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Tok =
  | { readonly kind: 'char'; readonly ch: string; readonly start: number; readonly end: number }
  | { readonly kind: 'macro'; readonly name: string; readonly args: readonly Tok[][]; readonly optional: readonly Tok[] | undefined; readonly start: number; readonly end: number }
  | { readonly kind: 'group'; readonly content: readonly Tok[]; readonly start: number; readonly end: number }
  | { readonly kind: 'env'; readonly name: string; readonly content: readonly Tok[]; readonly start: number; readonly end: number }
  /** Whitespace and spacing commands; `wide` for \quad and \qquad, which may separate clauses. */
  | { readonly kind: 'space'; readonly wide: boolean; readonly start: number; readonly end: number };

export type MacroTok = Extract<Tok, { kind: 'macro' }>;
export type CharTok = Extract<Tok, { kind: 'char' }>;

/** Mandatory arguments of the commands the reader reads with arguments (\sqrt also takes an optional [n]). */
const ARGUMENTS: ReadonlyMap<string, number> = new Map([
  ...['frac', 'dfrac', 'tfrac', 'cfrac', 'binom', 'textcolor', 'stackrel', 'overset', 'underset'].map((m) => [m, 2] as const),
  ...[
    'sqrt', 'text', 'textrm', 'textit', 'textbf', 'texttt', 'textsf', 'mbox', 'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathtt', 'mathcal', 'mathbb', 'mathbbm',
    'mathds', 'mathscr', 'mathfrak', 'boldsymbol', 'bm', 'vec', 'hat', 'widehat', 'bar', 'overline', 'tilde', 'boxed', 'operatorname', 'tag', 'label', 'color',
    'underbrace', 'overbrace', 'hspace', 'hspace*', 'phantom', 'hphantom', 'vphantom',
  ].map((m) => [m, 1] as const),
]);

/**
 * Characters pasted from rendered mathematics, read as the LaTeX that writes them: a command (\\odot),
 * ASCII characters (the minus sign −, superscript ᵀ as ^T, subscript ₁ as _1), or a space (~, no-break space).
 */
const UNICODE: ReadonlyMap<string, string> = new Map([
  ['~', ' '], ['\u00a0', ' '], ['\u2009', ' '], ['\u202f', ' '],
  ['−', '-'], ['–', '-'], ['′', "'"], ['’', "'"], ['ᵀ', '^T'], ['⊤', '^T'],
  ['⁰', '^0'], ['¹', '^1'], ['²', '^2'], ['³', '^3'], ['₀', '_0'], ['₁', '_1'], ['₂', '_2'], ['₃', '_3'], ['ᵢ', '_i'], ['ⱼ', '_j'],
  ['·', '\\cdot'], ['⋅', '\\cdot'], ['×', '\\times'], ['⊙', '\\odot'], ['∘', '\\circ'], ['⊗', '\\otimes'], ['⊘', '\\oslash'],
  ['∂', '\\partial'], ['∇', '\\nabla'], ['∑', '\\sum'], ['σ', '\\sigma'], ['δ', '\\delta'], ['θ', '\\theta'], ['ℓ', '\\ell'],
  ['≤', '\\le'], ['≥', '\\ge'], ['≠', '\\ne'], ['⌈', '\\lceil'], ['⌉', '\\rceil'], ['⌊', '\\lfloor'], ['⌋', '\\rfloor'], ['√', '\\sqrt'],
]);

export const isLetter = (c: string): boolean => /^[A-Za-z]$/.test(c);
export const isDigit = (c: string): boolean => c >= '0' && c <= '9';

function nodeSpan(node: Node, fallback: number): Span {
  return { start: node.position?.start.offset ?? fallback, end: node.position?.end.offset ?? fallback };
}

/** Reads LaTeX math into tokens; malformed LaTeX (unbalanced braces) is a FormulaSyntaxError at its place. */
export function latexTokens(latex: string): Tok[] {
  let nodes: readonly LatexNode[];
  try {
    nodes = parseMathMinimal(latex);
  } catch (err) {
    throw new FormulaSyntaxError(`the LaTeX could not be parsed: ${err instanceof Error ? err.message : String(err)}`, { text: latex, span: { start: 0, end: latex.length } }, 'check the braces and commands');
  }
  return attach(flatten(nodes, latex, 0), latex);
}

function flatten(nodes: readonly LatexNode[], latex: string, fallback: number): Tok[] {
  const out: Tok[] = [];
  for (const raw of nodes) {
    const node = raw as unknown as Node;
    const { start, end } = nodeSpan(node, out.length > 0 ? out[out.length - 1]!.end : fallback);
    switch (node.type) {
      case 'string': {
        const text = node.content as string;
        for (let k = 0; k < text.length; k++) {
          const ch = text[k]!;
          const at = { start: start + k, end: start + k + 1 };
          if (ch === '$') continue; // math delimiters around the whole input
          if (ch === '{' || ch === '}') throw new FormulaSyntaxError('unbalanced braces', { text: latex, span: at }, 'every { needs its }');
          const unicode = UNICODE.get(ch);
          if (unicode === undefined) out.push({ kind: 'char', ch, ...at });
          else if (unicode === ' ') out.push({ kind: 'space', wide: false, ...at });
          else if (unicode.startsWith('\\')) out.push({ kind: 'macro', name: unicode.slice(1), args: [], optional: undefined, ...at });
          else for (const c of unicode) out.push({ kind: 'char', ch: c, ...at });
        }
        break;
      }
      case 'whitespace':
      case 'parbreak':
        out.push({ kind: 'space', wide: false, start, end });
        break;
      case 'comment':
        break;
      case 'inlinemath':
      case 'displaymath':
        // \( \), \[ \] and $$ $$ around the answer: their content is the answer.
        out.push(...flatten(node.content as readonly LatexNode[], latex, start));
        break;
      case 'macro':
        out.push({ kind: 'macro', name: node.content as string, args: [], optional: undefined, start, end });
        break;
      case 'group':
        out.push({ kind: 'group', content: flatten(node.content as readonly LatexNode[], latex, start), start, end });
        break;
      case 'environment':
      case 'mathenv':
        out.push({ kind: 'env', name: (typeof node.env === 'string' ? node.env : node.env?.content) ?? '', content: flatten(node.content as readonly LatexNode[], latex, start), start, end });
        break;
      default:
        throw new FormulaSyntaxError(`LaTeX ${node.type} cannot be part of a formula`, { text: latex, span: { start, end } }, 'write a single math expression');
    }
  }
  return out;
}

/**
 * Attaches arguments: `_` and `^` (commands or characters) take the next token, commands of ARGUMENTS
 * their mandatory arguments (a group's content, or one token: `\frac14` is 1 over 4), \sqrt an optional
 * `[n]`. The span of a command with arguments then covers them.
 */
function attach(toks: readonly Tok[], latex: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const argument = (what: string, at: Span): { toks: Tok[]; end: number } => {
    while (i < toks.length && toks[i]!.kind === 'space') i++;
    const t = toks[i++];
    if (t === undefined) throw new FormulaSyntaxError(`${what} needs an argument`, { text: latex, span: at }, `write ${what}{…}`);
    if (t.kind === 'group') return { toks: attach(t.content, latex), end: t.end };
    const [one] = t.kind === 'macro' && ARGUMENTS.has(t.name) ? attachOne(t) : [t];
    return { toks: [one!], end: one!.end };
  };
  const attachOne = (t: MacroTok): Tok[] => {
    const n = ARGUMENTS.get(t.name) ?? 0;
    let optional: Tok[] | undefined;
    let end = t.end;
    if (t.name === 'operatorname' && toks[i]?.kind === 'char' && (toks[i] as CharTok).ch === '*') i++;
    if (t.name === 'sqrt' && toks[i]?.kind === 'char' && (toks[i] as CharTok).ch === '[') {
      const close = toks.findIndex((x, k) => k > i && x.kind === 'char' && x.ch === ']');
      if (close < 0) throw new FormulaSyntaxError('\\sqrt[ is never closed', { text: latex, span: t }, 'write \\sqrt[n]{x}');
      optional = attach(toks.slice(i + 1, close), latex);
      end = toks[close]!.end;
      i = close + 1;
    }
    const args: Tok[][] = [];
    for (let k = 0; k < n; k++) {
      const a = argument(`\\${t.name}`, t);
      args.push(a.toks);
      end = a.end;
    }
    return [{ ...t, args, optional, end }];
  };
  while (i < toks.length) {
    const t = toks[i++]!;
    if ((t.kind === 'char' || t.kind === 'macro') && (t.kind === 'char' ? t.ch === '_' || t.ch === '^' : t.name === '_' || t.name === '^')) {
      const name = t.kind === 'char' ? t.ch : t.name;
      const a = argument(name === '_' ? 'a subscript' : 'a superscript', t);
      out.push({ kind: 'macro', name, args: [a.toks], optional: undefined, start: t.start, end: a.end });
    } else if (t.kind === 'macro') {
      out.push(...attachOne(t));
    } else if (t.kind === 'group') {
      out.push({ ...t, content: attach(t.content, latex) });
    } else if (t.kind === 'env') {
      out.push({ ...t, content: attach(t.content, latex) });
    } else {
      out.push(t);
    }
  }
  return out;
}

/** The tokens without whitespace. */
export function significant(toks: readonly Tok[]): Tok[] {
  return toks.filter((t) => t.kind !== 'space');
}

/**
 * The type the two tests below narrow to. It is branded so that a false result narrows nothing: `t` may
 * still be a character or a command, only not this one.
 */
declare const tested: unique symbol;
type Tested<T> = T & { readonly [tested]: true };

export function isChar(t: Tok | undefined, ch?: string): t is Tested<CharTok> {
  return t?.kind === 'char' && (ch === undefined || t.ch === ch);
}

export function isMacro(t: Tok | undefined, ...names: string[]): t is Tested<MacroTok> {
  return t?.kind === 'macro' && (names.length === 0 || names.includes(t.name));
}

/** Plain letters and digits of a token list (spaces ignored), or undefined when it holds anything else. */
export function plainText(toks: readonly Tok[]): string | undefined {
  let out = '';
  for (const t of toks) {
    if (t.kind === 'space') continue;
    if (t.kind === 'group') {
      const inner = plainText(t.content);
      if (inner === undefined) return undefined;
      out += inner;
      continue;
    }
    if (t.kind !== 'char' || !(isLetter(t.ch) || isDigit(t.ch))) return undefined;
    out += t.ch;
  }
  return out;
}

/** Commands whose argument is text or a font for a name: \text{full}, \mathrm{d}, \mathbf{W}. */
export const TEXT_MACROS = new Set(['text', 'textrm', 'textit', 'textbf', 'texttt', 'textsf', 'mbox', 'mathrm', 'mathit', 'mathsf', 'mathtt', 'operatorname']);
export const FONT_MACROS = new Set(['mathbf', 'boldsymbol', 'bm', 'mathcal', 'mathbb', 'mathbbm', 'mathds', 'mathscr', 'mathfrak', 'vec']);

/** The plain text inside font and text commands (\mathbf{W} → W, \text{ if } → if), or undefined. */
export function wordOf(toks: readonly Tok[]): string | undefined {
  let out = '';
  for (const t of toks) {
    if (t.kind === 'space') continue;
    if (t.kind === 'macro' && (TEXT_MACROS.has(t.name) || FONT_MACROS.has(t.name)) && t.args.length > 0) {
      const inner = wordOf(t.args[t.args.length - 1]!);
      if (inner === undefined) return undefined;
      out += inner;
    } else if (t.kind === 'group') {
      const inner = wordOf(t.content);
      if (inner === undefined) return undefined;
      out += inner;
    } else if (t.kind === 'char' && (isLetter(t.ch) || isDigit(t.ch) || t.ch === '.' || t.ch === "'")) {
      out += t.ch;
    } else {
      return undefined;
    }
  }
  return out;
}

/** Bracket depth changes of a token: ( [ \lfloor \lceil \langle open; ) ] \rfloor \rceil \rangle close. */
export function depthChange(t: Tok): number {
  if (t.kind === 'char') return t.ch === '(' || t.ch === '[' ? 1 : t.ch === ')' || t.ch === ']' ? -1 : 0;
  if (t.kind === 'macro') return ['lfloor', 'lceil', 'langle'].includes(t.name) ? 1 : ['rfloor', 'rceil', 'rangle'].includes(t.name) ? -1 : 0;
  return 0;
}

/** Splits a token list at the tokens `at` accepts outside brackets (the separators are dropped). */
export function splitTopLevel(toks: readonly Tok[], at: (t: Tok) => boolean): Tok[][] {
  const out: Tok[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (depth === 0 && at(t)) {
      out.push([]);
      continue;
    }
    depth += depthChange(t);
    out[out.length - 1]!.push(t);
  }
  return out;
}

/** The span from the first to the last token of a list (or `fallback` when it is empty). */
export function spanOf(toks: readonly Tok[], fallback: Span): Span {
  return toks.length === 0 ? fallback : { start: toks[0]!.start, end: toks[toks.length - 1]!.end };
}

/** The LaTeX source of a token list without spaces and braces: a key to compare spellings by. */
export function sourceKey(toks: readonly Tok[], latex: string): string {
  return toks.length === 0 ? '' : latex.slice(toks[0]!.start, toks[toks.length - 1]!.end).replace(/[\s{}]/g, '');
}


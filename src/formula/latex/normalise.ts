import type { Tok } from './tokens.js';
import { isChar, isMacro } from './tokens.js';

/**
 * What surrounds and decorates an answer without changing its value, removed or made plain before it is
 * read: spacing (\, \! \quad \displaystyle), \boxed{...}, delimiter sizes (\left( \right), \bigl[ \Big),
 * \{ \} and sized [ ] as parentheses, alignment environments (aligned, align*: & and \\ dropped), and at
 * the end a full stop or comma and a shape note `\in \mathbb{R}^{D \times M}`. (Math delimiters $ $, \( \),
 * \[ \] are already gone: tokens.ts reads their content.)
 */

/** Spacing and style commands: read as a space (the wide ones may separate a definition from the answer). */
const SPACING = new Set([',', ';', ':', '!', ' ', '>', 'enspace', 'thinspace', 'medspace', 'thickspace', 'negthinspace', 'negmedspace', 'negthickspace', 'displaystyle', 'textstyle', 'scriptstyle', 'scriptscriptstyle', 'nonumber', 'notag', 'limits', 'nolimits']);
const WIDE_SPACING = new Set(['quad', 'qquad']);
/** Commands dropped with their argument; old font switches (`{\\rm T}`) dropped alone. */
const DROPPED = new Set(['tag', 'label', 'color', 'rm', 'bf', 'it', 'sf', 'tt', 'cal', 'boldmath', 'unboldmath']);
/** Spacing commands with an argument: \\hspace{1em}, \\phantom{x}. */
const SPACING_WITH_ARGUMENT = new Set(['hspace', 'hspace*', 'phantom', 'hphantom', 'vphantom']);
/** Fonts for a name or a symbol. */
const FONTS = new Set(['mathbf', 'boldsymbol', 'bm', 'mathrm', 'mathit', 'mathsf', 'pmb']);
/** Delimiter size commands: only the delimiter after them matters. */
const SIZES = new Set(['left', 'right', 'middle', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr', 'bigm', 'Bigm', 'biggm', 'Biggm']);
/** Delimiter commands read as parentheses. */
const OPENING = new Set(['{', 'lbrace', 'lbrack']);
const CLOSING = new Set(['}', 'rbrace', 'rbrack']);
/** Environments that only lay out a chain of equations. */
const ALIGNMENTS = new Set(['aligned', 'align', 'align*', 'alignat', 'alignat*', 'gathered', 'gather', 'gather*', 'split', 'equation', 'equation*', 'multline', 'multline*', 'eqnarray', 'eqnarray*']);

function paren(t: Tok, ch: '(' | ')'): Tok {
  return { kind: 'char', ch, start: t.start, end: t.end };
}

/** Spacing, sizes, \boxed and delimiters, everywhere in the token tree. */
function plain(toks: readonly Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'group') {
      out.push({ ...t, content: plain(t.content) });
    } else if (t.kind === 'env') {
      if (ALIGNMENTS.has(t.name)) {
        for (const x of plain(t.content)) {
          if (isChar(x, '&')) continue;
          out.push(isMacro(x, '\\') ? { kind: 'space', wide: false, start: x.start, end: x.end } : x);
        }
      } else {
        out.push({ ...t, content: plain(t.content) });
      }
    } else if (t.kind === 'macro') {
      if (SPACING.has(t.name) || WIDE_SPACING.has(t.name) || SPACING_WITH_ARGUMENT.has(t.name)) {
        out.push({ kind: 'space', wide: WIDE_SPACING.has(t.name), start: t.start, end: t.end });
      } else if (DROPPED.has(t.name)) {
        continue;
      } else if (FONTS.has(t.name) && t.args.length === 1 && t.args[0]!.filter((x) => x.kind !== 'space').length === 1 && t.args[0]!.some((x) => x.kind === 'macro' && x.name !== '_' && x.name !== '^' && x.args.length === 0)) {
        // \mathbf{\nabla}, \boldsymbol\sigma: a bold or upright command is the command.
        out.push(...plain(t.args[0]!.filter((x) => x.kind !== 'space')));
      } else if (t.name === 'textcolor' && t.args.length === 2) {
        out.push({ kind: 'group', content: plain(t.args[1]!), start: t.start, end: t.end });
      } else if (t.name === 'boxed' && t.args.length === 1) {
        // A boxed equation is the answer itself; a boxed term keeps its grouping.
        const inner = plain(t.args[0]!);
        if (inner.some((x) => isChar(x, '='))) out.push(...inner);
        else out.push({ kind: 'group', content: inner, start: t.start, end: t.end });
      } else if (SIZES.has(t.name)) {
        const next = toks[i + 1];
        if (isChar(next, '.')) i++;
        else if (isChar(next, '[') || (isMacro(next) && OPENING.has(next.name))) out.push(paren(toks[++i]!, '('));
        else if (isChar(next, ']') || (isMacro(next) && CLOSING.has(next.name))) out.push(paren(toks[++i]!, ')'));
      } else if (OPENING.has(t.name)) {
        out.push(paren(t, '('));
      } else if (CLOSING.has(t.name)) {
        out.push(paren(t, ')'));
      } else {
        out.push({ ...t, args: t.args.map(plain), optional: t.optional && plain(t.optional) });
      }
    } else {
      out.push(t);
    }
  }
  return out;
}

/** A shape note after the answer: `\in \mathbb{R}^{D \times M}` (from \in to the end, outside brackets). */
function shapeNoteAt(toks: readonly Tok[]): number {
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (isChar(t, '(') || isChar(t, '[')) depth++;
    else if (isChar(t, ')') || isChar(t, ']')) depth--;
    else if (depth === 0 && isMacro(t, 'in')) return i;
  }
  return -1;
}

/** Removes spaces and closing punctuation at the end. */
function trimEnd(toks: Tok[]): Tok[] {
  let end = toks.length;
  for (;;) {
    while (end > 0 && toks[end - 1]!.kind === 'space') end--;
    const last = toks[end - 1];
    if (end > 1 && (isChar(last, '.') || isChar(last, ',') || isChar(last, ';'))) {
      end--;
      continue;
    }
    return toks.slice(0, end);
  }
}

/** Words in text before the answer: `\text{Answer: }`, `\textbf{Solution.}` (a text with a space or punctuation). */
function isLeadIn(t: Tok | undefined): boolean {
  if (!isMacro(t, 'text', 'textbf', 'textit', 'textrm', 'mbox')) return false;
  const text = plainWords(t.args[0] ?? [])?.trim();
  return text !== undefined && (/\s/.test(text) || /[:.]$/.test(text));
}

/** The text of a token list of letters, digits, spaces and punctuation. */
function plainWords(toks: readonly Tok[]): string | undefined {
  let out = '';
  for (const t of toks) {
    if (t.kind === 'space') out += ' ';
    else if (t.kind === 'char') out += t.ch;
    else return undefined;
  }
  return out;
}

/** A shape written after a wide space or comma at the end: `\quad (D \times M)`. */
function shapeAfter(toks: readonly Tok[]): number {
  let end = toks.length;
  while (end > 0 && toks[end - 1]!.kind === 'space' && !(toks[end - 1] as { wide: boolean }).wide) end--;
  if (!isChar(toks[end - 1], ')')) return -1;
  const open = toks.findLastIndex((t, k) => k < end - 1 && isChar(t, '('));
  if (open < 0) return -1;
  const inside = toks.slice(open + 1, end - 1).filter((t) => t.kind !== 'space');
  const isShape = inside.length >= 3 && inside.every((t, k) => (k % 2 === 1 ? isMacro(t, 'times') || isChar(t, 'x') : t.kind === 'char' && /[A-Za-z0-9]/.test(t.ch)));
  let k = open - 1;
  let wide = false;
  for (; k >= 0 && toks[k]!.kind === 'space'; k--) wide ||= (toks[k] as { wide: boolean }).wide;
  return isShape && (wide || isChar(toks[k], ',')) ? open : -1;
}

/** A remark in text after a wide space or a comma at the end: `\quad \text{(N \times D)}`. */
function textAfter(toks: readonly Tok[]): number {
  let end = toks.length;
  while (end > 0 && toks[end - 1]!.kind === 'space') end--;
  if (!isMacro(toks[end - 1], 'text', 'textrm', 'textit', 'mbox')) return -1;
  let k = end - 2;
  let wide = false;
  for (; k >= 0 && toks[k]!.kind === 'space'; k--) wide ||= (toks[k] as { wide: boolean }).wide;
  return wide || isChar(toks[k], ',') ? k + 1 : -1;
}

/** The answer's tokens with decorations removed (see the module comment). */
export function normaliseLatex(toks: readonly Tok[]): Tok[] {
  let out = plain(toks);
  for (;;) {
    while (out.length > 0 && (out[0]!.kind === 'space' || isLeadIn(out[0]))) out = out.slice(1);
    // An answer in braces (a boxed term, {X^T dY}) is the answer.
    const s = out.filter((t) => t.kind !== 'space');
    if (s.length === 1 && s[0]!.kind === 'group') out = [...s[0]!.content];
    else break;
  }
  const shapeNote = shapeNoteAt(out);
  if (shapeNote > 0) out = out.slice(0, shapeNote);
  const shape = shapeAfter(out);
  if (shape > 0) out = out.slice(0, shape);
  const note = textAfter(out);
  if (note > 0) out = out.slice(0, note);
  return trimEnd(out);
}

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
/** Commands dropped with their argument. */
const DROPPED = new Set(['tag', 'label']);
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
      if (SPACING.has(t.name) || WIDE_SPACING.has(t.name)) {
        out.push({ kind: 'space', wide: WIDE_SPACING.has(t.name), start: t.start, end: t.end });
      } else if (DROPPED.has(t.name)) {
        continue;
      } else if (t.name === 'boxed' && t.args.length === 1) {
        out.push({ kind: 'group', content: plain(t.args[0]!), start: t.start, end: t.end });
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

/** The answer's tokens with decorations removed (see the module comment). */
export function normaliseLatex(toks: readonly Tok[]): Tok[] {
  let out = plain(toks);
  const note = shapeNoteAt(out);
  if (note > 0) out = out.slice(0, note);
  return trimEnd(out);
}

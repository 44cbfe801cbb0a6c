import { type ErrorSite, FormulaSyntaxError, LimitExceededError, type SourceSpan, UnsupportedSyntaxError } from './errors.js';

/**
 * The formula text cut into tokens with their offsets. mathjs builds the tree but records no positions, so
 * the reader walks mathjs's tree and this token stream side by side to give every node its span. The
 * tokenizer follows mathjs's own rules for the characters the language accepts (numbers, names, quotes,
 * `'` as transpose after an operand) and refuses every other character here, with a position and a hint.
 */
export type TokenKind = 'number' | 'name' | 'string' | 'op' | 'transpose';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Brackets nested deeper than this are refused before mathjs's recursive parser sees them. */
export const MAX_NESTING = 64;

const TWO_CHAR_OPS = new Set(['.*', './', '.^', '==', '!=', '<=', '>=']);
const ONE_CHAR_OPS = new Set(['+', '-', '*', '/', '^', '(', ')', '[', ']', ',', ':', '=', '<', '>', '\\']);
const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\u00a0']);

/** Characters users paste from papers and slides, with what the language spells them as. */
const LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ['×', 'write * for the matrix product or .* for the elementwise product'],
  ['·', 'write * for the matrix product or .* for the elementwise product'],
  ['⋅', 'write * for the matrix product or .* for the elementwise product'],
  ['⊙', 'write .* for the elementwise product'],
  ['∘', 'write .* for the elementwise product'],
  ['ᵀ', "write X' (or X^T) for the transpose"],
  ['−', 'write - (ASCII minus)'],
  ['÷', 'write / or ./'],
  ['≤', 'write <='],
  ['≥', 'write >='],
  ['≠', 'write !='],
  ['∑', 'write sum(expr, i, ...)'],
]);

/** Characters mathjs would accept but the language refuses, with the reason. */
const REFUSED_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ['{', 'object literals {...} are not allowed'],
  ['}', 'object literals {...} are not allowed'],
  [';', 'a formula is one expression (or one assignment), not several statements; inside [ ], ; separates rows: [A; B]'],
  ['?', 'conditionals and optional chaining are not allowed; use a comparison as a 0/1 mask: (X > 0) .* dY'],
  ['%', 'percent and % are not supported; write mod(a, b)'],
  ['&', 'logical and bitwise operators are not supported; multiply 0/1 masks: (a > 0) .* (b > 0)'],
  ['|', 'logical and bitwise operators are not supported'],
  ['~', 'bitwise operators are not supported'],
  ['!', "factorial and logical not are not supported (use != for 'not equal')"],
  ['#', 'comments are not allowed in a formula'],
  ['$', 'names are letters, digits and _'],
  ['@', 'the character @ is not part of the language'],
  ['`', 'the character ` is not part of the language'],
]);

/**
 * Words that make a `\` directly before them LaTeX pasted by mistake (`\frac{a}{b}` in plain syntax)
 * rather than a left division; any other `\` is MATLAB's left division `A \ B`.
 */
const LATEX_COMMANDS: ReadonlySet<string> = new Set([
  'frac', 'dfrac', 'tfrac', 'sqrt', 'sum', 'prod', 'cdot', 'times', 'odot', 'circ', 'top', 'intercal', 'left', 'right', 'mathbb', 'mathbf', 'mathrm',
  'operatorname', 'text', 'partial', 'nabla', 'lceil', 'lfloor', 'sigma', 'delta', 'lambda', 'alpha', 'beta', 'exp', 'log', 'ln', 'tanh', 'det', 'max', 'min',
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** The token kinds after which mathjs reads `'` as a transpose rather than the start of a string. */
function endsOperand(token: Token | undefined): boolean {
  return token !== undefined && (token.kind === 'name' || token.kind === 'number' || token.kind === 'string' || token.kind === 'transpose' || token.text === ')' || token.text === ']');
}

/** `siteOf` places errors in the user's text (LaTeX input is tokenized through its generated formula text). */
export function tokenize(text: string, siteOf: (span: SourceSpan) => ErrorSite = (span) => ({ text, span })): Token[] {
  const tokens: Token[] = [];
  const site = (start: number, end = start + 1) => siteOf({ start, end });
  let depth = 0;
  /** Open brackets, innermost last: `;` separates rows only directly inside [ ]. */
  const open: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    const start = i;
    if (WHITESPACE.has(c)) {
      i++;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(next))) {
      if (c === '0' && next !== undefined && 'box'.includes(next)) {
        throw new UnsupportedSyntaxError('binary, octal and hexadecimal literals are not supported', site(start, start + 2), 'write the number in decimal');
      }
      while (isDigit(text[i])) i++;
      // mathjs: a dot is a decimal mark unless it starts .* ./ .^
      if (text[i] === '.' && !'*/^'.includes(text[i + 1] ?? '*')) i++;
      while (isDigit(text[i])) i++;
      if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1]) || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2])))) {
        i += 2;
        while (isDigit(text[i])) i++;
      }
      tokens.push({ kind: 'number', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (isNameStart(c)) {
      while (isNameChar(text[i])) i++;
      tokens.push({ kind: 'name', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === "'" && endsOperand(tokens[tokens.length - 1])) {
      tokens.push({ kind: 'transpose', text: "'", start, end: i + 1 });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') throw new UnsupportedSyntaxError('escapes inside quoted text are not supported', site(i), "modes are plain words: 'full', 'valid', 'same', 'fro'");
        if (text[i] === '\n') break;
        i++;
      }
      if (text[i] !== c) throw new FormulaSyntaxError(`unterminated quoted text starting with ${c}`, site(start, i), `close it with ${c}`);
      i++;
      tokens.push({ kind: 'string', text: text.slice(start + 1, i - 1), start, end: i });
      continue;
    }
    if (c === '.' && next !== undefined && isNameStart(next)) {
      let end = i + 1;
      while (isNameChar(text[end])) end++;
      throw new UnsupportedSyntaxError(`property access .${text.slice(i + 1, end)} is not allowed`, site(start, end), 'a formula only reads declared tensors and calls allowed functions');
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (two === '<<' || two === '>>') {
      throw new UnsupportedSyntaxError(`the bit shift ${two} is not supported`, site(start, start + 2));
    }
    if (c === ';' && open[open.length - 1] === '[') {
      tokens.push({ kind: 'op', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    if (c === '\\') {
      const word = /^[A-Za-z]+/.exec(text.slice(i + 1))?.[0];
      if (word !== undefined && LATEX_COMMANDS.has(word)) throw new UnsupportedSyntaxError(`\\${word} is LaTeX, which a plain formula cannot contain`, site(start, start + 1 + word.length), 'hand it in as LaTeX (a latex: answer, or --latex)');
    }
    if (ONE_CHAR_OPS.has(c)) {
      if (c === '(' || c === '[') {
        depth++;
        open.push(c);
      }
      if (c === ')' || c === ']') {
        depth--;
        open.pop();
      }
      if (depth > MAX_NESTING) {
        throw new LimitExceededError(`brackets are nested more than ${MAX_NESTING} deep`, site(start), 'maxNesting', 'split the formula or remove redundant parentheses');
      }
      tokens.push({ kind: 'op', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    const refused = REFUSED_CHARACTERS.get(c);
    if (refused !== undefined) throw new UnsupportedSyntaxError(`the character ${c} is not allowed`, site(start), refused);
    const codePoint = String.fromCodePoint(text.codePointAt(i)!);
    const lookalike = LOOKALIKES.get(codePoint);
    throw new FormulaSyntaxError(
      `unexpected character ${codePoint}`,
      site(start, start + codePoint.length),
      lookalike ?? (c === '.' ? "a dot must start .*, ./ or .^, or be part of a number" : 'formulas are written in ASCII: names, numbers, operators + - * / ^ .* ./ .^ \' and brackets'),
    );
  }
  return tokens;
}

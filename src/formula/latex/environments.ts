import type { Lowering } from './lower.js';
import { hasComparison } from './operators.js';
import { type Span, type Tok, isChar, isDigit, isMacro, plainText, significant, sourceKey, splitTopLevel, wordOf } from './tokens.js';

/**
 * Environments inside an answer. Written-out matrices (bmatrix, pmatrix, matrix) read as the formula
 * language's concatenation [a, b; c, d]: entries that are numbers make a matrix of numbers, entries that
 * are matrices a block matrix (side by side where the rows match, stacked where the columns do); blocks
 * that fit neither way are flagged by the shape resolution. Piecewise definitions (cases) read as masks:
 * value₁ .* (cond₁) + value₂ .* (cond₂) .* (1 − (cond₁)) + …, the first condition that holds choosing
 * the value, and "otherwise" (else, o.w., or no condition) matching what the others leave.
 */

type EnvTok = Extract<Tok, { kind: 'env' }>;

const MATRICES = new Set(['bmatrix', 'pmatrix', 'matrix', 'Bmatrix', 'smallmatrix', 'bmatrix*', 'pmatrix*']);
const CASES = new Set(['cases', 'dcases', 'cases*']);
const OTHERWISE = new Set(['otherwise', 'else', 'o.w', 'ow', 'elsewhere']);
const CONDITION_WORDS = new Set(['if', 'for', 'when', 'where']);

export function lowerEnvironment(l: Lowering, env: EnvTok): void {
  if (MATRICES.has(env.name)) return matrix(l, env);
  if (env.name === 'array') {
    // \begin{array}{cc} … \end{array}: a matrix after its column specification.
    const content = significant(env.content);
    return matrix(l, { ...env, content: content[0]?.kind === 'group' ? content.slice(1) : content });
  }
  if (CASES.has(env.name)) return cases(l, env);
  const why = env.name === 'vmatrix' || env.name === 'Vmatrix' ? ' (a determinant or norm bars around a matrix)' : '';
  return l.unsupported(`\\begin{${env.name}}`, `the ${env.name} environment${why} is not read in an answer`, env);
}

/** Rows (split at \\, an empty last row dropped) of cells (split at &). */
function grid(env: EnvTok): Tok[][][] {
  const rows = splitTopLevel(env.content, (t) => isMacro(t, '\\')).map((row) => splitTopLevel(row, (t) => isChar(t, '&')));
  while (rows.length > 1 && rows[rows.length - 1]!.every((cell) => significant(cell).length === 0)) rows.pop();
  return rows;
}

/** A number as written: 2, -0.5, \frac{1}{4}, \tfrac14. */
function isNumberLike(cell: readonly Tok[]): boolean {
  const s = significant(cell);
  const body = isChar(s[0], '-') ? s.slice(1) : s;
  if (body.length === 1 && isMacro(body[0], 'frac', 'tfrac', 'dfrac')) return body[0].args.every((a) => /^[0-9]+$/.test(plainText(a) ?? ''));
  return body.length > 0 && body.every((t) => isChar(t) && (isDigit(t.ch) || t.ch === '.'));
}

function matrix(l: Lowering, env: EnvTok): void {
  const rows = grid(env);
  const c = rows[0]!.length;
  if (rows.some((row) => row.length !== c)) l.syntax(`the rows of this ${env.name} have different numbers of entries`, env);
  const cells = rows.flat();
  if (cells.some((cell) => significant(cell).some((t) => isMacro(t, 'cdots', 'ldots', 'dots', 'vdots', 'ddots')))) {
    l.unsupported('\\cdots in a matrix', 'a matrix written with \\cdots, \\vdots or \\ddots: its general entry is not read', env, 'write the entry formula (index notation) or the whole-matrix formula');
  }
  if (cells.some((cell) => significant(cell).length === 0)) l.syntax(`this ${env.name} has an empty entry`, env);
  if (!cells.every(isNumberLike)) l.ctx.choices.matrices.push({ start: env.start, end: env.end });
  concatenation(l, rows, env);
}

/** `[a, b; c, d]`: the formula language's concatenation, a row's entries side by side and the rows stacked. */
export function concatenation(l: Lowering, rows: readonly (readonly Tok[])[][], at: Span): void {
  l.emit('[', 'open', at);
  rows.forEach((row, i) => {
    if (i > 0) l.emit(';', 'op', at);
    row.forEach((cell, j) => {
      if (j > 0) l.emit(',', 'op', at);
      l.sequence(cell);
    });
  });
  l.emit(']', 'close', at);
}

/** A case's condition without its words (\text{if }, "for") and closing punctuation; undefined for "otherwise". */
function conditionOf(l: Lowering, toks: readonly Tok[], env: EnvTok): readonly Tok[] | undefined {
  let s = significant(toks);
  while (isChar(s[s.length - 1], ',') || isChar(s[s.length - 1], '.')) s = s.slice(0, -1);
  const text = wordOf(s);
  if (s.length === 0 || (text !== undefined && OTHERWISE.has(text.toLowerCase().replace(/[.,;]+$/, '')))) return undefined;
  const lead = s[0];
  if (lead && lead.kind === 'macro' && CONDITION_WORDS.has((wordOf([lead]) ?? '').toLowerCase())) s = s.slice(1);
  else if (isChar(s[0], 'i') && isChar(s[1], 'f')) s = s.slice(2);
  if (!hasComparison(s)) l.unsupported('\\begin{cases}', `a case whose condition is not a comparison (${l.source({ start: toks[0]?.start ?? env.start, end: toks[toks.length - 1]?.end ?? env.end }).trim()})`, env, 'write conditions such as X_{ij} > 0, or otherwise');
  return s;
}

function cases(l: Lowering, env: EnvTok): void {
  const rows = grid(env).map((row) => {
    if (row.length !== 2) l.syntax('each case is a value & a condition', env);
    let value = significant(row[0]!);
    while (isChar(value[value.length - 1], ',')) value = value.slice(0, -1);
    return { value, condition: conditionOf(l, row[1]!, env) };
  });
  const earlier: (readonly Tok[])[] = [];
  let terms = 0;
  l.emit('(', 'open', env);
  for (const { value, condition } of rows) {
    if (sourceKey(value, l.ctx.latex) !== '0') {
      if (terms++ > 0) l.emit('+', 'op', env);
      l.parenthesised(value, env);
      if (condition) mask(l, condition, false, env);
      for (const before of earlier) mask(l, before, true, env);
    }
    if (condition) earlier.push(condition);
  }
  if (terms === 0) l.emit('0', 'number', env);
  l.emit(')', 'close', env);
}

/** ` .* (cond)`, or ` .* (1 - (cond))` for a condition that must not hold. */
function mask(l: Lowering, condition: readonly Tok[], negated: boolean, env: EnvTok): void {
  l.emit('.*', 'op', env);
  l.emit('(', 'open', env);
  if (negated) {
    l.emit('1', 'number', env);
    l.emit('-', 'op', env);
    l.emit('(', 'open', env);
  }
  l.condition(condition);
  if (negated) l.emit(')', 'close', env);
  l.emit(')', 'close', env);
}

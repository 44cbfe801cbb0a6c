import { FormulaError, FormulaSyntaxError, UnsupportedNotationError } from './errors.js';
import { ChoiceRecorder, type ReadingChoices } from './latex/choices.js';
import { Lowering } from './latex/lower.js';
import { type NameTable, derivativeKey, isDeclared, nameKey } from './latex/names.js';
import { normaliseLatex } from './latex/normalise.js';
import type { LoweredLatex } from './latex/pieces.js';
import { type LeftSide, entrywiseSide, layoutOf } from './latex/sides.js';
import { type Tok, isMacro, latexTokens, significant } from './latex/tokens.js';
import type { LatexNotation } from './parse.js';

/**
 * LaTeX input, read as a human grader reads it. @unified-latex parses the LaTeX (latex/tokens.ts); the
 * decorations around it go (latex/normalise.ts); the answer is laid out into its left side, the sides
 * of a chain and its definitions (latex/sides.ts); each side is lowered to formula-language text,
 * piece by piece, with a map back to the LaTeX (latex/lower.ts, latex/environments.ts). The formula
 * reader then parses that text, so LaTeX and plain formulas give the same tree and errors point into
 * the LaTeX the user wrote. What only shapes can decide (lengths of \mathbf{1}, elementwise or matrix
 * products, the order of free indices) is left to latex/resolve.ts, which runs with the shape check.
 */

export type { NameTable } from './latex/names.js';
export type { ReadingChoices } from './latex/choices.js';
export type { LoweredLatex } from './latex/pieces.js';

/** The target an answer is for: its name, shape and the variable it is the gradient with respect to. */
export interface LatexTarget {
  readonly name: string;
  readonly shape: readonly (string | number)[];
  readonly wrt?: string;
}

export interface LatexReadOptions {
  readonly names: NameTable;
  readonly notation?: LatexNotation;
  readonly target?: LatexTarget;
}

export interface LatexReading {
  /**
   * Each side of the answer as formula text, with the left side's indices when it has them; the last one
   * is graded, an earlier one that cannot be read is why.
   */
  readonly sides: readonly (LoweredLatex | FormulaError)[];
  readonly choices: ReadingChoices;
  readonly left?: LeftSide;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Index slots of an entrywise left side: the names, with `:` on the target's axes of size 1 or the trailing axes. */
function leftIndices(indices: readonly string[], shape: readonly (string | number)[] | undefined): string[] {
  if (!shape || indices.length >= shape.length) return [...indices];
  const singletons = shape.flatMap((d, k) => (d === 1 || d === '1' ? [k] : []));
  if (singletons.length === shape.length - indices.length) {
    const rest = [...indices];
    return shape.map((_, axis) => (singletons.includes(axis) ? ':' : rest.shift()!));
  }
  return [...indices, ...Array.from({ length: shape.length - indices.length }, () => ':')];
}

/** `name[i, j] =` or `name =` before a side, when the answer has a left side. */
function emitLeft(l: Lowering, written: LeftSide, options: LatexReadOptions, at: { start: number; end: number }): void {
  let left = written;
  const target = options.target;
  // A subscript that cannot index the target (H_{out}, ∂h_{t+1}/∂h_t for a number) is part of a name.
  if (left.indices && (!left.derivative || target?.shape.length === 0) && target && left.indices.length > target.shape.length) left = { ...left, indices: undefined };
  const name = target?.name ?? (left.label !== undefined && IDENTIFIER.test(left.label) && !isDeclared(options.names, left.label) ? left.label : undefined);
  if (name === undefined) {
    if (left.indices) l.unsupported('an entrywise left side', `${left.text}: the left side's name is not known`, at);
    return;
  }
  l.emit(name, 'name', at);
  if (left.indices) {
    l.emit('[', 'openIndex', at);
    leftIndices(left.indices, target?.shape).forEach((index, k) => {
      if (k > 0) l.emit(',', 'op', at);
      l.emit(index, index === ':' ? 'op' : 'name', at);
    });
    l.emit(']', 'close', at);
  }
  l.emit('=', 'op', at);
}

/** Reads a LaTeX answer into formula text, one text per side of its chain. */
export function readLatex(latex: string, options: LatexReadOptions): LatexReading {
  const toks = normaliseLatex(latexTokens(latex));
  const whole = { start: 0, end: latex.length };
  if (significant(toks).length === 0) throw new FormulaSyntaxError('the answer is empty', { text: latex, span: whole }, 'write the formula');
  const target = options.target;
  const layout = layoutOf(toks, options.names, latex, target ?? {});
  const left = layout.left;
  const leftSpan = left?.span ?? whole;
  if (left?.wrt !== undefined && target?.wrt !== undefined && left.wrt !== target.wrt) {
    throw new UnsupportedNotationError(
      'the left side',
      `the left side ${left.text} is the gradient with respect to ${left.wrt}, but this answer is for ${target.name} (with respect to ${target.wrt})`,
      { text: latex, span: leftSpan },
      'a person should check which gradient was meant',
    );
  }
  if (left?.unreadIndices) {
    throw new UnsupportedNotationError('an entrywise left side', `the left side ${left.text} names entries by index expressions, which are not read`, { text: latex, span: leftSpan }, 'write one entry per index name: dS_{ij} = …, or the whole tensor');
  }
  const choices = new ChoiceRecorder((name) => isDeclared(options.names, name));
  const lower = (side: readonly Tok[]): LoweredLatex => {
    if (significant(side).length === 0) throw new FormulaSyntaxError('a side of = is empty', { text: latex, span: whole }, 'write the formula after =');
    const lowering = new Lowering({ latex, names: options.names, notation: options.notation ?? {}, definitions: layout.definitions, choices });
    const entries = left?.indices ? undefined : entrywiseSide(side);
    if (entries && entries.indices.length > 0) emitLeft(lowering, { ...(left ?? { text: '', span: leftSpan, derivative: false }), indices: entries.indices }, options, leftSpan);
    else if (left) emitLeft(lowering, left, options, leftSpan);
    lowering.sequence(entries?.inner ?? side);
    return lowering.result();
  };
  // The graded side is the last: an earlier side that cannot be read is reported, not fatal.
  const earlier = layout.sides.slice(0, -1).map((side) => {
    try {
      return lower(side);
    } catch (err) {
      if (err instanceof FormulaError) return err;
      throw err;
    }
  });
  return { sides: [...earlier, lower(layout.sides[layout.sides.length - 1]!)], choices, ...(left ? { left } : {}) };
}

/**
 * Keys of the spellings already read (a key is a function of the spelling alone). Every answer's check
 * resolves its problem's declarations again, and reading their aliases' LaTeX was ≈ 6% of a grading
 * worker's profile on distinct answers. The spellings are the problems' declarations, a few hundred at
 * most; past this many, new ones are read each time.
 */
const aliasKeys = new Map<string, string | undefined>();
const KEPT_ALIAS_KEYS = 4096;

/**
 * The key of a declared LaTeX spelling: a derivative (`\frac{\partial L}{\partial Y}` → L/Y) or a name
 * (`h_t`, `g`, `h'`), or undefined when it is neither.
 */
export function latexAliasKey(alias: string): string | undefined {
  if (aliasKeys.has(alias)) return aliasKeys.get(alias);
  const key = readAliasKey(alias);
  if (aliasKeys.size < KEPT_ALIAS_KEYS) aliasKeys.set(alias, key);
  return key;
}

function readAliasKey(alias: string): string | undefined {
  let toks;
  try {
    toks = significant(normaliseLatex(latexTokens(alias)));
  } catch {
    return undefined;
  }
  const only = toks[0];
  if (toks.length === 1 && isMacro(only, 'frac', 'dfrac', 'tfrac') && only.args.length === 2) return derivativeKey(only.args[0]!, only.args[1]!)?.key;
  return nameKey(toks);
}

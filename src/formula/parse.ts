import type { Declarations } from './declarations.js';
import { DeclarationError, FormulaError, FormulaSyntaxError, LimitExceededError } from './errors.js';
import { type LatexTarget, type NameTable, type ReadingChoices, latexAliasKey, readLatex } from './latex.js';
import { printStatement } from './print.js';
import { MAX_TREE_DEPTH, readFormulaText } from './read.js';
import { MAX_NESTING } from './tokens.js';
import type { Statement } from './tree.js';

export type FormulaSyntax = 'formula' | 'latex';

/**
 * How a course writes its LaTeX, set per question (question files' `notation`): further spellings of
 * declared names (`g` for G, `W_2` for W2) and what `\otimes` means. Carried to the LaTeX reader.
 */
export interface LatexNotation {
  /** LaTeX spelling → declared name. */
  readonly aliases?: ReadonlyMap<string, string>;
  /** `A \otimes B`: the elementwise product (as many courses write it) or the Kronecker product. */
  readonly otimes?: 'elementwise' | 'kronecker';
  /** LaTeX spellings of the unit step (Heaviside) function, e.g. ['\\theta']: `\theta(X)` reads as (X > 0). */
  readonly step?: readonly string[];
}

export interface ParseOptions {
  /** 'formula' (mathjs/MATLAB style, the default) or 'latex'. */
  readonly syntax?: FormulaSyntax;
  /**
   * Optional at parse time; used for readings that depend on names: `W^T` is a transpose unless T is
   * declared as a dimension or a scalar, LaTeX `XW` splits into X * W when X and W are declared and XW
   * is not, and LaTeX aliases (`\frac{\partial L}{\partial Y}` → dY) come from symbol aliases.
   */
  readonly declarations?: Declarations;
  /** The question's LaTeX conventions (LaTeX syntax only). */
  readonly notation?: LatexNotation;
  /** Longest accepted text, in characters (default MAX_FORMULA_LENGTH). */
  readonly maxLength?: number;
  /**
   * LaTeX only: the target the answer is for. A left side naming another gradient is then flagged, an
   * entrywise answer without a left side takes the target's axes, and \mathbf{1}_N pads to its shape.
   */
  readonly target?: LatexTarget;
}

/** What a LaTeX answer leaves to the shape check (src/formula/latex/resolve.ts). */
export interface LatexParse {
  /** The chain's sides before the graded one (`dW = a = b`: a), read the same way, or why they could not be. */
  readonly earlierSides: readonly (Statement | FormulaError)[];
  readonly choices: ReadingChoices;
  /** The target's name, for the left side an entrywise answer without one gets. */
  readonly targetName?: string;
}

export interface ParsedFormula {
  readonly text: string;
  readonly syntax: FormulaSyntax;
  readonly statement: Statement;
  /** The canonical formula-syntax reading, echoed to the user: `read as: X' * dY`. Parsing it gives the same tree. */
  readonly readAs: string;
  /** LaTeX answers: what the shape check decides (the checker resolves it; absent for formula syntax). */
  readonly latex?: LatexParse;
}

/** Formulas are a line or two; 4000 characters bounds the work of reading hostile input. */
export const MAX_FORMULA_LENGTH = 4000;

/**
 * Refuses text nested deeper than the readers recurse safely, before any of them runs: mathjs's parser,
 * the LaTeX parser and KaTeX (which the HTML report runs on LaTeX answers) each recurse once per
 * bracket or group, and a LaTeX answer of 2,000 nested braces overflowed the stack. Brackets of every
 * kind count alike (`(`, `[`, `{`, so `\left(` and `\frac{` too), up to MAX_NESTING; a run of signs
 * (`- - - X`) nests one level per sign, up to MAX_TREE_DEPTH. Throws a LimitExceededError at the first
 * character past a limit.
 */
export function checkNesting(text: string): void {
  let depth = 0;
  let signs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') {
      if (++depth > MAX_NESTING) {
        throw new LimitExceededError(`brackets are nested more than ${MAX_NESTING} deep`, { text, span: { start: i, end: i + 1 } }, 'maxNesting', 'split the formula or remove redundant brackets');
      }
    } else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (c === '+' || c === '-') {
      if (++signs > MAX_TREE_DEPTH) {
        throw new LimitExceededError(`more than ${MAX_TREE_DEPTH} signs in a row`, { text, span: { start: i, end: i + 1 } }, 'maxDepth', 'cancel the signs: an even number of minus signs is a plus');
      }
    } else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') signs = 0;
  }
}

/** Whether `text` is within the length and nesting every reader and renderer is safe with (see checkNesting). */
export function withinReadingLimits(text: string, maxLength = MAX_FORMULA_LENGTH): boolean {
  if (text.length > maxLength) return false;
  try {
    checkNesting(text);
    return true;
  } catch (err) {
    if (err instanceof LimitExceededError) return false;
    throw err;
  }
}

/** The declared names that denote numbers: dimensions and scalar symbols (`W^T` is a power when T is one). */
function scalarNames(declarations: Declarations | undefined): Set<string> {
  const dims = Array.isArray(declarations?.dims) ? declarations.dims.filter((d) => typeof d === 'string') : [];
  const symbols = Array.isArray(declarations?.symbols) ? declarations.symbols.filter((s) => typeof s?.name === 'string') : [];
  return new Set([...dims, ...symbols.filter((s) => Array.isArray(s.shape) && s.shape.length === 0).map((s) => s.name)]);
}

/** The names a LaTeX answer may use: declared symbols and dimensions, and their declared spellings. */
function nameTable(declarations: Declarations | undefined, notation: LatexNotation | undefined): NameTable {
  const symbols = new Map<string, readonly (string | number)[]>();
  const aliases = new Map<string, string>();
  for (const s of Array.isArray(declarations?.symbols) ? declarations.symbols : []) {
    if (typeof s?.name !== 'string') continue;
    symbols.set(s.name, Array.isArray(s.shape) ? s.shape : []);
    for (const alias of s.aliases ?? []) {
      const key = latexAliasKey(alias);
      if (key !== undefined) aliases.set(key, s.name);
    }
  }
  const dims = new Set(Array.isArray(declarations?.dims) ? declarations.dims.filter((d) => typeof d === 'string') : []);
  for (const [spelling, name] of notation?.aliases ?? []) {
    const key = latexAliasKey(spelling);
    if (key === undefined || !(symbols.has(name) || dims.has(name))) throw new DeclarationError(`the notation alias '${spelling}' → ${name} is not a LaTeX name for a declared name`, undefined);
    aliases.set(key, name);
  }
  return { symbols, dims, aliases };
}

/** Reads a formula (or LaTeX) into the formula tree; throws a FormulaError subclass on bad input. */
export function parseFormula(text: string, options: ParseOptions = {}): ParsedFormula {
  const syntax = options.syntax ?? 'formula';
  const maxLength = options.maxLength ?? MAX_FORMULA_LENGTH;
  if (typeof text !== 'string') throw new TypeError('parseFormula: the formula must be a string');
  if (text.length > maxLength) {
    throw new LimitExceededError(`the formula is ${text.length} characters long; the limit is ${maxLength}`, { text, span: { start: maxLength, end: text.length } }, 'maxLength');
  }
  checkNesting(text);
  if (text.trim() === '') throw new FormulaSyntaxError('the answer is empty', { text, span: { start: 0, end: text.length } }, 'write the formula');
  const scalars = scalarNames(options.declarations);
  if (syntax === 'latex') {
    const reading = readLatex(text, { names: nameTable(options.declarations, options.notation), ...(options.notation ? { notation: options.notation } : {}), ...(options.target ? { target: options.target } : {}) });
    const sides = reading.sides.map((side) => {
      if (side instanceof FormulaError) return side;
      try {
        return readFormulaText({ text: side.text, mapSpan: side.mapSpan, userText: text, scalarNames: scalars });
      } catch (err) {
        if (err instanceof FormulaError && side !== reading.sides[reading.sides.length - 1]) return err;
        throw err;
      }
    });
    const statement = sides[sides.length - 1] as Statement;
    const latex: LatexParse = { earlierSides: sides.slice(0, -1), choices: reading.choices, ...(options.target ? { targetName: options.target.name } : {}) };
    return { text, syntax, statement, readAs: printStatement(statement), latex };
  }
  const statement = readFormulaText({ text, mapSpan: (span) => span, userText: text, scalarNames: scalars });
  return { text, syntax, statement, readAs: printStatement(statement) };
}

import type { Declarations } from './declarations.js';
import { LimitExceededError } from './errors.js';
import { latexAliasKey, lowerLatex } from './latex.js';
import { printStatement } from './print.js';
import { readFormulaText } from './read.js';
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
}

export interface ParsedFormula {
  readonly text: string;
  readonly syntax: FormulaSyntax;
  readonly statement: Statement;
  /** The canonical formula-syntax reading, echoed to the user: `read as: X' * dY`. Parsing it gives the same tree. */
  readonly readAs: string;
}

/** Formulas are a line or two; 4000 characters bounds the work of reading hostile input. */
export const MAX_FORMULA_LENGTH = 4000;

/** All declared names, and those that denote numbers (dimensions and scalar symbols). */
function declaredNames(declarations: Declarations | undefined): { all: Set<string>; scalars: Set<string> } {
  const dims = Array.isArray(declarations?.dims) ? declarations.dims.filter((d) => typeof d === 'string') : [];
  const symbols = Array.isArray(declarations?.symbols) ? declarations.symbols.filter((s) => typeof s?.name === 'string') : [];
  return {
    all: new Set([...dims, ...symbols.map((s) => s.name)]),
    scalars: new Set([...dims, ...symbols.filter((s) => Array.isArray(s.shape) && s.shape.length === 0).map((s) => s.name)]),
  };
}

function latexAliases(declarations: Declarations | undefined): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const s of declarations?.symbols ?? []) {
    for (const alias of s?.aliases ?? []) {
      const key = latexAliasKey(alias);
      if (key !== undefined) aliases.set(key, s.name);
    }
  }
  return aliases;
}

/** Reads a formula (or LaTeX) into the formula tree; throws a FormulaError subclass on bad input. */
export function parseFormula(text: string, options: ParseOptions = {}): ParsedFormula {
  const syntax = options.syntax ?? 'formula';
  const maxLength = options.maxLength ?? MAX_FORMULA_LENGTH;
  if (typeof text !== 'string') throw new TypeError('parseFormula: the formula must be a string');
  if (text.length > maxLength) {
    throw new LimitExceededError(`the formula is ${text.length} characters long; the limit is ${maxLength}`, { text, span: { start: maxLength, end: text.length } }, 'maxLength');
  }
  const names = declaredNames(options.declarations);
  let statement: Statement;
  if (syntax === 'latex') {
    const lowered = lowerLatex(text, { declared: names.all, scalars: names.scalars, aliases: latexAliases(options.declarations) });
    statement = readFormulaText({ text: lowered.text, mapSpan: lowered.mapSpan, userText: text, scalarNames: names.scalars });
  } else {
    statement = readFormulaText({ text, mapSpan: (span) => span, userText: text, scalarNames: names.scalars });
  }
  return { text, syntax, statement, readAs: printStatement(statement) };
}

import { checkFormula } from '../formula/check.js';
import { type FormulaFunction, compileFormula } from '../formula/compile.js';
import { type ParsedFormula, parseFormula } from '../formula/parse.js';
import type { Tensor } from '../tensor/tensor.js';
import { declarationsOf } from './shapes.js';
import type { Dims, Problem, Target } from './types.js';

/** A formula for a target, parsed, shape-checked against the target's shape and compiled. */
export interface Claim {
  readonly text: string;
  readonly syntax: 'formula' | 'latex';
  /** How the formula was read, in formula syntax. */
  readonly readAs: string;
  readonly evaluate: (values: Readonly<Record<string, Tensor>>, dims: Dims) => Tensor;
}

/** `text` read against the problem's declarations and its LaTeX notation (a question file's `notation`). */
function parseForProblem(problem: Problem, text: string, syntax: 'formula' | 'latex'): ParsedFormula {
  return parseFormula(text, { syntax, declarations: declarationsOf(problem), ...(problem.notation ? { notation: problem.notation } : {}) });
}

/** Compiles `text` as an answer for `target`; throws a FormulaError (syntax, unknown symbol, shape) for an invalid answer. */
export function compileClaim(problem: Problem, target: Target, text: string, syntax: 'formula' | 'latex' = 'formula'): Claim {
  const declarations = declarationsOf(problem);
  const parsed = parseForProblem(problem, text, syntax);
  const checked = checkFormula(parsed, declarations, { targetShape: [...target.shape] });
  const run = compileFormula(checked);
  return { text, syntax, readAs: parsed.readAs, evaluate: (values, dims) => run(values, dims) };
}

/** Compiles a formula without the target-shape check, to evaluate a value whose shape is wrong. */
export function compileFreeFormula(problem: Problem, text: string, syntax: 'formula' | 'latex'): FormulaFunction {
  const declarations = declarationsOf(problem);
  return compileFormula(checkFormula(parseForProblem(problem, text, syntax), declarations));
}

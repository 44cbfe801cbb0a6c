import { checkFormula } from '../formula/check.js';
import { type CompiledFormula, type FormulaFunction, compileFormula } from '../formula/compile.js';
import { parseFormula } from '../formula/parse.js';
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
  /** The compiled formula, when the claim is one: a check prices its evaluations before running them (budget.ts). */
  readonly formula?: CompiledFormula;
}

/** Compiles `text` as an answer for `target`; throws a FormulaError (syntax, unknown symbol, shape) for an invalid answer. */
export function compileClaim(problem: Problem, target: Target, text: string, syntax: 'formula' | 'latex' = 'formula'): Claim {
  const declarations = declarationsOf(problem);
  const parsed = parseFormula(text, { syntax, declarations });
  const checked = checkFormula(parsed, declarations, { targetShape: [...target.shape] });
  const run = compileFormula(checked);
  return { text, syntax, readAs: parsed.readAs, evaluate: (values, dims) => run(values, dims), formula: run };
}

/** Compiles a formula without the target-shape check, to evaluate a value whose shape is wrong. */
export function compileFreeFormula(problem: Problem, text: string, syntax: 'formula' | 'latex'): FormulaFunction {
  const declarations = declarationsOf(problem);
  return compileFormula(checkFormula(parseFormula(text, { syntax, declarations }), declarations));
}

import { checkFormula } from '../formula/check.js';
import { compileFormula } from '../formula/compile.js';
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
}

/** Compiles `text` as an answer for `target`; throws a FormulaError (syntax, unknown symbol, shape) for an invalid answer. */
export function compileClaim(problem: Problem, target: Target, text: string, syntax: 'formula' | 'latex' = 'formula'): Claim {
  const declarations = declarationsOf(problem);
  const parsed = parseFormula(text, { syntax, declarations, ...(problem.notation ? { notation: problem.notation } : {}) });
  const checked = checkFormula(parsed, declarations, { targetShape: [...target.shape] });
  const run = compileFormula(checked);
  return { text, syntax, readAs: parsed.readAs, evaluate: (values, dims) => run(values, dims) };
}

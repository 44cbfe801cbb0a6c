import { type CheckedFormula, checkFormula } from '../formula/check.js';
import { type CompiledFormula, type FormulaFunction, compileFormula } from '../formula/compile.js';
import { FormulaError } from '../formula/errors.js';
import { parseFormula } from '../formula/parse.js';
import type { Tensor } from '../tensor/tensor.js';
import { problemScope } from './shapes.js';
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
  /** LaTeX answers: what the reading decided from the shapes. */
  readonly reading?: ClaimReading;
}

export interface ClaimReading {
  /** In words: products read elementwise, lengths given to \mathbf{1}, free indices placed. */
  readonly notes: readonly string[];
  /** Other readings that fit as well (a product read elementwise, σ as the softmax), with what differs; `review`: see LatexResolution. */
  readonly alternatives: readonly { readonly claim: Claim; readonly note: string; readonly review: boolean }[];
  /** The earlier sides of a chain `dW = a = b` (b is the claim), or why one could not be read. */
  readonly earlierSides: readonly (Claim | FormulaError)[];
}

/** The target an answer is for, as the LaTeX reader needs it (its left side, its axes). */
function latexTarget(target: Target) {
  return { name: target.name, shape: [...target.shape], ...(target.kind !== 'value' ? { wrt: target.wrt } : {}) };
}

function claimOf(text: string, syntax: 'formula' | 'latex', checked: CheckedFormula): Claim {
  const run = compileFormula(checked);
  return { text, syntax, readAs: checked.parsed.readAs, evaluate: (values, dims) => run(values, dims), formula: run };
}

/**
 * Compiles `text` as an answer for `target`; throws a FormulaError (syntax, unknown symbol, shape) for an
 * invalid answer. With `againstTarget: false` the answer's shape is not checked against the target's
 * (to evaluate an answer of the wrong shape).
 */
export function compileClaim(problem: Problem, target: Target, text: string, syntax: 'formula' | 'latex' = 'formula', options: { againstTarget?: boolean } = {}): Claim {
  const { declarations, scope } = problemScope(problem);
  const parsed = parseFormula(text, { syntax, declarations, target: latexTarget(target), ...(problem.notation ? { notation: problem.notation } : {}) });
  // Index notation spans the target's axes whatever the check: it keeps the target's shape.
  const entrywise = parsed.statement.kind === 'assignment' && parsed.statement.indices !== null;
  const checked = checkFormula(parsed, scope, options.againstTarget === false && !entrywise ? {} : { targetShape: [...target.shape] });
  const claim = claimOf(text, syntax, checked);
  const reading = checked.reading;
  if (!reading) return claim;
  return {
    ...claim,
    reading: {
      notes: reading.notes,
      alternatives: reading.alternatives.map((a) => ({ claim: claimOf(text, syntax, a.checked), note: a.note, review: a.review })),
      earlierSides: reading.earlierSides.map((side) => (side instanceof FormulaError ? side : claimOf(text, syntax, side))),
    },
  };
}

/** Compiles a formula without the target-shape check, to evaluate a value whose shape is wrong. */
export function compileFreeFormula(problem: Problem, target: Target, text: string, syntax: 'formula' | 'latex'): FormulaFunction {
  return compileClaim(problem, target, text, syntax, { againstTarget: false }).evaluate;
}

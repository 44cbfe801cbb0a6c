/**
 * What grading a target needs once per run: the fast-check seed every answer to it is searched with,
 * the reference (the problem's first closed form) confirmed against FD on those same samples, and the
 * target's known mistakes compiled for labelling.
 */
import { checkFormula } from '../formula/check.js';
import { type FormulaFunction, compileFormula } from '../formula/compile.js';
import { FormulaError } from '../formula/errors.js';
import { parseFormula } from '../formula/parse.js';
import type { SampleCase } from '../problem/check.js';
import { type Claim, compileClaim } from '../problem/claim.js';
import { declarationsOf } from '../problem/shapes.js';
import type { Mistake, Problem, Target } from '../problem/types.js';
import { Rng } from '../tensor/rng.js';
import type { TruthCache } from '../problem/truth-cache.js';
import { type GradeSearch, cachedSearchStatus, searchCached } from './search.js';
import type { ReferenceStatus } from './types.js';

/** Sub-stream label of a target's fast-check seed: Rng.derive(seed, GRADE_STREAM, hash(problem), hash(target)). */
const GRADE_STREAM = 0x96ade;
const FC_SEED_RANGE = 0x7fffffff;

function hashName(name: string): number {
  let h = 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

/**
 * The fast-check seed of a target's searches. It depends on the run's seed and the target's names
 * only, so adding a problem or a target to the registry changes no other target's samples.
 */
export function targetSeed(seed: number, problem: string, target: string): number {
  return Rng.derive(seed, GRADE_STREAM, hashName(problem), hashName(target)).int(0, FC_SEED_RANGE);
}

/** A known mistake, compiled: against the target's shape when it has it, else free (a wrong-shape mistake). */
export interface CompiledMistake {
  readonly mistake: Mistake;
  readonly evaluate: FormulaFunction;
  readonly fitsTarget: boolean;
}

export interface PreparedTarget {
  readonly problem: Problem;
  readonly target: Target;
  readonly fcSeed: number;
  readonly reference: Claim;
  readonly status: ReferenceStatus;
  /** Samples the reference was confirmed on: every answer's search meets them in this order. */
  readonly samples: readonly SampleCase[];
  readonly mistakes: readonly CompiledMistake[];
}

/** Compiles a formula without the target-shape check, to evaluate answers whose shape is wrong. */
export function compileFree(problem: Problem, text: string, syntax: 'formula' | 'latex'): FormulaFunction {
  const declarations = declarationsOf(problem);
  return compileFormula(checkFormula(parseFormula(text, { syntax, declarations, ...(problem.notation ? { notation: problem.notation } : {}) }), declarations));
}

function compileMistake(problem: Problem, target: Target, mistake: Mistake): CompiledMistake | undefined {
  try {
    return { mistake, evaluate: compileClaim(problem, target, mistake.formula).evaluate, fitsTarget: true };
  } catch (err) {
    if (!(err instanceof FormulaError)) throw err;
  }
  try {
    return { mistake, evaluate: compileFree(problem, mistake.formula, 'formula'), fitsTarget: false };
  } catch (err) {
    // A mistake that does not compile even freely (shapes that cannot multiply) labels nothing by value.
    if (!(err instanceof FormulaError)) throw err;
    return undefined;
  }
}

function referenceMessage(found: GradeSearch, status: 'pass' | 'fail' | 'undecided'): string {
  if (status === 'pass') return `agrees with finite differences on ${found.passed} samples`;
  if (status === 'fail') {
    const ce = found.counterexample!;
    return `differs from finite differences at dims ${JSON.stringify(ce.sample.dims)}, seed ${ce.sample.seed} (${ce.verdict.overBudget} of ${ce.verdict.checked} entries over budget)`;
  }
  return `could not be confirmed: ${found.undecided} of ${found.samples} samples undecided, ${found.nonDifferentiable} on a kink`;
}

/** Confirms the target's reference against FD on the run's samples, and compiles its mistakes. */
export function prepareTarget(problem: Problem, target: Target, seed: number, runs: number, cache: TruthCache): PreparedTarget {
  const fcSeed = targetSeed(seed, problem.id, target.name);
  const closedForm = target.closedForms[0];
  if (!closedForm) throw new Error(`problem ${problem.id}, target ${target.name} has no closed form to grade against`);
  const reference = compileClaim(problem, target, closedForm.formula, closedForm.syntax ?? 'formula');
  const found = searchCached(problem, target, reference, runs, fcSeed, cache);
  const outcome = found.runtimeError ? 'fail' : cachedSearchStatus(found);
  const status: ReferenceStatus = {
    problem: problem.id,
    target: target.name,
    formula: closedForm.formula,
    status: outcome === 'pass' ? 'confirmed' : 'failed',
    message: found.runtimeError ? `could not be evaluated: ${found.runtimeError.message}` : referenceMessage(found, outcome),
  };
  const mistakes = target.mistakes.map((m) => compileMistake(problem, target, m)).filter((m): m is CompiledMistake => m !== undefined);
  return { problem, target, fcSeed, reference, status, samples: found.visited, mistakes };
}

/**
 * What grading a target needs once per run: the fast-check seed every answer to it is searched with,
 * the reference (the problem's first closed form) confirmed against FD on those same samples, and the
 * target's known mistakes compiled for naming.
 */
import { compileClaim } from '../problem/claim.js';
import { judgeClaim } from '../problem/judge.js';
import { type KnownMistake, compileKnownMistakes } from '../problem/mistake.js';
import type { TruthCache } from '../problem/truth-cache.js';
import type { Problem, Target } from '../problem/types.js';
import { Rng } from '../tensor/rng.js';
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

export interface PreparedTarget {
  readonly problem: Problem;
  readonly target: Target;
  readonly fcSeed: number;
  readonly status: ReferenceStatus;
  readonly known: readonly KnownMistake[];
}

/** Confirms the target's reference against FD on the run's samples, and compiles its known mistakes. */
export function prepareTarget(problem: Problem, target: Target, seed: number, runs: number, truths: TruthCache): PreparedTarget {
  const fcSeed = targetSeed(seed, problem.id, target.name);
  const closedForm = target.closedForms[0];
  if (!closedForm) throw new Error(`problem ${problem.id}, target ${target.name} has no closed form to grade against`);
  const reference = compileClaim(problem, target, closedForm.formula, closedForm.syntax ?? 'formula');
  const { finding } = judgeClaim(problem, target, reference, { runs, fcSeed, truths });
  const status: ReferenceStatus = {
    problem: problem.id,
    target: target.name,
    formula: closedForm.formula,
    status: finding.status === 'correct' ? 'confirmed' : 'failed',
    message: finding.status === 'correct' ? finding.message : `${finding.status}: ${finding.message}`,
  };
  return { problem, target, fcSeed, status, known: compileKnownMistakes(problem, target) };
}

/**
 * What a grade's message says about how a LaTeX answer was read (src/formula/latex/resolve.ts decides
 * it): the readings the shapes settled, a reading of a product that would have been right where the
 * matrix product was graded, and sides of a chain `dW = a = b` that disagree with the graded last one.
 */
import { FormulaError, FormulaShapeError } from '../formula/errors.js';
import type { Claim } from '../problem/claim.js';
import type { PreparedTarget } from './reference.js';
import { cachedSearchStatus, searchCached } from './search.js';
import type { GradingSession } from './session.js';

type Status = 'pass' | 'fail' | 'undecided';

const WORDS: Record<Status, string> = { pass: 'correct', fail: 'incorrect', undecided: 'undecided' };

function statusOf(session: GradingSession, prepared: PreparedTarget, claim: Claim): Status | 'unevaluable' {
  const found = searchCached(prepared.problem, prepared.target, claim, session.runs, prepared.fcSeed, session.cache);
  return found.runtimeError ? 'unevaluable' : cachedSearchStatus(found);
}

/** Sentences to append to the message of an answer graded `status` (empty for a formula-syntax answer). */
export function readingRemarks(session: GradingSession, prepared: PreparedTarget, claim: Claim, status: Status): string {
  const reading = claim.reading;
  if (!reading) return '';
  const out: string[] = [];
  if (reading.notes.length > 0) out.push(`Read: ${reading.notes.join('; ')}.`);
  if (status === 'fail') {
    const right = reading.alternatives.find((a) => !a.review && statusOf(session, prepared, a.claim) === 'pass');
    if (right) out.push(`The product as written is a matrix product; ${right.note} (${right.claim.readAs}) would be correct.`);
  }
  const sides = reading.earlierSides.map((side, k) => {
    if (side instanceof FormulaShapeError) return `side ${k + 1} does not have the target's shape (${side.what})`;
    if (side instanceof FormulaError) return `side ${k + 1} could not be read (${side.what})`;
    const s = statusOf(session, prepared, side);
    return s === status ? undefined : `side ${k + 1} (${side.readAs}) is ${s === 'unevaluable' ? 'not evaluable' : WORDS[s]}`;
  });
  if (sides.some((s) => s !== undefined)) out.push(`The chain's sides disagree: the last side is graded; ${sides.filter((s) => s !== undefined).join('; ')}.`);
  else if (reading.earlierSides.length > 0) out.push(`Every side of the chain agrees.`);
  return out.length > 0 ? ` ${out.join(' ')}` : '';
}

/**
 * For an answer that fails as read: another reading the notation allows as much (σ as the softmax) under
 * which it is correct. Then which was meant is a person's call, not a verdict.
 */
export function readingInDoubt(session: GradingSession, prepared: PreparedTarget, claim: Claim): { readonly note: string; readonly readAs: string } | undefined {
  const right = claim.reading?.alternatives.find((a) => a.review && statusOf(session, prepared, a.claim) === 'pass');
  return right ? { note: right.note, readAs: right.claim.readAs } : undefined;
}

/**
 * One answer's Finding, score and partial credit. The ground truth is FD (a verdict never rests on the
 * closed form); the answer is judged as `check` and `verify` judge a formula (src/problem/judge.ts),
 * with what grading adds:
 *   unknown problem or target                                → invalid (unknown-target)
 *   a spelling the question accepts (its `accept` list)       → correct, on the grader's ruling (accepted.ts)
 *   the reference failed its own FD confirmation in this run → undecided (reference-unconfirmed)
 *   with --partial, an incorrect answer                      → the fraction of entries right at the first failing sample
 */
import { type Finding, type FindingReason, findingFor } from '../problem/finding.js';
import { atSample, judgeText } from '../problem/judge.js';
import { UnknownNameError, findProblem, findTarget } from '../problem/registry.js';
import type { SampleCheck } from '../problem/check.js';
import type { Problem, Target } from '../problem/types.js';
import { acceptedFinding, isAcceptedSpelling } from './accepted.js';
import type { PreparedTarget } from './reference.js';
import type { GradingSession, Judged } from './session.js';
import type { AnswerResult, AnswerSpec, PartialCredit } from './types.js';

/** Partial scores are rounded to 1e-4 of a point, so that reports print the same number the JSON holds. */
const SCORE_DECIMALS = 4;

/** A score rounded to SCORE_DECIMALS. */
export function roundScore(score: number): number {
  return Math.round(score * 10 ** SCORE_DECIMALS) / 10 ** SCORE_DECIMALS;
}

export function gradeAnswer(session: GradingSession, spec: AnswerSpec, maxScore: number): AnswerResult {
  const judged = session.judgeOnce(spec, () => judge(session, spec));
  const score = roundScore(maxScore * judged.fraction);
  return { problem: spec.problem, target: spec.target, text: spec.text, syntax: spec.syntax, line: spec.line, finding: judged.finding, score, maxScore, ...(judged.partial ? { partial: judged.partial } : {}), ...(judged.accepted ? { accepted: true } : {}) };
}

/** An answer given a Finding without grading: not answered, answered twice, stopped by the time limit or a crash. */
export function ungradedAnswer(spec: AnswerSpec, maxScore: number, reason: FindingReason, message: string): AnswerResult {
  return { problem: spec.problem, target: spec.target, text: spec.text, syntax: spec.syntax, line: spec.line, finding: findingFor(reason, message), score: 0, maxScore };
}

function judge(session: GradingSession, spec: AnswerSpec): Judged {
  let found: { problem: Problem; target: Target };
  try {
    const problem = findProblem(session.problems, spec.problem);
    found = { problem, target: findTarget(problem, spec.target) };
  } catch (err) {
    if (!(err instanceof UnknownNameError)) throw err;
    return { finding: findingFor('unknown-target', `${err.message}.`), fraction: 0 };
  }
  // A grader's ruling on this spelling settles it: no FD run could overturn it (verify refuses accepted spellings shown wrong).
  if (isAcceptedSpelling(found.target, spec)) return { finding: acceptedFinding(spec), fraction: 1, accepted: true };
  const prepared: PreparedTarget = session.prepare(found.problem, found.target);
  const { problem, target, status } = prepared;
  if (status.status === 'failed') {
    const message = `the reference solution of ${spec.problem}/${spec.target} (${status.formula}) failed its own check against finite differences in this run (${status.message}), so no verdict can be trusted; the answer needs a manual check.`;
    return { finding: findingFor('reference-unconfirmed', message), fraction: 0 };
  }
  const { finding, search } = judgeText(problem, target, spec.text, spec.syntax, { runs: session.runsFor(problem.id), fcSeed: prepared.fcSeed, truths: session.cache, known: prepared.known });
  if (finding.status === 'correct') return { finding, fraction: 1 };
  if (session.partialFor(problem.id) && finding.reason === 'mismatch' && search?.firstFailure) return withPartialCredit(finding, search.firstFailure);
  return { finding, fraction: 0 };
}

/**
 * Partial credit: the fraction of entries within their FD budget at the first failing sample (before
 * shrinking: its dims are the distinct sizes of a typical draw, not the smallest case, where one
 * entry can be half of the answer). Entries FD could not decide are left out of both counts.
 */
function withPartialCredit(finding: Finding, firstFailure: SampleCheck): Judged {
  const v = firstFailure.verdict;
  const decided = v.checked - v.nonDifferentiable - v.unresolved;
  const partial: PartialCredit = { right: decided - v.overBudget, entries: decided, dims: firstFailure.sample.dims };
  const credit = ` Partial credit: ${partial.right} of ${partial.entries} entries right ${atSample(partial.dims, firstFailure.sample.seed)}.`;
  return { finding: { ...finding, message: `${finding.message}${credit}` }, fraction: partial.entries > 0 ? partial.right / partial.entries : 0, partial };
}

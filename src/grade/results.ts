/**
 * A submission's results apart from judging its answers: which answers are graded, the answers given a
 * Finding without grading (not answered, repeated, malformed, stopped), an unreadable file, and the
 * score summed. The batch runner builds results from these without loading the judging code (the
 * formula language, FD), which only the threads that grade need.
 */
import { type FindingReason, findingFor } from '../problem/finding.js';
import { roundScore } from './score.js';
import { type Scoring, assignedTargets, isAssigned } from './scoring.js';
import type { Submission } from './submission.js';
import { UNNAMED } from './submission-names.js';
import type { AnswerResult, AnswerSpec, FileProblem, SubmissionResult, UnassignedAnswer } from './types.js';

/** A target's key in a submission: problem and target. */
export const keyOf = (a: { problem: string; target: string }) => `${a.problem}\u0000${a.target}`;

/** What an answer to a target outside the assignment is told. */
export const NOT_ASSIGNED = 'not part of this assignment';

/** An answer given a Finding without grading: not answered, answered twice, stopped by the time limit or a crash. */
export function ungradedAnswer(spec: AnswerSpec, maxScore: number, reason: FindingReason, message: string): AnswerResult {
  return { problem: spec.problem, target: spec.target, text: spec.text, syntax: spec.syntax, line: spec.line, finding: findingFor(reason, message), score: 0, maxScore };
}

/**
 * Whether an answer stands for its target: every well-formed one, and a malformed one that still names
 * both a problem and a target (it is that target's answer, invalid). A malformed entry that names
 * none answers nothing: it is never a repeat, and it leaves its target unanswered.
 */
export function occupiesTarget(spec: AnswerSpec): boolean {
  return !spec.malformed || (spec.problem !== UNNAMED && spec.target !== UNNAMED);
}

/**
 * The answers that are graded, in file order: every one, or with an assignment the assigned ones and
 * the malformed entries that name no target (their invalid verdict tells the student what to fix).
 */
export function gradedAnswers(answers: readonly AnswerSpec[], scoring: Scoring | undefined): AnswerSpec[] {
  return answers.filter((a) => !occupiesTarget(a) || isAssigned(scoring, a.problem, a.target));
}

/** The answers to targets outside the assignment, with `note` saying so. */
function unassignedAnswers(answers: readonly AnswerSpec[], scoring: Scoring | undefined, note: (a: AnswerSpec) => string = () => NOT_ASSIGNED): UnassignedAnswer[] {
  const graded = new Set(gradedAnswers(answers, scoring));
  return answers.filter((a) => !graded.has(a)).map((a) => ({ problem: a.problem, target: a.target, line: a.line, note: note(a) }));
}

/**
 * The submission's score: its graded answers, plus a 0 for every assigned target it does not answer
 * (`answers` may stop short of the graded ones: the rest were not graded, see the batch runner).
 */
export function summarise(submission: Submission, answers: readonly AnswerResult[], scoring: Scoring | undefined, note?: (a: AnswerSpec) => string): SubmissionResult {
  const answered = new Set(submission.answers.filter(occupiesTarget).map(keyOf));
  const missing = assignedTargets(scoring)
    .filter((listed) => !answered.has(keyOf(listed)))
    .map((listed) => ungradedAnswer({ problem: listed.problem, target: listed.target, text: '', syntax: 'formula', line: 0 }, listed.points, 'not-answered', `Not answered: the assignment asks for ${listed.problem}/${listed.target}.`));
  const all = [...answers, ...missing];
  const sum = (f: (a: AnswerResult) => number) => roundScore(all.reduce((s, a) => s + f(a), 0));
  const unassigned = unassignedAnswers(submission.answers, scoring, note);
  return { id: submission.id, file: submission.file, status: 'graded', score: sum((a) => a.score), maxScore: sum((a) => a.maxScore), answers: all, ...(unassigned.length > 0 ? { unassigned } : {}) };
}

/** An answer whose entry breaks the file's format: invalid, with the reason and where, and the file's other answers graded. */
export function malformedResult(spec: AnswerSpec, maxScore: number): AnswerResult {
  const e = spec.malformed!;
  const where = e.line > 0 ? `line ${e.line}, column ${e.column}: ` : '';
  return ungradedAnswer(spec, maxScore, 'malformed', `${where}${e.reason}. This answer could not be read, so it was not graded; the file's other answers were. Fix the entry and submit again.`);
}

/** A file that could not be read as a submission: invalid, with its reason and position, worth 0 of the assignment's points. */
export function invalidSubmission(id: string, file: string, error: FileProblem, scoring?: Scoring): SubmissionResult {
  const maxScore = assignedTargets(scoring).reduce((s, t) => s + t.points, 0);
  return { id, file, status: 'invalid', error, score: 0, maxScore, answers: [] };
}

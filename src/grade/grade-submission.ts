/**
 * One submission: its answers graded in file order, and its score. A target answered twice is graded
 * once (the first answer); a target the points file lists and the submission leaves out scores 0.
 */
import { gradeAnswer, roundScore, ungradedAnswer } from './answer.js';
import { type PointsTable, assignedTargets, pointsFor } from './points.js';
import type { GradingSession } from './session.js';
import { type Submission, UNNAMED, readSubmission } from './submission.js';
import type { AnswerResult, AnswerSpec, FileProblem, SubmissionResult } from './types.js';

export interface SubmissionHooks {
  /** Called before answer `index` is graded (a worker prepares the target's reference here). */
  readonly onAnswerStart?: (index: number, spec: AnswerSpec) => void;
  readonly onAnswer?: (index: number, result: AnswerResult) => void;
}

const keyOf = (a: { problem: string; target: string }) => `${a.problem}\u0000${a.target}`;

/**
 * Whether an answer stands for its target: every well-formed one, and a malformed one that still names
 * both a problem and a target (it is that target's answer, invalid). A malformed entry that names
 * none answers nothing: it is never a repeat, and it leaves its target unanswered.
 */
function occupiesTarget(spec: AnswerSpec): boolean {
  return !spec.malformed || (spec.problem !== UNNAMED && spec.target !== UNNAMED);
}

/** The graded answers of a submission, plus its missing ones, summed into a SubmissionResult. */
export function gradeSubmission(session: GradingSession, submission: Submission, hooks: SubmissionHooks = {}): SubmissionResult {
  const answers: AnswerResult[] = [];
  const firstLine = new Map<string, number>();
  submission.answers.forEach((spec, index) => {
    if (!firstLine.has(keyOf(spec))) firstLine.set(keyOf(spec), spec.line);
    hooks.onAnswerStart?.(index, spec);
    const result = gradeOne(session, submission, spec, index, firstLine.get(keyOf(spec))!);
    answers.push(result);
    hooks.onAnswer?.(index, result);
  });
  return summarise(submission, answers, session.settings.points);
}

/**
 * The submission's score: its answers, plus a 0 for every target the points file lists that it does
 * not answer (`answers` may stop short of the file's: the rest were not graded, see the batch runner).
 */
export function summarise(submission: Submission, answers: readonly AnswerResult[], points: PointsTable | undefined): SubmissionResult {
  const answered = new Set(submission.answers.filter(occupiesTarget).map(keyOf));
  const missing = assignedTargets(points)
    .filter((listed) => !answered.has(keyOf(listed)))
    .map((listed) => ungradedAnswer({ problem: listed.problem, target: listed.target, text: '', syntax: 'formula', line: 0 }, listed.points, 'not-answered', `Not answered: the assignment asks for ${listed.problem}/${listed.target}.`));
  const all = [...answers, ...missing];
  const sum = (f: (a: AnswerResult) => number) => roundScore(all.reduce((s, a) => s + f(a), 0));
  return { id: submission.id, file: submission.file, status: 'graded', score: sum((a) => a.score), maxScore: sum((a) => a.maxScore), answers: all };
}

function gradeOne(session: GradingSession, submission: Submission, spec: AnswerSpec, index: number, firstLine: number): AnswerResult {
  const isRepeat = occupiesTarget(spec) && submission.answers.findIndex((a) => occupiesTarget(a) && keyOf(a) === keyOf(spec)) < index;
  if (isRepeat) {
    return ungradedAnswer(spec, 0, 'repeated', `Not graded: ${spec.problem}/${spec.target} is answered more than once; only the first answer (line ${firstLine}) counts.`);
  }
  const points = occupiesTarget(spec) ? pointsFor(session.settings.points, spec.problem, spec.target) : 0;
  if (spec.malformed) return malformedResult(spec, points);
  try {
    return gradeAnswer(session, spec, points);
  } catch (err) {
    // Every error an answer can cause is a verdict inside gradeAnswer; what escapes is the grader's own fault.
    return ungradedAnswer(spec, points, 'not-graded', `Not graded: an internal error of the grader (${(err as Error).message}); this is a bug in derivcheck, please report it.`);
  }
}

/** An answer whose entry breaks the file's format: invalid, with the reason and where, and the file's other answers graded. */
export function malformedResult(spec: AnswerSpec, maxScore: number): AnswerResult {
  const e = spec.malformed!;
  const where = e.line > 0 ? `line ${e.line}, column ${e.column}: ` : '';
  return ungradedAnswer(spec, maxScore, 'malformed', `${where}${e.reason}. This answer could not be read, so it was not graded; the file's other answers were. Fix the entry and submit again.`);
}

/** A file that could not be read as a submission: invalid, with its reason and position, worth 0. */
export function invalidSubmission(id: string, file: string, error: FileProblem, points?: PointsTable): SubmissionResult {
  const maxScore = assignedTargets(points).reduce((s, t) => s + t.points, 0);
  return { id, file, status: 'invalid', error, score: 0, maxScore, answers: [] };
}

/** Reads and grades one file; a malformed file is an invalid submission, never an exception. */
export function gradeFile(session: GradingSession, file: string, hooks: SubmissionHooks = {}): SubmissionResult {
  const reading = readSubmission(file);
  if (!reading.ok) return invalidSubmission(reading.id, reading.file, reading.error, session.settings.points);
  return gradeSubmission(session, reading.submission, hooks);
}

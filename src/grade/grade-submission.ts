/**
 * One submission: its answers graded in file order, and its score. A target answered twice is graded
 * once (the first answer); with an assignment, a target it lists and the submission leaves out scores
 * 0, and an answer to a target it does not list is not graded and adds nothing (it is listed as not
 * part of the assignment).
 */
import { gradeAnswer, roundScore, ungradedAnswer } from './answer.js';
import { type Scoring, assignedTargets, isAssigned, pointsOf } from './scoring.js';
import type { GradingSession } from './session.js';
import { type Submission, readSubmission } from './submission.js';
import type { AnswerResult, AnswerSpec, FileProblem, SubmissionResult, UnassignedAnswer } from './types.js';

export interface SubmissionHooks {
  /** Called before answer `index` (of the graded ones, gradedAnswers' order) is graded (a worker prepares the target's reference here). */
  readonly onAnswerStart?: (index: number, spec: AnswerSpec) => void;
  readonly onAnswer?: (index: number, result: AnswerResult) => void;
}

const keyOf = (a: { problem: string; target: string }) => `${a.problem}\u0000${a.target}`;

/** What an answer to a target outside the assignment is told. */
const NOT_ASSIGNED = 'not part of this assignment';

/** The answers that are graded (every one, or the assigned ones), in file order. */
export function gradedAnswers(answers: readonly AnswerSpec[], scoring: Scoring | undefined): AnswerSpec[] {
  return answers.filter((a) => isAssigned(scoring, a.problem, a.target));
}

/** The answers to targets outside the assignment, with `note` saying so. */
function unassignedAnswers(answers: readonly AnswerSpec[], scoring: Scoring | undefined, note: (a: AnswerSpec) => string = () => NOT_ASSIGNED): UnassignedAnswer[] {
  return answers.filter((a) => !isAssigned(scoring, a.problem, a.target)).map((a) => ({ problem: a.problem, target: a.target, line: a.line, note: note(a) }));
}

/** The graded answers of a submission, plus its missing ones, summed into a SubmissionResult. */
export function gradeSubmission(session: GradingSession, submission: Submission, hooks: SubmissionHooks = {}): SubmissionResult {
  const { scoring } = session.settings;
  const graded = gradedAnswers(submission.answers, scoring);
  const answers: AnswerResult[] = [];
  const firstLine = new Map<string, number>();
  graded.forEach((spec, index) => {
    if (!firstLine.has(keyOf(spec))) firstLine.set(keyOf(spec), spec.line);
    hooks.onAnswerStart?.(index, spec);
    const result = gradeOne(session, graded, spec, index, firstLine.get(keyOf(spec))!);
    answers.push(result);
    hooks.onAnswer?.(index, result);
  });
  const unknown = (a: AnswerSpec) => {
    const problem = session.problems.find((p) => p.id === a.problem);
    if (!problem) return `${NOT_ASSIGNED} (no problem or question has the id '${a.problem}')`;
    return problem.targets.some((t) => t.name === a.target) ? NOT_ASSIGNED : `${NOT_ASSIGNED} (${a.problem} has no target '${a.target}')`;
  };
  return summarise(submission, answers, scoring, unknown);
}

/**
 * The submission's score: its graded answers, plus a 0 for every assigned target it does not answer
 * (`answers` may stop short of the graded ones: the rest were not graded, see the batch runner).
 */
export function summarise(submission: Submission, answers: readonly AnswerResult[], scoring: Scoring | undefined, note?: (a: AnswerSpec) => string): SubmissionResult {
  const answered = new Set(submission.answers.map(keyOf));
  const missing = assignedTargets(scoring)
    .filter((listed) => !answered.has(keyOf(listed)))
    .map((listed) => ungradedAnswer({ ...listed, text: '', syntax: 'formula', line: 0 }, listed.points, 'not-answered', `Not answered: the assignment asks for ${listed.problem}/${listed.target}.`));
  const all = [...answers, ...missing];
  const sum = (f: (a: AnswerResult) => number) => roundScore(all.reduce((s, a) => s + f(a), 0));
  const unassigned = unassignedAnswers(submission.answers, scoring, note);
  return { id: submission.id, file: submission.file, status: 'graded', score: sum((a) => a.score), maxScore: sum((a) => a.maxScore), answers: all, ...(unassigned.length > 0 ? { unassigned } : {}) };
}

function gradeOne(session: GradingSession, graded: readonly AnswerSpec[], spec: AnswerSpec, index: number, firstLine: number): AnswerResult {
  const isRepeat = graded.findIndex((a) => keyOf(a) === keyOf(spec)) < index;
  if (isRepeat) {
    return ungradedAnswer(spec, 0, 'repeated', `Not graded: ${spec.problem}/${spec.target} is answered more than once; only the first answer (line ${firstLine}) counts.`);
  }
  const points = pointsOf(session.settings.scoring, spec.problem, spec.target);
  try {
    return gradeAnswer(session, spec, points);
  } catch (err) {
    // Every error an answer can cause is a verdict inside gradeAnswer; what escapes is the grader's own fault.
    return ungradedAnswer(spec, points, 'not-graded', `Not graded: an internal error of the grader (${(err as Error).message}); this is a bug in derivcheck, please report it.`);
  }
}

/** A file that could not be read as a submission: invalid, with its reason and position, worth 0 of the assignment's points. */
export function invalidSubmission(id: string, file: string, error: FileProblem, scoring?: Scoring): SubmissionResult {
  const maxScore = assignedTargets(scoring).reduce((s, t) => s + t.points, 0);
  return { id, file, status: 'invalid', error, score: 0, maxScore, answers: [] };
}

/** Reads and grades one file; a malformed file is an invalid submission, never an exception. */
export function gradeFile(session: GradingSession, file: string, hooks: SubmissionHooks = {}): SubmissionResult {
  const reading = readSubmission(file);
  if (!reading.ok) return invalidSubmission(reading.id, reading.file, reading.error, session.settings.scoring);
  return gradeSubmission(session, reading.submission, hooks);
}

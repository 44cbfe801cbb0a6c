/**
 * One submission: its answers graded in file order, and its score. A target answered twice is graded
 * once (the first answer); with an assignment, a target it lists and the submission leaves out scores
 * 0, and an answer to a target it does not list is not graded and adds nothing (it is listed as not
 * part of the assignment).
 */
import { gradeAnswer, roundScore, ungradedAnswer } from './answer.js';
import { type Scoring, assignedTargets, isAssigned, pointsOf } from './scoring.js';
import type { GradingSession } from './session.js';
import { type Submission, UNNAMED, readSubmission } from './submission.js';
import type { AnswerResult, AnswerSpec, FileProblem, SubmissionResult, UnassignedAnswer } from './types.js';

export interface SubmissionHooks {
  /** Called before answer `index` (of the graded ones, gradedAnswers' order) is graded (a worker prepares the target's reference here). */
  readonly onAnswerStart?: (index: number, spec: AnswerSpec) => void;
  readonly onAnswer?: (index: number, result: AnswerResult) => void;
}

const keyOf = (a: { problem: string; target: string }) => `${a.problem}\u0000${a.target}`;

/** What an answer to a target outside the assignment is told. */
const NOT_ASSIGNED = 'not part of this assignment';

/**
 * Whether an answer stands for its target: every well-formed one, and a malformed one that still names
 * both a problem and a target (it is that target's answer, invalid). A malformed entry that names
 * none answers nothing: it is never a repeat, and it leaves its target unanswered.
 */
function occupiesTarget(spec: AnswerSpec): boolean {
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
  const answered = new Set(submission.answers.filter(occupiesTarget).map(keyOf));
  const missing = assignedTargets(scoring)
    .filter((listed) => !answered.has(keyOf(listed)))
    .map((listed) => ungradedAnswer({ problem: listed.problem, target: listed.target, text: '', syntax: 'formula', line: 0 }, listed.points, 'not-answered', `Not answered: the assignment asks for ${listed.problem}/${listed.target}.`));
  const all = [...answers, ...missing];
  const sum = (f: (a: AnswerResult) => number) => roundScore(all.reduce((s, a) => s + f(a), 0));
  const unassigned = unassignedAnswers(submission.answers, scoring, note);
  return { id: submission.id, file: submission.file, status: 'graded', score: sum((a) => a.score), maxScore: sum((a) => a.maxScore), answers: all, ...(unassigned.length > 0 ? { unassigned } : {}) };
}

function gradeOne(session: GradingSession, graded: readonly AnswerSpec[], spec: AnswerSpec, index: number, firstLine: number): AnswerResult {
  const isRepeat = occupiesTarget(spec) && graded.findIndex((a) => occupiesTarget(a) && keyOf(a) === keyOf(spec)) < index;
  if (isRepeat) {
    return ungradedAnswer(spec, 0, 'repeated', `Not graded: ${spec.problem}/${spec.target} is answered more than once; only the first answer (line ${firstLine}) counts.`);
  }
  const points = occupiesTarget(spec) ? pointsOf(session.settings.scoring, spec.problem, spec.target) : 0;
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

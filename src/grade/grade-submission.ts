/**
 * One submission: its answers graded in file order, and its score. A target answered twice is graded
 * once (the first answer); with an assignment, a target it lists and the submission leaves out scores
 * 0, and an answer to a target it does not list is not graded and adds nothing (it is listed as not
 * part of the assignment).
 */
import { gradeAnswer } from './answer.js';
import { NOT_ASSIGNED, gradedAnswers, invalidSubmission, keyOf, malformedResult, occupiesTarget, summarise, ungradedAnswer } from './results.js';
import { pointsOf } from './scoring.js';
import type { GradingSession } from './session.js';
import { type Submission, readSubmission } from './submission.js';
import type { AnswerResult, AnswerSpec, SubmissionResult } from './types.js';

export interface SubmissionHooks {
  /** Called before answer `index` (of the graded ones, gradedAnswers' order) is graded (a worker prepares the target's reference here). */
  readonly onAnswerStart?: (index: number, spec: AnswerSpec) => void;
  readonly onAnswer?: (index: number, result: AnswerResult) => void;
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

/** Reads and grades one file; a malformed file is an invalid submission, never an exception. */
export function gradeFile(session: GradingSession, file: string, hooks: SubmissionHooks = {}): SubmissionResult {
  const reading = readSubmission(file);
  if (!reading.ok) return invalidSubmission(reading.id, reading.file, reading.error, session.settings.scoring);
  return gradeSubmission(session, reading.submission, hooks);
}

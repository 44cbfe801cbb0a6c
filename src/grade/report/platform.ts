/**
 * What the Gradescope and PrairieLearn results have in common: one test per target answered, in
 * question order (a repeated answer is a note on the first, never a second test of the same name),
 * the feedback text of an answer, and who the student is.
 */
import { type FindingStatus, findingText } from '../../problem/finding.js';
import { questionIndex, questionOrder, targetKey } from '../class/order.js';
import { NEEDS_REVIEW_LINE, isRepeat, needsReview, overrideLine } from '../review.js';
import type { StudentIdentity } from '../submission-metadata.js';
import type { AnswerResult, GradeReport, SubmissionResult } from '../types.js';

/** What a platform's results need beyond the submission. */
export interface PlatformContext {
  readonly seed: number;
  readonly runs: number;
  /** Wall-clock time of the run that graded the submission, in ms. */
  readonly elapsedMs: number;
  /** The platform's own record of who submitted (Gradescope's submission metadata), when there is one. */
  readonly identity?: StudentIdentity;
  readonly report: Pick<GradeReport, 'assigned' | 'submissions'>;
}

export function platformContext(report: GradeReport, identity?: StudentIdentity): PlatformContext {
  return { seed: report.seed, runs: report.runs, elapsedMs: report.elapsedMs, report, ...(identity ? { identity } : {}) };
}

export interface PlatformTest {
  readonly answer: AnswerResult;
  /** `i.j` in question order (src/grade/class/order.ts). */
  readonly number: string;
  /** Later answers to the same target: not graded. */
  readonly repeats: readonly AnswerResult[];
}

/** The first answer to each target, in question order, with its number and its repeats. */
export function platformTests(s: SubmissionResult, ctx: PlatformContext): PlatformTest[] {
  const order = questionIndex(questionOrder(ctx.report.assigned, ctx.report.submissions.flatMap((sub) => sub.answers)));
  const repeats = new Map<string, AnswerResult[]>();
  for (const a of s.answers.filter(isRepeat)) repeats.set(targetKey(a), [...(repeats.get(targetKey(a)) ?? []), a]);
  return s.answers
    .filter((a) => !isRepeat(a))
    .map((answer) => ({ answer, place: order.get(targetKey(answer))!, repeats: repeats.get(targetKey(answer)) ?? [] }))
    .sort((a, b) => a.place.rank - b.place.rank)
    .map(({ answer, place, repeats: again }) => ({ answer, number: place.number, repeats: again }));
}

/** Who submitted: the platform's record when there is one, else the id of the file. */
export function studentName(s: SubmissionResult, ctx: PlatformContext): string {
  if (!ctx.identity) return s.id;
  return ctx.identity.users.map((u) => (u.name && u.email ? `${u.name} <${u.email}>` : u.name || u.email)).join(', ');
}

/** An answer's feedback, one paragraph per line: the answer as read, the verdict, review and grader notes, repeats. */
export function answerFeedback(a: AnswerResult, repeats: readonly AnswerResult[] = []): string {
  const lines: string[] = [];
  if (a.finding.readAs !== undefined) lines.push(`Your answer, read as: ${a.finding.readAs}`);
  lines.push(findingText(a.finding));
  if (needsReview(a)) lines.push(NEEDS_REVIEW_LINE);
  const ruled = overrideLine(a);
  if (ruled) lines.push(ruled);
  for (const r of repeats) lines.push(`Answered again${r.line > 0 ? ` at line ${r.line}` : ''}: only the first answer${a.line > 0 ? ` (line ${a.line})` : ''} counts.`);
  return lines.join('\n');
}

/** Whether an answer passes: it is correct, or a grader gave it its full points. */
export function passes(a: AnswerResult): boolean {
  return a.override ? a.override.points >= a.maxScore : a.finding.status === 'correct';
}

/** Answers (first ones, no repeats) by status, and how many need review or were settled by a grader. */
export function answerCounts(answers: readonly AnswerResult[]): Record<FindingStatus, number> & { needsReview: number; overridden: number } {
  const counts = { correct: 0, incorrect: 0, invalid: 0, undecided: 0, 'non-differentiable': 0, needsReview: 0, overridden: 0 };
  for (const a of answers) {
    if (isRepeat(a)) continue;
    counts[a.finding.status]++;
    if (needsReview(a)) counts.needsReview++;
    if (a.override) counts.overridden++;
  }
  return counts;
}

/** The sentence the summaries close with when answers wait for a person. */
export function reviewSentence(count: number): string {
  return `${count} answer${count === 1 ? ' needs' : 's need'} manual review: a person will grade ${count === 1 ? 'it' : 'them'}, and the score may change.`;
}

/** Where in the file a format problem is, as the outputs say it. */
export function fileProblemText(s: SubmissionResult): string {
  const e = s.error!;
  return `${e.line > 0 ? `line ${e.line}, column ${e.column}: ` : ''}${e.reason}`;
}

/** The answers outside the assignment, one line each: they were not graded. */
export function unassignedLines(s: SubmissionResult): string[] {
  return (s.unassigned ?? []).map((u) => `Not graded: ${u.problem}/${u.target}${u.line > 0 ? ` (line ${u.line})` : ''} is ${u.note}.`);
}

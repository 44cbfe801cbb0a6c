/**
 * The class report (`grade --summary`): per target, in question order, how the answers came out (count
 * and share of each status), the mean score, the most common mistakes by label and by reading (`readAs`,
 * the canonical formula, so fifteen spellings of one wrong formula are one row), each with a student
 * who made it and the feedback they were shown; the refusals (answers that could not be read, and why);
 * and the answers that wait for a person.
 *
 * Counted per target: the first answer of each submission that could be read (a repeat is not an
 * answer, a missing one is: `invalid`, not-answered). Files that could not be read are counted apart.
 */
import { type FindingReason, type FindingStatus, STATUS_HEADLINE } from '../../problem/finding.js';
import { isRepeat, needsReview } from '../review.js';
import type { AnswerResult, GradeReport } from '../types.js';
import { namesATarget, questionOrder, targetKey } from './order.js';

/** Rows per list (mistakes, readings, refusals): the head of the distribution is what a TA acts on. */
export const SUMMARY_TOP = 5;

/** A student who made it, and the feedback they were shown. */
export interface SummaryExample {
  readonly student: string;
  /** Index of the student's submission in the report (report.submissions[submission]). */
  readonly submission: number;
  /** Index of the answer in the student's submission (answers[index]), for links to it. */
  readonly answer: number;
  readonly feedback: string;
}

export interface MistakeRow {
  readonly label: string;
  readonly description: string;
  readonly count: number;
  /** Of the target's answers. */
  readonly share: number;
  readonly example: SummaryExample;
}

export interface ReadingRow {
  /** The canonical reading of the answers (formula syntax). */
  readonly readAs: string;
  readonly count: number;
  readonly share: number;
  /** Distinct texts handed in that read as it. */
  readonly spellings: number;
  /** The mistake the checker named for it, and its words. */
  readonly label?: string;
  readonly description?: string;
  readonly example: SummaryExample;
}

export interface RefusalRow {
  readonly reason: FindingReason;
  /** What was not read: the message's first sentence, without positions (refusalWhat). */
  readonly what: string;
  readonly count: number;
  readonly example: SummaryExample;
}

export interface TargetSummary {
  readonly problem: string;
  readonly target: string;
  /** `i.j` in question order. */
  readonly number: string;
  readonly maxScore: number;
  readonly answers: number;
  readonly counts: Readonly<Record<FindingStatus, number>>;
  readonly shares: Readonly<Record<FindingStatus, number>>;
  readonly needsReview: number;
  readonly overridden: number;
  /** Mean score over the target's answers (NaN without answers). */
  readonly meanScore: number;
  readonly mistakes: readonly MistakeRow[];
  readonly wrongReadings: readonly ReadingRow[];
  readonly refusals: readonly RefusalRow[];
}

export interface ReviewRow {
  readonly student: string;
  readonly submission: number;
  readonly problem: string;
  readonly target: string;
  readonly line: number;
  readonly status: FindingStatus;
  readonly reason?: FindingReason;
  readonly answer: number;
}

export interface ClassSummary {
  readonly submissions: number;
  readonly graded: number;
  readonly invalidFiles: number;
  /** Mean total over the graded submissions (NaN without any), of `maxScore` (the largest total). */
  readonly meanScore: number;
  readonly maxScore: number;
  readonly targets: readonly TargetSummary[];
  /** The class's most common refusals over every target. */
  readonly refusals: readonly RefusalRow[];
  readonly needsReview: readonly ReviewRow[];
}

/** The statuses in the order the reports count them. */
export const STATUSES: readonly FindingStatus[] = ['correct', 'incorrect', 'invalid', 'undecided', 'non-differentiable'];

/** Invalid answers that are not a refusal to read: nothing was handed in, or it was a repeat. */
const NOT_REFUSALS: ReadonlySet<FindingReason | undefined> = new Set<FindingReason | undefined>(['not-answered', 'repeated']);

interface Placed {
  readonly student: string;
  readonly submission: number;
  readonly index: number;
  readonly answer: AnswerResult;
}

function example(p: Placed, feedback: string): SummaryExample {
  return { student: p.student, submission: p.submission, answer: p.index, feedback };
}

/** The groups of `items` by `keyOf` (undefined: left out), largest first (ties in first-seen order), at most `top`. */
function topGroups<T>(items: readonly T[], keyOf: (item: T) => string | undefined, top: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length).slice(0, top);
}

/**
 * What a refusal was about, the same for every student who met it: the first sentence of the message's
 * first line, without the position in the student's file and the entry's number (`line 4, column 5:
 * answers[1]: unknown field 'formla'` and `line 9, column 5: answers[3]: unknown field 'formla'` are
 * one refusal).
 */
function refusalWhat(message: string): string {
  const line = message.split('\n')[0]!.replace(/^line \d+, column \d+: /, '').replace(/answers\[\d+\]/g, 'answers[…]');
  const end = line.indexOf('. ');
  return end > 0 ? line.slice(0, end + 1) : line;
}

/** What a student was told, in one paragraph: the headline and the message. */
const shownFeedback = (a: AnswerResult) => `${STATUS_HEADLINE[a.finding.status]}: ${a.finding.message}`;

function refusalRows(placed: readonly Placed[], top: number): RefusalRow[] {
  const refused = placed.filter((p) => (p.answer.finding.status === 'invalid' || p.answer.finding.review) && !NOT_REFUSALS.has(p.answer.finding.reason));
  return topGroups(refused, (p) => `${p.answer.finding.reason}\u0000${refusalWhat(p.answer.finding.message)}`, top).map((group) => {
    const first = group[0]!;
    return { reason: first.answer.finding.reason!, what: refusalWhat(first.answer.finding.message), count: group.length, example: example(first, shownFeedback(first.answer)) };
  });
}

function targetSummary(problem: string, target: string, number: string, placed: readonly Placed[], top: number): TargetSummary {
  const n = placed.length;
  const counts = Object.fromEntries(STATUSES.map((s) => [s, placed.filter((p) => p.answer.finding.status === s).length])) as Record<FindingStatus, number>;
  const shares = Object.fromEntries(STATUSES.map((s) => [s, n > 0 ? counts[s] / n : 0])) as Record<FindingStatus, number>;
  const incorrect = placed.filter((p) => p.answer.finding.status === 'incorrect');
  const mistakes = topGroups(incorrect, (p) => p.answer.finding.mistake?.label, top).map((group): MistakeRow => {
    const first = group[0]!;
    const mistake = first.answer.finding.mistake!;
    return { label: mistake.label, description: mistake.description, count: group.length, share: group.length / n, example: example(first, shownFeedback(first.answer)) };
  });
  const wrongReadings = topGroups(incorrect, (p) => p.answer.finding.readAs, top).map((group): ReadingRow => {
    const first = group[0]!;
    const mistake = first.answer.finding.mistake;
    return {
      readAs: first.answer.finding.readAs!,
      count: group.length,
      share: group.length / n,
      spellings: new Set(group.map((p) => p.answer.text)).size,
      ...(mistake ? { label: mistake.label, description: mistake.description } : {}),
      example: example(first, shownFeedback(first.answer)),
    };
  });
  return {
    problem,
    target,
    number,
    maxScore: Math.max(0, ...placed.map((p) => p.answer.maxScore)),
    answers: n,
    counts,
    shares,
    needsReview: placed.filter((p) => needsReview(p.answer)).length,
    overridden: placed.filter((p) => p.answer.override).length,
    meanScore: n > 0 ? placed.reduce((s, p) => s + p.answer.score, 0) / n : NaN,
    mistakes,
    wrongReadings,
    refusals: refusalRows(placed, top),
  };
}

export function classSummary(report: GradeReport, top = SUMMARY_TOP): ClassSummary {
  const graded = report.submissions.filter((s) => s.status === 'graded');
  const placed: Placed[] = report.submissions.flatMap((s, submission) => s.answers.flatMap((answer, index) => (isRepeat(answer) ? [] : [{ student: s.id, submission, index, answer }])));
  const byTarget = new Map<string, Placed[]>();
  for (const p of placed) byTarget.set(targetKey(p.answer), [...(byTarget.get(targetKey(p.answer)) ?? []), p]);
  const targets = questionOrder(report.assigned, placed.map((p) => p.answer).filter(namesATarget)).map((t) => targetSummary(t.problem, t.target, t.number, byTarget.get(targetKey(t)) ?? [], top));
  return {
    submissions: report.submissions.length,
    graded: graded.length,
    invalidFiles: report.submissions.length - graded.length,
    meanScore: graded.length > 0 ? graded.reduce((s, sub) => s + sub.score, 0) / graded.length : NaN,
    maxScore: Math.max(0, ...report.submissions.map((s) => s.maxScore)),
    targets,
    refusals: refusalRows(placed, top),
    needsReview: placed.filter((p) => needsReview(p.answer)).map((p) => ({ student: p.student, submission: p.submission, problem: p.answer.problem, target: p.answer.target, line: p.answer.line, status: p.answer.finding.status, ...(p.answer.finding.reason ? { reason: p.answer.finding.reason } : {}), answer: p.index })),
  };
}

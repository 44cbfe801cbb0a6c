/**
 * The gradebook as CSV, for a spreadsheet or an LMS import (csv-stringify: RFC 4180 quoting, and every
 * field that begins with `=`, `+`, `-`, `@`, a tab or a carriage return prefixed with `'`, so that a
 * student's formula or id is never run as a spreadsheet formula). Column names are stable; docs/grading.md
 * documents them.
 *
 * `--format csv`, one row per student:
 *   student, status, one column per target (PROBLEM/TARGET, the points), total, max_total
 * `--csv-long FILE`, one row per answer:
 *   student, problem, target, line, verdict, reason, points, max_points, mistake, read_as, needs_review, override_note
 */
import { stringify } from 'csv-stringify/sync';
import { type OrderedTarget, namesATarget, questionOrder, targetKey } from '../class/order.js';
import { isRepeat, needsReview } from '../review.js';
import type { AnswerResult, GradeReport, SubmissionResult } from '../types.js';

/** A student's status in the gradebook. */
export type GradebookStatus = 'graded' | 'needs-review' | 'invalid-file';

export const LONG_COLUMNS = ['student', 'problem', 'target', 'line', 'verdict', 'reason', 'points', 'max_points', 'mistake', 'read_as', 'needs_review', 'override_note'] as const;

/**
 * The gradebook's target columns: the assignment's targets, then any other target answered, in question
 * order. An answer that names no target of the problems (a misspelled name, an entry that broke the
 * format) adds no column: it scores 0.
 */
export function gradebookTargets(report: GradeReport): OrderedTarget[] {
  return questionOrder(report.assigned, report.submissions.flatMap((s) => s.answers.filter((a) => !isRepeat(a) && namesATarget(a))));
}

export function gradebookStatus(s: SubmissionResult): GradebookStatus {
  if (s.status === 'invalid') return 'invalid-file';
  return s.answers.some(needsReview) ? 'needs-review' : 'graded';
}

function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return stringify([header, ...rows], { escape_formulas: true });
}

/** One row per student: the points of each target's first answer (empty when not answered and not assigned). */
export function gradebookCsv(report: GradeReport): string {
  const targets = gradebookTargets(report);
  const header = ['student', 'status', ...targets.map((t) => `${t.problem}/${t.target}`), 'total', 'max_total'];
  const rows = report.submissions.map((s) => {
    const first = new Map<string, AnswerResult>();
    for (const a of s.answers) if (!isRepeat(a) && !first.has(targetKey(a))) first.set(targetKey(a), a);
    return [s.id, gradebookStatus(s), ...targets.map((t) => first.get(targetKey(t))?.score ?? ''), s.score, s.maxScore];
  });
  return csv(header, rows);
}

/** One row per answer as handed in (repeats included); a file that could not be read is one row, verdict invalid-file. */
export function answersCsv(report: GradeReport): string {
  const rows = report.submissions.flatMap((s) => {
    if (s.status === 'invalid') {
      const e = s.error!;
      return [[s.id, '', '', e.line, 'invalid-file', e.reason, 0, s.maxScore, '', '', 'false', '']];
    }
    return s.answers.map((a) => {
      const f = a.finding;
      return [s.id, a.problem, a.target, a.line, f.status, f.reason ?? '', a.score, a.maxScore, f.mistake?.label ?? '', f.readAs ?? '', String(needsReview(a)), a.override?.note ?? ''];
    });
  });
  return csv(LONG_COLUMNS, rows);
}

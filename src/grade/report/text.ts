/** The plain-text summary `derivcheck grade` prints: one block per submission, then the totals. */
import type { FindingStatus } from '../../problem/finding.js';
import { classSummary } from '../class/summary.js';
import { needsReview, overrideLine } from '../review.js';
import { renderClassSummary, reviewBlock } from './summary-text.js';
import type { AnswerResult, GradeReport, SubmissionResult } from '../types.js';

const MARK: Record<FindingStatus, string> = { correct: '✓', incorrect: '✗', invalid: '!', undecided: '?', 'non-differentiable': '~' };

function formatScore(score: number, max: number): string {
  return `${Number(score.toFixed(4))}/${Number(max.toFixed(4))}`;
}

function where(s: SubmissionResult): string {
  const e = s.error!;
  return e.line > 0 ? `line ${e.line}, column ${e.column}: ` : '';
}

/** Indents every line after the first, so multi-line messages (a caret under a formula) stay in their block. */
function indentLines(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}

/** `incorrect (sign)`, `undecided (reference-unconfirmed)`: the status and what best says why. */
function verdictWords(a: AnswerResult): string {
  const f = a.finding;
  const why = a.accepted ? ' (accepted spelling)' : f.mistake ? ` (${f.mistake.label})` : f.reason && f.status !== 'incorrect' ? ` (${f.reason})` : '';
  return `${f.status}${why}`;
}

function answerLines(a: AnswerResult, quiet: boolean): string[] {
  const f = a.finding;
  const ruled = overrideLine(a);
  const head = `  ${ruled ? '=' : MARK[f.status]} ${a.problem}/${a.target}  ${formatScore(a.score, a.maxScore)}  ${verdictWords(a)}${ruled ? ', score set by a grader' : needsReview(a) ? ', needs review' : ''}`;
  if (quiet) return [head];
  const lines = [head];
  if (f.status !== 'correct') lines.push(`      ${indentLines(f.message, '      ')}`);
  if (ruled) lines.push(`      ${ruled} [${a.override!.source}]`);
  return lines;
}



/** Counts of answers by status over the whole batch. */
export function statusCounts(report: GradeReport): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = { correct: 0, incorrect: 0, invalid: 0, undecided: 0, 'non-differentiable': 0 };
  for (const s of report.submissions) for (const a of s.answers) counts[a.finding.status]++;
  return counts;
}

function submissionLines(s: SubmissionResult, quiet: boolean): string[] {
  if (s.status === 'invalid') return [`${s.id} (${s.file})  INVALID FILE  ${formatScore(s.score, s.maxScore)}`, `    ${where(s)}${s.error!.reason}`];
  const unassigned = (s.unassigned ?? []).map((u) => `  - ${u.problem}/${u.target}  not graded: ${u.note}${u.line > 0 ? ` (line ${u.line})` : ''}`);
  return [`${s.id} (${s.file})  ${formatScore(s.score, s.maxScore)}`, ...s.answers.flatMap((a) => answerLines(a, quiet)), ...unassigned];
}

export interface TextOptions {
  /** One line per answer. */
  readonly quiet?: boolean;
  /** The class report instead of one block per submission. */
  readonly summary?: boolean;
}

export function renderGradeText(report: GradeReport, options: TextOptions = {}): string {
  const quiet = options.quiet ?? false;
  const summary = classSummary(report);
  // The grader's own configuration problems come first: they are not about any student.
  const configuration = report.configurationErrors.flatMap((e) => [`CONFIGURATION ERROR: ${e}`, '']);
  const lines: string[] = [...configuration, ...(options.summary ? renderClassSummary(summary) : [...report.submissions.flatMap((s) => submissionLines(s, quiet)), ''])];
  const graded = report.submissions.filter((s) => s.status === 'graded').length;
  const counts = statusCounts(report);
  const invalid = report.submissions.length - graded;
  lines.push(`${report.submissions.length} submissions: ${graded} graded, ${invalid} invalid file${invalid === 1 ? '' : 's'}`);
  lines.push(`answers: ${counts.correct} correct, ${counts.incorrect} incorrect, ${counts.invalid} invalid, ${counts.undecided} undecided, ${counts['non-differentiable']} non-differentiable`);
  const overridden = report.submissions.reduce((n, s) => n + s.answers.filter((a) => a.override).length, 0);
  if (overridden > 0) lines.push(`overridden: ${overridden} answer${overridden === 1 ? '' : 's'} scored by a grader's ruling`);
  lines.push(...reviewBlock(summary));
  for (const r of report.references.filter((r) => r.status === 'failed')) {
    lines.push(`reference of ${r.problem}/${r.target} (${r.formula}) FAILED: ${r.message}; its answers were not graded`);
  }
  lines.push(`seed ${report.seed}, ${report.runs} samples per answer${report.partial ? ', partial credit' : ''} (repeat with --seed ${report.seed}); ${(report.elapsedMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

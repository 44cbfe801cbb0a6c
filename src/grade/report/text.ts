/** The plain-text summary `derivcheck grade` prints: one block per submission, then the totals. */
import type { FindingStatus } from '../../problem/finding.js';
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

function answerLines(a: AnswerResult, quiet: boolean): string[] {
  const f = a.finding;
  const head = `  ${MARK[f.status]} ${a.problem}/${a.target}  ${formatScore(a.score, a.maxScore)}  ${f.status}${f.mistake ? ` (${f.mistake.label})` : f.reason && f.status !== 'incorrect' ? ` (${f.reason})` : ''}`;
  if (quiet || f.status === 'correct') return [head];
  return [head, `      ${indentLines(f.message, '      ')}`];
}

/** Counts of answers by status over the whole batch. */
export function statusCounts(report: GradeReport): Record<FindingStatus, number> {
  const counts: Record<FindingStatus, number> = { correct: 0, incorrect: 0, invalid: 0, undecided: 0, 'non-differentiable': 0 };
  for (const s of report.submissions) for (const a of s.answers) counts[a.finding.status]++;
  return counts;
}

export function renderGradeText(report: GradeReport, options: { quiet?: boolean } = {}): string {
  const quiet = options.quiet ?? false;
  const lines: string[] = [];
  for (const s of report.submissions) {
    if (s.status === 'invalid') {
      lines.push(`${s.id} (${s.file})  INVALID FILE  ${formatScore(s.score, s.maxScore)}`);
      lines.push(`    ${where(s)}${s.error!.reason}`);
      continue;
    }
    lines.push(`${s.id} (${s.file})  ${formatScore(s.score, s.maxScore)}`);
    for (const a of s.answers) lines.push(...answerLines(a, quiet));
    for (const u of s.unassigned ?? []) lines.push(`  - ${u.problem}/${u.target}  not graded: ${u.note}${u.line > 0 ? ` (line ${u.line})` : ''}`);
  }
  const graded = report.submissions.filter((s) => s.status === 'graded').length;
  const counts = statusCounts(report);
  lines.push('');
  const invalid = report.submissions.length - graded;
  lines.push(`${report.submissions.length} submissions: ${graded} graded, ${invalid} invalid file${invalid === 1 ? '' : 's'}`);
  lines.push(`answers: ${counts.correct} correct, ${counts.incorrect} incorrect, ${counts.invalid} invalid, ${counts.undecided} undecided, ${counts['non-differentiable']} non-differentiable`);
  for (const r of report.references.filter((r) => r.status === 'failed')) {
    lines.push(`reference of ${r.problem}/${r.target} (${r.formula}) FAILED: ${r.message}; its answers were not graded`);
  }
  lines.push(`seed ${report.seed}, ${report.runs} samples per answer${report.partial ? ', partial credit' : ''} (repeat with --seed ${report.seed}); ${(report.elapsedMs / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

/** The class report as text (`grade --summary`): one block per target in question order, then the class's refusals and the answers that need review. */
import { type ClassSummary, type RefusalRow, type ReviewRow, STATUSES, type TargetSummary } from '../class/summary.js';
import { formatPoints, formatShare, quoteText } from './class-figures.js';

/** Feedback quoted in the summary is cut here: the first sentence or two say what the mistake was. */
const QUOTE_CHARS = 160;

const cut = (text: string) => quoteText(text, QUOTE_CHARS);

function targetBlock(t: TargetSummary): string[] {
  const lines = [`${t.number} ${t.problem}/${t.target}  ${t.answers} answer${t.answers === 1 ? '' : 's'}, mean ${formatPoints(t.meanScore)}/${formatPoints(t.maxScore)}`];
  const counts = STATUSES.filter((s) => s !== 'non-differentiable' || t.counts[s] > 0).map((s) => `${s} ${t.counts[s]} (${formatShare(t.shares[s])})`);
  lines.push(`    ${counts.join(', ')}${t.needsReview > 0 ? `; ${t.needsReview} need review` : ''}${t.overridden > 0 ? `; ${t.overridden} set by a grader` : ''}`);
  if (t.mistakes.length > 0) {
    lines.push('    mistakes:');
    // The part of the feedback that names the mistake; the JSON keeps the whole of it (example.feedback).
    for (const m of t.mistakes) lines.push(`      ${m.count}× ${m.label} (${formatShare(m.share)})  e.g. ${m.example.student}, told "${cut(`Looks like: ${m.description}.`)}"`);
  }
  if (t.wrongReadings.length > 0) {
    lines.push('    wrong answers, by reading:');
    for (const r of t.wrongReadings) lines.push(`      ${r.count}× ${r.readAs}${r.spellings > 1 ? ` (${r.spellings} spellings)` : ''}${r.label ? ` [${r.label}]` : ''}  e.g. ${r.example.student}`);
  }
  return lines;
}

export function refusalLine(r: RefusalRow): string {
  return `  ${r.count}× ${r.reason}: ${cut(r.what)}  (e.g. ${r.example.student})`;
}

export function reviewLine(r: ReviewRow): string {
  return `  ? ${r.student} ${r.problem}/${r.target}${r.line > 0 ? ` (line ${r.line})` : ''}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`;
}

/** The answers that wait for a person, together ([] when none do). */
export function reviewBlock(summary: ClassSummary): string[] {
  const n = summary.needsReview.length;
  if (n === 0) return [];
  return [`needs review: ${n} answer${n === 1 ? '' : 's'} (settle them with --overrides, or a spelling for everyone with an accept list in its question file, then grade again)`, ...summary.needsReview.map(reviewLine)];
}

export function renderClassSummary(summary: ClassSummary): string[] {
  const lines = [
    `class summary: ${summary.submissions} submission${summary.submissions === 1 ? '' : 's'} (${summary.graded} graded, ${summary.invalidFiles} invalid file${summary.invalidFiles === 1 ? '' : 's'}), mean ${formatPoints(summary.meanScore)}/${formatPoints(summary.maxScore)} over the graded ones`,
    '',
  ];
  for (const t of summary.targets) lines.push(...targetBlock(t), '');
  if (summary.refusals.length > 0) lines.push('refusals (what could not be read or decided):', ...summary.refusals.map(refusalLine), '');
  return lines;
}

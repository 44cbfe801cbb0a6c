/**
 * The HTML report's index page: the gradebook (one row per student, one column per target in question
 * order with the student's points, linked to the answer; the class mean per column under it), the common
 * mistakes by label and by reading with links to an example answer, the refusals, and the answers that
 * need review. A checkbox keeps only the students with an answer that needs review (pure CSS, :has()).
 */
import { type OrderedTarget, targetKey } from '../class/order.js';
import { type ClassSummary, type SummaryExample, classSummary } from '../class/summary.js';
import { isRepeat, needsReview } from '../review.js';
import type { AnswerResult, GradeReport, SubmissionResult } from '../types.js';
import { formatPoints, formatShare, quoteText } from './class-figures.js';
import { gradebookTargets } from './csv.js';
import { escapeHtml } from './escape-html.js';
import { page } from './html.js';


/** Feedback quoted in the tables is cut here; the example page has all of it. */
const QUOTE_CHARS = 200;

const cut = (text: string) => quoteText(text, QUOTE_CHARS);

/** The link to an answer on its student's page. */
function answerHref(pages: readonly string[], submission: number, answer: number): string {
  return `${escapeHtml(pages[submission]!)}#answer-${answer + 1}`;
}

function exampleLink(pages: readonly string[], e: SummaryExample): string {
  return `<a href="${answerHref(pages, e.submission, e.answer)}">${escapeHtml(e.student)}</a>`;
}

function answerCell(a: AnswerResult | undefined, href: string): string {
  if (!a) return '<td class="none">–</td>';
  const f = a.finding;
  const state = a.override ? 'overridden' : needsReview(a) ? 'review' : f.status;
  const title = `${f.status}${f.mistake ? ` (${f.mistake.label})` : f.reason ? ` (${f.reason})` : ''}${a.override ? ', score set by a grader' : needsReview(a) ? ', needs review' : ''}`;
  return `<td class="${state}" title="${escapeHtml(title)}"><a href="${href}">${formatPoints(a.score)}${needsReview(a) ? ' ?' : ''}</a></td>`;
}

function gradebook(report: GradeReport, summary: ClassSummary, targets: readonly OrderedTarget[], pages: readonly string[]): string {
  const byTarget = new Map(summary.targets.map((t) => [targetKey(t), t]));
  const head = targets.map((t) => `<th title="${escapeHtml(`${t.problem}/${t.target}`)}">${t.number}<br>${escapeHtml(t.problem)}/<wbr>${escapeHtml(t.target)}</th>`).join('');
  const rows = report.submissions.map((s: SubmissionResult, i) => {
    const name = `<td class="name"><a href="${escapeHtml(pages[i]!)}">${escapeHtml(s.id)}</a></td>`;
    const review = s.answers.filter(needsReview).length;
    if (s.status === 'invalid') {
      return `<tr data-review="false">${name}<td class="invalid" colspan="${targets.length + 1}">invalid file: ${escapeHtml(s.error!.reason)}</td><td>${formatPoints(s.score)}/${formatPoints(s.maxScore)}</td></tr>`;
    }
    const first = new Map<string, number>();
    s.answers.forEach((a, k) => {
      if (!isRepeat(a) && !first.has(targetKey(a))) first.set(targetKey(a), k);
    });
    const cells = targets.map((t) => {
      const k = first.get(targetKey(t));
      return answerCell(k === undefined ? undefined : s.answers[k], k === undefined ? '' : answerHref(pages, i, k));
    });
    return `<tr data-review="${review > 0}">${name}${cells.join('')}<td>${review}</td><td>${formatPoints(s.score)}/${formatPoints(s.maxScore)}</td></tr>`;
  });
  const means = targets.map((t) => {
    const row = byTarget.get(targetKey(t));
    return `<td title="mean over ${row?.answers ?? 0} answers">${formatPoints(row?.meanScore ?? NaN)}/${formatPoints(row?.maxScore ?? NaN)}</td>`;
  });
  const review = summary.needsReview.length;
  return `<table class="gradebook">
<tr><th class="name">student</th>${head}<th>needs review</th><th>total</th></tr>
${rows.join('\n')}
<tr class="mean"><td class="name">class mean</td>${means.join('')}<td>${review}</td><td>${formatPoints(summary.meanScore)}/${formatPoints(summary.maxScore)}</td></tr>
</table>`;
}

function mistakesTables(summary: ClassSummary, pages: readonly string[]): string {
  const byLabel = summary.targets.flatMap((t) =>
    t.mistakes.map(
      (m) =>
        `<tr><td class="name">${t.number} ${escapeHtml(`${t.problem}/${t.target}`)}</td><td class="name">${escapeHtml(m.label)}</td><td>${m.count}</td><td>${formatShare(m.share)}</td><td class="name">${exampleLink(pages, m.example)}</td><td class="name">${escapeHtml(cut(`Looks like: ${m.description}.`))}</td></tr>`,
    ),
  );
  const byReading = summary.targets.flatMap((t) =>
    t.wrongReadings.map(
      (r) =>
        `<tr><td class="name">${t.number} ${escapeHtml(`${t.problem}/${t.target}`)}</td><td class="name"><code>${escapeHtml(r.readAs)}</code></td><td>${r.count}</td><td>${r.spellings}</td><td class="name">${escapeHtml(r.label ?? '')}</td><td class="name">${exampleLink(pages, r.example)}</td><td class="name">${escapeHtml(cut(r.description ? `Looks like: ${r.description}.` : r.example.feedback))}</td></tr>`,
    ),
  );
  const parts: string[] = [];
  if (byLabel.length > 0) {
    parts.push(`<h2 id="mistakes">Common mistakes</h2>
<table class="mistakes"><tr><th class="name">target</th><th class="name">mistake</th><th>answers</th><th>share</th><th class="name">example</th><th class="name">feedback shown</th></tr>
${byLabel.join('\n')}</table>`);
  }
  if (byReading.length > 0) {
    parts.push(`<h2 id="readings">Common wrong answers, by reading</h2>
<p>Answers that read as the same formula are counted together, however they were spelled.</p>
<table class="readings"><tr><th class="name">target</th><th class="name">read as</th><th>answers</th><th>spellings</th><th class="name">mistake</th><th class="name">example</th><th class="name">feedback shown</th></tr>
${byReading.join('\n')}</table>`);
  }
  return parts.join('\n');
}

function refusalsTable(summary: ClassSummary, pages: readonly string[]): string {
  if (summary.refusals.length === 0) return '';
  const rows = summary.refusals.map((r) => `<tr><td class="name">${escapeHtml(r.reason)}</td><td class="name">${escapeHtml(cut(r.what))}</td><td>${r.count}</td><td class="name">${exampleLink(pages, r.example)}</td></tr>`);
  return `<h2 id="refusals">Not read or not decided</h2>
<table class="refusals"><tr><th class="name">reason</th><th class="name">what</th><th>answers</th><th class="name">example</th></tr>
${rows.join('\n')}</table>`;
}

function reviewList(summary: ClassSummary, pages: readonly string[]): string {
  if (summary.needsReview.length === 0) return '<h2 id="review">Needs review</h2><p>No answer needs review.</p>';
  const items = summary.needsReview.map(
    (r) => `<li><a href="${answerHref(pages, r.submission, r.answer)}">${escapeHtml(r.student)}: ${escapeHtml(`${r.problem}/${r.target}`)}</a> — ${escapeHtml(r.status)}${r.reason ? ` (${escapeHtml(r.reason)})` : ''}</li>`,
  );
  return `<h2 id="review">Needs review</h2>
<p>${summary.needsReview.length} answer${summary.needsReview.length === 1 ? '' : 's'} could not be decided by derivcheck. Settle them in an overrides file (<code>grade --overrides FILE</code>) and grade again.</p>
<ul class="review">${items.join('')}</ul>`;
}

export function indexPage(report: GradeReport, pages: readonly string[]): string {
  const summary = classSummary(report);
  const targets = gradebookTargets(report);
  const review = summary.needsReview.length;
  return page(
    'derivcheck grades',
    `<h1>Grades</h1>
<p>${summary.submissions} submissions (${summary.graded} graded, ${summary.invalidFiles} invalid file${summary.invalidFiles === 1 ? '' : 's'}) · class mean ${formatPoints(summary.meanScore)}/${formatPoints(summary.maxScore)} · seed ${report.seed}, ${report.runs} samples per answer${report.partial ? ', partial credit' : ''}</p>
<label class="filter"><input type="checkbox" id="only-review"> only students with answers that need review (${review})</label>
${gradebook(report, summary, targets, pages)}
${mistakesTables(summary, pages)}
${refusalsTable(summary, pages)}
${reviewList(summary, pages)}`,
  );
}

/**
 * The HTML report: an index of submissions and one page per submission, with each answer's formula
 * rendered by KaTeX, its verdict and message, and for an incorrect answer the counterexample (dims,
 * seed, wrong entries, small inputs) and a heat-map of |expected − got|. Pages carry their CSS inline
 * (KaTeX's included); KaTeX's fonts are copied beside them (writeHtmlReport) and degrade to the
 * browser's serif fonts when missing.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import katex from 'katex';
import { withinReadingLimits } from '../../formula/parse.js';
import { ENTRIES_HEADING, type FindingEvidence, type FindingStatus } from '../../problem/finding.js';
import { formatDistinct } from '../../problem/numbers.js';
import { formatShape } from '../../tensor/errors.js';
import type { AnswerResult, GradeReport, SubmissionResult } from '../types.js';
import { NEEDS_REVIEW_LINE, needsReview, overrideLine } from '../review.js';
import { escapeHtml } from './escape-html.js';
import { heatmapLegend, heatmapSvg } from './heatmap.js';
import { formulaLatex } from './latex.js';
import { valueTables } from './value-tables.js';

const katexCssPath = createRequire(import.meta.url).resolve('katex/dist/katex.min.css');
let katexCss: string | undefined;

const PAGE_CSS = `
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
header p { color: #555; }
table { border-collapse: collapse; margin: 0.5rem 0; }
td, th { border: 1px solid #ccc; padding: 0.2rem 0.6rem; text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f4f4f4; }
td.name, th.name { text-align: left; }
section.answer { border: 1px solid #ddd; border-left: 6px solid #999; border-radius: 4px; padding: 0.5rem 1rem; margin: 1rem 0; }
section.correct { border-left-color: #2e7d32; }
section.incorrect { border-left-color: #c62828; }
section.invalid { border-left-color: #ef6c00; }
section.undecided, section.non-differentiable { border-left-color: #6d6d6d; }
.badge { font-size: 0.8rem; padding: 0.1rem 0.5rem; border-radius: 1rem; color: white; background: #6d6d6d; vertical-align: middle; }
.badge.correct { background: #2e7d32; } .badge.incorrect { background: #c62828; } .badge.invalid { background: #ef6c00; }
.formula { font-size: 1.15rem; margin: 0.5rem 0; overflow-x: auto; }
pre.message { white-space: pre-wrap; overflow-wrap: anywhere; background: #fafafa; border: 1px solid #eee; padding: 0.5rem; }
.heatmap { margin: 0.5rem 0; display: block; }
.heatmap-legend { display: flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; color: #444; margin-bottom: 0.8rem; }
.heatmap-legend .ramp { display: inline-block; width: 10rem; height: 0.8rem; border: 1px solid #999; background: linear-gradient(to right, rgb(255,255,255), rgb(255,0,0)); }
.heatmap-legend .nan { display: inline-block; width: 0.8rem; height: 0.8rem; background: #000; }
td.correct { background: #e8f5e9; } td.incorrect { background: #ffebee; } td.invalid { background: #fff3e0; }
td.undecided, td.non-differentiable, td.review { background: #fff8e1; font-weight: bold; }
td.overridden { background: #e3f2fd; }
tr.mean td { font-weight: bold; border-top: 2px solid #888; }
body:has(#only-review:checked) tr[data-review="false"] { display: none; }
label.filter { display: inline-block; margin: 0.5rem 0; padding: 0.2rem 0.6rem; border: 1px solid #ccc; border-radius: 4px; background: #fafafa; }
p.needs-review { background: #fff8e1; border: 1px solid #ffe082; padding: 0.3rem 0.6rem; }
p.override { background: #e8f5e9; border: 1px solid #a5d6a7; padding: 0.3rem 0.6rem; }
`;

export function page(title: string, body: string): string {
  katexCss ??= readFileSync(katexCssPath, 'utf8');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${katexCss}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The answer as LaTeX: the student's own, or the formula's reading rendered. KaTeX recurses once per
 * group, so it is given only text within the limits the formula reader enforces (an answer refused
 * for its nesting or length is shown as text).
 */
function answerLatex(a: AnswerResult): string | undefined {
  if (a.syntax === 'latex') return withinReadingLimits(a.text) ? a.text : undefined;
  return a.finding.readAs !== undefined ? formulaLatex(a.finding.readAs) : undefined;
}

function formulaHtml(a: AnswerResult): string {
  const latex = answerLatex(a);
  const rendered = latex !== undefined ? katex.renderToString(latex, { throwOnError: false, displayMode: true }) : `<code>${escapeHtml(a.text)}</code>`;
  const readAs = a.finding.readAs !== undefined ? `<p class="read-as">read as <code>${escapeHtml(a.finding.readAs)}</code></p>` : '';
  return `<div class="formula">${rendered}</div>${readAs}`;
}

function evidenceHtml(a: AnswerResult, ev: FindingEvidence): string {
  const parts: string[] = [`<h3>${a.finding.status === 'incorrect' ? 'Counterexample' : 'Evidence'}</h3>`];
  const dims = Object.entries(ev.dims);
  parts.push(`<table class="sample"><tr>${dims.map(([k]) => `<th>${escapeHtml(k)}</th>`).join('')}<th>input seed</th></tr><tr>${dims.map(([, v]) => `<td>${v}</td>`).join('')}<td>${ev.seed}</td></tr></table>`);
  if (a.finding.reason === 'shape') {
    parts.push(`<p>${escapeHtml(a.target)} is ${formatShape(ev.expectedShape)}${ev.gotShape ? `; the answer is ${formatShape(ev.gotShape)}` : ''}.</p>`);
  }
  if (ev.entries.length > 0) {
    parts.push(`<h4>${ENTRIES_HEADING[a.finding.status]} (${ev.count} of ${ev.entryCount} entries)</h4>`);
    const rows = ev.entries.map((e) => {
      const [expected, got] = formatDistinct([e.expected, e.got]);
      return `<tr><td class="name">${escapeHtml(e.index)}</td><td>${expected}</td><td>${got}</td><td>${e.budget.toExponential(1)}</td></tr>`;
    });
    parts.push(`<table class="wrong"><tr><th class="name">entry</th><th>expected</th><th>got</th><th>budget</th></tr>${rows.join('')}</table>`);
  }
  if (ev.expected !== undefined && ev.got !== undefined && a.finding.status === 'incorrect') {
    const svg = heatmapSvg(ev.expected, ev.got, escapeHtml(a.target));
    if (svg) parts.push(`<h4>|expected − got|</h4>${svg}${heatmapLegend(ev.expected, ev.got, escapeHtml(a.target))}`);
  }
  if (ev.inputs) {
    parts.push('<h4>Inputs</h4>');
    for (const [name, value] of Object.entries(ev.inputs)) parts.push(valueTables(name, value));
  }
  return `<div class="counterexample">${parts.join('\n')}</div>`;
}

function answerHtml(a: AnswerResult, index: number): string {
  const f = a.finding;
  const mistake = f.mistake ? `<p class="mistake"><strong>Mistake: ${escapeHtml(f.mistake.label)}</strong> — ${escapeHtml(f.mistake.description)}</p>` : '';
  const where = a.line > 0 ? ` <small>(line ${a.line})</small>` : '';
  const reason = f.reason ? ` <small class="reason">${escapeHtml(f.reason)}</small>` : '';
  const ruled = overrideLine(a);
  const ruling = ruled ? `<p class="override"><strong>${escapeHtml(ruled)}</strong> <small>${escapeHtml(a.override!.source)}</small></p>` : '';
  const review = needsReview(a) ? `<p class="needs-review"><strong>${escapeHtml(NEEDS_REVIEW_LINE)}</strong></p>` : '';
  return `<section class="answer ${f.status}${needsReview(a) ? ' needs-review' : ''}" id="answer-${index + 1}">
<h2>${escapeHtml(a.problem)} / ${escapeHtml(a.target)} <span class="badge ${f.status}">${f.status}</span>${reason} <span class="score">${a.score}/${a.maxScore}</span>${where}</h2>
${formulaHtml(a)}
${review}${ruling}
${mistake}
<pre class="message">${escapeHtml(f.message)}</pre>
${f.evidence ? evidenceHtml(a, f.evidence) : ''}
</section>`;
}

export function submissionPage(s: SubmissionResult, report: Pick<GradeReport, 'seed' | 'runs'>): string {
  const header = `<header><p><a href="index.html">All submissions</a></p><h1>${escapeHtml(s.id)}</h1>
<p>${escapeHtml(s.file)} · score <strong>${s.score}/${s.maxScore}</strong> · seed ${report.seed}, ${report.runs} samples per answer</p></header>`;
  if (s.status === 'invalid') {
    const e = s.error!;
    return page(`${s.id}: invalid submission`, `${header}<section class="answer invalid"><h2>The file could not be read <span class="badge invalid">invalid</span></h2><pre class="message">${e.line > 0 ? `line ${e.line}, column ${e.column}: ` : ''}${escapeHtml(e.reason)}</pre></section>`);
  }
  const unassigned = (s.unassigned ?? []).map((u) => `<li>${escapeHtml(u.problem)} / ${escapeHtml(u.target)}${u.line > 0 ? ` <small>(line ${u.line})</small>` : ''}: ${escapeHtml(u.note)}</li>`);
  const notGraded = unassigned.length > 0 ? `\n<section class="unassigned"><h2>Not graded</h2><ul>${unassigned.join('')}</ul></section>` : '';
  return page(`${s.id}: ${s.score}/${s.maxScore}`, `${header}\n${s.answers.map(answerHtml).join('\n')}${notGraded}`);
}

/** KaTeX's fonts, copied to `dir`/fonts where the inlined CSS looks for them. */
export function copyKatexFonts(dir: string): void {
  const from = path.join(path.dirname(katexCssPath), 'fonts');
  const to = path.join(dir, 'fonts');
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from)) if (file.endsWith('.woff2')) copyFileSync(path.join(from, file), path.join(to, file));
}

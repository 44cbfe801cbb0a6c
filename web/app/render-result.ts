/**
 * A result on the page: the Finding's status (also as the section's data-verdict, with data-reason and
 * data-review), its reason and review flag, the message, the reading, the mistake, the evidence (the
 * smallest counterexample, or the sample FD could not decide or that sat on a kink) with its entries,
 * the heat-map of |expected − got| and the inputs, then the samples, the seed and the command that
 * repeats the check. Reads only ResultView (web/engine/result-view.ts): a Finding and its run.
 */
import { escapeHtml } from '../../src/grade/report/escape-html.js';
import { heatmapSvg } from '../../src/grade/report/heatmap.js';
import { valueTables } from '../../src/grade/report/value-tables.js';
import { ENTRIES_HEADING, type Finding, type FindingEvidence, type FindingStatus } from '../../src/problem/finding.js';
import { formatDistinct } from '../../src/problem/numbers.js';
import { formatShape } from '../../src/tensor/errors.js';
import type { Field, ResultView } from '../engine/result-view.js';
import { element } from './dom.js';

const HEADLINES: Readonly<Record<FindingStatus, string>> = {
  correct: '✓ Correct',
  incorrect: '✗ Incorrect',
  invalid: '✗ Invalid',
  undecided: '? Undecided',
  'non-differentiable': '? Non-differentiable',
};

/** Width (px) a small heat-map is enlarged to, by at most MAX_HEATMAP_SCALE: a few cells stay visible at a glance. */
const MIN_HEATMAP_WIDTH = 160;
const MAX_HEATMAP_SCALE = 3;

/** Markup the library renders from numbers and escaped names (heat-map, value tables), in an element. */
function markup(className: string, html: string): HTMLDivElement {
  const holder = element('div', { class: className });
  holder.innerHTML = html;
  return holder;
}

function dimsText(dims: Readonly<Record<string, number>>): string {
  return Object.entries(dims).map(([name, size]) => `${name}=${size}`).join(', ') || 'no dimensions';
}

function entriesTable(status: FindingStatus, ev: FindingEvidence): HTMLElement | undefined {
  if (ev.entries.length === 0) return undefined;
  const header = element('tr', {}, ...['entry', 'expected', 'got', 'budget'].map((name, i) => element('th', { scope: 'col', ...(i === 0 ? { class: 'name' } : {}) }, name)));
  const rows = ev.entries.map((e) => {
    const [expected, got] = formatDistinct([e.expected, e.got]);
    return element('tr', {}, element('td', { class: 'name' }, e.index), element('td', {}, expected), element('td', {}, got), element('td', {}, e.budget.toExponential(1)));
  });
  return element(
    'div',
    {},
    element('h4', { id: 'entries-heading' }, `${ENTRIES_HEADING[status]} (${ev.count} of ${ev.entryCount} entries)`),
    element('div', { class: 'scroll' }, element('table', { class: 'entries', 'aria-labelledby': 'entries-heading' }, element('thead', {}, header), element('tbody', {}, ...rows))),
  );
}

function heatmap(target: string, ev: FindingEvidence): HTMLElement | undefined {
  if (ev.expected === undefined || ev.got === undefined) return undefined;
  const svg = heatmapSvg(ev.expected, ev.got, escapeHtml(target));
  if (!svg) return undefined;
  const holder = markup('scroll', svg);
  const drawn = holder.querySelector('svg')!;
  // The library draws a cell per 22 px; a counterexample of a few entries is drawn larger, up to 3×.
  const scale = Math.min(MAX_HEATMAP_SCALE, Math.max(1, MIN_HEATMAP_WIDTH / Number(drawn.getAttribute('width'))));
  for (const side of ['width', 'height']) drawn.setAttribute(side, String(Number(drawn.getAttribute(side)) * scale));
  return element('figure', { class: 'heatmap-figure' }, holder, element('figcaption', {}, `|expected − got| of ${target}, entry by entry: white where they agree, red up to the largest difference.`));
}

/** The sample a Finding rests on: for `incorrect` the smallest counterexample (its heat-map too), else the sample it could not decide. */
function evidence(finding: Finding, target: string, ev: FindingEvidence): HTMLElement {
  const incorrect = finding.status === 'incorrect';
  const shapes = finding.reason === 'shape' ? `${target} is ${formatShape(ev.expectedShape)}${ev.gotShape ? `; the answer is ${formatShape(ev.gotShape)}` : ''}.` : undefined;
  const inputs = ev.inputs ? Object.entries(ev.inputs).map(([name, value]) => valueTables(name, value)).join('\n') : '';
  return element(
    'section',
    { class: 'evidence', 'aria-labelledby': 'evidence-heading' },
    element('h3', { id: 'evidence-heading' }, incorrect ? 'Smallest counterexample' : 'Evidence'),
    element('p', {}, `At ${dimsText(ev.dims)}, input seed ${ev.seed}.`),
    shapes !== undefined && element('p', {}, shapes),
    entriesTable(finding.status, ev),
    incorrect && heatmap(target, ev),
    inputs !== '' && element('details', { class: 'inputs' }, element('summary', {}, 'Inputs of this sample'), markup('scroll', inputs)),
  );
}

/** The label of a field of the page (its text before the hint), for a message about it. */
function fieldName(field: Field): string {
  return document.querySelector(`label[for="${field}"]`)?.firstChild?.textContent?.trim() ?? field;
}

function runLine(view: ResultView): string {
  const { samples, maxRelError, status } = view.finding;
  // A search stops at its first failing sample: "1 of 24 samples compared" says so.
  const compared = samples && samples.total > 0 ? `${samples.total} of ${view.runs} ${view.runs === 1 ? 'sample' : 'samples'} compared · ` : '';
  const error = status === 'correct' && maxRelError !== undefined ? `largest relative error ${maxRelError.toExponential(2)} · ` : '';
  return `${compared}${error}seed ${view.seed}`;
}

/** Shows `view` in `section`; `command` is the CLI command that repeats the check. */
export function renderResult(section: HTMLElement, view: ResultView, command: string): void {
  const f = view.finding;
  section.dataset['verdict'] = f.status;
  if (f.reason) section.dataset['reason'] = f.reason;
  else delete section.dataset['reason'];
  section.dataset['review'] = String(f.review);
  delete section.dataset['state'];
  // An invalid input's message carries the text with a caret under the place: monospace keeps them aligned.
  const message = f.status === 'invalid' ? element('pre', { class: 'caret' }, f.message) : element('p', { class: 'message' }, f.message);
  const parts: (Node | undefined | false)[] = [
    element('h2', {}, element('span', { class: `badge ${f.status}` }, HEADLINES[f.status]), f.reason !== undefined && element('small', { class: 'reason' }, ` ${f.reason}`)),
    f.review && element('p', { class: 'review' }, element('strong', {}, 'Needs review:'), ' a person should check this before it counts.'),
    view.field !== undefined && element('p', { class: 'field-ref' }, `In the field “${fieldName(view.field)}”:`),
    message,
    f.readAs !== undefined && element('p', { class: 'read-as' }, 'Read as ', element('code', {}, f.readAs)),
    f.mistake && element('p', { class: 'mistake' }, element('strong', {}, `Looks like: ${f.mistake.label}`), ` — ${f.mistake.description}`),
    f.evidence && evidence(f, view.target ?? 'the gradient', f.evidence),
    element('p', { class: 'seed' }, runLine(view)),
    element('details', { class: 'command' }, element('summary', {}, 'Repeat on the command line'), element('pre', {}, command)),
  ];
  section.replaceChildren(...parts.filter((part): part is Node => part instanceof Node));
}

/** A check that did not finish: cancelled, or stopped by a bug in derivcheck (never a verdict). */
export function renderStopped(section: HTMLElement, state: 'cancelled' | 'error', text: string): void {
  delete section.dataset['verdict'];
  delete section.dataset['reason'];
  delete section.dataset['review'];
  section.dataset['state'] = state;
  section.replaceChildren(element('p', { class: state }, text));
}

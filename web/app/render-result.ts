/**
 * A result on the page: the verdict (also as the section's data-verdict), its explanation, the mistake
 * and its advice, the smallest counterexample with its worst entries, the heat-map of |expected − got|
 * and the inputs, the seed and the command that repeats the check. Reads only ResultView
 * (web/engine/result-view.ts), the one place that knows the library's result types.
 */
import { escapeHtml } from '../../src/grade/report/escape-html.js';
import { heatmapSvg } from '../../src/grade/report/heatmap.js';
import { valueTables } from '../../src/grade/report/value-tables.js';
import { formatNumber } from '../../src/problem/explain.js';
import { formatShape } from '../../src/tensor/errors.js';
import type { CounterexampleView, ResultView, Verdict } from '../engine/result-view.js';
import { element } from './dom.js';

const HEADLINES: Readonly<Record<Verdict, string>> = {
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

function worstTable(ce: CounterexampleView): HTMLElement | undefined {
  if (ce.wrong.length === 0) return undefined;
  const counted = ce.wrongCount !== undefined && ce.entryCount !== undefined && ce.entryCount > 0 ? ` (${ce.wrongCount} of ${ce.entryCount} entries differ)` : '';
  const header = element('tr', {}, element('th', { scope: 'col', class: 'name' }, 'entry'), element('th', { scope: 'col' }, 'expected'), element('th', { scope: 'col' }, 'got'));
  const rows = ce.wrong.map((w) => element('tr', {}, element('td', { class: 'name' }, w.index), element('td', {}, formatNumber(w.expected)), element('td', {}, formatNumber(w.got))));
  return element(
    'div',
    {},
    element('h4', { id: 'worst-heading' }, `Wrong entries${counted}`),
    element('div', { class: 'scroll' }, element('table', { class: 'worst', 'aria-labelledby': 'worst-heading' }, element('thead', {}, header), element('tbody', {}, ...rows))),
  );
}

function heatmap(ce: CounterexampleView): HTMLElement | undefined {
  if (ce.expected === undefined || ce.got === undefined) return undefined;
  const svg = heatmapSvg(ce.expected, ce.got, escapeHtml(ce.target));
  if (!svg) return undefined;
  const holder = markup('scroll', svg);
  const drawn = holder.querySelector('svg')!;
  // The library draws a cell per 22 px; a counterexample of a few entries is drawn larger, up to 3×.
  const scale = Math.min(MAX_HEATMAP_SCALE, Math.max(1, MIN_HEATMAP_WIDTH / Number(drawn.getAttribute('width'))));
  for (const side of ['width', 'height']) drawn.setAttribute(side, String(Number(drawn.getAttribute(side)) * scale));
  return element('figure', { class: 'heatmap-figure' }, holder, element('figcaption', {}, `|expected − got| of ${ce.target}, entry by entry: white where they agree, red up to the largest difference.`));
}

function counterexample(ce: CounterexampleView): HTMLElement {
  const shapes = ce.expectedShape ? `${ce.target} is ${formatShape(ce.expectedShape)}${ce.gotShape ? `; the answer is ${formatShape(ce.gotShape)}` : ''}.` : undefined;
  const inputs = ce.inputs ? Object.entries(ce.inputs).map(([name, value]) => valueTables(name, value)).join('\n') : '';
  return element(
    'section',
    { class: 'counterexample', 'aria-labelledby': 'counterexample-heading' },
    element('h3', { id: 'counterexample-heading' }, 'Smallest counterexample'),
    element('p', {}, `At ${dimsText(ce.dims)}, input seed ${ce.seed}.`),
    shapes !== undefined && element('p', {}, shapes),
    worstTable(ce),
    heatmap(ce),
    inputs !== '' && element('details', { class: 'inputs' }, element('summary', {}, 'Inputs of the counterexample'), markup('scroll', inputs)),
  );
}

/** Shows `view` in `section`; `command` is the CLI command that repeats the check. */
export function renderResult(section: HTMLElement, view: ResultView, command: string): void {
  section.dataset['verdict'] = view.verdict;
  delete section.dataset['state'];
  const explanation = view.error ? element('pre', { class: 'caret' }, view.error.described) : element('p', { class: 'message' }, view.message);
  const mistake = view.mistake ? element('p', { class: 'mistake' }, element('strong', {}, `Looks like: ${view.mistake.label}`), view.mistake.advice ? ` — ${view.mistake.advice}` : '') : undefined;
  const samples = view.samples > 0 ? `${view.samples} samples · ` : '';
  const maxRelError = view.maxRelError !== undefined ? `largest relative error ${view.maxRelError.toExponential(2)} · ` : '';
  const parts: (Node | undefined | false)[] = [
    element('h2', {}, element('span', { class: `badge ${view.verdict}` }, HEADLINES[view.verdict])),
    explanation,
    view.readAs !== undefined && element('p', { class: 'read-as' }, 'Read as ', element('code', {}, view.readAs)),
    mistake,
    view.counterexample && counterexample(view.counterexample),
    element('p', { class: 'seed' }, `${samples}${maxRelError}seed ${view.seed}`),
    element('details', { class: 'command' }, element('summary', {}, 'Repeat on the command line'), element('pre', {}, command)),
  ];
  section.replaceChildren(...parts.filter((part): part is Node => part instanceof Node));
}

/** A check that did not finish: cancelled, or stopped by a bug in derivcheck (never a verdict). */
export function renderStopped(section: HTMLElement, state: 'cancelled' | 'error', text: string): void {
  delete section.dataset['verdict'];
  section.dataset['state'] = state;
  section.replaceChildren(element('p', { class: state }, text));
}

/**
 * The playground page: the form and its URL, the live preview, question files dropped on it, and
 * checks run in the engine's worker as the user types (after a pause), on Enter or the Check button,
 * and when the page opens on a link that holds a check.
 *
 * States a test (or a script) can wait for: the form's data-reading is "pending" from a keystroke until
 * the preview of the text typed is shown ("ready"); the result's data-state is "running" while a check
 * runs (Cancel is enabled exactly then), then the result carries data-verdict, or data-state
 * "cancelled" or "error"; the form's data-questions is "loading" while question files are read.
 */
import engineSource from 'derivcheck:engine';
import type { ProblemSummary } from '../../src/problem/summary.js';
import type { Field } from '../engine/result-view.js';
import type { LoadedQuestion, QuestionSource } from '../engine/questions.js';
import { EngineClient } from './engine-client.js';
import { element } from './dom.js';
import { acceptQuestionFiles } from './question-drop.js';
import { renderReading } from './preview.js';
import { renderResult, renderStopped } from './render-result.js';
import { MAX_RUNS, type PageState, SEED_RANGE, commandOf, isComplete, queryOf, requestOf, stateFromUrl } from './url-state.js';

/** Pauses after the last keystroke: the preview is quick, a check takes seconds, so it waits for a longer pause. */
const PREVIEW_DELAY_MS = 150;
const CHECK_DELAY_MS = 700;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('form');
const text = (id: string) => $<HTMLInputElement | HTMLTextAreaElement>(id);
const problemSelect = $<HTMLSelectElement>('problem');
const targetSelect = $<HTMLSelectElement>('target');
const cancelButton = $<HTMLButtonElement>('cancel');
const result = $<HTMLElement>('result');
const progress = $<HTMLElement>('progress');
const progressBar = $<HTMLProgressElement>('progress-bar');
const progressLabel = $<HTMLElement>('progress-label');

const engine = new EngineClient(engineSource);
/** The problems a check may name: the built-in ones, then the questions dropped on the page. */
let catalogue: readonly ProblemSummary[] = [];
/** The dropped questions, by id: their file and LaTeX aliases. */
const dropped = new Map<string, LoadedQuestion>();
/** A link's problem that is not (yet) in the catalogue: a question file to drop again; its target is kept for then. */
let awaited: { problem: string; target: string } | undefined;

/** Specs separated by spaces (one spec has none: X=NxD, N=1..8, p=simplex); let names one per line. */
const words = (value: string) => value.split(/\s+/).filter((w) => w !== '');
const lines = (value: string) => value.split('\n').map((l) => l.trim()).filter((l) => l !== '');

function whole(value: string, min: number, max: number): number | undefined {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function formState(): PageState {
  const mode = (form.elements.namedItem('mode') as RadioNodeList).value === 'problem' ? 'problem' : 'loss';
  const seed = whole(text('seed').value, 0, SEED_RANGE - 1);
  const runs = whole(text('runs').value, 1, MAX_RUNS);
  return {
    mode,
    loss: text('loss').value,
    wrt: text('wrt').value,
    grad: text('grad').value,
    latex: $<HTMLInputElement>('latex').checked,
    shape: words(text('shape').value),
    dims: words(text('dims').value),
    domain: words(text('domain').value),
    lets: lines(text('lets').value),
    problem: problemSelect.value,
    target: targetSelect.value,
    ...(seed !== undefined ? { seed } : {}),
    ...(runs !== undefined ? { runs } : {}),
  };
}

function showMode(mode: PageState['mode']): void {
  $('loss-fields').hidden = mode !== 'loss';
  $('problem-fields').hidden = mode !== 'problem';
}

function fillForm(state: PageState): void {
  (form.elements.namedItem('mode') as RadioNodeList).value = state.mode;
  showMode(state.mode);
  text('loss').value = state.loss;
  text('wrt').value = state.wrt;
  text('grad').value = state.grad;
  $<HTMLInputElement>('latex').checked = state.latex;
  text('shape').value = state.shape.join(' ');
  text('dims').value = state.dims.join(' ');
  text('domain').value = state.domain.join(' ');
  text('lets').value = state.lets.join('\n');
  text('seed').value = state.seed !== undefined ? String(state.seed) : '';
  text('runs').value = state.runs !== undefined ? String(state.runs) : '';
}

const optionOf = (p: ProblemSummary) => element('option', { value: p.id }, `${p.id} — ${p.title}`);

/** The problem picker: the built-in problems, the dropped questions, and a link's question still to drop; `selected` chosen. */
function fillProblems(selected: string): void {
  const builtIn = catalogue.filter((p) => !dropped.has(p.id));
  const own = catalogue.filter((p) => dropped.has(p.id));
  const options: HTMLElement[] = builtIn.map(optionOf);
  if (own.length > 0) options.push(element('optgroup', { label: 'Question files' }, ...own.map(optionOf)));
  if (awaited !== undefined) options.push(element('option', { value: awaited.problem, disabled: '' }, `${awaited.problem} — drop its question file`));
  problemSelect.replaceChildren(...options);
  problemSelect.value = selected;
}

/** The selected problem's statement (and file), the names an answer may use (and their LaTeX aliases), and its targets. */
function showProblem(targetName?: string): void {
  const problem = catalogue.find((p) => p.id === problemSelect.value);
  const question = problem && dropped.get(problem.id);
  $('problem-statement').textContent = awaited?.problem === problemSelect.value
    ? `The link is about the question ${awaited.problem}, which is not built in: drop its question file (or choose or paste it above) to check the answer. A link holds the answer, target and seed, not the question.`
    : `${problem?.statement ?? ''}${question ? ` (from ${question.file})` : ''}`;
  const names = problem ? [...problem.inputs, ...problem.intermediates] : [];
  const aliases = (name: string) => (question?.aliases ?? []).filter(([, to]) => to === name).map(([spelling]) => spelling);
  $('problem-names').replaceChildren(
    ...names.flatMap((n) => {
      const spellings = aliases(n.name);
      return [element('dt', {}, element('code', {}, n.name), ` ${n.shape}`), element('dd', {}, n.description, spellings.length > 0 && ` (LaTeX: ${spellings.join(', ')})`)];
    }),
  );
  targetSelect.replaceChildren(...(problem?.targets ?? []).map((t) => element('option', { value: t.name }, `${t.name} — ${t.description} (${t.shape})`)));
  if (targetName !== undefined && problem?.targets.some((t) => t.name === targetName)) targetSelect.value = targetName;
}

/** Question files: compiled by the engine; those that load join the picker, and the last one (or the link's) is selected. */
async function loadQuestions(sources: readonly QuestionSource[]) {
  const outcome = await engine.addQuestions(sources);
  if (outcome.loaded.length === 0) return outcome;
  for (const q of outcome.loaded) {
    dropped.set(q.summary.id, q);
    catalogue = [...catalogue.filter((p) => p.id !== q.summary.id), q.summary];
  }
  const linked = awaited && outcome.loaded.find((q) => q.summary.id === awaited!.problem);
  const target = linked ? awaited!.target : undefined;
  if (linked) awaited = undefined;
  const chosen = (linked ?? outcome.loaded.at(-1)!).summary.id;
  (form.elements.namedItem('mode') as RadioNodeList).value = 'problem';
  showMode('problem');
  fillProblems(chosen);
  showProblem(target);
  void preview();
  if (isComplete(formState())) void check();
  return outcome;
}

let previewTimer: ReturnType<typeof setTimeout> | undefined;
let checkTimer: ReturnType<typeof setTimeout> | undefined;
let latestReading = 0;

/** Whether a field of the page is still empty: its error (a missing loss, no shapes) is not worth showing yet. */
function isEmpty(state: PageState, field: Field): boolean {
  const value = state[field];
  return Array.isArray(value) ? value.length === 0 : typeof value === 'string' && value.trim() === '';
}

async function preview(): Promise<void> {
  form.dataset['reading'] = 'pending';
  const state = formState();
  const ticket = ++latestReading;
  const reading = await engine.read(requestOf(state, state.seed ?? 0));
  if (ticket !== latestReading) return;
  const { error, ...read } = reading;
  renderReading(error && !isEmpty(state, error.field) ? reading : read);
  form.dataset['reading'] = 'ready';
}

function showProgress(done: number, total: number): void {
  progress.hidden = false;
  if (done <= total) {
    progressBar.max = total;
    progressBar.value = done;
    progressLabel.textContent = `Sample ${done} of ${total}`;
  } else {
    progressBar.removeAttribute('value');
    progressLabel.textContent = 'Narrowing the counterexample down to the smallest sizes';
  }
}

let latestCheck = 0;

async function check(): Promise<void> {
  clearTimeout(checkTimer);
  const state = formState();
  // A link's question that has not been dropped yet: nothing to check against (its statement says so).
  if (!isComplete(state) || (state.mode === 'problem' && state.problem === awaited?.problem)) return;
  const seed = state.seed ?? Math.floor(Math.random() * SEED_RANGE);
  const run = { ...state, seed };
  text('seed').value = String(seed);
  history.replaceState(null, '', queryOf(run));
  const ticket = ++latestCheck;
  cancelButton.disabled = false;
  result.setAttribute('aria-busy', 'true');
  result.dataset['state'] = 'running';
  progress.hidden = false;
  progressBar.removeAttribute('value');
  progressLabel.textContent = 'Starting';
  const outcome = await engine.check(requestOf(run, seed), showProgress);
  // A newer check replaced this one: it owns the page now.
  if (ticket !== latestCheck) return;
  cancelButton.disabled = true;
  progress.hidden = true;
  result.removeAttribute('aria-busy');
  delete result.dataset['state'];
  if (outcome.kind === 'result') renderResult(result, outcome.result, commandOf(run, seed, run.mode === 'problem' ? dropped.get(run.problem)?.file : undefined));
  else if (outcome.kind === 'cancelled') renderStopped(result, 'cancelled', 'Cancelled: no verdict.');
  else renderStopped(result, 'error', `derivcheck stopped with an internal error (a bug, not a verdict on your input): ${outcome.message}`);
}

/** Fields that are no part of a check: the question file's input and its paste box. */
const QUESTION_INPUTS = new Set(['question-file', 'question-text']);

function onEdit(event: Event): void {
  if (QUESTION_INPUTS.has((event.target as HTMLElement).id)) return;
  showMode(formState().mode);
  // The preview on its way reads older text: it is no longer the page's reading.
  ++latestReading;
  form.dataset['reading'] = 'pending';
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => void preview(), PREVIEW_DELAY_MS);
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => void check(), CHECK_DELAY_MS);
}

form.addEventListener('input', onEdit);
problemSelect.addEventListener('change', () => showProblem());
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void check();
});
cancelButton.addEventListener('click', () => engine.cancel());
acceptQuestionFiles(loadQuestions);

const initial = stateFromUrl(location.search);
fillForm(initial);
void engine.catalogue().then(({ problems, kernels }) => {
  catalogue = problems;
  $('kernels').textContent = kernels === 'wasm' ? 'WebAssembly SIMD' : 'JavaScript (this browser cannot run the WebAssembly SIMD kernels)';
  // A question dropped before the engine was ready is in the catalogue already.
  catalogue = [...problems, ...catalogue.filter((p) => dropped.has(p.id))];
  if (initial.mode === 'problem' && initial.problem !== '' && !catalogue.some((p) => p.id === initial.problem)) awaited = { problem: initial.problem, target: initial.target };
  fillProblems(catalogue.some((p) => p.id === initial.problem) || awaited ? initial.problem : (catalogue[0]?.id ?? ''));
  showProblem(initial.target);
  // Opening a link that holds a check runs it.
  void preview();
  if (isComplete(formState())) void check();
}, (err: Error) => {
  $('kernels').textContent = 'none';
  renderStopped(result, 'error', `derivcheck could not start in this browser: ${err.message}`);
});

/**
 * Where question files come in: dropped anywhere on the page (the drop zone lights up), chosen with the
 * file input (the keyboard's way), or pasted as text. Their errors, with file, line, column, field and
 * the formula's caret, are shown in the drop zone; the questions already loaded stay as they were.
 */
import type { QuestionFileProblem, QuestionSource, QuestionsLoaded } from '../engine/questions.js';
import { element } from './dom.js';

/** What the page does with question files: load them in the engine, then show what came of it. */
export type LoadQuestions = (sources: readonly QuestionSource[]) => Promise<QuestionsLoaded>;

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** Whether a drag carries files (not text or a link dragged from the page, which inputs take as usual). */
const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true;

function renderErrors(errors: readonly QuestionFileProblem[]): void {
  const slot = byId('question-error');
  slot.hidden = errors.length === 0;
  slot.replaceChildren(
    ...errors.flatMap((e) => {
      const where = element('p', {}, e.message);
      return e.detail === '' ? [where] : [where, element('pre', {}, e.detail)];
    }),
  );
}

/** Wires the drop zone, the file input and the paste box to `load`. */
export function acceptQuestionFiles(load: LoadQuestions): void {
  const zone = byId('question-drop');
  const input = byId<HTMLInputElement>('question-file');
  const pasted = byId<HTMLTextAreaElement>('question-text');
  const status = byId('question-status');
  // The form's container: a busy marker tests can wait for (data-questions="loading" | "ready").
  const form = byId('form');

  const take = async (sources: readonly QuestionSource[]) => {
    if (sources.length === 0) return;
    form.dataset['questions'] = 'loading';
    status.textContent = `Reading ${sources.map((s) => s.name).join(', ')}…`;
    const { loaded, errors } = await load(sources);
    renderErrors(errors);
    status.textContent = loaded.map((q) => `Loaded ${q.summary.id} from ${q.file}: ${q.summary.targets.length} ${q.summary.targets.length === 1 ? 'target' : 'targets'}.`).join(' ');
    form.dataset['questions'] = 'ready';
  };
  const files = (list: FileList | null | undefined) => [...(list ?? [])].map((file) => ({ name: file.name, content: file }));

  input.addEventListener('change', () => {
    void take(files(input.files)).then(() => {
      // The same file chosen again (after an edit) is a change too.
      input.value = '';
    });
  });
  byId('question-load').addEventListener('click', () => void take([{ name: 'pasted text', content: pasted.value }]));

  // A file dropped anywhere on the page is a question file: the browser would otherwise open it in place of the page.
  let depth = 0;
  window.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    depth++;
    zone.classList.add('dragging');
  });
  window.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('dragging');
  });
  window.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
  });
  window.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    zone.classList.remove('dragging');
    void take(files(event.dataTransfer?.files));
  });
}

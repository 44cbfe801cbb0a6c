/**
 * The page's side of the engine: two Web Workers running the same engine script, one that reads the
 * gradient for the preview (quick, always ready) and one that runs checks (seconds). Cancelling a check
 * ends its worker and starts a fresh one. The script comes as text and starts from a blob:
 * URL, so the page works from file:// as well as from any static host. Question files are read and
 * compiled by the reading worker first (so a bad one never reaches the checks); those that compile go
 * to the checking worker as text, and to every worker started later.
 */
import type { CheckRequest, FromEngine, Reading, ToEngine } from '../engine/protocol.js';
import type { QuestionSource, QuestionsLoaded } from '../engine/questions.js';
import type { ResultView } from '../engine/result-view.js';

export type Catalogue = Omit<Extract<FromEngine, { type: 'catalogue' }>, 'type'>;

/**
 * How long the reading worker may take over question files before it is replaced: a question compiles
 * in milliseconds, and the reader also serves the preview, which must not stall behind a file that
 * makes the library loop. Generous, for a machine that is busy.
 */
const QUESTION_READ_LIMIT_MS = 20_000;

export type CheckOutcome = { readonly kind: 'result'; readonly result: ResultView } | { readonly kind: 'cancelled' } | { readonly kind: 'crash'; readonly message: string };

/** A worker that answers one request at a time by id; a crash (an error event) ends every pending request. */
class EngineWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (message: FromEngine) => void>();
  private catalogueWaiter: { resolve: (catalogue: Catalogue) => void; reject: (err: Error) => void } | undefined;
  onProgress: ((id: number, done: number, total: number) => void) | undefined;

  constructor(url: string) {
    this.worker = new Worker(url);
    this.worker.onmessage = ({ data }: MessageEvent<FromEngine>) => {
      if (data.type === 'catalogue') this.catalogueWaiter?.resolve({ problems: data.problems, kernels: data.kernels });
      else if (data.type === 'progress') this.onProgress?.(data.id, data.done, data.total);
      else this.settle(data.id, data);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      const message = event.message || 'the engine stopped';
      this.catalogueWaiter?.reject(new Error(message));
      for (const id of [...this.pending.keys()]) this.settle(id, { type: 'crash', id, message });
    };
  }

  private settle(id: number, message: FromEngine): void {
    const resolve = this.pending.get(id);
    this.pending.delete(id);
    resolve?.(message);
  }

  request(message: Extract<ToEngine, { id: number }>): Promise<FromEngine> {
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.worker.postMessage(message);
    });
  }

  /** The built-in problems and the kernels in use; rejected when the engine cannot start in this browser. */
  catalogue(): Promise<Catalogue> {
    return new Promise((resolve, reject) => {
      this.catalogueWaiter = { resolve, reject };
      this.worker.postMessage({ type: 'catalogue' } satisfies ToEngine);
    });
  }

  /** Ends the worker; what it still owed is settled by the caller (cancelled, or crashed). */
  terminate(): void {
    this.worker.terminate();
    this.pending.clear();
  }
}

export class EngineClient {
  private readonly url: string;
  private reader: EngineWorker;
  /** Started before it is needed, so that a check does not wait for the engine to load. */
  private checker: EngineWorker;
  private nextId = 1;
  private running: { id: number; finish: (outcome: CheckOutcome) => void } | undefined;

  /** The question files that compiled, by question id (a later file of an id replaces the earlier). */
  private readonly questions = new Map<string, QuestionSource>();

  constructor(engineSource: string) {
    this.url = URL.createObjectURL(new Blob([engineSource], { type: 'text/javascript' }));
    this.reader = this.spawn();
    this.checker = this.spawn();
  }

  /** A fresh worker, given the question files the page has loaded. */
  private spawn(): EngineWorker {
    const worker = new EngineWorker(this.url);
    if (this.questions.size > 0) void worker.request({ type: 'questions', id: this.nextId++, sources: [...this.questions.values()] });
    return worker;
  }

  /**
   * Reads and compiles question files; those that compile join the problems of both workers. A reader
   * that crashes or takes longer than QUESTION_READ_LIMIT_MS is replaced, and the files get that error.
   */
  async addQuestions(sources: readonly QuestionSource[]): Promise<QuestionsLoaded> {
    const reader = this.reader;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), QUESTION_READ_LIMIT_MS)));
    const reply = await Promise.race([reader.request({ type: 'questions', id: this.nextId++, sources }), timeout]);
    clearTimeout(timer);
    if (reply?.type !== 'questions') {
      if (this.reader === reader) this.reader = this.restart(reader);
      const why = reply === undefined ? `reading it took longer than ${QUESTION_READ_LIMIT_MS / 1000} s` : `derivcheck failed reading it (a bug, not a verdict on the file): ${reply.type === 'crash' ? reply.message : reply.type}`;
      return { loaded: [], errors: sources.map(({ name }) => ({ file: name, line: 0, column: 0, field: '', reason: why, detail: '', message: `${name}: ${why}` })) };
    }
    const { loaded } = reply.questions;
    for (const q of loaded) this.questions.set(q.summary.id, { name: q.file, content: q.text });
    if (loaded.length > 0) void this.checker.request({ type: 'questions', id: this.nextId++, sources: loaded.map((q) => ({ name: q.file, content: q.text })) });
    return reply.questions;
  }

  catalogue(): Promise<Catalogue> {
    return this.reader.catalogue();
  }

  async read(request: CheckRequest): Promise<Reading> {
    const reader = this.reader;
    const reply = await reader.request({ type: 'read', id: this.nextId++, request });
    if (reply.type === 'reading') return reply.reading;
    if (this.reader === reader) this.reader = this.restart(reader);
    const message = reply.type === 'crash' ? reply.message : `unexpected reply ${reply.type}`;
    return { error: { field: 'grad', message: `internal error: ${message}`, described: `internal error: ${message}` } };
  }

  /** A fresh worker in place of one whose state is unknown (it crashed) or that is stopped (cancelled). */
  private restart(worker: EngineWorker): EngineWorker {
    worker.terminate();
    return this.spawn();
  }

  /** Runs a check; a check still running is cancelled first. */
  check(request: CheckRequest, onProgress: (done: number, total: number) => void): Promise<CheckOutcome> {
    this.cancel();
    const checker = this.checker;
    const id = this.nextId++;
    checker.onProgress = (from, done, total) => {
      if (from === id) onProgress(done, total);
    };
    return new Promise((finish) => {
      this.running = { id, finish };
      void checker.request({ type: 'check', id, request }).then((reply) => {
        if (this.running?.id !== id) return;
        this.running = undefined;
        if (reply.type === 'result') {
          finish({ kind: 'result', result: reply.result });
          return;
        }
        this.checker = this.restart(checker);
        finish({ kind: 'crash', message: reply.type === 'crash' ? reply.message : `unexpected reply ${reply.type}` });
      });
    });
  }

  /** Stops the running check, if any, by ending its worker; a fresh one starts loading for the next check. */
  cancel(): void {
    if (!this.running) return;
    const { finish } = this.running;
    this.running = undefined;
    this.checker = this.restart(this.checker);
    finish({ kind: 'cancelled' });
  }
}

/**
 * The engine's Web Worker: the library itself (formula language, FD, problems, question files, grader), answering the
 * page's messages (protocol.ts). A check runs to its end in one go; the page cancels it by ending the
 * worker, so nothing here polls for cancellation.
 */
import { scoringFor } from '../../src/grade/scoring.js';
import { problemSummary } from '../../src/problem/summary.js';
import { kernelBackend } from '../../src/tensor/kernel-backend.js';
import { readClaim } from './prepare.js';
import type { FromEngine, ToEngine } from './protocol.js';
import { DroppedQuestions } from './questions.js';
import { runCheck } from './run.js';

/** The worker's global scope, as far as it is used here (the DOM library types `self` as a window). */
const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<ToEngine>) => void) | null; postMessage(message: FromEngine): void };

/** The problems a request may name: the built-in ones and the question files dropped on the page. */
const dropped = new DroppedQuestions();

/** Progress messages at most this often: a check of 100 samples takes seconds, a bar that moves 10 times a second is smooth. */
const PROGRESS_INTERVAL_MS = 100;

function check(id: number, message: Extract<ToEngine, { type: 'check' }>): void {
  let last = 0;
  // The dropped questions' own points and grading settings, as `grade --questions` scores them.
  const result = runCheck(
    message.request,
    dropped.problems(),
    (done, total) => {
      const now = performance.now();
      if (now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      scope.postMessage({ type: 'progress', id, done, total });
    },
    scoringFor(dropped.questions()),
  );
  scope.postMessage({ type: 'result', id, result });
}

function crash(id: number, err: unknown): void {
  scope.postMessage({ type: 'crash', id, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
}

scope.onmessage = ({ data: message }) => {
  const id = message.type === 'catalogue' ? -1 : message.id;
  try {
    switch (message.type) {
      case 'catalogue':
        scope.postMessage({ type: 'catalogue', problems: dropped.problems().map(problemSummary), kernels: kernelBackend() });
        break;
      case 'read':
        scope.postMessage({ type: 'reading', id, reading: readClaim(message.request, dropped.problems()) });
        break;
      case 'questions':
        // Reading a File is asynchronous; a request that comes meanwhile sees the questions added so far.
        dropped.add(message.sources).then((questions) => scope.postMessage({ type: 'questions', id, questions }), (err: unknown) => crash(id, err));
        break;
      case 'check':
        check(id, message);
        break;
    }
  } catch (err) {
    crash(id, err);
  }
};

/**
 * The engine's Web Worker: the library itself (formula language, FD, problems, grader), answering the
 * page's messages (protocol.ts). A check runs to its end in one go; the page cancels it by ending the
 * worker, so nothing here polls for cancellation.
 */
import { problems as builtInProblems } from '../../problems/index.js';
import { problemSummary } from '../../src/problem/summary.js';
import type { Problem } from '../../src/problem/types.js';
import { kernelBackend } from '../../src/tensor/kernel-backend.js';
import { readClaim } from './prepare.js';
import type { FromEngine, ToEngine } from './protocol.js';
import { runCheck } from './run.js';

/** The worker's global scope, as far as it is used here (the DOM library types `self` as a window). */
const scope = globalThis as unknown as { onmessage: ((event: MessageEvent<ToEngine>) => void) | null; postMessage(message: FromEngine): void };

/**
 * The problems a request may name. GAP(question files): a question file dropped on the page will add
 * its problems here (a 'questions' message carrying the file's text, answered with a new catalogue)
 * once the question loader (src/question/) is on this branch.
 */
const problems: readonly Problem[] = builtInProblems;

/** Progress messages at most this often: a check of 100 samples takes seconds, a bar that moves 10 times a second is smooth. */
const PROGRESS_INTERVAL_MS = 100;

function check(id: number, message: Extract<ToEngine, { type: 'check' }>): void {
  let last = 0;
  const result = runCheck(message.request, problems, (done, total) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    scope.postMessage({ type: 'progress', id, done, total });
  });
  scope.postMessage({ type: 'result', id, result });
}

scope.onmessage = ({ data: message }) => {
  const id = message.type === 'catalogue' ? -1 : message.id;
  try {
    switch (message.type) {
      case 'catalogue':
        scope.postMessage({ type: 'catalogue', problems: problems.map(problemSummary), kernels: kernelBackend() });
        break;
      case 'read':
        scope.postMessage({ type: 'reading', id, reading: readClaim(message.request, problems) });
        break;
      case 'check':
        check(id, message);
        break;
    }
  } catch (err) {
    scope.postMessage({ type: 'crash', id, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};

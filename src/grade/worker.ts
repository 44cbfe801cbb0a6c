/**
 * A grading worker (worker_threads): loads the problem registry and question files once, then
 * grades one submission file per job with a session that lives as long as the worker, so the FD
 * truths and confirmed references of one submission serve the next. The runner stops a worker that overruns its time limit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importProblems } from '../problem/compiled.js';
import { findProblem, findTarget } from '../problem/registry.js';
import type { Problem } from '../problem/types.js';
import { gradeSubmission, invalidSubmission } from './grade-submission.js';
import type { GradeJob, WorkerMessage, WorkerSetup } from './protocol.js';
import { GradingSession } from './session.js';
import { readSubmission } from './submission.js';
import type { AnswerSpec } from './types.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

const session = new GradingSession(await importProblems(setup.registry, setup.questions), { seed: setup.seed, runs: setup.runs, partial: setup.partial, ...(setup.scoring ? { scoring: setup.scoring } : {}) });

/**
 * Confirms the answer's reference before its clock runs: that FD work is the grader's, not the answer's,
 * and so is reading the problem (a shipped question file is compiled on first use).
 */
function prepareAhead(order: number, spec: AnswerSpec): void {
  if (session.isPrepared(spec.problem, spec.target)) return;
  post({ kind: 'pause', order });
  try {
    let problem: Problem;
    try {
      problem = findProblem(session.problems, spec.problem);
      findTarget(problem, spec.target);
    } catch {
      return; // an unknown name is the answer's own verdict (invalid), given while grading it
    }
    session.prepare(problem, findTarget(problem, spec.target));
  } catch {
    // A broken problem module: grading the answer meets the same error and reports it (undecided).
  } finally {
    post({ kind: 'resume', order });
  }
}

port.on('message', (job: GradeJob) => {
  post({ kind: 'start', order: job.order });
  const reading = readSubmission(job.file);
  if (!reading.ok) {
    post({ kind: 'done', order: job.order, result: invalidSubmission(reading.id, reading.file, reading.error, setup.scoring), references: session.references() });
    return;
  }
  post({ kind: 'read', order: job.order, id: reading.submission.id, answers: reading.submission.answers });
  const result = gradeSubmission(session, reading.submission, {
    onAnswerStart: (_index, spec) => prepareAhead(job.order, spec),
    onAnswer: (index, answer) => post({ kind: 'answer', order: job.order, index, result: answer }),
  });
  post({ kind: 'done', order: job.order, result, references: session.references() });
});

post({ kind: 'ready' });

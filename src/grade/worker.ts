/**
 * A grading worker (worker_threads): loads the library, takes its setup as its first message (so that
 * it can be started before the setup is known: src/grade/worker-thread.ts), loads the problem registry
 * and question files once, then grades one submission file per job with a session that lives as long
 * as the worker, so the FD truths and confirmed references of one submission serve the next. The
 * runner stops a worker that overruns its time limit.
 */
import { parentPort } from 'node:worker_threads';
import { importProblems } from '../problem/compiled.js';
import { findProblem, findTarget } from '../problem/registry.js';
import type { Problem, Target } from '../problem/types.js';
import { gradeAnswer } from './answer.js';
import { gradeSubmission } from './grade-submission.js';
import { invalidSubmission } from './results.js';
import type { GradeJob, WorkerMessage, WorkerSetup } from './protocol.js';
import { GradingSession } from './session.js';
import { broadcastTruthShare } from './truth-share.js';
import { readSubmission } from './submission.js';
import type { AnswerSpec } from './types.js';

const port = parentPort!;
const setup = await new Promise<WorkerSetup>((resolve) => port.once('message', resolve));
const post = (message: WorkerMessage) => port.postMessage(message);

const session = new GradingSession(await importProblems(setup.registry, setup.questions), { seed: setup.seed, runs: setup.runs, partial: setup.partial, ...(setup.scoring ? { scoring: setup.scoring } : {}) }, broadcastTruthShare(setup.truthChannel));

/**
 * Confirms the answer's reference before its clock runs: that FD work is the grader's, not the answer's,
 * and so is reading the problem (a shipped question file is compiled on first use). Then grades the
 * reference itself as an answer, still off the clock, and reports what that took: the cost of an honest
 * answer (the formula compiled and evaluated, the first time in this worker), which tells a time limit
 * too short for the grader from an answer too expensive to grade.
 */
function prepareAhead(order: number, spec: AnswerSpec): void {
  if (session.isPrepared(spec.problem, spec.target)) return;
  post({ kind: 'pause', order });
  let reference: { problem: string; target: string; answerMs: number } | undefined;
  try {
    let problem: Problem;
    let target: Target;
    try {
      problem = findProblem(session.problems, spec.problem);
      target = findTarget(problem, spec.target);
    } catch {
      return; // an unknown name is the answer's own verdict (invalid), given while grading it
    }
    session.prepare(problem, target);
    const closedForm = target.closedForms[0]!;
    const start = performance.now();
    gradeAnswer(session, { problem: problem.id, target: target.name, text: closedForm.formula, syntax: closedForm.syntax ?? 'formula', line: 0 }, 1);
    reference = { problem: problem.id, target: target.name, answerMs: performance.now() - start };
  } catch {
    // A broken problem module: grading the answer meets the same error and reports it (undecided).
  } finally {
    post({ kind: 'resume', order, ...(reference ? { reference } : {}) });
  }
}

port.on('message', (job: GradeJob) => {
  const reading = readSubmission(job.file);
  if (!reading.ok) {
    post({ kind: 'done', order: job.order, result: invalidSubmission(reading.id, reading.file, reading.error, setup.scoring), references: session.references() });
    return;
  }
  post({ kind: 'read', order: job.order, id: reading.submission.id, answers: reading.submission.answers });
  let sent = 0;
  const result = gradeSubmission(session, reading.submission, {
    onAnswerStart: (_index, spec) => prepareAhead(job.order, spec),
    onAnswer: (index, answer) => {
      post({ kind: 'answer', order: job.order, index, result: answer });
      sent++;
    },
  });
  // The runner holds the graded answers already (each was posted as it was graded): only the rest crosses again.
  post({ kind: 'done', order: job.order, result: { ...result, answers: result.answers.slice(sent) }, references: session.references() });
});

post({ kind: 'ready' });

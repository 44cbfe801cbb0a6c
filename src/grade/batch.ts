/**
 * Grading a batch of submission files. With `jobs` ≥ 1, each file is graded in one of `jobs` worker
 * threads under a time limit: a hostile or broken file (a formula that runs for minutes, one that
 * exhausts memory, a crash) costs only its own remaining answers, and the batch goes on. With
 * `jobs: 0` the files are graded in this thread (no isolation, no limit: for the library and tests).
 * The verdicts do not depend on `jobs`: every answer's samples come from the seed alone.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type QuestionSource, assertWorkerBuilt, compiledWorkerFile, moduleHref } from '../problem/compiled.js';
import type { Problem } from '../problem/types.js';
import type { FindingReason } from '../problem/finding.js';
import { ungradedAnswer } from './answer.js';
import type { SubmissionFile } from './collect-files.js';
import { gradeFile, gradedAnswers, invalidSubmission, summarise } from './grade-submission.js';
import type { GradeJob, WorkerMessage, WorkerSetup } from './protocol.js';
import { type Scoring, pointsOf } from './scoring.js';
import { DEFAULT_GRADE_RUNS, GradingSession } from './session.js';
import { idFromFile } from './submission.js';
import type { AnswerResult, AnswerSpec, GradeReport, ReferenceStatus, SubmissionResult } from './types.js';

/**
 * Wall-clock limit of one submission in a worker, FD confirmation of references excluded. Grading an
 * answer takes milliseconds once its target's truths are cached, and up to a second or two when a
 * conv problem's counterexample is shrunk; a minute is far beyond an honest file of tens of answers.
 */
export const DEFAULT_TIME_LIMIT_MS = 60_000;

/**
 * Heap of one worker. The formula limits let one tensor reach 1e7 entries (80 MB, limits.ts); a few
 * of them plus the truth cache fit in 1 GiB, and a formula that wants more fails alone.
 */
const WORKER_HEAP_MB = 1024;

export interface GradeOptions {
  readonly seed: number;
  readonly runs?: number;
  readonly partial?: boolean;
  /** Points, assigned targets and per-problem settings (src/grade/scoring.ts); default: every target at its own points. */
  readonly scoring?: Scoring;
  /** Worker threads (default: the machine's cores); 0 grades in this thread. */
  readonly jobs?: number;
  /** The problems, for `jobs: 0`. */
  readonly problems?: readonly Problem[];
  /** A compiled module exporting `problems` (path or URL), loaded by each worker; for `jobs` ≥ 1, this or `questions`. */
  readonly registry?: string | URL;
  /** Question files each worker loads after the registry's problems (src/question/registry.ts's questionSource). */
  readonly questions?: QuestionSource;
  /** Per-submission limit in a worker, in ms (default DEFAULT_TIME_LIMIT_MS). */
  readonly timeLimitMs?: number;
  /** Called as each submission is finished (in completion order). */
  readonly onSubmission?: (result: SubmissionResult) => void;
}

/**
 * Grades every file (paths, or entries of collectSubmissionFiles, whose refused ones are invalid
 * submissions); submissions come back in the order of `files`.
 */
export async function gradeFiles(files: readonly (string | SubmissionFile)[], options: GradeOptions): Promise<GradeReport> {
  const start = performance.now();
  const jobs = options.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 0) throw new RangeError(`jobs must be a non-negative integer, got ${jobs}`);
  const entries = files.map((f): SubmissionFile => (typeof f === 'string' ? { file: f } : f));
  const { submissions, references } = jobs === 0 ? gradeInProcess(entries, options) : await gradeInWorkers(entries, options, jobs);
  return {
    seed: options.seed,
    runs: options.runs ?? DEFAULT_GRADE_RUNS,
    partial: options.partial ?? false,
    submissions,
    references,
    elapsedMs: performance.now() - start,
  };
}

interface BatchResult {
  readonly submissions: SubmissionResult[];
  readonly references: ReferenceStatus[];
}

function gradeInProcess(files: readonly SubmissionFile[], options: GradeOptions): BatchResult {
  if (!options.problems) throw new TypeError('gradeFiles with jobs: 0 needs options.problems');
  const session = new GradingSession(options.problems, options);
  const submissions = files.map((entry) => {
    const result = entry.refused === undefined ? gradeFile(session, entry.file) : refusedSubmission(entry, options.scoring);
    options.onSubmission?.(result);
    return result;
  });
  return { submissions, references: session.references().sort(byTarget) };
}

/** What the runner knows of a submission it has handed to a worker. */
interface Running {
  readonly job: GradeJob;
  /** The worker has begun it (its clock runs from then on). */
  started: boolean;
  id?: string;
  answers?: readonly AnswerSpec[];
  readonly graded: AnswerResult[];
  /** Time left on the submission's clock, and when it last started running (undefined while paused). */
  remainingMs: number;
  since: number | undefined;
  timer?: NodeJS.Timeout;
}

/**
 * Submissions handed to a worker at once: the one it grades and the next, already in its message
 * queue, so that it never waits for the runner between files (one at a time left each worker idle
 * about 6% of the time). Only the first has a running clock.
 */
const WORKER_QUEUE = 2;

/** An entry the collection refused (a broken link, a link out of the folders, a folder that cannot be listed). */
function refusedSubmission(entry: SubmissionFile, scoring: Scoring | undefined): SubmissionResult {
  return invalidSubmission(idFromFile(entry.file), entry.file, { reason: entry.refused ?? '', line: 0, column: 0 }, scoring);
}

function gradeInWorkers(files: readonly SubmissionFile[], options: GradeOptions, jobs: number): Promise<BatchResult> {
  if (!options.registry && !options.questions) throw new TypeError('gradeFiles with jobs ≥ 1 needs options.registry (a compiled module exporting problems) or options.questions');
  const setup: WorkerSetup = {
    ...(options.registry ? { registry: moduleHref(options.registry) } : {}),
    ...(options.questions ? { questions: options.questions } : {}),
    seed: options.seed,
    runs: options.runs ?? DEFAULT_GRADE_RUNS,
    partial: options.partial ?? false,
    ...(options.scoring ? { scoring: options.scoring } : {}),
  };
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const script = compiledWorkerFile(import.meta.url, './worker.js');
  assertWorkerBuilt(script, 'grading');
  const submissions: SubmissionResult[] = new Array(files.length);
  const references = new Map<string, ReferenceStatus>();
  /** The orders of the files a worker reads (the refused ones are recorded at once). */
  const toRead = files.flatMap((entry, order) => (entry.refused === undefined ? [order] : []));
  let next = 0;
  /** Files handed to a worker that was stopped before beginning them: they go to the next worker. */
  const returned: number[] = [];
  const nextOrder = (): number | undefined => returned.pop() ?? (next < toRead.length ? toRead[next++] : undefined);
  const workLeft = (): boolean => returned.length > 0 || next < toRead.length;
  let finished = 0;

  return new Promise<BatchResult>((resolve, reject) => {
    let failed = false;
    const record = (order: number, result: SubmissionResult) => {
      submissions[order] = result;
      finished++;
      options.onSubmission?.(result);
      // References in a fixed order: workers confirm them in whatever order their files come.
      if (finished === files.length) resolve({ submissions, references: [...references.values()].sort(byTarget) });
    };
    if (files.length === 0) resolve({ submissions: [], references: [] });
    files.forEach((entry, order) => {
      if (entry.refused !== undefined) record(order, refusedSubmission(entry, options.scoring));
    });

    const startWorker = () => {
      const worker = new Worker(script, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
      let ready = false;
      let stopped = false;
      /** Handed to this worker, in order; queue[0] is the one it grades or begins next. */
      const queue: Running[] = [];

      const arm = (r: Running) => {
        clearTimeout(r.timer);
        r.since = performance.now();
        r.timer = setTimeout(() => stop({ reason: 'limit', why: `grading took longer than the time limit of ${timeLimitMs / 1000} s` }), r.remainingMs);
      };
      const pause = (r: Running) => {
        if (r.since === undefined) return;
        clearTimeout(r.timer);
        r.remainingMs -= performance.now() - r.since;
        r.since = undefined;
      };
      const topUp = () => {
        while (queue.length < WORKER_QUEUE && !failed) {
          const order = nextOrder();
          if (order === undefined) break;
          const job: GradeJob = { order, file: files[order]!.file };
          queue.push({ job, started: false, graded: [], remainingMs: timeLimitMs, since: undefined });
          worker.postMessage(job);
        }
        if (queue.length === 0) {
          stopped = true;
          void worker.terminate();
        }
      };
      /** Ends the submission being graded without the worker's result, hands back the ones not begun, and replaces the worker. */
      const stop = (cause: StopCause) => {
        if (stopped) return;
        stopped = true;
        void worker.terminate();
        for (const r of queue.splice(0).reverse()) {
          clearTimeout(r.timer);
          if (r.started) record(r.job.order, unfinished(r, cause, options.scoring));
          else returned.push(r.job.order);
        }
        if (workLeft()) startWorker();
      };

      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'ready') {
          ready = true;
          topUp();
          return;
        }
        const r = queue[0];
        if (!r || r.job.order !== message.order) return;
        switch (message.kind) {
          case 'start':
            r.started = true;
            arm(r);
            break;
          case 'read':
            r.id = message.id;
            r.answers = message.answers;
            break;
          case 'pause':
            pause(r);
            break;
          case 'resume':
            arm(r);
            break;
          case 'answer':
            r.graded.push(message.result);
            break;
          case 'done':
            clearTimeout(r.timer);
            queue.shift();
            for (const ref of message.references) {
              const key = `${ref.problem}/${ref.target}`;
              if (references.get(key)?.status !== 'failed') references.set(key, ref);
            }
            record(r.job.order, message.result);
            topUp();
            break;
        }
      });
      worker.on('error', (err) => {
        if (!ready) {
          // The worker could not load the registry: no file can be graded, and a new worker would fail alike.
          stopped = true;
          failed = true;
          reject(err);
          return;
        }
        stop(crashCause(err));
      });
      worker.on('exit', (code) => {
        if (!stopped) stop({ reason: 'not-graded', why: `the grading worker exited unexpectedly (code ${code})` });
      });
    };
    for (let w = 0; w < Math.min(jobs, toRead.length); w++) startWorker();
  });
}

function byTarget(a: ReferenceStatus, b: ReferenceStatus): number {
  return a.problem.localeCompare(b.problem) || a.target.localeCompare(b.target);
}

/** Why a worker was stopped, and what that makes of the answer it was grading. */
interface StopCause {
  /** limit (invalid): the answer's own cost (time, memory); not-graded (undecided): a fault of the grader. */
  readonly reason: Extract<FindingReason, 'limit' | 'not-graded'>;
  readonly why: string;
}

function crashCause(err: Error): StopCause {
  if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') return { reason: 'limit', why: `grading ran out of memory (the limit is ${WORKER_HEAP_MB} MB)` };
  return { reason: 'not-graded', why: `the grader crashed (${err.message}); this is a bug in derivcheck, please report it` };
}

/**
 * The result of a submission whose worker was stopped: the answers it finished keep their verdicts,
 * the one it was grading is invalid (its formula is what ran too long or crashed), and the rest are
 * undecided: not graded, through no fault of their own.
 */
function unfinished(r: Running, cause: StopCause, scoring: Scoring | undefined): SubmissionResult {
  const id = r.id ?? idFromFile(r.job.file);
  if (!r.answers) return invalidSubmission(id, r.job.file, { reason: `${cause.why} while reading the file`, line: 0, column: 0 }, scoring);
  // The worker grades (and reports) the graded answers only, in order.
  const graded = gradedAnswers(r.answers, scoring);
  const culprit = graded[r.graded.length];
  const answers = graded.map((spec, i): AnswerResult => {
    const maxScore = pointsOf(scoring, spec.problem, spec.target);
    if (i < r.graded.length) return r.graded[i]!;
    if (i === r.graded.length) {
      const blame = cause.reason === 'limit' ? '; the formula is too expensive to evaluate, so it was stopped' : '';
      return ungradedAnswer(spec, maxScore, cause.reason, `${cause.reason === 'limit' ? 'Invalid' : 'Not graded'}: ${cause.why}${blame}.`);
    }
    return ungradedAnswer(spec, maxScore, 'not-graded', `Not graded: ${cause.why} on an earlier answer of this submission (line ${culprit?.line ?? 0}).`);
  });
  return summarise({ id, file: r.job.file, answers: r.answers }, answers, scoring);
}

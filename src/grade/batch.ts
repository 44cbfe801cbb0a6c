/**
 * Grading a batch of submission files. With `jobs` ≥ 1, each file is graded in one of `jobs` worker
 * threads under a time limit: a hostile or broken file (a formula that runs for minutes, one that
 * exhausts memory, a crash) costs only its own remaining answers, and the batch goes on. With
 * `jobs: 0` the files are graded in this thread (no isolation, no limit: for the library and tests).
 * The verdicts do not depend on `jobs`: every answer's samples come from the seed alone.
 */
import { randomUUID } from 'node:crypto';
import { type QuestionSource, moduleHref } from '../problem/compiled.js';
import { defaultWorkerCount } from '../problem/threads.js';
import type { Problem } from '../problem/types.js';
import type { FindingReason } from '../problem/finding.js';
import type { SubmissionFile } from './collect-files.js';
import { gradedAnswers, invalidSubmission, summarise, ungradedAnswer } from './results.js';
import type { GradeJob, WorkerMessage, WorkerSetup } from './protocol.js';
import { type Scoring, assignedTargets, pointsOf } from './scoring.js';
import { DEFAULT_GRADE_RUNS } from './settings.js';
import { WORKER_HEAP_MB, startGradingWorker } from './worker-thread.js';
import { idFromFile } from './submission-names.js';
import { targetKey } from './class/order.js';
import type { AnswerResult, AnswerSpec, GradeReport, ReferenceStatus, SubmissionResult } from './types.js';

/**
 * Wall-clock limit of one submission in a worker, FD confirmation of references excluded. Grading an
 * answer takes milliseconds once its target's truths are cached, and up to a second or two when a
 * conv problem's counterexample is shrunk; a minute is far beyond an honest file of tens of answers.
 */
export const DEFAULT_TIME_LIMIT_MS = 60_000;

/** The longest timeout Node's timers hold (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reading and checking a submission file (at most MAX_SUBMISSION_BYTES, aliases bounded) takes well
 * under a second; it has this limit of its own, so that --time-limit measures the answers alone.
 */
const READ_LIMIT_MS = 10_000;

/**
 * A time limit must leave room for answers a few times costlier than the reference solutions graded as
 * answers (a longer spelling, a loaded machine). A submission stopped before it has spent this many
 * times what its correct answers would cost was stopped by the grader's configuration, not by an
 * expensive answer: its answers are not graded, and the report says the limit is too short.
 */
const TIME_LIMIT_MARGIN = 4;

/**
 * Below this, a limit is within reach of what no answer controls (a garbage-collection pause, the JIT
 * compiling a formula, the 1 ms resolution of Node's timers): the reference answers of a small
 * question are graded in a fraction of a millisecond, so a right answer a little slower than them
 * would be blamed by TIME_LIMIT_MARGIN alone. A submission such a limit stops is the configuration's.
 */
const MIN_BLAMING_LIMIT_MS = 10;

export interface GradeOptions {
  readonly seed: number;
  readonly runs?: number;
  readonly partial?: boolean;
  /** Points, assigned targets and per-problem settings (src/grade/scoring.ts); default: every target at its own points. */
  readonly scoring?: Scoring;
  /** Worker threads (default: one per core, one on a machine of 2 cores or fewer: src/problem/threads.ts); 0 grades in this thread. */
  readonly jobs?: number;
  /** The problems, for `jobs: 0`. */
  readonly problems?: readonly Problem[];
  /** A compiled module exporting `problems` (path or URL), loaded by each worker; for `jobs` ≥ 1, this or `questions`. */
  readonly registry?: string | URL;
  /** Question files each worker loads after the registry's problems (src/question/question-loader.ts's questionSource). */
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
  const jobs = options.jobs ?? defaultWorkerCount();
  if (!Number.isInteger(jobs) || jobs < 0) throw new RangeError(`jobs must be a non-negative integer, got ${jobs}`);
  const entries = files.map((f): SubmissionFile => (typeof f === 'string' ? { file: f } : f));
  const { submissions, references, configurationErrors } = jobs === 0 ? await gradeInProcess(entries, options) : await gradeInWorkers(entries, options, jobs);
  return {
    seed: options.seed,
    runs: options.runs ?? DEFAULT_GRADE_RUNS,
    partial: options.partial ?? false,
    assigned: assignedTargets(options.scoring),
    submissions,
    references,
    configurationErrors: configurationErrors ?? [],
    elapsedMs: performance.now() - start,
  };
}

interface BatchResult {
  readonly submissions: SubmissionResult[];
  readonly references: ReferenceStatus[];
  readonly configurationErrors?: string[];
}

/** Grades in this thread; the judging code is loaded here only (with workers, only they need it). */
async function gradeInProcess(files: readonly SubmissionFile[], options: GradeOptions): Promise<BatchResult> {
  if (!options.problems) throw new TypeError('gradeFiles with jobs: 0 needs options.problems');
  const [{ GradingSession }, { gradeFile }] = await Promise.all([import('./session.js'), import('./grade-submission.js')]);
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
  /**
   * The worker has begun it (reading the file under READ_LIMIT_MS; the submission's clock runs once it
   * is read). A worker takes its jobs in order, so the first of its queue is the one it has begun.
   */
  started: boolean;
  id?: string;
  answers?: readonly AnswerSpec[];
  /** How many of `answers` the worker grades (those to assigned targets), known once the file is read. */
  toGrade?: number;
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
    truthChannel: `derivcheck-truths-${randomUUID()}`,
  };
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  // Node's timers hold at most 2^31 − 1 ms; a longer (or non-finite) timeout fires at once.
  if (!(timeLimitMs > 0 && timeLimitMs <= MAX_TIMER_MS)) throw new RangeError(`timeLimitMs must be in (0, ${MAX_TIMER_MS}], got ${timeLimitMs}`);
  const submissions: SubmissionResult[] = new Array(files.length);
  const references = new Map<string, ReferenceStatus>();
  /** What grading each target's reference as an answer took (the largest a worker reported), by targetKey. */
  const answerCosts = new Map<string, number>();
  /** Submissions stopped by a time limit too short for the grader, and the largest honest cost among them. */
  const tooShort = { submissions: 0, honestMs: 0 };
  const configurationErrors = (): string[] =>
    tooShort.submissions === 0
      ? []
      : [
          `--time-limit ${timeLimitMs / 1000} s is too short for the grader: ${tooShort.honestMs > 0 ? `correct answers to a submission's targets take up to ${tooShort.honestMs.toFixed(1)} ms to grade here (the reference solutions, graded as answers), and the limit must leave ${TIME_LIMIT_MARGIN}× that, and at least ${MIN_BLAMING_LIMIT_MS} ms` : 'it ran out while the grader was still confirming the reference solutions'}; ${tooShort.submissions} submission${tooShort.submissions === 1 ? ' was' : 's were'} stopped and not graded. Raise --time-limit (the default is ${DEFAULT_TIME_LIMIT_MS / 1000} s).`,
        ];
  /** Why the clock stopped a submission: its answer's cost, or a limit too short for what correct answers cost. */
  const limitCause = (r: Running): StopCause => {
    const reached = gradedAnswers(r.answers!, options.scoring).slice(0, r.graded.length + 1);
    const honestMs = reached.reduce((sum, a) => sum + (answerCosts.get(targetKey(a)) ?? 0), 0);
    // A target whose reference cost is not known yet means the clock ran out during the grader's own
    // work on it (confirming the reference): that is the configuration too, never the answer's cost.
    const measured = reached.every((a) => answerCosts.has(targetKey(a)));
    if (measured && timeLimitMs >= MIN_BLAMING_LIMIT_MS && honestMs * TIME_LIMIT_MARGIN < timeLimitMs) return { reason: 'limit', why: `grading took longer than the time limit of ${timeLimitMs / 1000} s` };
    tooShort.submissions++;
    tooShort.honestMs = Math.max(tooShort.honestMs, honestMs);
    const cost = measured ? `correct answers to these targets take ${honestMs.toFixed(1)} ms to grade` : 'it ran out while the grader was confirming the reference solutions';
    return { reason: 'not-graded', configuration: true, why: `the time limit of ${timeLimitMs / 1000} s is too short for the grader itself (${cost}): this is the grader's configuration, not the answers` };
  };
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
      if (finished === files.length) resolve({ submissions, references: [...references.values()].sort(byTarget), configurationErrors: configurationErrors() });
    };
    if (files.length === 0) resolve({ submissions: [], references: [] });
    files.forEach((entry, order) => {
      if (entry.refused !== undefined) record(order, refusedSubmission(entry, options.scoring));
    });

    const startWorker = () => {
      const worker = startGradingWorker();
      worker.postMessage(setup);
      let ready = false;
      let stopped = false;
      /** Handed to this worker, in order; queue[0] is the one it grades or begins next. */
      const queue: Running[] = [];

      /** Starts the clock: the reading limit until the file is read, then what is left of the submission's limit. */
      const arm = (r: Running) => {
        clearTimeout(r.timer);
        r.since = performance.now();
        if (r.answers === undefined) r.timer = setTimeout(() => stop({ reason: 'limit', why: `grading took longer than the reading limit of ${READ_LIMIT_MS / 1000} s` }), READ_LIMIT_MS);
        else r.timer = setTimeout(() => stop(limitCause(r)), r.remainingMs);
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
        const head = queue[0];
        if (head && !head.started) {
          head.started = true;
          arm(head);
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
          case 'read':
            r.id = message.id;
            r.answers = message.answers;
            r.toGrade = gradedAnswers(message.answers, options.scoring).length;
            arm(r);
            break;
          case 'pause':
            pause(r);
            break;
          case 'resume':
            if (message.reference) {
              const key = targetKey(message.reference);
              answerCosts.set(key, Math.max(answerCosts.get(key) ?? 0, message.reference.answerMs));
            }
            arm(r);
            break;
          case 'answer':
            r.graded.push(message.result);
            // Every answer is in: what is left (the summary) is the grader's, and no formula of the
            // submission runs again, so the clock stops; firing now would report graded answers as stopped.
            if (r.graded.length === r.toGrade) pause(r);
            break;
          case 'done':
            clearTimeout(r.timer);
            queue.shift();
            for (const ref of message.references) {
              const key = `${ref.problem}/${ref.target}`;
              if (references.get(key)?.status !== 'failed') references.set(key, ref);
            }
            record(r.job.order, { ...message.result, answers: [...r.graded, ...message.result.answers] });
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
  /** The grader's configuration stopped it (a time limit too short for correct answers): no answer is to blame. */
  readonly configuration?: boolean;
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
    if (cause.configuration) return ungradedAnswer(spec, maxScore, 'not-graded', `Not graded: ${cause.why}.`);
    return ungradedAnswer(spec, maxScore, 'not-graded', `Not graded: ${cause.why} on an earlier answer of this submission (line ${culprit?.line ?? 0}).`);
  });
  return summarise({ id, file: r.job.file, answers: r.answers }, answers, scoring);
}

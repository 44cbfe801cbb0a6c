/** Messages between the batch runner (src/grade/batch.ts) and a grading worker (src/grade/worker.ts). */
import type { QuestionSource } from '../problem/compiled.js';
import type { Scoring } from './scoring.js';
import type { AnswerResult, AnswerSpec, ReferenceStatus, SubmissionResult } from './types.js';

/** Runner → worker, the first message: what the worker grades with. */
export interface WorkerSetup {
  /** URL of a compiled module exporting `problems: readonly Problem[]`. */
  readonly registry?: string;
  /** Question files the worker loads after the registry's problems. */
  readonly questions?: QuestionSource;
  readonly seed: number;
  readonly runs: number;
  readonly partial: boolean;
  readonly scoring?: Scoring;
  /** The BroadcastChannel the batch's workers share FD truths on (src/grade/truth-share.ts). */
  readonly truthChannel: string;
}

/** Runner → worker: grade the file; `order` is echoed back. A worker may hold a few, graded in order. */
export interface GradeJob {
  readonly order: number;
  readonly file: string;
}

/** Worker → runner. */
export type WorkerMessage =
  /** The worker loaded the registry and takes jobs. */
  | { readonly kind: 'ready' }
  /** The file was read: its answers (all of them), so that the runner can account for every one if the worker is stopped. */
  | { readonly kind: 'read'; readonly order: number; readonly id: string; readonly answers: readonly AnswerSpec[] }
  /** FD confirmation of a reference starts / ends: the runner stops the submission's clock meanwhile. */
  | { readonly kind: 'pause'; readonly order: number }
  | {
      readonly kind: 'resume';
      readonly order: number;
      /** What grading the target's reference as an answer took, once confirmed: the cost of an honest answer, against which the time limit is judged. */
      readonly reference?: { readonly problem: string; readonly target: string; readonly answerMs: number };
    }
  | { readonly kind: 'answer'; readonly order: number; readonly index: number; readonly result: AnswerResult }
  /**
   * The submission's result; its `answers` leave out those already posted as `answer` messages (the
   * runner puts them first), so that no answer is copied between threads twice.
   */
  | { readonly kind: 'done'; readonly order: number; readonly result: SubmissionResult; readonly references: readonly ReferenceStatus[] };

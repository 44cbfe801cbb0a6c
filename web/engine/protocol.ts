/**
 * The messages between the page (web/app) and the engine (web/engine, in a Web Worker). Plain data
 * only: what crosses postMessage is copied by structured clone, so no class instance or function.
 */
import type { ProblemSummary } from '../../src/problem/summary.js';
import type { KernelBackend } from '../../src/tensor/kernel-backend.js';
import type { QuestionSource, QuestionsLoaded } from './questions.js';
import type { FieldError, ResultView } from './result-view.js';

export type Syntax = 'formula' | 'latex';

/** A claimed gradient of the user's own loss, with its inputs as `derivcheck check` takes them. */
export interface LossRequest {
  readonly kind: 'loss';
  readonly loss: string;
  readonly wrt: string;
  readonly grad: string;
  readonly syntax: Syntax;
  /** `NAME=DIMS` per input, `NAME=LO..HI` size ranges, `NAME=DOMAIN` (src/problem/specs.ts). */
  readonly shape: readonly string[];
  readonly dims: readonly string[];
  readonly domain: readonly string[];
  /** Named intermediates, `NAME = FORMULA`, in order, as `check --let` takes them. */
  readonly lets: readonly string[];
  readonly seed: number;
  /** Random samples; default that of `check` (100). */
  readonly runs?: number;
}

/** An answer to a target of a built-in problem or a dropped question file, graded as `derivcheck grade` grades it (with `--questions FILE`). */
export interface ProblemRequest {
  readonly kind: 'problem';
  readonly problem: string;
  readonly target: string;
  readonly grad: string;
  readonly syntax: Syntax;
  readonly seed: number;
  /** Samples per answer; default that of `grade` (16). */
  readonly runs?: number;
}

export type CheckRequest = LossRequest | ProblemRequest;

/** How the engine reads the claimed gradient, for the preview: its reading as a formula and as LaTeX, or where it is wrong. */
export interface Reading {
  readonly readAs?: string;
  readonly latex?: string;
  readonly error?: FieldError;
}

export type ToEngine =
  | { readonly type: 'catalogue' }
  | { readonly type: 'read'; readonly id: number; readonly request: CheckRequest }
  /** Question files to compile and add to the problems (a File is structured-cloned, and read in the worker). */
  | { readonly type: 'questions'; readonly id: number; readonly sources: readonly QuestionSource[] }
  | { readonly type: 'check'; readonly id: number; readonly request: CheckRequest };

export type FromEngine =
  /** The built-in problems, and the kernels the tensor core runs on here (WebAssembly SIMD, or the JavaScript fallback). */
  | { readonly type: 'catalogue'; readonly problems: readonly ProblemSummary[]; readonly kernels: KernelBackend }
  | { readonly type: 'reading'; readonly id: number; readonly reading: Reading }
  | { readonly type: 'questions'; readonly id: number; readonly questions: QuestionsLoaded }
  /** Ground truths computed so far (about one per sample; a shrinking search computes more) of `total` samples. */
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly id: number; readonly result: ResultView }
  /** A bug in derivcheck (not bad input, which is a result with verdict 'invalid'). */
  | { readonly type: 'crash'; readonly id: number; readonly message: string };

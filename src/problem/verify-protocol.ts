/** Messages between the verification pool (src/problem/verify-all.ts) and a verification worker (verify-worker.ts). */
import type { QuestionSource } from './compiled.js';
import type { PropertyReport, TargetPart, TargetPartResult } from './verify.js';

/** What a worker is started with (workerData). */
export interface VerifyWorkerSetup {
  /** URL of a compiled module exporting `problems: readonly Problem[]`. */
  readonly registry?: string;
  /** Question files the worker loads after the registry's problems. */
  readonly questions?: QuestionSource;
  readonly runs: number;
  readonly seed: number;
}

/**
 * One unit of work: a part of target number `target` of a problem, or property number `property`
 * (positions in the problem's lists, from which their seeds derive).
 */
export type VerifyItem =
  | { readonly problem: string; readonly kind: 'target-part'; readonly target: number; readonly part: TargetPart }
  | { readonly problem: string; readonly kind: 'property'; readonly property: number };

/** Pool → worker: verify the item; `order` is echoed back. */
export interface VerifyJob {
  readonly order: number;
  readonly item: VerifyItem;
}

/** Worker → pool. */
export type VerifyWorkerMessage =
  /** The worker loaded the registry and takes jobs. */
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly order: number; readonly result: TargetPartResult | PropertyReport; readonly timeMs: number }
  /** Verifying the item threw (a broken problem module), or its result could not be sent. */
  | { readonly kind: 'failed'; readonly order: number; readonly message: string };

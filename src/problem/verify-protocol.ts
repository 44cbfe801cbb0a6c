/** Messages between the verification pool (src/problem/verify-all.ts) and a verification worker (verify-worker.ts). */
import type { PropertyReport, TargetReport } from './verify.js';

/** What a worker is started with (workerData). */
export interface VerifyWorkerSetup {
  /** URL of a compiled module exporting `problems: readonly Problem[]`. */
  readonly registry: string;
  readonly runs: number;
  readonly seed: number;
}

/** One unit of work: target or property number `index` of a problem (its position in the problem's list, which derives its seed). */
export interface VerifyItem {
  readonly problem: string;
  readonly kind: 'target' | 'property';
  readonly index: number;
}

/** Pool → worker: verify the item; `order` is echoed back. */
export interface VerifyJob extends VerifyItem {
  readonly order: number;
}

/** Worker → pool. */
export type VerifyWorkerMessage =
  /** The worker loaded the registry and takes jobs. */
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly order: number; readonly report: TargetReport | PropertyReport }
  /** Verifying the item threw (a broken problem module), or its report could not be sent. */
  | { readonly kind: 'failed'; readonly order: number; readonly message: string };

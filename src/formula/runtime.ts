import type { Tensor } from '../tensor/index.js';
import { type ErrorSite, LimitExceededError } from './errors.js';
import type { FormulaLimits } from './limits.js';

/**
 * The state of one evaluation of a compiled formula: inputs and dimension sizes by slot, the index
 * environment (current value of every index, 1-based), and the budgets the limits allow.
 */
export interface Runtime {
  readonly tensors: readonly Tensor[];
  readonly sizes: ReadonlyMap<string, number>;
  readonly env: Float64Array;
  /** Loop iterations still allowed (limits.maxIterations at the start); every loop over index values decrements it. */
  budget: number;
  /** performance.now() past which the evaluation stops. */
  readonly deadline: number;
  readonly limits: FormulaLimits;
  /** Site of the whole formula, for limit errors raised from generated loops. */
  readonly site: ErrorSite;
  /** Where piecewise nodes append their piece codes, when the formula is compiled to trace them (else undefined). */
  readonly pieces: number[] | undefined;
}

export function overBudget(rt: Runtime, site: ErrorSite = rt.site): never {
  throw new LimitExceededError(`this formula needs more than ${rt.limits.maxIterations} loop iterations at these dimensions`, site, 'maxIterations', 'use smaller dimensions or summation ranges');
}

export function timedOut(rt: Runtime, site: ErrorSite = rt.site): never {
  throw new LimitExceededError(`the evaluation took longer than ${rt.limits.timeLimitMs} ms`, site, 'timeLimitMs', 'use smaller dimensions or summation ranges');
}

/** Checks the clock after a kernel; the kernel's work was priced before the evaluation started (cost.ts). */
export function checkClock(rt: Runtime, site: ErrorSite): void {
  if (performance.now() > rt.deadline) timedOut(rt, site);
}

/** Counts iterations of a JS loop over index values (a tensor-valued sum, a slice per index) against the budget, and checks the clock. */
export function countIterations(rt: Runtime, iterations: number, site: ErrorSite): void {
  rt.budget -= iterations;
  if (rt.budget < 0) overBudget(rt, site);
  checkClock(rt, site);
}

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
  /** Iterations and multiply-adds still allowed; generated loops decrement it too. */
  budget: number;
  /** performance.now() past which the evaluation stops. */
  readonly deadline: number;
  readonly limits: FormulaLimits;
  /** Site of the whole formula, for limit errors raised from generated loops. */
  readonly site: ErrorSite;
  /** Where piecewise nodes append their piece codes, when the formula is compiled to trace them. */
  readonly pieces?: number[];
}

export function overBudget(rt: Runtime, site: ErrorSite = rt.site): never {
  throw new LimitExceededError(`this formula needs more than ${rt.limits.maxIterations} loop iterations and multiply-adds`, site, 'maxIterations', 'use smaller dimensions, or raise limits.maxIterations');
}

export function timedOut(rt: Runtime, site: ErrorSite = rt.site): never {
  throw new LimitExceededError(`the evaluation took longer than ${rt.limits.timeLimitMs} ms`, site, 'timeLimitMs', 'use smaller dimensions, or raise limits.timeLimitMs');
}

/** Charges `work` to the budget and checks the deadline; called before every kernel and loop. */
export function charge(rt: Runtime, work: number, site: ErrorSite): void {
  rt.budget -= work;
  if (rt.budget < 0) overBudget(rt, site);
  if (performance.now() > rt.deadline) timedOut(rt, site);
}

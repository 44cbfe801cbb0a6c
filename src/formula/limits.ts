/**
 * Caps on one formula evaluation, so that a hostile or mistaken formula (ones(1e5, 1e5), a sum over a
 * huge index range, a matrix product of 3162×3162 matrices, forty live temporaries of 1e7 entries) is
 * refused with a LimitExceededError before it runs, instead of exhausting memory or time. The work and
 * memory of an evaluation are priced from the checked tree at the evaluation's dimensions (cost.ts);
 * the clock is only the backstop of that estimate.
 */
export interface FormulaLimits {
  /** Largest tensor any node may produce, in elements. */
  readonly maxElements: number;
  /** Estimated seconds of one evaluation (cost.ts, at rates.ts's rates), checked before it runs. */
  readonly maxSeconds: number;
  /** Peak bytes of the tensors one evaluation keeps alive at once (its temporaries and its answer), checked before it runs. */
  readonly maxLiveBytes: number;
  /**
   * Loop iterations of index notation per evaluation: priced before the run, and counted as loops start
   * where a bound depends on values the price cannot know.
   */
  readonly maxIterations: number;
  /** Wall-clock budget per evaluation, checked between kernels and at the heads of generated loops: the estimate's backstop. */
  readonly timeLimitMs: number;
}

/**
 * Most axes of a tensor, declared or computed. Derivations use up to five (a batch of volumes); a
 * rank-8 tensor with sides of 2 already has 256 entries, half of the 512 a default sample keeps to
 * (src/problem/sample-size.ts), and past rank 8 the sample budget leaves every side at 1, where a
 * check can no longer tell axes apart.
 */
export const MAX_RANK = 8;

export const DEFAULT_LIMITS: FormulaLimits = {
  // 1e7 float64 entries = 80 MB: far above any derivation's tensors, below a Node heap's comfort.
  maxElements: 1e7,
  // A check evaluates the claim once per sample and the loss ten times per entry checked; one
  // evaluation of half a second leaves room for the check's 2 s budget (src/problem/budget.ts) to run it
  // on a sample. Honest formulas at course sizes take microseconds to milliseconds.
  maxSeconds: 0.5,
  // Three tensors of maxElements alive at once (X, X.^2 and their sum at 1e7 entries). A grader's
  // workers each hold at most this much besides their truths (src/grade/batch.ts), so two workers stay
  // under 1 GB in all.
  maxLiveBytes: 256 * 2 ** 20,
  // What maxSeconds allows a loop of two operations per iteration at rates.ts's 4e8 operations a second.
  maxIterations: 1e8,
  // Ten times maxSeconds: the estimate would have to be off tenfold before the clock stops a run.
  timeLimitMs: 5_000,
};

export function resolveLimits(limits: Partial<FormulaLimits> | undefined): FormulaLimits {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !(value > 0)) throw new TypeError(`formula limit ${key} must be a positive number, got ${String(value)}`);
  }
  return merged;
}

/**
 * A check's budget: what the finite differences of one search may cost, planned before any sample is
 * drawn. FD estimates each entry of the differentiated tensor from about ten evaluations of the loss,
 * so its work is entries × evaluations per entry × samples, each evaluation at the loss's price
 * (src/formula/cost.ts, for a forward made of formulas). When that is over the budget the plan checks
 * fewer entries per sample (a seeded random subset, as src/fd/check.ts's sampled mode draws them), then
 * fewer samples, and says so; when even one sample of MIN_ENTRIES entries is over it, the check is
 * refused with what to shrink. The plan depends on the problem, the target and the samples only (never
 * on the claim), so every formula checked against a target meets the same truths.
 */
import type { CompiledFormula } from '../formula/compile.js';
import { type FormulaCost, describeWork } from '../formula/cost.js';
import { LimitExceededError } from '../formula/errors.js';
import type { SampleCase } from './check.js';
import { formatNumber } from './numbers.js';
import { concreteShape } from './shapes.js';
import type { Dims, Problem, Target } from './types.js';

/**
 * Seconds of estimated FD work one check may plan. With the claim's evaluations (CLAIM_SECONDS) and the
 * start-up of the command, `derivcheck check` of any accepted formula ends in about 2 s on the
 * reference machine (src/formula/rates.ts).
 */
export const FD_SECONDS = 1.5;

/** Seconds of estimated work the claim's evaluations on the planned samples may take. */
export const CLAIM_SECONDS = 0.5;

/**
 * Evaluations of the loss per entry FD estimates, for planning: a smooth loss settles in 3-4 rungs of
 * two evaluations (6-8 measured on sums of squares, softplus, softmax cross-entropy); kinks and flat or
 * quantised losses take more (26-45), which the run-time clock bounds.
 */
export const EVALUATIONS_PER_ENTRY = 10;

/**
 * Seconds of the forward graph's own bookkeeping per FD evaluation (the values record copied, the
 * downstream nodes run, the point restored): about 5 µs beside the formula's price for check's
 * one-node forward.
 */
export const FD_EVALUATION_SECONDS = 5e-6;

/**
 * Evaluations FD spends once per sample: the base point and the noise probe of the loss (src/fd/noise.ts:
 * 2 lines of 13 points at a spacing and at least one finer one, through x, which is evaluated once),
 * 1 + 2·2·13 − 3 = 50; a level not confirmed at the first refinement takes 2·12 more per refinement.
 */
export const EVALUATIONS_PER_SAMPLE = 50;

/**
 * FD evaluations of one check at most, whatever their price: the bound for forwards without a price
 * (problem modules, whose incremental rules make an evaluation a few microseconds). The largest
 * built-in problem plans under a fifth of it.
 */
export const MAX_FD_EVALUATIONS = 2_000_000;

/**
 * The fewest entries a sample is checked at. A gradient that is wrong in a quarter of its entries is
 * caught by 8 random entries with probability 1 − 0.75⁸ = 90% on each sample, and a wrong formula is
 * usually wrong almost everywhere.
 */
export const MIN_ENTRIES = 8;

/**
 * Bytes of a sample's inputs at most: FD keeps them, the forward's values and the truth while it runs,
 * and a grader's worker keeps the truths of the samples it has met (truth-cache.ts).
 */
export const MAX_SAMPLE_BYTES = 256 * 2 ** 20;

export interface CheckPlan {
  /** Samples the search draws: the runs asked for, or fewer when the budget does not allow them. */
  readonly runs: number;
  readonly requestedRuns: number;
  /** Entries FD estimates per sample at most (a seeded random subset of a larger tensor); undefined: every entry. */
  readonly entries?: number;
  /** What the plan reduced and why, as a sentence for the Finding's message; undefined when nothing was. */
  readonly note?: string;
}

/** What one evaluation of the forward costs: src/formula/cost.ts's FormulaCost has these fields. */
export interface EvaluationCost {
  readonly seconds: number;
  readonly peakBytes: number;
}

/** FD's work at one sample: the entries it may estimate and the price of one evaluation (undefined: not priced). */
interface SampleWork {
  readonly dims: Dims;
  readonly entries: number;
  readonly seconds: number | undefined;
}

function entriesOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The entries FD perturbs for a target: the wrt tensor's (0 for a value target, whose truth is its reference). */
function fdEntries(problem: Problem, target: Target, dims: Dims): number {
  if (target.kind === 'value') return 0;
  const spec = problem.inputs.find((i) => i.name === target.wrt) ?? problem.intermediates.find((i) => i.name === target.wrt);
  return spec ? entriesOf(concreteShape(spec.shape, dims, spec.name)) : entriesOf(concreteShape(target.shape, dims, target.name));
}

function sampleBytes(problem: Problem, dims: Dims): number {
  return problem.inputs.reduce((total, input) => total + 8 * entriesOf(concreteShape(input.shape, dims, input.name)), 0);
}

function formatDims(dims: Dims): string {
  const text = Object.entries(dims)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return text === '' ? 'its sizes' : text;
}

/** The plan's FD evaluations and seconds with at most `cap` entries per sample on the first `runs` samples. */
function planned(work: readonly SampleWork[], runs: number, cap: number): { evaluations: number; seconds: number } {
  let evaluations = 0;
  let seconds = 0;
  for (let s = 0; s < runs; s++) {
    const w = work[s]!;
    const n = w.entries === 0 ? 0 : Math.min(w.entries, cap) * EVALUATIONS_PER_ENTRY + EVALUATIONS_PER_SAMPLE;
    evaluations += n;
    seconds += w.seconds === undefined ? 0 : n * (w.seconds + FD_EVALUATION_SECONDS);
  }
  return { evaluations, seconds };
}

function fits(work: readonly SampleWork[], runs: number, cap: number): boolean {
  const p = planned(work, runs, cap);
  return p.evaluations <= MAX_FD_EVALUATIONS && p.seconds <= FD_SECONDS;
}

/** The largest value in [lo, hi] for which `ok` holds (ok is monotone: true up to some point), or lo − 1. */
function largest(lo: number, hi: number, ok: (v: number) => boolean): number {
  if (!ok(lo)) return lo - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The plan of a check of `target` on `samples` (the search's samples, in order). Throws a
 * LimitExceededError when a sample is too large to hold, the forward is over a formula limit at a
 * sample's sizes, or FD of even one sample at MIN_ENTRIES entries is over the budget.
 */
export function planCheck(problem: Problem, target: Target, samples: readonly SampleCase[]): CheckPlan {
  const requestedRuns = samples.length;
  const work = samples.map((sample): SampleWork => {
    const bytes = sampleBytes(problem, sample.dims);
    if (bytes > MAX_SAMPLE_BYTES) {
      throw new LimitExceededError(
        `the inputs of a sample at ${formatDims(sample.dims)} take ${Math.round(bytes / 2 ** 20)} MiB, more than the ${MAX_SAMPLE_BYTES / 2 ** 20} MiB a check may hold`,
        undefined,
        'maxSampleBytes',
        'use smaller dimensions (--dims)',
      );
    }
    const entries = fdEntries(problem, target, sample.dims);
    return { dims: sample.dims, entries, seconds: entries > 0 && target.kind !== 'value' ? problem.forwardCost?.(sample.dims, target.wrt).seconds : undefined };
  });
  const most = Math.max(0, ...work.map((w) => w.entries));
  if (fits(work, requestedRuns, most)) return { runs: requestedRuns, requestedRuns };
  // Jacobians are estimated whole (src/fd/jacobian.ts): only the samples can be fewer.
  const sampled = target.kind === 'gradient';
  const floor = sampled ? Math.min(MIN_ENTRIES, most) : most;
  const cap = sampled ? largest(floor, most, (cap) => fits(work, requestedRuns, cap)) : floor - 1;
  if (cap >= floor) {
    return { runs: requestedRuns, requestedRuns, entries: cap, note: `Finite differences checked ${cap} random entries of each sample (of up to ${most}), to keep the check within its budget of ${FD_SECONDS} s.` };
  }
  const runs = largest(1, requestedRuns, (runs) => fits(work, runs, floor));
  if (runs >= 1) {
    const entries = sampled && floor < most ? { entries: floor } : {};
    const which = 'entries' in entries ? `${floor} random entries of each (of up to ${most})` : 'every entry of each';
    return { runs, requestedRuns, ...entries, note: `Finite differences checked ${runs} of the ${requestedRuns} samples asked for, with ${which}, to keep the check within its budget of ${FD_SECONDS} s.` };
  }
  const first = work[0]!;
  const one = planned(work, 1, floor);
  const perEvaluation = first.seconds === undefined ? '' : `; the loss takes about ${formatNumber(first.seconds * 1e3, 2)} ms per evaluation`;
  throw new LimitExceededError(
    `finite differences of the loss at ${formatDims(first.dims)} need about ${one.evaluations} evaluations for ${floor} entries of one sample (≈ ${formatNumber(one.seconds, 2)} s${perEvaluation}), more than a check may spend (${FD_SECONDS} s, ${MAX_FD_EVALUATIONS} evaluations)`,
    undefined,
    'fdBudget',
    'use smaller dimensions (--dims) or a cheaper loss',
  );
}

/**
 * Refuses a claim whose evaluations on the planned samples (one per sample) would take longer than
 * CLAIM_SECONDS, before any runs, from the formula's price at each sample's sizes; the error points at
 * the formula's costliest node.
 */
export function assertClaimWithinBudget(formula: CompiledFormula, samples: readonly SampleCase[]): void {
  let seconds = 0;
  let worst: { cost: FormulaCost; dims: Dims } | undefined;
  for (const sample of samples) {
    const cost = formula.price(sample.dims);
    seconds += cost.seconds;
    if (!worst || cost.seconds > worst.cost.seconds) worst = { cost, dims: sample.dims };
  }
  if (seconds <= CLAIM_SECONDS || !worst) return;
  const node = worst.cost.costliest?.node;
  const text = formula.checked.parsed.text;
  throw new LimitExceededError(
    `evaluating this formula once on each of the ${samples.length} samples of the check would take about ${formatNumber(seconds, 2)} s (${formatNumber(worst.cost.seconds, 2)} s at ${formatDims(worst.dims)}: ${describeWork(worst.cost)}), more than the ${CLAIM_SECONDS} s a check may spend on it`,
    { text, span: node ? node.span : formula.checked.parsed.statement.span },
    'claimBudget',
    'use smaller dimensions or summation ranges, or fewer and smaller matrix products',
  );
}

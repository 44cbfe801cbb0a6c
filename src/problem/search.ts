/**
 * The counterexample search every judgement runs (`check`, `verify`, the grader): fast-check draws
 * samples (dims and an input seed), each is checked against its ground truth, and a failing sample is
 * shrunk to the smallest dims at which the claim still fails. Ground truths come from a TruthCache,
 * so the formulas checked against one target (closed forms and mistakes in `verify`, every answer in
 * `grade`) share the FD work of the samples they meet.
 *
 * Seeds of the inputs do not shrink (fc.noShrink): shrinking the seed would only trade one random input
 * for another at the cost of a fresh FD truth per step, while shrinking dims gives the smallest shapes.
 */
import fc from 'fast-check';
import { FormulaError } from '../formula/errors.js';
import { ShapeError } from '../tensor/errors.js';
import type { SampleCase, SampleCheck } from './check.js';
import type { Claim } from './claim.js';
import { drawnDims } from './dims.js';
import type { SampleCounts } from './finding.js';
import { type CheckPlan, assertClaimWithinBudget, planCheck } from './budget.js';
import { type TruthCache, checkCached } from './truth-cache.js';
import type { Problem, Target } from './types.js';

/** Samples a search compares on unless told otherwise: `derivcheck check` and `derivcheck verify` (the grader uses fewer, DEFAULT_GRADE_RUNS). */
export const DEFAULT_RUNS = 100;

/** Seeds of sample inputs are drawn from [0, SEED_RANGE]. */
export const SEED_RANGE = 0x7fffffff;

/** An error of the claim itself while it runs (a limit, a value error, a value of the wrong shape). */
export type ClaimRuntimeError = FormulaError | ShapeError;

function isClaimRuntimeError(err: unknown): err is ClaimRuntimeError {
  return err instanceof FormulaError || err instanceof ShapeError;
}

/** The samples a search draws: dims from the problem's arbitrary and an input seed that does not shrink. */
export function sampleArbitrary(problem: Problem): fc.Arbitrary<SampleCase> {
  return fc.record({ dims: drawnDims(problem), seed: fc.noShrink(fc.integer({ min: 0, max: SEED_RANGE })) });
}

/** The samples a search with `fcSeed` meets, in order (fc.sample draws what fc.check draws from the same seed). */
export function searchSamples(problem: Problem, runs: number, fcSeed: number): readonly SampleCase[] {
  return fc.sample(sampleArbitrary(problem), { numRuns: runs, seed: fcSeed });
}

export interface SearchResult extends SampleCounts {
  /** Largest relative error over the entries of passing samples. */
  readonly maxRelError: number;
  /** The shrunk counterexample: the smallest dims fast-check reached. */
  readonly counterexample?: SampleCheck;
  /** The first failing sample, before shrinking (larger: partial credit is measured on it). */
  readonly firstFailure?: SampleCheck;
  /** The first sample that could not be decided, and the first that stayed on a kink: the evidence of those verdicts. */
  readonly firstUndecided?: SampleCheck;
  readonly firstKink?: SampleCheck;
  /** The claim threw before any sample failed: it cannot be evaluated (invalid, or a wrong shape). */
  readonly runtimeError?: ClaimRuntimeError;
  /** fast-check's seed and the path of the shrunk case: `fc.check(..., { seed, path })` replays it. */
  readonly fcSeed: number;
  readonly fcPath?: string;
  /** The check's budget plan: the samples drawn and the entries FD estimated per sample (budget.ts). */
  readonly plan: CheckPlan;
}

/**
 * searchSamples, drawn once per TruthCache: every formula checked against a target meets the same
 * samples, and drawing them again for each answer was a tenth of grading one.
 */
export function cachedSamples(problem: Problem, runs: number, fcSeed: number, truths: TruthCache): readonly SampleCase[] {
  const key = `${problem.id}\u0000${runs}\u0000${fcSeed}`;
  let samples = truths.samples.get(key);
  if (!samples) {
    samples = searchSamples(problem, runs, fcSeed);
    truths.samples.set(key, samples);
  }
  return samples;
}

/**
 * The plan of a check of `target` with `runs` samples from `fcSeed` (budget.ts), made once per
 * TruthCache: every formula checked against the target meets the same samples and truths.
 */
export function checkPlan(problem: Problem, target: Target, runs: number, fcSeed: number, truths: TruthCache): CheckPlan {
  const key = `${problem.id}\u0000${target.name}\u0000${runs}\u0000${fcSeed}`;
  let plan = truths.plans.get(key);
  if (!plan) {
    plan = planCheck(problem, target, cachedSamples(problem, runs, fcSeed, truths));
    truths.plans.set(key, plan);
  }
  return plan;
}

/**
 * Searches the planned samples (`runs` of them, or fewer when the check's budget says so) for one where
 * `claim` fails, shrinking to the smallest dims. A claim that would take longer than the budget allows
 * on those samples is not run (its runtimeError says why).
 */
export function searchClaim(problem: Problem, target: Target, claim: Claim, runs: number, fcSeed: number, truths: TruthCache): SearchResult {
  const plan = checkPlan(problem, target, runs, fcSeed, truths);
  let total = 0;
  let passed = 0;
  let undecided = 0;
  let nonDifferentiable = 0;
  let nonFinite = 0;
  let maxRelError = 0;
  let firstFailure: SampleCheck | undefined;
  let firstUndecided: SampleCheck | undefined;
  let firstKink: SampleCheck | undefined;
  let runtimeError: ClaimRuntimeError | undefined;
  // Only the claim's own errors are its verdict: a FormulaError raised while the ground truth is
  // computed (the loss over a limit, say) is the problem's, and propagates to the caller.
  const thrownByClaim = new WeakSet<object>();
  const watched: Claim = {
    ...claim,
    evaluate: (values, dims) => {
      try {
        return claim.evaluate(values, dims);
      } catch (err) {
        if (err instanceof Error) thrownByClaim.add(err);
        throw err;
      }
    },
  };
  if (claim.formula) {
    try {
      assertClaimWithinBudget(claim.formula, cachedSamples(problem, plan.runs, fcSeed, truths));
    } catch (err) {
      if (!isClaimRuntimeError(err)) throw err;
      runtimeError = err;
    }
  }
  const visit = (sample: SampleCase): boolean => {
    // After the claim threw, the remaining runs are skipped: they would only throw again.
    if (runtimeError) return true;
    let check: SampleCheck;
    try {
      check = checkCached(problem, target, watched, sample, truths, plan.entries);
    } catch (err) {
      if (!isClaimRuntimeError(err) || (err instanceof FormulaError && !thrownByClaim.has(err))) throw err;
      // While shrinking, a candidate the claim cannot evaluate is simply not a smaller counterexample.
      if (!firstFailure) runtimeError = err;
      return true;
    }
    const status = check.verdict.status;
    // Shrinking: only whether the smaller sample still fails counts.
    if (firstFailure) return status !== 'fail';
    total++;
    if (!check.outputFinite) nonFinite++;
    if (status === 'pass') {
      passed++;
      maxRelError = Math.max(maxRelError, check.verdict.maxRelError);
    }
    if (status === 'undecided') {
      undecided++;
      firstUndecided ??= check;
    }
    if (status === 'non-differentiable') {
      nonDifferentiable++;
      firstKink ??= check;
    }
    if (status === 'fail') firstFailure = check;
    return status !== 'fail';
  };
  // The planned samples are what fc.check draws from fcSeed, in order (searchSamples). They are run here
  // first: most claims pass every one, and fast-check is needed only to shrink a failure. Its run then
  // meets the same samples again up to the failure, which replays their outcome instead of evaluating
  // the claim again (the last one's failure, or its error, rethrown).
  const samples = cachedSamples(problem, plan.runs, fcSeed, truths);
  let failedAt = samples.length;
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < samples.length && failedAt === samples.length; i++) {
    try {
      if (!visit(samples[i]!)) failedAt = i;
    } catch (error) {
      failedAt = i;
      failure = { error };
    }
  }
  let replayed = 0;
  let drifted = false;
  const result =
    failedAt === samples.length
      ? undefined
      : fc.check(
          fc.property(sampleArbitrary(problem), (sample) => {
            if (replayed > failedAt || drifted) return visit(sample);
            if (!sameSample(sample, samples[replayed]!)) {
              drifted = true;
              return true;
            }
            if (replayed++ < failedAt) return true;
            if (failure) throw failure.error;
            return false;
          }),
          { numRuns: plan.runs, seed: fcSeed },
        );
  // Never a verdict from a search that met other samples than the ones run above.
  if (drifted) throw new Error('internal: fast-check drew other samples than the planned ones (searchSamples)');
  const found = {
    total,
    passed,
    undecided,
    nonDifferentiable,
    nonFinite,
    maxRelError,
    fcSeed,
    plan,
    ...(firstUndecided ? { firstUndecided } : {}),
    ...(firstKink ? { firstKink } : {}),
  };
  if (runtimeError) return { ...found, runtimeError };
  if (!result?.failed) return found;
  if (!result.counterexample) throw result.errorInstance ?? new Error('the counterexample search failed without a counterexample');
  const [shrunk] = result.counterexample;
  return {
    ...found,
    counterexample: checkCached(problem, target, claim, shrunk, truths, plan.entries),
    firstFailure: firstFailure!,
    ...(result.counterexamplePath ? { fcPath: result.counterexamplePath } : {}),
  };
}

/** The same dims and input seed. */
function sameSample(a: SampleCase, b: SampleCase): boolean {
  if (a.seed !== b.seed) return false;
  const names = Object.keys(a.dims);
  return names.length === Object.keys(b.dims).length && names.every((n) => a.dims[n] === b.dims[n]);
}

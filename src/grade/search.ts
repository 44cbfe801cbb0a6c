/**
 * The grader's counterexample search: searchCounterexample's fast-check loop (src/problem/verify.ts),
 * with the ground truth of each sample computed once and shared by every answer to the same target
 * (src/problem/truth-cache.ts), and with what the grader needs besides: every sample visited, the
 * first failure before shrinking, an answer that cannot be evaluated at all.
 */
import fc from 'fast-check';
import type { GradientVerdict } from '../fd/verdict.js';
import { FormulaError } from '../formula/errors.js';
import type { SampleCase, SampleCheck } from '../problem/check.js';
import type { Claim } from '../problem/claim.js';
import { drawnDims } from '../problem/dims.js';
import { type TruthCache, checkCached } from '../problem/truth-cache.js';
import type { Problem, Target } from '../problem/types.js';
import { ShapeError } from '../tensor/errors.js';

/** Seeds of sample inputs are drawn from [0, SEED_RANGE] (the range verify.ts uses). */
const SEED_RANGE = 0x7fffffff;

/** An error of the answer itself while it runs (a limit, a value error, a value of the wrong shape). */
export type AnswerRuntimeError = FormulaError | ShapeError;

function isAnswerRuntimeError(err: unknown): err is AnswerRuntimeError {
  return err instanceof FormulaError || err instanceof ShapeError;
}

export interface GradeSearch {
  readonly samples: number;
  readonly passed: number;
  readonly undecided: number;
  readonly nonDifferentiable: number;
  /** Every sample the search met, in order (for labelling at samples other than the counterexample). */
  readonly visited: readonly SampleCase[];
  /** The shrunk counterexample: the smallest dims fast-check reached. */
  readonly counterexample?: SampleCheck;
  /** The first failing sample, before shrinking (larger, so partial credit is measured on it). */
  readonly firstFailure?: SampleCheck;
  /** The answer threw before any sample failed: it cannot be evaluated (invalid, or a wrong shape). */
  readonly runtimeError?: AnswerRuntimeError;
}

/**
 * Searches `runs` samples for one where `claim` fails, shrinking to the smallest dims. Seeds of the
 * inputs do not shrink (fc.noShrink): shrinking the seed would only trade one random input for
 * another at the cost of a fresh FD truth per step, while shrinking dims gives the smallest shapes.
 */
export function searchCached(problem: Problem, target: Target, claim: Claim, runs: number, fcSeed: number, cache: TruthCache): GradeSearch {
  const arbitrary = fc.record({ dims: drawnDims(problem), seed: fc.noShrink(fc.integer({ min: 0, max: SEED_RANGE })) });
  let samples = 0;
  let passed = 0;
  let undecided = 0;
  let nonDifferentiable = 0;
  const visited: SampleCase[] = [];
  let firstFailure: SampleCheck | undefined;
  let runtimeError: AnswerRuntimeError | undefined;
  const result = fc.check(
    fc.property(arbitrary, (sample) => {
      // After the answer threw, the remaining runs are skipped: they would only throw again.
      if (runtimeError) return true;
      let check: SampleCheck;
      try {
        check = checkCached(problem, target, claim, sample, cache);
      } catch (err) {
        if (!isAnswerRuntimeError(err)) throw err;
        // While shrinking, a candidate the answer cannot evaluate is simply not a smaller counterexample.
        if (!firstFailure) runtimeError = err;
        return true;
      }
      visited.push(check.sample);
      const status: GradientVerdict['status'] = check.verdict.status;
      if (firstFailure) return status !== 'fail';
      samples++;
      if (status === 'pass') passed++;
      if (status === 'undecided') undecided++;
      if (status === 'non-differentiable') nonDifferentiable++;
      if (status === 'fail') firstFailure = check;
      return status !== 'fail';
    }),
    { numRuns: runs, seed: fcSeed },
  );
  const counts = { samples, passed, undecided, nonDifferentiable, visited };
  if (runtimeError) return { ...counts, runtimeError };
  if (!result.failed) return counts;
  if (!result.counterexample) throw result.errorInstance ?? new Error('the counterexample search failed without a counterexample');
  const [shrunk] = result.counterexample;
  return { ...counts, counterexample: checkCached(problem, target, claim, shrunk, cache), firstFailure: firstFailure! };
}

/** pass / fail / undecided, as searchStatus (src/problem/verify.ts) decides them. */
export function cachedSearchStatus(found: GradeSearch): 'pass' | 'fail' | 'undecided' {
  if (found.counterexample) return 'fail';
  return found.undecided === 0 && found.passed > 0 ? 'pass' : 'undecided';
}

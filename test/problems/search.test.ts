import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import type { SampleCase } from '../../src/problem/check.js';
import { type Claim, compileClaim } from '../../src/problem/claim.js';
import { findProblem, findTarget } from '../../src/problem/registry.js';
import { sampleArbitrary, searchClaim } from '../../src/problem/search.js';
import { TruthCache, checkCached } from '../../src/problem/truth-cache.js';
import type { Problem, Target } from '../../src/problem/types.js';

const RUNS = 16;

/**
 * fast-check's own search over the same property, every sample evaluated inside fc.check: what
 * searchClaim (which runs the planned samples first and calls fast-check only to shrink) must find.
 */
function plainSearch(problem: Problem, target: Target, claim: Claim, fcSeed: number, entries: number | undefined) {
  const truths = new TruthCache();
  let met = 0;
  let failed: SampleCase | undefined;
  const result = fc.check(
    fc.property(sampleArbitrary(problem), (sample) => {
      const fails = checkCached(problem, target, claim, sample, truths, entries).verdict.status === 'fail';
      if (!failed) {
        met++;
        if (fails) failed = sample;
      }
      return !fails;
    }),
    { numRuns: RUNS, seed: fcSeed },
  );
  return { met, failed, shrunk: result.counterexample?.[0], path: result.counterexamplePath ?? undefined };
}

describe('searchClaim', () => {
  const cases = [
    ['dense-batch', 'dW', "-X' * dY"],
    ['dense-batch', 'dW', "X' * dY / N"],
    ['dense-batch', 'db', 'mean(dY, 1)'],
    ['softmax-ce', 'dz', 'softmax(z, 1) - p'],
    // Right except where D = 2, which the searches meet after passing samples (the 2nd or 5th of these seeds).
    ['dense-batch', 'dW', "X' * dY * (1 + max(0, 3 - D) * (D - 1))"],
    ['dense-batch', 'dW', "X' * dY"],
  ] as const;
  for (const [id, name, text] of cases) {
    test(`finds what fast-check alone finds for ${id}/${name} = ${text}: the failing sample, the shrunk one and its path`, () => {
      const problem = findProblem(problems, id);
      const target = findTarget(problem, name);
      const claim = compileClaim(problem, target, text);
      for (const fcSeed of [1, 7, 42]) {
        const found = searchClaim(problem, target, claim, RUNS, fcSeed, new TruthCache());
        const plain = plainSearch(problem, target, claim, fcSeed, found.plan.entries);
        if (text.includes('max(0')) expect(plain.met).toBeGreaterThan(1);
        expect(found.total).toBe(plain.met);
        expect(found.firstFailure?.sample).toEqual(plain.failed);
        expect(found.counterexample?.sample.dims).toEqual(plain.shrunk?.dims);
        expect(found.counterexample?.sample.seed).toEqual(plain.shrunk?.seed);
        expect(found.fcPath).toEqual(plain.path);
      }
    });
  }
});

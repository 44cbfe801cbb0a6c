/**
 * The check's budget (src/problem/budget.ts): FD work planned from entries × evaluations per entry ×
 * samples at the loss's price, reduced entries first, then samples, then refused; the claim's own
 * evaluations priced before they run. Expected plans are worked out by hand from the constants.
 */
import { describe, expect, test } from 'vitest';
import { LimitExceededError } from '../../src/formula/errors.js';
import { adHocProblem } from '../../src/question/adhoc.js';
import { CLAIM_SECONDS, EVALUATIONS_PER_ENTRY, EVALUATIONS_PER_SAMPLE, FD_EVALUATION_SECONDS, FD_SECONDS, MIN_ENTRIES, assertClaimWithinBudget, planCheck } from '../../src/problem/budget.js';
import { compileClaim } from '../../src/problem/claim.js';
import { judgeText } from '../../src/problem/judge.js';
import { searchSamples } from '../../src/problem/search.js';
import { TruthCache } from '../../src/problem/truth-cache.js';
import type { Problem } from '../../src/problem/types.js';

/** A check of a 20×25 input (500 entries at every sample), its loss priced at `seconds` per evaluation. */
function fixedSize(seconds: number | undefined) {
  const { problem, target } = adHocProblem({ loss: 'sum(X .* X) / 2', wrt: 'X', grad: 'X', shapes: { X: ['N', 'D'] }, dimRanges: { N: [20, 20], D: [25, 25] } });
  const priced: Problem = { ...problem, forwardCost: seconds === undefined ? undefined : () => ({ seconds, peakBytes: 0 }) };
  return { problem: priced, target, samples: searchSamples(priced, 100, 7) };
}

describe('the plan of a check', () => {
  test('a check within the budget is planned as asked: every sample, every entry', () => {
    // Unpriced (a problem module's forward): 100 × (500 × 10 + 50) = 505,000 evaluations, within the count.
    const unpriced = fixedSize(undefined);
    expect(planCheck(unpriced.problem, unpriced.target, unpriced.samples)).toEqual({ runs: 100, requestedRuns: 100 });
    // Priced at 1 µs: 505,000 × (1 + 5) µs = 3.0 s, over FD_SECONDS; at a tenth of a sample's entries it fits.
    const priced = fixedSize(1e-6);
    expect(planCheck(priced.problem, priced.target, priced.samples).entries).toBe(Math.floor((FD_SECONDS / 100 / 6e-6 - EVALUATIONS_PER_SAMPLE) / EVALUATIONS_PER_ENTRY));
  });

  test('over the budget, fewer entries per sample are checked, and the plan says so', () => {
    const price = 1.2e-5;
    const { problem, target, samples } = fixedSize(price);
    const plan = planCheck(problem, target, samples);
    // 100 samples × (10·K + 50) evaluations × (price + bookkeeping) ≤ FD_SECONDS: 100 × 880 × 17 µs = 1.496 s at K = 83, 1.513 s at 84.
    const perSample = FD_SECONDS / 100 / (price + FD_EVALUATION_SECONDS);
    expect(plan.runs).toBe(100);
    expect(plan.entries).toBe(Math.floor((perSample - EVALUATIONS_PER_SAMPLE) / EVALUATIONS_PER_ENTRY));
    expect(plan.entries).toBe(83);
    expect(plan.note).toBe(`Finite differences checked 83 random entries of each sample (of up to 500), to keep the check within its budget of ${FD_SECONDS} s.`);
  });

  test('when even MIN_ENTRIES per sample is over the budget, fewer samples are checked', () => {
    const price = 1e-3;
    const { problem, target, samples } = fixedSize(price);
    const plan = planCheck(problem, target, samples);
    const perSample = (MIN_ENTRIES * EVALUATIONS_PER_ENTRY + EVALUATIONS_PER_SAMPLE) * (price + FD_EVALUATION_SECONDS);
    expect(plan.entries).toBe(MIN_ENTRIES);
    expect(plan.runs).toBe(Math.floor(FD_SECONDS / perSample));
    // (8 × 10 + 50) × 1.005 ms = 0.13065 s a sample: 11 samples in 1.5 s.
    expect(plan.runs).toBe(11);
    expect(plan.note).toMatch(/^Finite differences checked 11 of the 100 samples asked for, with 8 random entries of each \(of up to 500\)/);
  });

  test('when one sample at MIN_ENTRIES is over the budget, the check is refused with what to shrink', () => {
    const { problem, target, samples } = fixedSize(0.1);
    expect(() => planCheck(problem, target, samples)).toThrow(LimitExceededError);
    expect(() => planCheck(problem, target, samples)).toThrow(/finite differences of the loss at N=20, D=25 need about 130 evaluations for 8 entries of one sample \(≈ 13 s; the loss takes about 100 ms per evaluation\).*use smaller dimensions/);
  });

  test('a sample past 256 MiB is refused before anything is drawn', () => {
    const { problem, target } = adHocProblem({ loss: 'sum(X) + sum(Y) + sum(Z) + sum(V)', wrt: 'X', grad: 'ones(N, N)', shapes: { X: ['N', 'N'], Y: ['N', 'N'], Z: ['N', 'N'], V: ['N', 'N'] }, dimRanges: { N: [3000, 3000] } });
    expect(() => planCheck(problem, target, searchSamples(problem, 1, 1))).toThrow(/the inputs of a sample at N=3000 take 275 MiB, more than the 256 MiB a check may hold/);
  });
});

describe('checks on the plan', () => {
  test('the truths of a planned subset hold the planned entries, the same ones for the same seed', () => {
    const { problem, target } = adHocProblem({ loss: 'sum(X .* X) / 2', wrt: 'X', grad: 'X', shapes: { X: ['N', 'D'] }, dimRanges: { N: [20, 20], D: [25, 25] } });
    const dims = { N: 20, D: 25 };
    const a = new TruthCache().at(problem, target, dims, 11, 40).truth.estimate;
    const b = new TruthCache().at(problem, target, dims, 11, 40).truth.estimate;
    expect(a.indices.length).toBe(40);
    expect([...a.indices]).toEqual([...b.indices]);
    expect(new Set(a.indices).size).toBe(40);
    // At these entries the FD gradient of ½Σx² is x itself.
    const x = new TruthCache().at(problem, target, dims, 11, 40).inputs['X']!.contiguous().data;
    a.indices.forEach((flat, k) => expect(a.value[k]).toBeCloseTo(x[flat]!, 8));
  });

  test('a reduced check still rejects a wrong gradient, and its verdict says what was reduced', () => {
    const { problem, target } = adHocProblem({ loss: 'sum(X .* X) / 2', wrt: 'X', grad: 'X', shapes: { X: ['N', 'D'] }, dimRanges: { N: [40, 40], D: [50, 50] } });
    const judge = (grad: string) => judgeText(problem, target, grad, 'formula', { runs: 100, fcSeed: 3, truths: new TruthCache() }).finding;
    const right = judge('X');
    expect(right.status).toBe('correct');
    expect(right.message).toMatch(/Finite differences checked \d+ random entries of each sample \(of up to 2000\)/);
    const wrong = judge('1.0005 * X');
    expect(wrong.status).toBe('incorrect');
    expect(wrong.message).toMatch(/Finite differences checked/);
  });

  test('a claim whose evaluations on the planned samples would pass CLAIM_SECONDS is refused before it runs', () => {
    const { problem, target } = adHocProblem({ loss: 'sum(X)', wrt: 'X', grad: 'ones(N, D)', shapes: { X: ['N', 'D'] } });
    // ones(1000, 1000) * ones(1000, 1000): 1e9 multiply-adds, 0.2 s at 5e9 a second, on each of 100 samples.
    const claim = compileClaim(problem, target, 'ones(N, D) + 0 * sum(sum(ones(1000, 1000) * ones(1000, 1000)))');
    const started = performance.now();
    expect(() => assertClaimWithinBudget(claim.formula!, searchSamples(problem, 100, 1))).toThrow(new RegExp(`more than the ${CLAIM_SECONDS} s a check may spend on it`));
    expect(performance.now() - started).toBeLessThan(500);
    const finding = judgeText(problem, target, claim.text, 'formula', { runs: 100, fcSeed: 1, truths: new TruthCache() }).finding;
    expect([finding.status, finding.reason]).toEqual(['invalid', 'limit']);
  });
});

/**
 * Numeric options are validated before any work: out of range is a usage error (exit 2) that names the
 * option, its range and an example. Dimensions past what a tensor may hold are refused before anything
 * is allocated; default draws keep a sample within the entries budget, and --dims past it is said.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LimitExceededError } from '../../src/formula/errors.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { adHocProblem } from '../../src/question/adhoc.js';
import { dimsArbitrary } from '../../src/problem/dims.js';
import { SAMPLE_ENTRIES_BUDGET } from '../../src/problem/sample-size.js';
import { sampleInputs } from '../../src/problem/sample.js';
import { runCliAsync } from '../cli/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-hostile-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const submission = path.join(dir, 'alice.yaml');
writeFileSync(submission, `answers:\n  - { problem: dense-batch, target: dW, formula: "X' * dY" }\n`);
const registry = new URL('../../dist/problems/index.js', import.meta.url);
const CHECK = ['check', '--loss', 'sum(X .^ 2)', '--wrt', 'X', '--grad', '2 * X', '--shape', 'X=NxD'];

describe('numeric options out of range are usage errors, at once', () => {
  test.concurrent.each([
    [['grade', submission, '--time-limit', '2147484'], /--time-limit: 2147484 is out of range; expected a number in 0\.001\.\.86400: seconds per submission/],
    [['grade', submission, '--time-limit', 'Infinity'], /--time-limit: Infinity is out of range/],
    [['grade', submission, '--time-limit', '0.0001'], /--time-limit: 0\.0001 is out of range/],
    [['grade', submission, '--time-limit', 'soon'], /--time-limit: 'NaN' is not a number/],
    [['grade', submission, '--jobs', '100000'], /--jobs: 100000 is out of range; expected a whole number in 1\.\.\d+: the number of worker threads/],
    [['grade', submission, '--runs', '1e9'], /--runs: 1000000000 is out of range; expected a whole number in 1\.\.1000/],
    [['verify', 'relu', '--runs', '0'], /--runs: 0 is out of range/],
    [[...CHECK, '--runs', '2.5'], /--runs: 2\.5 is out of range/],
    [[...CHECK, '--seed', '-1'], /--seed: -1 is out of range; expected a whole number in 0\.\.9007199254740991/],
    [[...CHECK, '--seed', '1.5'], /--seed: 1\.5 is out of range/],
    [[...CHECK, '--seed', '1e300'], /--seed: 1e\+300 is out of range/],
    [[...CHECK, '--dims', 'N=20000000'], /--dims: 'N=20000000' is larger than the 10000000 entries a tensor may hold/],
    [[...CHECK, '--dims', 'N=2,N=3'], /--dims: N is given twice/],
    [[...CHECK, '--shape', 'X=NxN'], /--shape: X is given twice/],
  ])('%j', async (args, message) => {
    const r = await runCliAsync(args);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(2);
  });

  test('the library refuses a time limit its timers cannot hold', async () => {
    for (const timeLimitMs of [Infinity, 2 ** 31, 0, Number.NaN]) {
      await expect(gradeFiles([submission], { seed: 1, jobs: 1, registry, timeLimitMs })).rejects.toThrow(/timeLimitMs must be in/);
    }
  });
});

describe('sizes are checked before anything is allocated', () => {
  test('--dims N=100000 on an N×N input is the element-limit error (exit 2), not a crash', async () => {
    const r = await runCliAsync(['check', '--loss', 'sum(X .^ 2)', '--wrt', 'X', '--grad', '2 * X', '--shape', 'X=NxN', '--dims', 'N=100000']);
    expect(r.stderr).toMatch(/input X would be 100000×100000 = 1\.00e\+10 entries at N=100000, more than the 10000000 a tensor may hold; use smaller dimensions/);
    expect(r.code).toBe(2);
  });

  test('the library throws a LimitExceededError naming the input', () => {
    const huge = () => adHocProblem({ loss: 'sum(X)', wrt: 'X', grad: 'ones(N, D, N)', shapes: { X: ['N', 'D', 'N'] }, dimRanges: { N: [2, 4000] } });
    expect(huge).toThrow(LimitExceededError);
    expect(huge).toThrow(/input X would be 4000×1×4000 = 1\.60e\+7 entries at N=4000, D=1/);
  });

  test('drawing a sample refuses an input past the cap before allocating it, whatever the dims came from', () => {
    const { problem } = adHocProblem({ loss: 'sum(X)', wrt: 'X', grad: 'ones(N, D)', shapes: { X: ['N', 'D'] } });
    expect(() => sampleInputs(problem, { N: 5000, D: 5000 }, 1)).toThrow(/input X would be 5000×5000 = 2\.50e\+7 entries at N=5000, D=5000/);
  });

  test('check --json: a gradient over a run-time limit is the JSON verdict invalid with the reason', async () => {
    const r = await runCliAsync(['check', '--json', '--loss', 'sum(X .^ 2)', '--wrt', 'X', '--grad', '2 * X + 0 * sum(i, i, 1, 9000000000)', '--shape', 'X=NxD', '--runs', '2', '--seed', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'invalid', readAs: '2 * X + 0 * sum(i, i, 1, 9000000000)', seed: 1, message: expect.stringMatching(/loop iterations/) });
  });

  test('a loss over a limit stays bad usage (exit 2), not a verdict on the gradient', async () => {
    const r = await runCliAsync(['check', '--json', '--loss', 'sum(X .^ 2) + 0 * sum(i, i, 1, 9000000000)', '--wrt', 'X', '--grad', '2 * X', '--shape', 'X=NxD', '--runs', '2', '--seed', '1']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/loop iterations/);
    expect(r.code).toBe(2);
  });
});

describe('default draws keep a sample within the entries budget', () => {
  const entriesOf4d = (d: Record<string, number>) => d['N']! * d['C']! * d['H']! * d['W']! * 2;

  test('a check of two 4-D inputs draws at most SAMPLE_ENTRIES_BUDGET entries per sample', () => {
    const { problem, notices } = adHocProblem({ loss: 'sum(X .* V)', wrt: 'X', grad: 'V', shapes: { X: ['N', 'C', 'H', 'W'], V: ['N', 'C', 'H', 'W'] } });
    expect(notices).toEqual([]);
    const draws = fc.sample(problem.dims.arbitrary, { numRuns: 300, seed: 5 });
    expect(Math.max(...draws.map(entriesOf4d))).toBeLessThanOrEqual(SAMPLE_ENTRIES_BUDGET);
    // The budget lowers sizes, not all of them to one: most draws still have four distinct sizes above 1.
    const distinct = draws.filter((d) => new Set(Object.values(d)).size === 4 && Object.values(d).every((v) => v > 1));
    expect(distinct.length).toBeGreaterThan(draws.length / 2);
  });

  test('the budget is met for any rank, and fixed sizes are never lowered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1000 }), (rank, fixedSize, seed) => {
        const names = Array.from({ length: rank }, (_, i) => `d${i}`);
        const entries = (d: Record<string, number>) => names.reduce((p, n) => p * d[n]!, 1) * d['F']!;
        const arbitrary = dimsArbitrary([...names, 'F'], { fixed: { F: fc.constant(fixedSize) }, budget: { entries, max: 512 } });
        const [dims] = fc.sample(arbitrary, { numRuns: 1, seed });
        expect(dims!['F']).toBe(fixedSize);
        // Every free size at 1 gives fixedSize ≤ 40 entries: within 512, so the budget is always met.
        expect(entries(dims!)).toBeLessThanOrEqual(512);
      }),
    );
  });

  test('--dims past the budget are run, with a note that says so', async () => {
    const { notices } = adHocProblem({ loss: 'sum(X)', wrt: 'X', grad: 'ones(N, D)', shapes: { X: ['N', 'D'] }, dimRanges: { N: [600, 600] } });
    expect(notices).toEqual([expect.stringMatching(/--dims allow samples of up to 600 entries, past the 512 that default draws keep to/)]);
    const r = await runCliAsync(['check', '--loss', 'sum(X)', '--wrt', 'X', '--grad', 'ones(N, D)', '--shape', 'X=NxD', '--dims', 'N=600', '--runs', '1', '--seed', '1']);
    expect(r.stderr).toMatch(/^derivcheck: note: --dims allow samples of up to 600 entries/);
    expect(r.code).toBe(0);
  });
});

/**
 * Issue 20's resource cases: work is priced before it runs (the cost model of src/formula/cost.ts,
 * checked against src/formula/limits.ts), finite differences are planned within a budget
 * (src/problem/budget.ts), and memory is bounded per evaluation and per worker. Each case used to run
 * for tens of seconds to minutes or gigabytes; each must be a typed refusal or an honest verdict in
 * seconds and under 1 GB, with the rest of its batch graded. CLI cases are measured at the process
 * (peak resident set and CPU seconds of every thread, from the process's own resource usage), so that
 * load on the machine does not decide them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LimitExceededError } from '../../src/formula/errors.js';
import { compileFormula } from '../../src/formula/compile.js';
import { parseFormula } from '../../src/formula/parse.js';
import { Tensor } from '../../src/tensor/index.js';
import { adHocProblem } from '../../src/question/adhoc.js';
import { MAX_FD_EVALUATIONS, MIN_ENTRIES, planCheck } from '../../src/problem/budget.js';
import { searchSamples } from '../../src/problem/search.js';
import { type CliUsage, runCliMeasured } from '../cli/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-hostile-cost-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What every case must stay within: the 2-5 s (as CPU time of the whole process) and 1 GB. */
const MAX_CPU_SECONDS = 5;
const MAX_RSS_BYTES = 1024 ** 3;
/** The process's refusal itself, before any sample: start-up and a price. */
const REFUSAL_CPU_SECONDS = 2;

function withinBounds(run: CliUsage, cpuSeconds = MAX_CPU_SECONDS): void {
  expect(run.cpuSeconds, `CPU seconds of ${run.stderr.slice(0, 300)}`).toBeLessThan(cpuSeconds);
  expect(run.maxRssBytes).toBeLessThan(MAX_RSS_BYTES);
  expect(run.stderr).not.toMatch(/internal error/);
}

const DECLARATIONS = { dims: ['N'], symbols: [{ name: 'X', shape: ['N', 'N'] }, { name: 'x', shape: ['N'] }] };

/** A formula over an N×N matrix X and an N-vector x, compiled with the default limits. */
function compiled(text: string) {
  return compileFormula(parseFormula(text, { declarations: DECLARATIONS }), DECLARATIONS);
}

/** Evaluates at size N; the inputs are not even allocated, as the price is checked first. */
function evaluateAt(text: string, N: number): unknown {
  try {
    return compiled(text)({ X: Tensor.zeros([0, 0]), x: Tensor.zeros([0]) }, { N });
  } catch (err) {
    return err;
  }
}

/** Refused with a LimitExceededError on `limit` within `ms`. */
function refusedFast(text: string, N: number, limit: string, ms = 200): LimitExceededError {
  const started = performance.now();
  const err = evaluateAt(text, N);
  expect(performance.now() - started).toBeLessThan(ms);
  expect(err).toBeInstanceOf(LimitExceededError);
  expect((err as LimitExceededError).limit).toBe(limit);
  return err as LimitExceededError;
}

const checkGradient = (grad: string, ...rest: string[]) => ['check', '--loss', 'sum(X)', '--wrt', 'X', '--grad', grad, '--shape', 'X=NxD', '--seed', '3', '--json', ...rest];

/** 2*ones(n,n) + (2*ones(n,n) + (...)): every left operand is kept while the right one is computed. */
function liveTemporaries(count: number, n: number): string {
  const term = `2*ones(${n},${n})`;
  return `${Array.from({ length: count - 1 }, () => `${term} + (`).join('')}${term}${')'.repeat(count - 1)}`;
}

describe('work is priced before it runs (static cost model, with the time limit only as a backstop)', () => {
  test('a sum of 9e8 iterations (under the old 1e9 cap) is refused before it runs, not after 38 s', async () => {
    const err = refusedFast('sum(exp(i), i, 1, 9e8)', 3, 'maxIterations');
    expect(err.message).toMatch(/9\.0e8 loop iterations/);
    const run = await runCliMeasured(checkGradient('ones(N, D) + 0*sum(exp(i), i, 1, 9e8)'));
    const finding = JSON.parse(run.stdout);
    expect([finding.verdict, finding.reason]).toEqual(['invalid', 'limit']);
    expect(finding.message).toMatch(/loop iterations/);
    withinBounds(run, REFUSAL_CPU_SECONDS);
  });

  test('sum(X, i, 1, 1e12) is refused by its price, not by the 10 s time limit', () => {
    const err = refusedFast('sum(X, i, 1, 1e12)', 3, 'maxIterations');
    expect(err.message).toMatch(/1\.0e12 loop iterations/);
  });

  test('a 3162×3162 matmul is refused before its 31 s of work', () => {
    const err = refusedFast('X * X', 3162, 'maxSeconds');
    expect(err.message).toMatch(/3\.2e10 multiply-adds/);
    expect(err.message).toMatch(/most of it is X \* X/);
    // A product of a tenth the side (3.2e7 multiply-adds) is well within the limit.
    expect(compiled('X * X').price({ N: 316 }).multiplyAdds).toBe(316 ** 3);
  });

  test('a formula keeping ~40 live 1e7-entry temporaries is refused by its memory price (3.3 GB and 45 s today)', async () => {
    const err = refusedFast(liveTemporaries(40, 3162), 1, 'maxLiveBytes');
    expect(err.message).toMatch(/3\.\d GiB of tensors alive at once/);
    const run = await runCliMeasured(checkGradient(`ones(N, D) + 0*sum(sum(${liveTemporaries(40, 3162)}))`));
    const finding = JSON.parse(run.stdout);
    expect([finding.verdict, finding.reason]).toEqual(['invalid', 'limit']);
    withinBounds(run, REFUSAL_CPU_SECONDS);
  });

  test('grade --jobs 2 with two such answers stays under 1 GB (6.7 GB today), and the rest of the batch is graded', async () => {
    const hostile = `X' * dY + 0 * sum(sum(${liveTemporaries(40, 3162)}))`;
    for (const name of ['a', 'b']) writeFileSync(path.join(dir, `${name}.yaml`), `answers:\n  - { problem: dense-batch, target: db, formula: "sum(dY, 1)" }\n  - { problem: dense-batch, target: dW, formula: "${hostile}" }\n`);
    writeFileSync(path.join(dir, 'c.yaml'), `answers:\n  - { problem: dense-batch, target: dW, formula: "X' * dY" }\n`);
    const run = await runCliMeasured(['grade', ...['a', 'b', 'c'].map((n) => path.join(dir, `${n}.yaml`)), '--jobs', '2', '--seed', '4', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    const verdicts = report.submissions.map((s: { answers: { verdict: string; reason?: string }[] }) => s.answers.map((a) => a.reason ?? a.verdict));
    expect(verdicts).toEqual([['correct', 'limit'], ['correct', 'limit'], ['correct']]);
    withinBounds(run);
  });

  test('two workers each evaluating an answer at the tensor limit (three 60 MB temporaries alive) hold under 1 GB in all', async () => {
    const atLimit = "X' * dY + 0 * sum(sum(ones(2800,2800) + (ones(2800,2800) + ones(2800,2800))))";
    for (const name of ['d', 'e']) writeFileSync(path.join(dir, `${name}.yaml`), `answers:\n  - { problem: dense-batch, target: dW, formula: "${atLimit}" }\n`);
    const run = await runCliMeasured(['grade', path.join(dir, 'd.yaml'), path.join(dir, 'e.yaml'), '--jobs', '2', '--runs', '1', '--seed', '4', '--format', 'json']);
    const report = JSON.parse(run.stdout);
    // They run (one sample each, within the claim's budget) and are right.
    expect(report.submissions.map((s: { answers: { verdict: string }[] }) => s.answers[0]!.verdict)).toEqual(['correct', 'correct']);
    withinBounds(run);
  });

  test('a loss over its price is bad usage (exit 2) with what to shrink, priced at the same rules as a gradient', async () => {
    const run = await runCliMeasured(['check', '--loss', 'sum(sum(ones(3162,3162) * ones(3162,3162))) * sum(X)', '--wrt', 'X', '--grad', 'ones(N, D)', '--shape', 'X=NxD']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/this formula needs about \d+(\.\d+)? s of work at these dimensions \(3\.2e10 multiply-adds/);
    expect(run.stderr).toMatch(/use smaller dimensions/);
    withinBounds(run, REFUSAL_CPU_SECONDS);
  });
});

describe('finite-difference work is bounded (src/problem/budget.ts)', () => {
  test('--dims N=1000 on an N×N input (1e6 entries) is checked on a random subset of entries, and the verdict says so', async () => {
    const run = await runCliMeasured(['check', '--loss', 'sum(X .* X) / 2', '--wrt', 'X', '--grad', 'X', '--shape', 'X=NxN', '--dims', 'N=1000', '--seed', '2', '--json']);
    const finding = JSON.parse(run.stdout);
    expect(finding.verdict).toBe('correct');
    expect(finding.message).toMatch(/Finite differences checked \d+ (of the 100 samples asked for, with \d+ random entries of each|random entries of each sample) \(of up to 1000000\)/);
    withinBounds(run);
  });

  test('--dims N=3000 on an N×N input (9e6 entries, under the element cap) is planned, then refused or checked on a subset, in seconds', async () => {
    const run = await runCliMeasured(['check', '--loss', 'sum(X .* X) / 2', '--wrt', 'X', '--grad', 'X', '--shape', 'X=NxN', '--dims', 'N=3000', '--seed', '2', '--json']);
    if (run.code === 2) expect(run.stderr).toMatch(/finite differences of the loss at N=3000 need about \d+ evaluations for \d+ entries of one sample .*; use smaller dimensions/);
    else expect(JSON.parse(run.stdout).message).toMatch(/Finite differences checked \d+ of the 100 samples asked for, with \d+ random entries of each \(of up to 9000000\)/);
    withinBounds(run);
  });

  test('a rank-8 input with default dims finishes in seconds (past 2 minutes before the sample budget); rank is capped', async () => {
    const run = await runCliMeasured(['check', '--loss', 'sum(X .* X) / 2', '--wrt', 'X', '--grad', 'X', '--shape', 'X=AxBxCxDxExFxGxH', '--seed', '2', '--json']);
    expect(JSON.parse(run.stdout).verdict).toBe('correct');
    withinBounds(run);
  });

  test('a rank-40 input is refused by the rank cap (past 3 minutes today)', async () => {
    const shape = Array.from({ length: 40 }, (_, i) => `A${i}`).join('x');
    const run = await runCliMeasured(['check', '--loss', 'sum(X)', '--wrt', 'X', '--grad', 'X', '--shape', `X=${shape}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/X has rank 40, more than the 8 axes a tensor may have/);
    withinBounds(run, REFUSAL_CPU_SECONDS);
  });

  test('the total FD evaluations of one check are capped, and the cap is reported', () => {
    // A forward without a price (as a problem module's is) is bounded by the count of evaluations alone.
    const { problem, target } = adHocProblem({ loss: 'sum(X)', wrt: 'X', grad: 'ones(N, N)', shapes: { X: ['N', 'N'] }, dimRanges: { N: [1000, 1000] } });
    const unpriced = { ...problem, forwardCost: undefined };
    const plan = planCheck(unpriced, target, searchSamples(unpriced, 100, 1));
    expect(plan.runs).toBe(100);
    // Entries per sample × 10 evaluations each + 50 per sample, over 100 samples, within the cap.
    expect(plan.entries).toBe(Math.floor((MAX_FD_EVALUATIONS / 100 - 50) / 10));
    expect(plan.entries).toBeGreaterThanOrEqual(MIN_ENTRIES);
    expect(plan.note).toMatch(new RegExp(`Finite differences checked ${plan.entries} random entries of each sample \\(of up to 1000000\\)`));
  });
});

describe('numbers at the edge are honest', () => {
  test('check --loss "sum(1e16 + X - 1e16)" --grad "ones(N, D)" is undecided (the loss is a float64 staircase), never incorrect', async () => {
    const run = await runCliMeasured(['check', '--loss', 'sum(1e16 + X - 1e16)', '--wrt', 'X', '--grad', 'ones(N, D)', '--shape', 'X=NxD', '--seed', '5', '--json']);
    const finding = JSON.parse(run.stdout);
    expect([finding.verdict, finding.reason]).toEqual(['undecided', 'quantised-loss']);
    withinBounds(run);
  });
});

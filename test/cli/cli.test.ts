import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { findingJsonSchema } from './finding-schema.js';
import { type CliResult, runCli, runCliAsync } from './run-cli.js';

/** The JSON schemas of docs/cli.md, as the tests hold the CLI to them. */
const nested: z.ZodType<unknown> = z.lazy(() => z.union([z.number(), z.null(), z.array(nested)]));
const listSchema = z.object({
  problems: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      statement: z.string(),
      inputs: z.array(z.object({ name: z.string(), shape: z.string(), domain: z.string(), role: z.string() })),
      intermediates: z.array(z.object({ name: z.string(), shape: z.string() })),
      targets: z.array(z.object({ name: z.string(), kind: z.string(), shape: z.string() })),
      examples: z.array(z.object({ name: z.string(), description: z.string() })),
    }),
  ),
});
const verifySchema = z.object({
  passed: z.boolean(),
  seed: z.number().int(),
  results: z.array(
    z.object({
      problem: z.string(),
      target: z.string(),
      runs: z.number().int(),
      closedForm: z.enum(['pass', 'fail']),
      mistakes: z.object({ rejected: z.number().int(), total: z.number().int() }),
      symbolic: z.enum(['proven', 'refuted', 'undecided', 'n/a']),
      maxRelErr: z.number().nullable(),
    }),
  ),
});
const checkSchema = findingJsonSchema.extend({ seed: z.number().int(), runs: z.number().int() });
const evalSchema = z.object({
  problem: z.string(),
  example: z.string().optional(),
  loss: z.number(),
  targets: z.record(
    z.string(),
    z.object({
      shape: z.array(z.number()),
      numeric: nested,
      errorEstimate: nested,
      closedForm: nested,
      maxAbsErr: z.number().nullable(),
      maxRelErr: z.number().nullable(),
      verdict: z.enum(['correct', 'incorrect', 'undecided', 'non-differentiable', 'invalid']),
    }),
  ),
  step: z.object({ lr: z.number(), params: z.record(z.string(), nested) }).optional(),
});

const LEAST_SQUARES = ['--loss', '0.5*sum((X*W - T).^2)', '--wrt', 'W', '--shape', 'X=NxD', '--shape', 'W=DxM', '--shape', 'T=NxM', '--runs', '20'];

describe('derivcheck (child process)', () => {
  test('--help lists every command and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['list', 'verify', 'eval', 'check']) expect(r.stdout).toContain(`derivcheck ${command}`);
  });

  test('an unknown command is bad input (exit 2) and names close commands', () => {
    const r = runCli(['verfy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/verify/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  test('list --json follows the schema and contains dense-batch', () => {
    const r = runCli(['list', '--json']);
    expect(r.code).toBe(0);
    const parsed = listSchema.parse(JSON.parse(r.stdout));
    expect(parsed.problems.map((p) => p.id)).toContain('dense-batch');
  });

  // One run in this thread and one in two workers, shared by the verify tests.
  const verifyRuns = new Map<number, CliResult>();
  const verifyRun = (jobs: number): CliResult => {
    if (!verifyRuns.has(jobs)) verifyRuns.set(jobs, runCli(['verify', 'dense-batch', '--runs', '5', '--seed', '11', '--json', '--jobs', String(jobs)]));
    return verifyRuns.get(jobs)!;
  };

  test('verify --json passes for dense-batch and echoes the seed', () => {
    const r = verifyRun(2);
    expect(r.code).toBe(0);
    const parsed = verifySchema.parse(JSON.parse(r.stdout));
    expect(parsed.seed).toBe(11);
    expect(parsed.passed).toBe(true);
    expect(parsed.results.map((x) => x.target).sort()).toEqual(['dW', 'dX', 'db']);
  });

  test('verify is reproducible: the same seed prints the same JSON apart from timings, in this thread or in two workers', () => {
    const strip = (s: string) => s.replace(/"timeMs": \d+/g, '');
    expect(verifyRun(1).code).toBe(0);
    expect(strip(verifyRun(1).stdout)).toBe(strip(verifyRun(2).stdout));
  });

  test('check accepts the right least-squares gradient (exit 0)', () => {
    const r = runCli(['check', ...LEAST_SQUARES, '--grad', "X' * (X*W - T)", '--seed', '3', '--json']);
    expect(r.code).toBe(0);
    expect(checkSchema.parse(JSON.parse(r.stdout)).verdict).toBe('correct');
  });

  test('check rejects a sign-flipped gradient with evidence (exit 1)', () => {
    const r = runCli(['check', ...LEAST_SQUARES, "--grad=-X' * (X*W - T)", '--seed', '3', '--json']);
    expect(r.code).toBe(1);
    const parsed = checkSchema.parse(JSON.parse(r.stdout));
    expect(parsed.verdict).toBe('incorrect');
    expect(parsed.mistake).toMatchObject({ label: 'sign', source: 'fd-pattern' });
    expect(parsed.evidence!.entries.length).toBeGreaterThan(0);
    for (const w of parsed.evidence!.entries) expect(w.got).toBeCloseTo(-w.expected!, 6);
  });

  test('check calls a transposed gradient incorrect (shape), with the shapes, and a formula whose operands do not fit invalid', () => {
    const r = runCli(['check', ...LEAST_SQUARES, '--grad', "(X*W - T)' * X", '--json']);
    expect(r.code).toBe(1);
    const parsed = checkSchema.parse(JSON.parse(r.stdout));
    expect(parsed).toMatchObject({ verdict: 'incorrect', reason: 'shape', mistake: { label: 'transposed' } });
    expect(parsed.message).toContain('expected D×M, got M×D (transposed?)');
    const operands = checkSchema.parse(JSON.parse(runCli(['check', ...LEAST_SQUARES, '--grad', 'X * T', '--json']).stdout));
    expect(operands).toMatchObject({ verdict: 'invalid', reason: 'formula-shape' });
  });

  test('check respects domains: softmax-CE needs p on the simplex', () => {
    const base = ['check', '--loss=-sum(p .* log(softmax(z, 2)))', '--wrt', 'z', '--grad', 'softmax(z, 2) - p', '--shape', 'z=BxK', '--shape', 'p=BxK', '--runs', '20', '--json'];
    expect(runCli([...base, '--domain', 'p=simplex']).code).toBe(0);
    // Without Σp = 1 the closed form is wrong, and the checker says so.
    expect(JSON.parse(runCli(base).stdout).verdict).toBe('incorrect');
  });

  test('check says the loss is outside its domain (NaN) instead of guessing, and passes once the domain is declared', async () => {
    const base = ['check', '--loss', 'sum(log(x))', '--wrt', 'x', '--grad', '1 ./ x', '--shape', 'x=Nx1', '--runs', '20', '--seed', '2', '--json'];
    const [outside, inside] = await Promise.all([runCliAsync(base), runCliAsync([...base, '--domain', 'x=positive'])]);
    expect(outside.code).toBe(1);
    const parsed = checkSchema.parse(JSON.parse(outside.stdout));
    expect(parsed.verdict).toBe('undecided');
    expect(parsed.message).toMatch(/the loss is NaN or infinite at \d+ of 20 samples.*--domain x=positive/);
    expect(inside.code).toBe(0);
    expect(checkSchema.parse(JSON.parse(inside.stdout)).verdict).toBe('correct');
  });

  test('check draws labels with a numeric class count, ±1 labels and SPD matrices', async () => {
    const runs = ['--runs', '10', '--seed', '3', '--json'];
    const results = await Promise.all([
      runCliAsync(['check', '--loss', 'sum(onehot(c, 2) .* z)', '--wrt', 'z', '--grad', 'onehot(c, 2)', '--shape', 'z=Nx2', '--shape', 'c=N', '--domain', 'c=labels:2', ...runs]),
      runCliAsync(['check', '--loss', 'sum(log(1 + exp(-y .* (X * w))))', '--wrt', 'w', "--grad=-X' * (y .* sigmoid(-y .* (X * w)))", '--shape', 'X=NxD', '--shape', 'y=N', '--shape', 'w=D', '--domain', 'y=pm1', ...runs]),
      runCliAsync(['check', '--loss', 'logdet(S)', '--wrt', 'S', '--grad', "inv(S)'", '--shape', 'S=NxN', '--domain', 'S=spd', ...runs]),
    ]);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(checkSchema.parse(JSON.parse(r.stdout)).verdict).toBe('correct');
    }
  });

  test('eval on a file of numbers prints loss, gradients and one SGD step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'derivcheck-'));
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify({ inputs: { X: [[1, 2]], W: [[1], [-1]], b: [[0.5]], dY: [[2]] } }));
    const r = runCli(['eval', 'dense-batch', '--input', file, '--lr', '0.5', '--json']);
    expect(r.code).toBe(0);
    const parsed = evalSchema.parse(JSON.parse(r.stdout));
    // L = dY·(X W + b) = 2·(1 − 2 + 0.5) = −1; dW = Xᵀ dY = [2; 4]; W − 0.5·dW = [0; −3].
    expect(parsed.loss).toBeCloseTo(-1, 12);
    expect(parsed.targets['dW']!.numeric).toEqual([[expect.closeTo(2, 9)], [expect.closeTo(4, 9)]]);
    expect(parsed.step!.params['W']).toEqual([[0], [-3]]);
  });

  test('eval with a wrong formula exits 1 and marks it incorrect', () => {
    const r = runCli(['eval', 'dense-batch', '--example', 'dense-2x2x3', '--formula', 'db=mean(dY, 1)', '--json']);
    expect(r.code).toBe(1);
    expect(evalSchema.parse(JSON.parse(r.stdout)).targets['db']!.verdict).toBe('incorrect');
  });

  describe('bad arguments: exit 2, a message naming the argument and an example, no stack trace', () => {
    const cases: [string, string[], RegExp][] = [
      ['unknown problem', ['verify', 'dense-btch'], /unknown problem 'dense-btch': did you mean 'dense-batch'/],
      ['runs not a positive integer', ['verify', '--runs', '0'], /--runs: 0 is out of range; expected a whole number in 1\.\.1000.*e\.g\. --runs 100/],
      ['jobs not a positive integer', ['verify', '--jobs', '1.5'], /--jobs: 1\.5 is out of range; expected a whole number in 1\.\.\d+.*e\.g\. --jobs 2/],
      ['eval without example or input', ['eval', 'dense-batch'], /--example\/--input: give exactly one/],
      ['unknown example', ['eval', 'dense-batch', '--example', 'nope'], /--example: dense-batch has no example 'nope'/],
      ['missing input file', ['eval', 'dense-batch', '--input', '/nonexistent.json'], /--input: \/nonexistent\.json: cannot read the file \(ENOENT/],
      ['formula not TARGET=EXPR', ['eval', 'dense-batch', '--example', 'dense-2x2x3', '--formula', "X' * dY"], /--formula: .* is not TARGET=FORMULA/],
      ['formula for an unknown target', ['eval', 'dense-batch', '--example', 'dense-2x2x3', '--formula', 'dQ=X'], /dQ is not a target of dense-batch/],
      ['check without shapes', ['check', '--loss', 'sum(x)', '--wrt', 'x', '--grad', '1'], /--shape: no input is declared/],
      ['malformed shape', ['check', '--loss', 'sum(x)', '--wrt', 'x', '--grad', 'x', '--shape', 'x'], /--shape: 'x' is not NAME=VALUE/],
      ['malformed dims', ['check', '--loss', 'sum(x)', '--wrt', 'x', '--grad', 'x', '--shape', 'x=N', '--dims', 'N=5..2'], /--dims: 'N=5\.\.2' is not a size range/],
      ['malformed domain', ['check', '--loss', 'sum(x)', '--wrt', 'x', '--grad', 'x', '--shape', 'x=N', '--domain', 'x=gaussian'], /--domain: 'gaussian' is not a domain/],
      ['a domain that does not fit its shape', ['check', '--loss', 'sum(X)', '--wrt', 'X', '--grad', 'X', '--shape', 'X=NxD', '--domain', 'X=spd'], /--domain X: spd draws square matrices, and X is N×D/],
      ['labels of an unknown class count', ['check', '--loss', 'sum(x)', '--wrt', 'x', '--grad', 'x', '--shape', 'x=N', '--shape', 'c=N', '--domain', 'c=labels:Q'], /--domain c: labels:Q: the class count Q is not a dimension/],
      ['unparsable loss', ['check', '--loss', 'sum(x', '--wrt', 'x', '--grad', 'x', '--shape', 'x=N'], /sum\(x/],
      ['unknown symbol in the loss', ['check', '--loss', 'sum(y)', '--wrt', 'x', '--grad', 'x', '--shape', 'x=N'], /y/],
      ['wrt not declared', ['check', '--loss', 'sum(x)', '--wrt', 'q', '--grad', 'x', '--shape', 'x=N'], /--wrt q is not a declared input/],
      ['a vector loss', ['check', '--loss', 'x', '--wrt', 'x', '--grad', 'x', '--shape', 'x=Nx1'], /the loss must be a scalar/],
      ['a formula starting with -', ['check', '--loss', '-sum(x)', '--wrt', 'x', '--grad', 'x', '--shape', 'x=N'], /must be attached to its option/],
    ];
    // Independent processes: run side by side.
    test.concurrent.for(cases)('%s', async ([, args, message], { expect }) => {
      const r = await runCliAsync(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
      expect(r.stdout).toBe('');
    });
  });
});

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { findingJsonSchema } from '../cli/finding-schema.js';
import { runCli, runCliAsync } from '../cli/run-cli.js';

/** `derivcheck grade` as a child process (the built CLI), held to docs/grading.md's formats and exit codes. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-grade-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const sub = path.join(dir, name);
  mkdirSync(sub, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(sub, file), text);
  return sub;
}

const ALL_RIGHT = `id: alice\nanswers:\n  - { problem: dense-batch, target: dW, formula: "X' * dY" }\n  - { problem: softmax-ce, target: dz, latex: "\\\\operatorname{softmax}(z, 2) - p" }\n`;
const SOME_WRONG = `id: bob\nanswers:\n  - { problem: dense-batch, target: dW, formula: "dY' * X" }\n  - { problem: relu, target: dX, formula: "dY" }\n`;

const jsonSchema = z.object({
  seed: z.number().int(),
  runs: z.number().int(),
  partial: z.boolean(),
  submissions: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      status: z.enum(['graded', 'invalid']),
      score: z.number(),
      maxScore: z.number(),
      answers: z.array(
        findingJsonSchema.extend({
          problem: z.string(),
          target: z.string(),
          score: z.number(),
          maxScore: z.number(),
          readAs: z.string().nullable(),
        }),
      ),
    }),
  ),
});

describe('derivcheck grade', () => {
  test('exits 0 when every answer is correct, and prints the summary', () => {
    const r = runCli(['grade', folder('right', { 'alice.yaml': ALL_RIGHT }), '--seed', '4', '--jobs', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('alice (');
    expect(r.stdout).toContain('answers: 2 correct, 0 incorrect, 0 invalid, 0 undecided, 0 non-differentiable');
    expect(r.stdout).toContain('seed 4');
  });

  test('exits 1 when an answer is not correct; --json (--format json) follows the documented schema', () => {
    const subs = folder('mixed', { 'alice.yaml': ALL_RIGHT, 'bob.yaml': SOME_WRONG, 'carol.json': '{"answers": 3}' });
    const r = runCli(['grade', subs, '--json', '--seed', '4', '--jobs', '1']);
    expect(r.code).toBe(1);
    const report = jsonSchema.parse(JSON.parse(r.stdout));
    expect(report.submissions.map((s) => [s.id, s.status, s.score, s.maxScore])).toEqual([
      ['alice', 'graded', 2, 2],
      ['bob', 'graded', 0, 2],
      ['carol', 'invalid', 0, 0],
    ]);
    expect(report.submissions[1]!.answers.map((a) => a.mistake?.label)).toEqual(['transposed', 'missing-sigma-prime']);
  });

  test('--format gradescope writes one results.json for one submission', () => {
    const out = path.join(dir, 'autograder', 'results', 'results.json');
    const r = runCli(['grade', folder('gs', { 'submission.yaml': SOME_WRONG }), '--format', 'gradescope', '--out', out, '--seed', '1', '--jobs', '1']);
    expect(r.code).toBe(1);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results).toMatchObject({ score: 0, max_score: 2 });
    expect(results.tests.map((t: { name: string }) => t.name)).toEqual(['dense-batch/dW', 'relu/dX']);
  });

  test('--format prairielearn prints the results of one submission; --points sets the points and the assignment, and nothing else is graded', () => {
    const points = path.join(dir, 'points.yaml');
    writeFileSync(points, 'dense-batch: { dW: 3, db: 2 }\n');
    const r = runCli(['grade', path.join(folder('pl', { 'alice.yaml': ALL_RIGHT }), 'alice.yaml'), '--format', 'prairielearn', '--points', points, '--seed', '1', '--jobs', '1']);
    const results = JSON.parse(r.stdout);
    // dW right (3 of 3), db not answered (0 of 2); dz is not part of the assignment: not graded, worth nothing.
    expect(results.score).toBeCloseTo(3 / 5, 12);
    expect(results.tests.map((t: { name: string; points: number; max_points: number }) => [t.name, t.points, t.max_points])).toEqual([
      ['dense-batch/dW', 3, 3],
      ['dense-batch/db', 0, 2],
    ]);
    expect(results.message).toContain('Not graded: softmax-ce/dz (line 4) is not part of this assignment.');
  });

  test('--format html writes an index, a page per submission and the fonts', () => {
    const out = path.join(dir, 'report');
    const r = runCli(['grade', folder('html', { 'alice.yaml': ALL_RIGHT, 'bob.yaml': SOME_WRONG }), '--format', 'html', '--out', out, '--seed', '2', '--jobs', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('wrote 3 files');
    expect(readdirSync(out).sort()).toEqual(['alice.html', 'bob.html', 'fonts', 'index.html']);
  });

  test('bad usage exits 2 with the option, the expected form and an example', async () => {
    const subs = folder('usage', { 'alice.yaml': ALL_RIGHT });
    const points = path.join(dir, 'bad-points.yaml');
    writeFileSync(points, 'dense-batch: { dw: 2 }\n');
    const cases: [string[], RegExp][] = [
      [['grade', folder('empty', {})], /no \.yaml, \.yml or \.json file/],
      [['grade', path.join(dir, 'nowhere')], /cannot read .*nowhere \(ENOENT\)/],
      [['grade', subs, '--jobs', '0'], /--jobs: '0' is not a positive integer/],
      [['grade', subs, '--format', 'html'], /--out: the html format writes a folder/],
      [['grade', subs, '--format', 'pdf'], /Invalid values/],
      [['grade', subs, '--points', points], /bad-points\.yaml:1:16: dense-batch\.dw: dense-batch has no target 'dw'; did you mean 'dW'\?/],
    ];
    // Independent processes: run side by side.
    const results = await Promise.all(cases.map(([args]) => runCliAsync(args)));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.stderr, args.join(' ')).toMatch(message);
    });
  });
});

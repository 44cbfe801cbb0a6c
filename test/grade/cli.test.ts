import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { findingJsonSchema } from '../cli/finding-schema.js';
import { runCli, runCliAsync } from '../cli/run-cli.js';
import { gradescopeResultsSchema, prairieLearnResultsSchema } from './platform-schemas.js';

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

  test('--format gradescope writes one results.json for one submission, naming the student from the submission metadata', () => {
    const out = path.join(dir, 'autograder', 'results', 'results.json');
    const metadata = path.join(import.meta.dirname, 'fixtures', 'submission_metadata.json');
    const r = runCli(['grade', folder('gs', { 'submission.yaml': SOME_WRONG }), '--format', 'gradescope', '--out', out, '--seed', '1', '--jobs', '1', '--submission-metadata', metadata]);
    expect(r.code).toBe(1);
    const results = gradescopeResultsSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(results).toMatchObject({ score: 0, extra_data: { seed: 1, declared_id: 'bob' } });
    expect(results.output).toMatch(/^Ada Student <ada\.student@example\.edu>, Grace Partner <grace\.partner@example\.edu>: 0\/2 points\./);
    expect(results.tests!.map((t) => [t.number, t.name])).toEqual([
      ['1.1', 'dense-batch/dW'],
      ['2.1', 'relu/dX'],
    ]);
  });

  test('--format prairielearn prints the results of one submission; --points sets the points and the assignment, and nothing else is graded', () => {
    const points = path.join(dir, 'points.yaml');
    writeFileSync(points, 'dense-batch: { dW: 3, db: 2 }\n');
    const r = runCli(['grade', path.join(folder('pl', { 'alice.yaml': ALL_RIGHT }), 'alice.yaml'), '--format', 'prairielearn', '--points', points, '--seed', '1', '--jobs', '1']);
    const results = prairieLearnResultsSchema.parse(JSON.parse(r.stdout));
    // dW right (3 of 3), db not answered (0 of 2); dz is not part of the assignment: not graded, worth nothing.
    expect(results.score).toBeCloseTo(3 / 5, 12);
    expect(results.seed).toBe(1);
    expect(results.tests!.map((t) => [t.name, t.points, t.max_points])).toEqual([
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

  test('--summary, --format csv with --csv-long, --overrides and --anonymize, in one run each', async () => {
    const subs = folder('class', { 'alice.yaml': ALL_RIGHT, 'bob.yaml': SOME_WRONG });
    const overrides = path.join(dir, 'overrides.yaml');
    writeFileSync(overrides, '- { student: bob, problem: relu, target: dX, points: 1, note: the TA accepts it }\n- { student: zed, problem: relu, target: dX, points: 1, note: nobody }\n');
    const long = path.join(dir, 'answers.csv');
    const [summary, csv, anonymous] = await Promise.all([
      runCliAsync(['grade', subs, '--summary', '--overrides', overrides, '--seed', '4', '--jobs', '1']),
      runCliAsync(['grade', subs, '--format', 'csv', '--csv-long', long, '--seed', '4', '--jobs', '1']),
      runCliAsync(['grade', subs, '--json', '--anonymize', '--anonymize-salt', 's3cret', '--seed', '4', '--jobs', '1']),
    ]);
    expect(summary.stdout).toMatch(/^class summary: 2 submissions \(2 graded, 0 invalid files\)/);
    expect(summary.stdout).toContain('1.1 dense-batch/dW  2 answers, mean 0.5/1');
    expect(summary.stdout).toContain('overridden: 1 answer');
    expect(summary.stderr).toMatch(/overrides\.yaml:2: no submission has the id 'zed'; the ruling was not used/);
    expect(csv.stdout.split('\n')[0]).toBe('student,status,dense-batch/dW,softmax-ce/dz,relu/dX,total,max_total');
    expect(readFileSync(long, 'utf8').split('\n')[0]).toBe('student,problem,target,line,verdict,reason,points,max_points,mistake,read_as,needs_review,override_note');
    const ids = JSON.parse(anonymous.stdout).submissions.map((s: { id: string }) => s.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^anon-[0-9a-f]{12}$/);
    expect(anonymous.stdout).not.toMatch(/\b(alice|bob)\b/);
  });

  test('a --time-limit too short for the grader exits 2 with a configuration error, blaming no answer', () => {
    // Right answers that are neither a reference's text nor an accepted spelling (each is evaluated on the
    // clock), one of them a convolution; at 400 samples each takes tens of milliseconds, so the clock fires
    // while the worker grades even on a loaded machine (a submission whose answers all arrive is complete).
    const subs = folder('short', {
      'carl.yaml': "answers:\n  - { problem: dense-batch, target: dW, formula: \"((dY)' * X)'\" }\n  - { problem: softmax-ce, target: dz, formula: \"softmax(z,2)-p\" }\n  - { problem: conv2d, target: dK, formula: \"dK[f,c,:,:] = sum(corr2(X[n,c,:,:],dY[n,f,:,:],'valid'),n)\" }\n",
    });
    const r = runCli(['grade', subs, '--time-limit', '0.001', '--json', '--seed', '4', '--jobs', '1', '--runs', '400']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/configuration error: --time-limit 0\.001 s is too short for the grader/);
    const report = JSON.parse(r.stdout);
    expect(report.configurationErrors).toHaveLength(1);
    for (const a of report.submissions[0].answers) expect(a.verdict === 'correct' || a.reason === 'not-graded').toBe(true);
  });

  test('bad usage exits 2 with the option, the expected form and an example', async () => {
    const subs = folder('usage', { 'alice.yaml': ALL_RIGHT });
    const points = path.join(dir, 'bad-points.yaml');
    writeFileSync(points, 'dense-batch: { dw: 2 }\n');
    const cases: [string[], RegExp][] = [
      [['grade', folder('empty', {})], /no \.yaml, \.yml or \.json file/],
      [['grade', path.join(dir, 'nowhere')], /cannot read .*nowhere \(ENOENT\)/],
      [['grade', subs, '--jobs', '0'], /--jobs: 0 is out of range; expected a whole number in 1\.\./],
      [['grade', subs, '--format', 'html'], /--out: the html format writes a folder/],
      [['grade', subs, '--format', 'pdf'], /Invalid values/],
      [['grade', subs, '--points', points], /bad-points\.yaml:1:16: dense-batch\.dw: dense-batch has no target 'dw'; did you mean 'dW'\?/],
      [['grade', subs, '--overrides', points], /--overrides: .*bad-points\.yaml:1:1: expected array, got a mapping/],
    ];
    // Independent processes: run side by side.
    const results = await Promise.all(cases.map(([args]) => runCliAsync(args)));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.stderr, args.join(' ')).toMatch(message);
    });
  });
});

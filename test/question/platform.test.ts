/**
 * `derivcheck grade --questions` with an assignment, through the built CLI: the Gradescope and
 * PrairieLearn results are valid against the schemas written from the platforms' specifications
 * (test/grade/platform-schemas.ts), and every output follows the assignment: an unassigned target (of a
 * question file or of a built-in problem) is never a test, a gradebook column or an answer row.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, test } from 'vitest';
import { runCliAsync } from '../cli/run-cli.js';
import { gradescopeResultsSchema, prairieLearnResultsSchema } from '../grade/platform-schemas.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-question-platform-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TANH = fileURLToPath(new URL('./files/tanh-mlp-ce.yaml', import.meta.url));
const RIGHT_DW1 = "X' * ((1 - H.^2) .* ((P - onehot(c, K)) * W2')) / N";
const NO_TANH_PRIME = "X' * ((P - onehot(c, K)) * W2') / N";

/** dW1 of the question file at 3 points and the built-in dense-batch's dW; the question's dW2, dense-batch's db and relu are not assigned. */
const assignment = path.join(dir, 'hw.yaml');
writeFileSync(assignment, 'questions:\n  tanh-mlp-ce:\n    targets: { dW1: 3 }\n  dense-batch:\n    targets: [dW]\n');

const subs = path.join(dir, 'subs');
mkdirSync(subs);
const answer = (problem: string, target: string, formula: string) => `  - { problem: ${problem}, target: ${target}, formula: ${JSON.stringify(formula)} }\n`;
writeFileSync(
  path.join(subs, 'alice.yaml'),
  `id: alice\nanswers:\n${answer('tanh-mlp-ce', 'dW1', RIGHT_DW1)}${answer('tanh-mlp-ce', 'dW2', "H' * (P - onehot(c, K)) / N")}${answer('dense-batch', 'dW', "X' * dY")}${answer('dense-batch', 'db', 'sum(dY, 1)')}${answer('relu', 'dX', '(X > 0) .* dY')}`,
);
writeFileSync(path.join(subs, 'bob.yaml'), `id: bob\nanswers:\n${answer('tanh-mlp-ce', 'dW1', NO_TANH_PRIME)}${answer('tanh-mlp-ce', 'dW2', 'H')}`);
writeFileSync(path.join(subs, 'carol.yaml'), 'id: carol\nanswers: [dW1\n');

const ASSIGNED = ['tanh-mlp-ce/dW1', 'dense-batch/dW'];
const grade = (...args: string[]) => runCliAsync(['grade', subs, '--questions', TANH, '--assignment', assignment, '--seed', '3', '--jobs', '1', ...args]);

function jsonFiles(folder: string): Record<string, unknown> {
  return Object.fromEntries(readdirSync(folder).map((f) => [f, JSON.parse(readFileSync(path.join(folder, f), 'utf8'))]));
}

describe('grade --questions with an assignment, on the platforms', () => {
  test.concurrent('Gradescope: every results.json is valid against the specification, with the assigned targets as its tests', async () => {
    const out = path.join(dir, 'gradescope');
    const r = await grade('--format', 'gradescope', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const results = Object.fromEntries(Object.entries(jsonFiles(out)).map(([f, json]) => [f, gradescopeResultsSchema.parse(json)]));
    expect(Object.keys(results).sort()).toEqual(['alice.json', 'bob.json', 'carol.json']);
    const alice = results['alice.json']!;
    expect(alice.score).toBe(4);
    expect(alice.tests!.map((t) => [t.number, t.name, t.score, t.max_score, t.status])).toEqual([
      ['1.1', 'tanh-mlp-ce/dW1', 3, 3, 'passed'],
      ['2.1', 'dense-batch/dW', 1, 1, 'passed'],
    ]);
    expect(alice.output).toContain('Not graded: tanh-mlp-ce/dW2 (line 4) is not part of this assignment.');
    expect(alice.output).toContain('Not graded: relu/dX (line 7) is not part of this assignment.');
    const bob = results['bob.json']!;
    expect(bob.tests!.map((t) => [t.name, t.score, t.max_score, t.tags])).toEqual([
      ['tanh-mlp-ce/dW1', 0, 3, ['incorrect', 'missing-tanh-prime']],
      ['dense-batch/dW', 0, 1, ['invalid']],
    ]);
    expect(results['carol.json']).toMatchObject({ score: 0, tests: [] });
  });

  test.concurrent('PrairieLearn: every result is valid against the specification, scored over the assignment', async () => {
    const out = path.join(dir, 'prairielearn');
    const r = await grade('--format', 'prairielearn', '--out', out);
    expect(r.code).toBe(1);
    const results = Object.fromEntries(Object.entries(jsonFiles(out)).map(([f, json]) => [f, prairieLearnResultsSchema.parse(json)]));
    expect(results['alice.json']).toMatchObject({ gradable: true, score: 1, seed: 3 });
    expect(results['alice.json']!.tests!.map((t) => [t.name, t.points, t.max_points])).toEqual([
      ['tanh-mlp-ce/dW1', 3, 3],
      ['dense-batch/dW', 1, 1],
    ]);
    expect(results['alice.json']!.message).toContain('Not graded: dense-batch/db (line 6) is not part of this assignment.');
    expect(results['bob.json']).toMatchObject({ gradable: true, score: 0 });
    expect(results['bob.json']!.tests!.map((t) => t.name)).toEqual(ASSIGNED);
    expect(results['carol.json']).toMatchObject({ gradable: false, format_errors: [expect.stringMatching(/line \d+, column \d+: not valid YAML or JSON/)] });
  });

  test.concurrent('CSV: one column per assigned target, none for an unassigned one; --csv-long has rows for assigned targets only', async () => {
    const long = path.join(dir, 'answers.csv');
    const r = await grade('--format', 'csv', '--csv-long', long);
    expect(r.code).toBe(1);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['student', 'status', ...ASSIGNED, 'total', 'max_total']);
    expect(rows.map((row) => [row['student'], row['status'], row['tanh-mlp-ce/dW1'], row['dense-batch/dW'], row['total'], row['max_total']])).toEqual([
      ['alice', 'graded', '3', '1', '4', '4'],
      ['bob', 'graded', '0', '0', '0', '4'],
      ['carol', 'invalid-file', '', '', '0', '4'],
    ]);
    const answers = parse(readFileSync(long, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(answers.map((a) => [a['student'], `${a['problem']}/${a['target']}`, a['verdict']])).toEqual([
      ['alice', 'tanh-mlp-ce/dW1', 'correct'],
      ['alice', 'dense-batch/dW', 'correct'],
      ['bob', 'tanh-mlp-ce/dW1', 'incorrect'],
      ['bob', 'dense-batch/dW', 'invalid'],
      // A file that could not be read is one row of its own, naming no target.
      ['carol', '/', 'invalid-file'],
    ]);
  });
});

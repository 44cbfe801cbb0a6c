import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { runCliAsync } from '../cli/run-cli.js';
import { gradescopeResultsSchema } from '../grade/platform-schemas.js';

/** The question commands as a user runs them (the built CLI in a child process). */
const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-question-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TANH = path.join(dir, 'hw', 'tanh-mlp-ce.yaml');
mkdirSync(path.dirname(TANH), { recursive: true });
copyFileSync(new URL('./files/tanh-mlp-ce.yaml', import.meta.url), TANH);

const LET_CHECK = ['check', '--let', 'H=tanh(X*W)', '--loss', 'sum(H .* G)', '--wrt', 'W', '--shape', 'X=NxD', '--shape', 'W=DxM', '--shape', 'G=NxM', '--runs', '20', '--seed', '3'];

describe('derivcheck with question files and named intermediates', () => {
  test.concurrent('check --let: an answer that uses the let name passes, one without tanh\' fails, a bad --let is bad input with its caret', async () => {
    const [right, wrong, badLet, wrtLet] = await Promise.all([
      runCliAsync([...LET_CHECK, '--grad', "X' * ((1 - H.^2) .* G)"]),
      runCliAsync([...LET_CHECK, '--grad', "X' * G"]),
      runCliAsync(['check', '--let', 'H=tanh(X*Q)', '--loss', 'sum(H)', '--wrt', 'X', '--grad', 'X', '--shape', 'X=NxD']),
      runCliAsync(['check', '--let', 'H=tanh(X*W)', '--loss', 'sum(H .* G)', '--wrt', 'H', '--grad', 'G', '--shape', 'X=NxD', '--shape', 'W=DxM', '--shape', 'G=NxM', '--runs', '10', '--json']),
    ]);
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('✓ correct');
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('✗ incorrect');
    expect(badLet.code).toBe(2);
    expect(badLet.stderr).toContain('--let H: unknown symbol Q');
    expect(badLet.stderr).toContain('  tanh(X*Q)\n         ^');
    expect(wrtLet.code).toBe(0);
    expect(JSON.parse(wrtLet.stdout).verdict).toBe('correct');
  });

  test.concurrent('verify a question file and a folder; list, eval and check --question', async () => {
    const [verify, folder, list, evaluated, checked] = await Promise.all([
      runCliAsync(['verify', TANH, '--runs', '10', '--seed', '1', '--json']),
      runCliAsync(['verify', path.dirname(TANH), 'relu', '--runs', '5', '--seed', '1', '--quiet', '--jobs', '1']),
      runCliAsync(['list', '--questions', path.dirname(TANH), '--json']),
      runCliAsync(['eval', TANH, '--example', 'tiny', '--formula', "dW2=H' * (onehot(c, K) - P) / N", '--json']),
      runCliAsync(['check', '--question', TANH, '--target', 'dW2', '--grad', "H' * (P - onehot(c, K)) / N", '--runs', '10']),
    ]);
    expect(verify.code).toBe(0);
    const report = JSON.parse(verify.stdout);
    expect(report.results.map((r: { target: string; closedForm: string; mistakes: unknown }) => [r.target, r.closedForm, r.mistakes])).toEqual([
      ['dW1', 'pass', { rejected: 1, total: 1 }],
      ['dW2', 'pass', { rejected: 0, total: 0 }],
    ]);
    expect(folder.code).toBe(0);
    expect(folder.stdout).toContain('verified: 2 problem(s)');
    const listed = JSON.parse(list.stdout).problems;
    expect(listed.map((p: { id: string }) => p.id)).toEqual(['tanh-mlp-ce']);
    expect(listed[0].intermediates.map((i: { name: string; shape: string }) => `${i.name} ${i.shape}`)).toEqual(['H N×Hd', 'Z N×K', 'P N×K']);
    expect(evaluated.code).toBe(1);
    const targets = JSON.parse(evaluated.stdout).targets;
    expect([targets.dW1.closedFormFinding.verdict, targets.dW2.closedFormFinding.verdict, targets.dW2.verdict]).toEqual(['correct', 'correct', 'incorrect']);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('✓ correct');
  });

  test.concurrent('grade --questions with an assignment; a broken file or an id defined twice stops before grading', async () => {
    const subs = path.join(dir, 'subs');
    mkdirSync(subs, { recursive: true });
    writeFileSync(path.join(subs, 'alice.yaml'), 'answers:\n  - { problem: tanh-mlp-ce, target: dW1, formula: "X\' * ((P - onehot(c, K)) * W2\') / N" }\n  - { problem: dense-batch, target: dW, formula: "X\' * dY" }\n');
    const assignment = path.join(dir, 'hw.yaml');
    writeFileSync(assignment, 'questions:\n  tanh-mlp-ce:\n');
    const twice = path.join(dir, 'twice');
    mkdirSync(twice, { recursive: true });
    copyFileSync(TANH, path.join(twice, 'a.yaml'));
    copyFileSync(TANH, path.join(twice, 'b.yaml'));
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(broken, 'id: broken\ninputs: { x: { shape: [N] } }\nloss: sum(x)\ntargets: { dx: { wrt: x, answer: "ones(N, 1)" } }\n');
    const [graded, dup, bad, builtInId] = await Promise.all([
      runCliAsync(['grade', subs, '--questions', TANH, '--assignment', assignment, '--format', 'gradescope', '--seed', '2', '--jobs', '1']),
      runCliAsync(['grade', subs, '--questions', twice]),
      runCliAsync(['grade', subs, '--questions', broken]),
      runCliAsync(['verify', path.join(dir, 'shadow.yaml')]),
    ]);
    expect(graded.code).toBe(1);
    const results = gradescopeResultsSchema.parse(JSON.parse(graded.stdout));
    expect(results).toMatchObject({ score: 0 });
    expect(results.tests!.map((t) => [t.name, t.max_score])).toEqual([
      ['tanh-mlp-ce/dW1', 2],
      ['tanh-mlp-ce/dW2', 1],
    ]);
    expect(results.tests![0]!.output).toContain("tanh'(A)");
    expect(results.output).toContain('Not graded: dense-batch/dW (line 3) is not part of this assignment.');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/b\.yaml:1:5: id: 'tanh-mlp-ce' is defined twice, here and in .*a\.yaml:1/);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.yaml:2:24: inputs\.x\.shape\[0\]: .*N is not a dimension; declare N under dims/);
    expect(builtInId.code).toBe(2);
  });

  test.concurrent("a shipped question file named by path is its built-in problem; a copy of it elsewhere clashes with the built-in's id", async () => {
    const shipped = fileURLToPath(new URL('../../problems/relu.yaml', import.meta.url));
    const copy = path.join(dir, 'relu-copy.yaml');
    copyFileSync(shipped, copy);
    const [verified, listed, clash] = await Promise.all([
      runCliAsync(['verify', shipped, '--runs', '5', '--seed', '1', '--json', '--jobs', '1']),
      runCliAsync(['list', '--questions', path.dirname(shipped), '--json']),
      runCliAsync(['verify', copy, '--runs', '5']),
    ]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout).results.map((r: { problem: string; target: string }) => `${r.problem}/${r.target}`)).toEqual(['relu/dX']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).problems.map((p: { id: string }) => p.id).sort()).toEqual(
      ['avgpool-sigmoid-conv', 'conv2d', 'dense-batch', 'dense-batch-col', 'logistic-layer', 'mlp2-mse', 'relu', 'relu-softmax-ce', 'softmax-ce', 'softmax-ce-labels'],
    );
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("'relu' is also the id of a built-in problem");
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { problems as builtIn } from '../../problems/index.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { gradeJson } from '../../src/grade/report/json.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { prairieLearnResults } from '../../src/grade/report/prairielearn.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { writeGradeOutput } from '../../src/grade/report/write.js';
import { scoringFor } from '../../src/grade/scoring.js';
import type { GradeReport } from '../../src/grade/types.js';
import { evaluateProblem } from '../../src/problem/evaluate.js';
import { verifyProblem } from '../../src/problem/verify.js';
import { parseAssignment, questionSource, readQuestionFile } from '../../src/question/index.js';

/** The issue's example question, verbatim. */
const TANH_MLP_CE = new URL('./files/tanh-mlp-ce.yaml', import.meta.url);
const question = readQuestionFile(TANH_MLP_CE.pathname).problem;
const problems = [...builtIn, question];

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-questions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const RIGHT_DW1 = "X' * ((1 - H.^2) .* ((P - onehot(c, K)) * W2')) / N";
const RIGHT_DW2 = "H' * (P - onehot(c, K)) / N";
/** The question's own mistake: tanh' left out. */
const NO_TANH_PRIME = "X' * ((P - onehot(c, K)) * W2') / N";

describe("the issue's question file, verbatim", () => {
  test('verifies: both answers agree with FD, its mistake is rejected, its example runs', () => {
    const report = verifyProblem(question, { runs: 30, seed: 3 });
    expect(report.passed).toBe(true);
    expect(report.targets.map((t) => [t.target, t.closedForm, t.mistakes.map((m) => [m.label, m.rejected])])).toEqual([
      ['dW1', 'pass', [['missing-tanh-prime', true]]],
      ['dW2', 'pass', []],
    ]);
    expect(report.properties.map((p) => [p.property, p.status])).toEqual([['example tiny', 'pass']]);
  });

  test('has its let names as intermediates with inferred shapes, and its dims read off the example', () => {
    expect(question.intermediates.map((i) => [i.name, i.shape.join('×')])).toEqual([
      ['H', 'N×Hd'],
      ['Z', 'N×K'],
      ['P', 'N×K'],
    ]);
    expect(question.examples[0]!.dims).toEqual({ N: 1, D: 2, Hd: 2, K: 2 });
    expect(question.targets.map((t) => [t.name, t.points])).toEqual([
      ['dW1', 2],
      ['dW2', 1],
    ]);
  });

  test('its example gives the loss numpy computes', () => {
    // By hand: H = tanh(X W1) = tanh([0.7, 1]), Z = H (W2 = I, b = 0), L = −log softmax(Z)[2].
    const h = [Math.tanh(0.7), Math.tanh(1)];
    const expected = -(h[1]! - Math.log(Math.exp(h[0]!) + Math.exp(h[1]!)));
    const report = evaluateProblem(question, { inputs: question.examples[0]!.inputs });
    expect(report.loss).toBeCloseTo(expected, 14);
    expect(report.targets.map((t) => t.closedForm.finding.status)).toEqual(['correct', 'correct']);
  });
});

describe('a question with let names, graded end to end', () => {
  let report: GradeReport;
  let files: string[];
  beforeAll(async () => {
    files = [
      write('alice.yaml', `id: alice\nanswers:\n  - { problem: tanh-mlp-ce, target: dW1, formula: "${RIGHT_DW1}" }\n  - { problem: tanh-mlp-ce, target: dW2, formula: "${RIGHT_DW2}" }\n`),
      write('bob.yaml', `id: bob\nanswers:\n  - { problem: tanh-mlp-ce, target: dW1, formula: "${NO_TANH_PRIME}" }\n  - { problem: tanh-mlp-ce, target: dW2, formula: "H' * (P - onehot(c, K))" }\n`),
      write('carol.yaml', `id: carol\nanswers:\n  - { problem: tanh-mlp-ce, target: dW1, latex: "X^T ((1 - H \\\\odot H) \\\\odot ((P - \\\\mathrm{onehot}(c, K)) W2^T)) / N" }\n  - { problem: tanh-mlp-ce, target: dW2, formula: "H * (P - onehot(c, K)) / N" }\n`),
    ];
    report = await gradeFiles(files, { seed: 11, jobs: 0, problems, scoring: scoringFor(problems) });
  });

  test('verdicts, points (dW1 is worth 2) and the question’s own mistake label', () => {
    const json = gradeJson(report);
    expect(json.submissions.map((s) => [s.id, s.score, s.maxScore])).toEqual([
      ['alice', 3, 3],
      ['bob', 0, 3],
      ['carol', 2, 3],
    ]);
    expect(json.submissions.map((s) => s.answers.map((a) => [a.target, a.verdict, a.mistake?.label ?? null]))).toEqual([
      [['dW1', 'correct', null], ['dW2', 'correct', null]],
      [['dW1', 'incorrect', 'missing-tanh-prime'], ['dW2', 'incorrect', 'mean-vs-sum']],
      [['dW1', 'correct', null], ['dW2', 'invalid', null]],
    ]);
    expect(json.submissions[1]!.answers[0]!.mistake?.description).toBe("H = tanh(A), so the chain rule multiplies by tanh'(A) = 1 - H.^2, elementwise");
  });

  test('in every report format', async () => {
    const text = renderGradeText(report);
    expect(text).toContain('✗ tanh-mlp-ce/dW1  0/2  incorrect (missing-tanh-prime)');
    expect(text).toContain('Looks like: H = tanh(A), so the chain rule multiplies');
    const ctx = platformContext(report);
    const gradescope = gradescopeResults(report.submissions[1]!, ctx);
    expect(gradescope).toMatchObject({ score: 0 });
    expect(gradescope.tests.map((t) => [t.name, t.max_score, t.status])).toEqual([
      ['tanh-mlp-ce/dW1', 2, 'failed'],
      ['tanh-mlp-ce/dW2', 1, 'failed'],
    ]);
    expect(gradescope.tests[0]!.output).toContain("tanh'(A) = 1 - H.^2");
    const pl = prairieLearnResults(report.submissions[2]!, platformContext(report));
    expect(pl).toMatchObject({ gradable: true, score: expect.closeTo(2 / 3, 12) });
    const out = path.join(dir, 'html');
    await writeGradeOutput(report, 'html', out);
    const bob = readFileSync(path.join(out, 'bob.html'), 'utf8');
    expect(bob).toContain('Mistake: missing-tanh-prime');
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('href="carol.html"');
  });

  test('grading workers load the question file themselves, with the same verdicts', async () => {
    const registry = new URL('../../dist/problems/index.js', import.meta.url);
    const inWorkers = await gradeFiles(files, { seed: 11, jobs: 1, registry, questions: questionSource([TANH_MLP_CE.pathname]), scoring: scoringFor(problems) });
    const strip = (r: GradeReport) => gradeJson(r).submissions;
    expect(strip(inWorkers)).toEqual(strip(report));
  });
});

describe('an assignment', () => {
  /** A submission answering 4 assigned targets and 8 others, all correctly. */
  const ANSWERS = [
    ['tanh-mlp-ce', 'dW1', RIGHT_DW1],
    ['tanh-mlp-ce', 'dW2', RIGHT_DW2],
    ['dense-batch', 'dW', "X' * dY"],
    ['dense-batch', 'dX', "dY * W'"],
    ['dense-batch', 'db', 'sum(dY, 1)'],
    ['dense-batch-col', 'dX', "W' * dY"],
    ['dense-batch-col', 'dW', "dY * X'"],
    ['dense-batch-col', 'db', 'sum(dY, 2)'],
    ['softmax-ce', 'dz', 's - p'],
    ['relu', 'dX', '(X > 0) .* dY'],
    ['logistic-layer', 'db', 'g .* s .* (1 - s)'],
    ['logistic-layer', 'dx', "W' * (g .* s .* (1 - s))"],
  ];
  const ASSIGNMENT = 'questions:\n  tanh-mlp-ce:\n  dense-batch:\n    targets: [dW]\n    grading: { partial: true }\n  softmax-ce:\n    targets: { dz: 3 }\n';

  test('grades only what it assigns: the others are not graded, add nothing and are listed', async () => {
    const file = write('eager.yaml', `answers:\n${ANSWERS.map(([p, t, f]) => `  - { problem: ${p}, target: ${t}, formula: "${f}" }`).join('\n')}\n`);
    const assignment = parseAssignment(ASSIGNMENT, 'hw.yaml', problems);
    const withAssignment = await gradeFiles([file], { seed: 2, jobs: 0, problems, scoring: scoringFor(problems, assignment) });
    const s = withAssignment.submissions[0]!;
    // tanh-mlp-ce at its own points (2 + 1), dense-batch dW 1, softmax-ce dz 3.
    expect([s.score, s.maxScore]).toEqual([7, 7]);
    expect(s.answers.map((a) => `${a.problem}/${a.target}`)).toEqual(['tanh-mlp-ce/dW1', 'tanh-mlp-ce/dW2', 'dense-batch/dW', 'softmax-ce/dz']);
    expect(s.unassigned!.map((u) => `${u.problem}/${u.target}`)).toEqual(ANSWERS.slice(3, 8).map(([p, t]) => `${p}/${t}`).concat(ANSWERS.slice(9).map(([p, t]) => `${p}/${t}`)));
    expect(s.unassigned!.every((u) => u.note === 'not part of this assignment')).toBe(true);
    expect(renderGradeText(withAssignment)).toContain('  - relu/dX  not graded: not part of this assignment (line 11)');
    expect(gradescopeResults(s, platformContext(withAssignment)).output).toContain('Not graded: relu/dX (line 11) is not part of this assignment.');
    expect(gradeJson(withAssignment).submissions[0]!.unassigned).toHaveLength(8);
    // Without one, every answer counts.
    const without = await gradeFiles([file], { seed: 2, jobs: 0, problems, scoring: scoringFor(problems) });
    expect([without.submissions[0]!.score, without.submissions[0]!.maxScore]).toEqual([13, 13]);
  });

  test('an assigned target left out scores 0 of its points; an invalid file is worth 0 of the assignment', async () => {
    const partial = write('partial.yaml', `answers:\n  - { problem: softmax-ce, target: dz, formula: "s - p" }\n`);
    const broken = write('broken.yaml', 'answers: [\n');
    const assignment = parseAssignment(ASSIGNMENT, 'hw.yaml', problems);
    const report = await gradeFiles([partial, broken], { seed: 2, jobs: 0, problems, scoring: scoringFor(problems, assignment) });
    expect(report.submissions.map((s) => [s.status, s.score, s.maxScore])).toEqual([
      ['graded', 3, 7],
      ['invalid', 0, 7],
    ]);
    expect(report.submissions[0]!.answers.filter((a) => a.finding.message.startsWith('Not answered')).map((a) => [a.target, a.maxScore])).toEqual([
      ['dW1', 2],
      ['dW2', 1],
      ['dW', 1],
    ]);
  });

  test('its settings and the question’s own apply per question', () => {
    const assignment = parseAssignment(ASSIGNMENT, 'hw.yaml', problems);
    const scoring = scoringFor(problems, assignment);
    expect(scoring.grading.get('tanh-mlp-ce')).toEqual({ runs: 16 });
    expect(scoring.grading.get('dense-batch')).toEqual({ partial: true });
  });

  test('the earlier points format is an assignment of the targets it lists', () => {
    const assignment = parseAssignment('dense-batch: { dW: 2, db: 1 }\n', 'points.yaml', problems);
    expect([...assignment.targets].map(([id, t]) => [id, [...t]])).toEqual([['dense-batch', [['dW', 2], ['db', 1]]]]);
  });

  test.each([
    ['an unknown question', 'questions:\n  tanh-mlp-c:\n', 2, 3, "no question or problem has the id 'tanh-mlp-c'; did you mean 'tanh-mlp-ce'?"],
    ['an unknown target in a list', 'questions:\n  dense-batch:\n    targets: [dw]\n', 3, 15, "dense-batch has no target 'dw'; did you mean 'dW'?"],
    ['an unknown target with points', 'questions:\n  dense-batch:\n    targets: { dZ: 2 }\n', 3, 16, "dense-batch has no target 'dZ'"],
    ['negative points', 'questions:\n  dense-batch:\n    targets: { dW: -1 }\n', 3, 20, 'points are a number ≥ 0'],
    ['a misspelt field', 'questions:\n  dense-batch:\n    target: [dW]\n', 3, 5, "unknown field 'target' in an assigned question; did you mean 'targets'?"],
    ['an unknown target in the points format', 'dense-batch: { dw: 2 }\n', 1, 16, "dense-batch has no target 'dw'"],
  ])('refuses %s, with its line and column', (_name, text, line, column, says) => {
    try {
      parseAssignment(text, 'hw.yaml', problems);
      expect.unreachable('the assignment was accepted');
    } catch (err) {
      expect(err).toMatchObject({ file: 'hw.yaml', line, column });
      expect((err as Error).message).toContain(says);
    }
  });
});

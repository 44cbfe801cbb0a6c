/**
 * The "also accept" seam (issue 17): a spelling a grader ruled right once, listed in its question
 * target's `accept`, is correct for every student who writes it on regrade; `verify` refuses an
 * accepted spelling that finite differences show wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { answerKey } from '../../src/grade/accepted.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { classSummary } from '../../src/grade/class/summary.js';
import { gradeJson } from '../../src/grade/report/json.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { needsReview } from '../../src/grade/review.js';
import { scoringFor } from '../../src/grade/scoring.js';
import type { GradeReport } from '../../src/grade/types.js';
import { verifyProblem } from '../../src/problem/verify.js';
import { parseQuestionFile } from '../../src/question/file.js';
import { questionSource } from '../../src/question/question-loader.js';
import { QuestionFileError } from '../../src/question/errors.js';
import { runCliAsync } from '../cli/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-accept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** dW = X' dY written as a sum of row products: x_n is no name the LaTeX reader can map, so it needs review. */
const ROW_SUM = '\\sum_{n=1}^N x_n^T dy_n';

/** A dense layer whose dW target accepts `accept` (YAML list entries). */
function question(accept: readonly string[]): string {
  return `id: dense-layer
title: A dense layer without bias
statement: Y = X W; dY = dL/dY is given.
dims: { N: 2..5, D: 2..4, M: 2..4 }
inputs:
  X: { shape: [N, D] }
  W: { shape: [D, M] }
  dY: { shape: [N, M], role: upstream }
let:
  Y: X * W
loss: sum(dY .* Y)
targets:
  dW:
    wrt: W
    answer: X' * dY
${accept.length > 0 ? `    accept:\n${accept.map((a) => `      - ${a}\n`).join('')}` : ''}`;
}

const ruled = (latex: string) => `{ latex: '${latex}' }`;

/** Four students: three write the row sum (two with other spacing), one writes it with ^{N}, a different text. */
const submissions = [
  ['kim', ROW_SUM],
  ['lee', `  ${ROW_SUM.replace(' ', '   ')} `],
  ['mo', ROW_SUM.replace('x_n^T', 'x_n^T ')],
  ['nia', ROW_SUM.replace('^N', '^{N}')],
].map(([id, latex]) => write(`${id}.yaml`, `id: ${id}\nanswers:\n  - { problem: dense-layer, target: dW, latex: ${JSON.stringify(latex)} }\n`));

function grade(text: string): Promise<GradeReport> {
  const problem = parseQuestionFile(text, 'dense-layer.yaml').problem;
  return gradeFiles(submissions, { seed: 5, jobs: 0, problems: [problem], scoring: scoringFor([problem]) });
}

const verdicts = (report: GradeReport) => report.submissions.map((s) => [s.id, s.answers[0]!.finding.status, s.answers[0]!.finding.reason ?? null, s.score, needsReview(s.answers[0]!)]);

describe('a needs-review LaTeX answer, ruled right by adding it to accept', () => {
  test('before the ruling, every spelling of it needs review and scores 0', async () => {
    const before = await grade(question([]));
    expect(verdicts(before)).toEqual([
      ['kim', 'undecided', 'unsupported-notation', 0, true],
      ['lee', 'undecided', 'unsupported-notation', 0, true],
      ['mo', 'undecided', 'unsupported-notation', 0, true],
      ['nia', 'undecided', 'unsupported-notation', 0, true],
    ]);
  });

  test('on regrade it is correct for every student who wrote it (whatever the spaces), and needs no review', async () => {
    const after = await grade(question([ruled(ROW_SUM)]));
    expect(verdicts(after)).toEqual([
      ['kim', 'correct', null, 1, false],
      ['lee', 'correct', null, 1, false],
      ['mo', 'correct', null, 1, false],
      // Another text (^{N}) is not the ruled spelling: it still waits for a person.
      ['nia', 'undecided', 'unsupported-notation', 0, true],
    ]);
    const kim = after.submissions[0]!.answers[0]!;
    expect(kim.accepted).toBe(true);
    expect(kim.finding.message).toMatch(/^accepted spelling: a grader ruled this spelling of dense-layer\/dW right/);
    expect(classSummary(after).needsReview.map((r) => r.student)).toEqual(['nia']);
    expect(gradeJson(after).submissions[0]!.answers[0]).toMatchObject({ verdict: 'correct', accepted: true, needsReview: false });
    const results = gradescopeResults(after.submissions[0]!, platformContext(after));
    expect(results.tests[0]).toMatchObject({ status: 'passed', score: 1, tags: ['correct', 'accepted-spelling'] });
    expect(results.tests[0]!.output).toContain('accepted spelling');
  });

  test('grading workers read the accept list from the question file: the same verdicts', async () => {
    const file = write('dense-layer.yaml', question([ruled(ROW_SUM)]));
    const problem = parseQuestionFile(question([ruled(ROW_SUM)]), file).problem;
    const inWorkers = await gradeFiles(submissions, { seed: 5, jobs: 1, questions: questionSource([file]), scoring: scoringFor([problem]) });
    expect(gradeJson(inWorkers).submissions).toEqual(gradeJson(await grade(question([ruled(ROW_SUM)]))).submissions);
  });

  test('an answer the accept list names is graded correct only for its own target', async () => {
    const text = question([ruled(ROW_SUM)]).replace('targets:\n', "targets:\n  dX:\n    wrt: X\n    answer: dY * W'\n");
    const problem = parseQuestionFile(text, 'dense-layer.yaml').problem;
    const file = write('dx.yaml', `id: ola\nanswers:\n  - { problem: dense-layer, target: dX, latex: ${JSON.stringify(ROW_SUM)} }\n`);
    const report = await gradeFiles([file], { seed: 5, jobs: 0, problems: [problem], scoring: scoringFor([problem]) });
    expect(report.submissions[0]!.answers[0]!.finding.status).not.toBe('correct');
    expect(report.submissions[0]!.answers[0]!.accepted).toBeUndefined();
  });
});

describe('verify and the accept list', () => {
  test('an accepted spelling derivcheck cannot decide stands on the ruling; verify passes and says so', () => {
    const report = verifyProblem(parseQuestionFile(question([ruled(ROW_SUM)]), 'q.yaml').problem, { runs: 20, seed: 2 });
    expect(report.passed).toBe(true);
    const accepted = report.targets[0]!.closedForms[1]!;
    expect([accepted.formula, accepted.accepted, accepted.finding.status, accepted.finding.reason]).toEqual([ROW_SUM, true, 'undecided', 'unsupported-notation']);
  });

  test.each([
    ['a sign slip', ruled('-X^T dY'), 'incorrect'],
    ['a factor of 2', "\"2 * X' * dY\"", 'incorrect'],
    ['a mean for a sum', "\"X' * dY / N\"", 'incorrect'],
  ])('an accepted spelling finite differences prove wrong (%s) is refused by verify', (_name, spelling, status) => {
    const report = verifyProblem(parseQuestionFile(question([spelling]), 'q.yaml').problem, { runs: 20, seed: 2 });
    expect(report.passed).toBe(false);
    expect(report.targets[0]!.closedForm).toBe('fail');
    expect(report.targets[0]!.closedForms[1]!.finding.status).toBe(status);
  });

  test('derivcheck verify FILE exits 1 on a wrong accepted spelling and says to remove it; 0 with the ruled one', async () => {
    const wrong = write('wrong.yaml', question([ruled(ROW_SUM), ruled('-X^T dY')]));
    const right = write('right.yaml', question([ruled(ROW_SUM)]));
    const [bad, good] = await Promise.all([runCliAsync(['verify', wrong, '--runs', '10', '--seed', '1', '--quiet']), runCliAsync(['verify', right, '--runs', '10', '--seed', '1', '--quiet'])]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ dense-layer dW: closed form -X\^T dY \(accepted spelling 2\) incorrect: .*remove it from accept/);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("• dense-layer dW: accepted spelling \\sum_{n=1}^N x_n^T dy_n stands on the grader's ruling");
  });

  test('an accepted spelling that cannot be read at all, or has the wrong shape, is refused when the file is loaded, at its entry', () => {
    expect(() => parseQuestionFile(question([ruled('X^T dY)')]), 'q.yaml')).toThrow(QuestionFileError);
    expect(() => parseQuestionFile(question([ruled('X^T dY)')]), 'q.yaml')).toThrow(/q\.yaml:17:\d+: targets\.dW\.accept\[0\]: Unexpected operator \)/);
    expect(() => parseQuestionFile(question([ruled(ROW_SUM), "\"dY' * X\""]), 'q.yaml')).toThrow(/q\.yaml:18:\d+: targets\.dW\.accept\[1\]: expected D×M, got M×D/);
  });
});

describe('answer texts as the grader keys them', () => {
  test('ends and runs of spaces and tabs do not matter; line breaks, syntax and other characters do', () => {
    expect(answerKey('latex', ' a  b\t c ')).toBe(answerKey('latex', 'a b c'));
    expect(answerKey('latex', 'a\nb')).not.toBe(answerKey('latex', 'a b'));
    expect(answerKey('formula', 'a b')).not.toBe(answerKey('latex', 'a b'));
    expect(answerKey('formula', 'ab')).not.toBe(answerKey('formula', 'a b'));
  });
});

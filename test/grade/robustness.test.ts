/**
 * What one bad entry, a misconfigured grader or a report to be shared must not cost: a malformed answer
 * costs only itself, a time limit too short for the grader is the grader's configuration error and never
 * a student's verdict, and anonymised reports keep no id.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { anonymizeReport, pseudonym } from '../../src/grade/anonymize.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { gradeJson, toJsonText } from '../../src/grade/report/json.js';
import { gradebookCsv } from '../../src/grade/report/csv.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { scoringFor } from '../../src/grade/scoring.js';
import { parseAssignment } from '../../src/question/assignment.js';
import { gradeClass, writeClass } from './class-fixture.js';
import { gradescopeResultsSchema } from './platform-schemas.js';

/** Workers load the compiled registry (`npm test` builds dist/ before vitest runs). */
const registry = new URL('../../dist/problems/index.js', import.meta.url);

const work = writeClass({});
afterAll(() => work.cleanup());
const write = (name: string, text: string) => {
  const file = path.join(work.dir, name);
  writeFileSync(file, text);
  return file;
};

describe('a file with one malformed answer', () => {
  test('grades its other answers and marks that one invalid, with the reason and where', async () => {
    const file = write(
      'grace.yaml',
      `id: grace
answers:
  - { problem: dense-batch, target: dW, formula: "X' * dY" }
  - { problem: dense-batch, taget: dX, formula: "dY * W'" }
  - { problem: softmax-ce, target: dz, latex: null }
  - { problem: dense-batch, target: db, formula: "sum(dY, 1)" }
`,
    );
    const report = await gradeFiles([file], { seed: 3, jobs: 0, problems, scoring: scoringFor(problems, parseAssignment('dense-batch: { dW: 2, dX: 1, db: 1 }\nsoftmax-ce: { dz: 3 }\n', 'points.yaml', problems)) });
    const grace = report.submissions[0]!;
    expect(grace.status).toBe('graded');
    expect(grace.answers.map((a) => [a.problem, a.target, a.finding.status, a.finding.reason ?? null, a.score, a.maxScore])).toEqual([
      ['dense-batch', 'dW', 'correct', null, 2, 2],
      // No target name: it answers nothing, and the assignment's dX is then not answered.
      ['dense-batch', '?', 'invalid', 'malformed', 0, 0],
      // Names its target: it is that target's answer, invalid.
      ['softmax-ce', 'dz', 'invalid', 'malformed', 0, 3],
      ['dense-batch', 'db', 'correct', null, 1, 1],
      ['dense-batch', 'dX', 'invalid', 'not-answered', 0, 1],
    ]);
    expect(grace.answers[1]!.finding.message).toMatch(/^line 4, column 5: answers\[1\]: unknown field 'taget'.*the file's other answers were/);
    expect(grace.answers[2]!.finding.message).toMatch(/^line 5, column 47: answers\[2\]\.latex: expected string, got null/);
    expect(grace).toMatchObject({ score: 3, maxScore: 7 });
    // Reports: the gradebook has no column for the nameless entry; Gradescope lists it as a failed test.
    expect(gradebookCsv(report).split('\n')[0]).toBe('student,status,dense-batch/dW,dense-batch/dX,dense-batch/db,softmax-ce/dz,total,max_total');
    const gs = gradescopeResults(grace, platformContext(report));
    expect(gradescopeResultsSchema.safeParse(gs).success).toBe(true);
    expect(gs.tests.filter((t) => t.status === 'failed').map((t) => t.name)).toEqual(['dense-batch/dX', 'dense-batch/?', 'softmax-ce/dz']);
    expect(renderGradeText(report)).toContain('! dense-batch/?  0/0  invalid (malformed)');
  });

  test('a file that is not YAML at all is still an invalid file', async () => {
    const file = write('henry.yaml', 'answers: [ { problem: dense-batch, target: dW, formula: "X\' * dY" \n');
    const report = await gradeFiles([file], { seed: 3, jobs: 0, problems });
    expect(report.submissions[0]).toMatchObject({ status: 'invalid', error: { reason: expect.stringMatching(/^not valid YAML/) } });
  });
});

describe('a --time-limit too short for the grader itself', () => {
  test('is reported as a configuration error, and no answer is blamed for it', async () => {
    // Spellings that differ from the references, so that each is compiled and evaluated on its own.
    const file = write(
      'ivan.yaml',
      `answers:
  - { problem: dense-batch, target: dW, formula: "(dY' * X)'" }
  - { problem: dense-batch, target: dX, formula: "(W * dY')'" }
  - { problem: dense-batch, target: db, formula: "sum(dY,1)" }
  - { problem: softmax-ce, target: dz, formula: "softmax(z,2)-p" }
`,
    );
    // 400 samples an answer: each takes tens of milliseconds, so the clock fires while the worker grades
    // even when the test's thread is starved for a while (at 48 samples, about 4 ms each, a loaded CI
    // machine could deliver every answer before the timer ran, and the submission was complete).
    const report = await gradeFiles([file], { seed: 3, jobs: 1, registry, timeLimitMs: 1, runs: 400 });
    expect(report.configurationErrors).toHaveLength(1);
    expect(report.configurationErrors[0]).toMatch(/^--time-limit 0\.001 s is too short for the grader: .* 1 submission was stopped and not graded\. Raise --time-limit/);
    const answers = report.submissions[0]!.answers;
    // Each answer is either graded (correct: it finished in time) or not graded for the grader's reason; never invalid.
    for (const a of answers) expect(a.finding.status === 'correct' || (a.finding.reason === 'not-graded' && a.finding.message.includes("the grader's configuration"))).toBe(true);
    expect(answers.some((a) => a.finding.reason === 'not-graded')).toBe(true);
    expect(renderGradeText(report)).toMatch(/^CONFIGURATION ERROR: --time-limit 0\.001 s is too short/);
  });

  test('a limit that leaves room for correct answers still stops an expensive formula, and blames it', async () => {
    const slow = "X' * dY + 0 * sum(sum(sum(X[1,1] * i * j * k, i, 1, 1000), j, 1, 1000), k, 1, 900)";
    const file = write('judy.yaml', `answers:\n  - { problem: dense-batch, target: db, formula: "sum(dY, 1)" }\n  - { problem: dense-batch, target: dW, formula: "${slow}" }\n`);
    const report = await gradeFiles([file], { seed: 5, jobs: 1, registry, timeLimitMs: 1500 });
    expect(report.configurationErrors).toEqual([]);
    expect(report.submissions[0]!.answers.map((a) => [a.finding.status, a.finding.reason ?? null])).toEqual([
      ['correct', null],
      ['invalid', 'limit'],
    ]);
  });
});

describe('--anonymize', () => {
  /** HMAC-SHA-256 computed by Python's hmac module, independently of the code under test. */
  function pythonHmac(salt: string, id: string): string {
    const script = 'import hmac, hashlib, sys; print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).hexdigest())';
    return spawnSync('python3', ['-c', script, salt, id], { encoding: 'utf8' }).stdout.trim();
  }

  test('a pseudonym is anon- and 12 hex digits of HMAC-SHA-256(salt, id): stable, and changed by the salt', () => {
    expect(pseudonym('alice', 'course-secret')).toBe(`anon-${pythonHmac('course-secret', 'alice').slice(0, 12)}`);
    expect(pseudonym('alice', '')).toBe(`anon-${pythonHmac('', 'alice').slice(0, 12)}`);
    expect(pseudonym('alice', 'a')).not.toBe(pseudonym('alice', 'b'));
  });

  test('no id or file name is left in any output, and the order no longer follows the names', async () => {
    const klass = writeClass();
    try {
      const report = anonymizeReport(await gradeClass(klass.files), 'course-secret');
      const ids = ['alice', 'bob', 'carol', 'dan', 'eve', 'frank'];
      expect(report.submissions.map((s) => s.id)).toEqual(ids.map((id) => pseudonym(id, 'course-secret')).sort());
      const outputs = [renderGradeText(report), toJsonText(gradeJson(report, { summary: true })), gradebookCsv(report), ...report.submissions.map((s) => JSON.stringify(gradescopeResults(s, platformContext(report))))];
      for (const text of outputs) for (const id of ids) expect(text).not.toMatch(new RegExp(`\\b${id}\\b`));
      expect(report.submissions.find((s) => s.status === 'invalid')!.file).toBe(`${pseudonym(path.join(klass.dir, 'carol.yaml'), 'course-secret')}.yaml`);
    } finally {
      klass.cleanup();
    }
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeFile } from '../../src/grade/grade-submission.js';
import { GradingSession } from '../../src/grade/session.js';
import { MAX_SUBMISSION_BYTES, parseSubmission, readSubmission } from '../../src/grade/submission.js';
import { MAX_FORMULA_LENGTH } from '../../src/formula/parse.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-submission-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The failure of a malformed file: reason, line and column (asserting that it did fail). */
function failure(text: string, name = 'student.yaml') {
  const reading = parseSubmission(text, name);
  if (reading.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return reading.error;
}

/** The format problem of the single answer of a file that is read (asserting that the file was read and the answer was not). */
function malformed(text: string, name = 'student.yaml') {
  const reading = parseSubmission(text, name);
  if (!reading.ok) throw new Error(`expected ${JSON.stringify(text)} to be read: ${reading.error.reason}`);
  const spec = reading.submission.answers[0]!;
  if (!spec.malformed) throw new Error(`expected the answer of ${JSON.stringify(text)} to be malformed`);
  return spec.malformed;
}

describe('reading a submission file', () => {
  test('reads answers in formula and LaTeX syntax, with the line of each', () => {
    const text = `id: alice\nanswers:\n  - problem: dense-batch\n    target: dW\n    formula: "X' * dY"\n  - problem: softmax-ce\n    target: dz\n    latex: "\\\\operatorname{softmax}(z, 2) - p"\n`;
    const reading = parseSubmission(text, 'subs/alice.yaml');
    expect(reading).toEqual({
      ok: true,
      submission: {
        id: 'alice',
        file: 'subs/alice.yaml',
        answers: [
          { problem: 'dense-batch', target: 'dW', text: "X' * dY", syntax: 'formula', line: 3 },
          { problem: 'softmax-ce', target: 'dz', text: '\\operatorname{softmax}(z, 2) - p', syntax: 'latex', line: 6 },
        ],
      },
    });
  });

  test('the id defaults to the file name, and a bare student number is read as text', () => {
    const answers = 'answers:\n  - { problem: relu, target: dX, formula: dY }\n';
    const byName = parseSubmission(answers, 'subs/bob.json');
    expect(byName.ok && byName.submission.id).toBe('bob');
    const byNumber = parseSubmission(`id: 20231234\n${answers}`, 'subs/x.yaml');
    expect(byNumber.ok && byNumber.submission.id).toBe('20231234');
  });

  test('reads JSON files, with positions in them', () => {
    const good = parseSubmission('{"answers": [{"problem": "relu", "target": "dX", "formula": "dY"}]}', 'a.json');
    expect(good.ok).toBe(true);
    // The value 3 is on line 2, column 15 (1-based) of this text.
    expect(malformed('{"answers": [\n  {"problem": 3, "target": "dX", "formula": "dY"}]}', 'a.json')).toEqual({
      reason: 'answers[0].problem: expected string, got number 3',
      line: 2,
      column: 15,
    });
    const broken = failure('{"answers": [\n  {"problem": "relu",, }\n', 'a.json');
    expect(broken.reason).toMatch(/^not valid YAML or JSON/);
    expect(broken.line).toBe(2);
  });

  test('bad YAML is reported with its line', () => {
    const e = failure('answers:\n  - problem: dense-batch\n    target: [dW\n');
    expect(e.reason).toMatch(/^not valid YAML or JSON: /);
    expect(e.line).toBe(4);
  });

  test('a missing field names the field and points at the entry that lacks it', () => {
    expect(malformed('answers:\n  - problem: relu\n    formula: dY\n')).toEqual({ reason: 'answers[0].target: missing (expected string)', line: 2, column: 5 });
    expect(failure('id: carol\n')).toEqual({ reason: 'answers: missing (expected array)', line: 1, column: 1 });
  });

  test('a value of the wrong type names what was expected and what was found, at the value', () => {
    expect(malformed('answers:\n  - problem: relu\n    target: dX\n    formula: 42\n')).toEqual({ reason: 'answers[0].formula: expected string, got number 42', line: 4, column: 14 });
    expect(failure('answers: dY\n')).toEqual({ reason: 'answers: expected array, got string "dY"', line: 1, column: 10 });
    expect(failure('- problem: relu\n').reason).toBe('expected object, got a list');
    expect(failure('id: [1]\nanswers:\n  - { problem: relu, target: dX, formula: dY }\n').reason).toBe('id: expected text or a number, got a list');
  });

  test('an answer needs exactly one of formula and latex, and no unknown field', () => {
    expect(malformed('answers:\n  - { problem: relu, target: dX, formula: dY, latex: dY }\n').reason).toBe('answers[0]: give exactly one of formula or latex');
    expect(malformed('answers:\n  - { problem: relu, target: dX }\n').reason).toBe('answers[0]: give exactly one of formula or latex');
    expect(malformed('answers:\n  - { problem: relu, target: dX, formla: dY }\n').reason).toMatch(/^answers\[0\]: unknown field 'formla'/);
    expect(failure('answers: []\n')).toEqual({ reason: 'answers: the answers list is empty', line: 1, column: 10 });
  });

  test('a malformed answer keeps what can be read of it: its problem, target and text (a misspelled field is not read), or ? for a name it lacks', () => {
    const reading = parseSubmission('answers:\n  - { problem: relu, target: dX, latex: null }\n  - { problem: relu, formla: dY }\n  - 42\n', 'a.yaml');
    expect(reading.ok && reading.submission.answers.map((a) => [a.problem, a.target, a.text, a.line, a.malformed?.reason])).toEqual([
      ['relu', 'dX', '', 2, 'answers[0].latex: expected string, got null'],
      ['relu', '?', '', 3, expect.stringMatching(/^answers\[1\]: unknown field 'formla'/)],
      ['?', '?', '', 4, 'answers[2]: expected object, got number 42'],
    ]);
  });

  test('duplicate keys and alias bombs are refused', () => {
    expect(failure('answers: []\nanswers: []\n').reason).toMatch(/unique/);
    // The first repeat in the text is the one reported, in an inner map as in the outer one.
    expect(failure('answers:\n  - {problem: a, target: b}\n  - {x: 1, y: {z: 1, z: 2}, x: 2}\n')).toMatchObject({ reason: 'not valid YAML or JSON: Map keys must be unique', line: 3, column: 22 });
    expect(failure('answers:\n  - {problem: a, target: b, problem: c}\n')).toMatchObject({ line: 2, column: 29 });
    // Keys are compared as the yaml package compares them: by value, so the number 1 and the text "1" differ.
    expect(parseSubmission('answers: [{1: a, "1": b, problem: p, target: t, formula: x}]\n', 'a.yaml').ok).toBe(true);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'answers: []'].join('\n');
    expect(failure(bomb).reason).toMatch(/^cannot read the document: .*alias/i);
  });

  test('unreadable and oversized files are invalid, with no position', () => {
    const missing = readSubmission(path.join(dir, 'nope.yaml'));
    expect(missing).toMatchObject({ ok: false, id: 'nope', error: { reason: expect.stringMatching(/^cannot read the file \(ENOENT/), line: 0, column: 0 } });
    const big = write('big.yaml', `# ${'x'.repeat(MAX_SUBMISSION_BYTES)}\nanswers: []\n`);
    const reading = readSubmission(big);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.error.reason).toMatch(/bytes; a submission is at most 1048576 bytes/);
  });
});

describe('grading a file answer by answer', () => {
  const session = new GradingSession(problems, { seed: 3 });

  test('a malformed file is an invalid submission worth 0, never an exception', () => {
    const file = write('malformed.yaml', 'answers:\n  - problem: dense-batch\n    target: [dW\n');
    const result = gradeFile(session, file);
    expect(result).toMatchObject({ id: 'malformed', status: 'invalid', score: 0, answers: [] });
    expect(result.error?.line).toBe(4);
  });

  test('a huge formula makes its answer invalid (with the position of the limit), not the file', () => {
    const huge = `X' * dY${' + 0 * X\' * dY'.repeat(MAX_FORMULA_LENGTH / 10)}`;
    const file = write('huge.yaml', `answers:\n  - { problem: dense-batch, target: dW, formula: "${huge}" }\n  - { problem: dense-batch, target: db, formula: "sum(dY, 1)" }\n`);
    const result = gradeFile(session, file);
    expect(result.status).toBe('graded');
    expect(result.answers.map((a) => a.finding.status)).toEqual(['invalid', 'correct']);
    expect(result.answers[0]!.finding.message).toContain(`the limit is ${MAX_FORMULA_LENGTH}`);
    expect(result.answers[0]!.finding.message).toContain(`column ${MAX_FORMULA_LENGTH + 1}`);
    expect(result.score).toBe(1);
  });

  test('an unknown problem or target makes its answer invalid, with the close names', () => {
    const file = write('unknown.yaml', 'answers:\n  - { problem: dense-bach, target: dW, formula: "X\' * dY" }\n  - { problem: dense-batch, target: dw, formula: "X\' * dY" }\n');
    const [a, b] = gradeFile(session, file).answers;
    expect(a).toMatchObject({ finding: { status: 'invalid' }, score: 0 });
    expect(a!.finding.message).toContain("unknown problem 'dense-bach': did you mean 'dense-batch'");
    expect(b!.finding.message).toContain("unknown target 'dw': did you mean 'dW'");
  });

  test('a target answered twice is graded once, and only the first answer counts', () => {
    const file = write('twice.yaml', 'answers:\n  - { problem: relu, target: dX, formula: "dY" }\n  - { problem: relu, target: dX, formula: "(X > 0) .* dY" }\n');
    const result = gradeFile(session, file);
    expect(result.answers.map((a) => [a.finding.status, a.score, a.maxScore])).toEqual([
      ['incorrect', 0, 1],
      ['invalid', 0, 0],
    ]);
    expect(result.answers[1]!.finding.message).toContain('only the first answer (line 2) counts');
    expect([result.score, result.maxScore]).toEqual([0, 1]);
  });
});

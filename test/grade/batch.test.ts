import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { collectSubmissionFiles } from '../../src/grade/collect-files.js';
import type { GradeReport } from '../../src/grade/types.js';

/** Workers load the compiled registry (`npm test` builds dist/ before vitest runs). */
const registry = new URL('../../dist/problems/index.js', import.meta.url);
const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ANSWERS: readonly { problem: string; target: string; formula: string; verdict: string }[] = [
  { problem: 'dense-batch', target: 'dW', formula: "X' * dY", verdict: 'correct' },
  { problem: 'dense-batch', target: 'dW', formula: "-X' * dY", verdict: 'incorrect' },
  { problem: 'dense-batch', target: 'dW', formula: "dY' * X", verdict: 'incorrect' },
  { problem: 'softmax-ce', target: 'dz', formula: 's - p', verdict: 'correct' },
  { problem: 'softmax-ce', target: 'dz', formula: '(s - p) / B', verdict: 'incorrect' },
  { problem: 'softmax-ce', target: 'dz', formula: 's - q', verdict: 'invalid' },
];

/**
 * Malformed files of every kind: the batch must report each and go on. The first seven cannot be read
 * (invalid files); the last three are read, with their one answer malformed (graded invalid).
 */
const MALFORMED = [
  'answers:\n  - problem: dense-batch\n    target: [dW\n',
  'answers: 3\n',
  'id: x\n',
  '{"answers": [ {"problem": "relu", }',
  'answers: []\n',
  '- just a list\n',
  '\u0000\u0001 not text at all: [\n',
  'answers:\n  - { problem: relu, target: dX }\n',
  'answers:\n  - { problem: relu, target: dX, formula: 7 }\n',
  'answers:\n  - { problem: relu, target: dX, formula: dY, extra: 1 }\n',
];
const INVALID_FILES = 7;

/** Writes `count` submissions (two answers each, from ANSWERS by index), the malformed ones every `count / MALFORMED` files. */
function writeBatch(name: string, count: number, malformed: readonly string[]): string[] {
  const sub = path.join(dir, name);
  const every = Math.floor(count / Math.max(1, malformed.length));
  for (let i = 0; i < count; i++) {
    const file = path.join(sub, `s${String(i).padStart(4, '0')}.yaml`);
    const bad = malformed.length > 0 && i % every === every - 1 ? malformed[Math.floor(i / every)] : undefined;
    const [a, b] = [ANSWERS[i % 3]!, ANSWERS[3 + ((i >> 1) % 3)]!];
    const yaml = `id: s${i}\nanswers:\n${[a, b].map((x) => `  - { problem: ${x.problem}, target: ${x.target}, formula: "${x.formula}" }`).join('\n')}\n`;
    writeInFolder(file, bad ?? yaml);
  }
  return collectSubmissionFiles([sub]).map((entry) => entry.file);
}

function writeInFolder(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** What must not depend on how the batch ran: every verdict, score, message and counterexample. */
function verdictsOf(report: GradeReport) {
  return report.submissions.map((s) => ({ id: s.id, status: s.status, error: s.error, answers: s.answers }));
}

describe('grading a batch in worker threads', () => {
  test('500 submissions with 10 malformed ones: 493 graded (3 with a malformed answer), 7 invalid, each answer as expected', async () => {
    const files = writeBatch('class', 500, MALFORMED);
    const report = await gradeFiles(files, { seed: 17, jobs: 2, registry });
    expect(report.submissions).toHaveLength(500);
    const invalid = report.submissions.filter((s) => s.status === 'invalid');
    expect(invalid).toHaveLength(INVALID_FILES);
    expect(report.submissions.filter((s) => s.status === 'graded')).toHaveLength(500 - INVALID_FILES);
    for (const s of invalid) expect(s.error!.reason.length).toBeGreaterThan(0);
    const withMalformed = report.submissions.filter((s) => s.answers.some((a) => a.finding.reason === 'malformed'));
    expect(withMalformed.map((s) => s.answers.map((a) => a.finding.status))).toEqual([['invalid'], ['invalid'], ['invalid']]);
    // Submissions come back in file order, with the verdicts their answers call for.
    report.submissions.forEach((s, i) => {
      expect(s.file).toBe(files[i]);
      if (s.status === 'invalid' || withMalformed.includes(s)) return;
      expect(s.answers.map((a) => a.finding.status)).toEqual([ANSWERS[i % 3]!.verdict, ANSWERS[3 + ((i >> 1) % 3)]!.verdict]);
    });
    expect(report.references.every((r) => r.status === 'confirmed')).toBe(true);
  });

  test('the same seed gives the same verdicts in two workers as in process', async () => {
    const files = writeBatch('seeded', 24, MALFORMED.slice(0, 2));
    const inProcess = await gradeFiles(files, { seed: 5, jobs: 0, problems });
    const twoWorkers = await gradeFiles(files, { seed: 5, jobs: 2, registry });
    expect(verdictsOf(twoWorkers)).toEqual(verdictsOf(inProcess));
  });

  test('a formula that runs too long fails alone: its file keeps its other verdicts, the batch goes on', async () => {
    const sub = path.join(dir, 'hostile');
    // A loop bound read from the input's values, which the price cannot know: 5·10⁷ iterations per
    // evaluation, within the run-time count (10⁸), and many evaluations beyond the time limit.
    const slow = "X' * dY + 0 * sum(X[1,1] * i, i, 1, floor(abs(X[1,1]) * 1e7) + 5e7)";
    writeInFolder(path.join(sub, 'a-hostile.yaml'), `answers:\n  - { problem: dense-batch, target: db, formula: "sum(dY, 1)" }\n  - { problem: dense-batch, target: dW, formula: "${slow}" }\n  - { problem: relu, target: dX, formula: "(X > 0) .* dY" }\n`);
    writeInFolder(path.join(sub, 'b-honest.yaml'), `answers:\n  - { problem: dense-batch, target: dW, formula: "X' * dY" }\n`);
    const report = await gradeFiles(collectSubmissionFiles([sub]), { seed: 5, jobs: 1, registry, timeLimitMs: 1500 });
    const [hostile, honest] = report.submissions;
    expect(hostile!.answers.map((a) => a.finding.status)).toEqual(['correct', 'invalid', 'undecided']);
    expect(hostile!.answers[1]!.finding.message).toContain('time limit of 1.5 s');
    expect(hostile!.answers[2]!.finding.message).toContain('Not graded');
    expect([hostile!.score, hostile!.maxScore]).toEqual([1, 3]);
    expect(honest!.answers.map((a) => a.finding.status)).toEqual(['correct']);
  });

  test('a registry that cannot be loaded stops the batch with its error', async () => {
    const files = writeBatch('noregistry', 2, []);
    await expect(gradeFiles(files, { seed: 1, jobs: 1, registry: path.join(dir, 'missing-registry.js') })).rejects.toThrow(/missing-registry/);
  });
});

/**
 * The class report: counts and shares per target add up, mistakes are grouped by label and by reading
 * (one wrong formula spelled three ways is one row of three), every row names a student who made it and
 * quotes what they were shown, and refusals say what could not be read.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classSummary } from '../../src/grade/class/summary.js';
import { gradeJson } from '../../src/grade/report/json.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { scoringFor } from '../../src/grade/scoring.js';
import type { GradeReport } from '../../src/grade/types.js';
import { classProblems, gradeClass, writeClass } from './class-fixture.js';

const klass = writeClass();
afterAll(() => klass.cleanup());
let report: GradeReport;
beforeAll(async () => {
  report = await gradeClass(klass.files);
});

describe('the class summary', () => {
  test('one row per target in question order, counts and shares over the first answers of the graded files', () => {
    const summary = classSummary(report);
    expect(summary).toMatchObject({ submissions: 6, graded: 5, invalidFiles: 1, maxScore: 7 });
    expect(summary.targets.map((t) => `${t.number} ${t.problem}/${t.target}`)).toEqual(['1.1 softmax-ce/dz', '2.1 dense-batch/dW', '2.2 dense-batch/dX', '2.3 dense-batch/db']);
    for (const t of summary.targets) {
      // Five graded students, one first answer each (eve's repeat is not a second one; a missing db is one).
      expect(t.answers).toBe(5);
      expect(Object.values(t.counts).reduce((a, b) => a + b, 0)).toBe(t.answers);
      expect(Object.values(t.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    const dW = summary.targets[1]!;
    expect(dW.counts).toMatchObject({ correct: 1, incorrect: 4 });
    expect(dW.shares.incorrect).toBeCloseTo(0.8, 12);
    // Scores by hand: alice 2, bob 0, dan 0, eve 0, frank 0.
    expect(dW.meanScore).toBeCloseTo(2 / 5, 12);
    const db = summary.targets[3]!;
    expect(db).toMatchObject({ counts: { undecided: 3, invalid: 2 }, needsReview: 3 });
    // Totals by hand: alice 6, bob 1, dan 4, eve 3, frank 4.
    expect(summary.meanScore).toBeCloseTo(18 / 5, 12);
  });

  test('mistakes by label, and wrong answers by reading: three spellings of -X\'*dY are one row', () => {
    const dW = classSummary(report).targets[1]!;
    expect(dW.mistakes.map((m) => [m.label, m.count])).toEqual([
      ['sign', 3],
      ['mean-vs-sum', 1],
    ]);
    expect(dW.mistakes[0]!.example.student).toBe('bob');
    expect(dW.mistakes[0]!.example.feedback).toMatch(/^Incorrect: .*the sign of the upstream gradient carries through a linear layer/);
    expect(dW.wrongReadings[0]).toMatchObject({ readAs: "-X' * dY", count: 3, spellings: 3, label: 'sign' });
    expect(dW.wrongReadings[1]).toMatchObject({ readAs: "X' * dY / N", count: 1, spellings: 1, label: 'mean-vs-sum' });
  });

  test('refusals say what was not read, with an example; missing and repeated answers are not refusals', () => {
    const summary = classSummary(report);
    expect(summary.refusals.map((r) => [r.reason, r.count, r.example.student])).toEqual([
      ['reference-unconfirmed', 3, 'alice'],
      ['formula-shape', 1, 'eve'],
    ]);
    expect(summary.refusals[1]!.what).toContain('W * dY: inner dimensions differ');
    expect(summary.needsReview.map((r) => r.student)).toEqual(['alice', 'dan', 'frank']);
  });

  test('the same refusal at different places in different files is one row', async () => {
    const two = writeClass({
      'x.yaml': 'answers:\n  - { problem: dense-batch, target: dW, formla: "X\' * dY" }\n',
      'y.yaml': 'answers:\n  - { problem: relu, target: dX, formula: dY }\n  - { problem: dense-batch, target: dW,   formla: "X\' * dY" }\n',
    });
    try {
      const refusals = classSummary(await gradeClass(two.files, { scoring: scoringFor(classProblems) })).refusals;
      expect(refusals.map((r) => [r.reason, r.what, r.count])).toEqual([['malformed', "answers[…]: unknown field 'formla'; an answer has problem, target and formula or latex.", 2]]);
    } finally {
      two.cleanup();
    }
  });

  test('as text (grade --summary) and under summary in the JSON', () => {
    const text = renderGradeText(report, { summary: true });
    expect(text).toMatch(/^class summary: 6 submissions \(5 graded, 1 invalid file\), mean 3\.6\/7 over the graded ones\n/);
    expect(text).toContain('2.1 dense-batch/dW  5 answers, mean 0.4/2\n    correct 1 (20%), incorrect 4 (80%), invalid 0 (0%), undecided 0 (0%)\n');
    expect(text).toContain("      3× -X' * dY (3 spellings) [sign]  e.g. bob\n");
    expect(text).toContain('      3× sign (60%)  e.g. bob, told "Looks like: the sign of the upstream gradient carries through a linear layer."\n');
    expect(text).toContain('needs review: 3 answers');
    // No per-student blocks.
    expect(text).not.toContain('alice (');
    const json = JSON.parse(JSON.stringify(gradeJson(report, { summary: true })));
    expect(json.summary.targets[1]).toMatchObject({ problem: 'dense-batch', target: 'dW', counts: { incorrect: 4 } });
    expect(gradeJson(report)).not.toHaveProperty('summary');
  });
});

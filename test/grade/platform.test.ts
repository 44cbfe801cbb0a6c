/**
 * Gradescope and PrairieLearn results to the letter: every results file is validated against a schema
 * written from the platform's own specification (platform-schemas.ts), and the details each
 * specification gives meaning to are checked one by one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { classSummary } from '../../src/grade/class/summary.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { findingFor } from '../../src/problem/finding.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { prairieLearnResults } from '../../src/grade/report/prairielearn.js';
import { readSubmissionMetadata, SubmissionMetadataError } from '../../src/grade/submission-metadata.js';
import type { GradeReport, SubmissionResult } from '../../src/grade/types.js';
import { gradeClass, writeClass } from './class-fixture.js';
import { gradescopeResultsSchema, prairieLearnResultsSchema, submissionMetadataSchema } from './platform-schemas.js';

const METADATA = path.join(import.meta.dirname, 'fixtures', 'submission_metadata.json');

const klass = writeClass();
afterAll(() => klass.cleanup());
let report: GradeReport;
beforeAll(async () => {
  report = await gradeClass(klass.files);
});
const student = (id: string): SubmissionResult => report.submissions.find((s) => s.id === id || (id === 'carol' && s.file.endsWith('carol.yaml')))!;

describe('Gradescope results.json', () => {
  test('every submission, graded or not, holds only fields of the specification', () => {
    const ctx = platformContext(report);
    for (const s of report.submissions) {
      const parsed = gradescopeResultsSchema.safeParse(gradescopeResults(s, ctx));
      expect(parsed.success, `${s.id}: ${parsed.error?.message}`).toBe(true);
    }
  });

  test('the schema holds to the specification: a field it does not list fails (the top-level max_score of earlier versions)', () => {
    const bob = gradescopeResults(student('bob'), platformContext(report));
    expect(gradescopeResultsSchema.safeParse({ ...bob, max_score: 7 }).success).toBe(false);
    expect(gradescopeResultsSchema.safeParse({ ...bob, tests: [{ ...bob.tests[0]!, status: 'undecided' }] }).success).toBe(false);
  });

  test('tests are numbered in question order (the assignment lists softmax-ce first), whatever the file order', () => {
    const bob = gradescopeResults(student('bob'), platformContext(report));
    expect(bob.tests.map((t) => [t.number, t.name])).toEqual([
      ['1.1', 'softmax-ce/dz'],
      ['2.1', 'dense-batch/dW'],
      ['2.2', 'dense-batch/dX'],
      ['2.3', 'dense-batch/db'],
    ]);
    expect(bob.execution_time).toBeGreaterThan(0);
    expect(bob.output_format).toBe('text');
  });

  test('a target answered twice is one test, whose output says the repeat was not graded', () => {
    const eve = gradescopeResults(student('eve'), platformContext(report));
    const names = eve.tests.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    const dW = eve.tests.find((t) => t.name === 'dense-batch/dW')!;
    expect(dW.output).toMatch(/Answered again at line \d+: only the first answer \(line 3\) counts\./);
    expect(eve.score).toBe(eve.tests.reduce((s, t) => s + t.score, 0));
  });

  test('an answer that needs review is a failed test saying so, and the counts are in extra_data', () => {
    const frank = gradescopeResults(student('frank'), platformContext(report));
    const db = frank.tests.find((t) => t.name === 'dense-batch/db')!;
    expect(db.status).toBe('failed');
    expect(db.output).toContain('Needs manual review');
    expect(db.tags).toContain('needs-review');
    expect(frank.extra_data).toMatchObject({ needs_review: 1, seed: 11, runs: 16, verdicts: { correct: 2, incorrect: 1, undecided: 1 } });
    expect(frank.output).toContain('1 answer needs manual review');
    // An answer that does not need review says nothing of the kind.
    expect(frank.tests.find((t) => t.name === 'dense-batch/dW')!.output).not.toContain('review');
  });

  test('the student is named from the submission metadata, not from the id the file declares', () => {
    const identity = readSubmissionMetadata(METADATA)!;
    const bob = gradescopeResults(student('bob'), platformContext(report, identity));
    expect(gradescopeResultsSchema.safeParse(bob).success).toBe(true);
    expect(bob.output.split('\n')[0]).toBe('Ada Student <ada.student@example.edu>, Grace Partner <grace.partner@example.edu>: 1/7 points.');
    expect(bob.extra_data).toMatchObject({ declared_id: 'bob' });
    expect(gradescopeResults(student('bob'), platformContext(report)).output).toMatch(/^bob: /);
  });

  test('the metadata fixture is the documented file; a missing file is no identity, a broken one a typed error', () => {
    expect(submissionMetadataSchema.safeParse(JSON.parse(readFileSync(METADATA, 'utf8'))).success).toBe(true);
    expect(readSubmissionMetadata(path.join(klass.dir, 'absent.json'))).toBeUndefined();
    expect(() => readSubmissionMetadata(klass.files[0]!)).toThrow(SubmissionMetadataError);
  });

  test('a file that is not YAML scores 0 with the reason and position in the output', () => {
    const carol = gradescopeResults(student('carol'), platformContext(report));
    expect(carol).toMatchObject({ score: 0, tests: [] });
    expect(carol.output).toContain('line 4, column 1');
  });
});

describe('unsupported notation (the LaTeX reader\'s undecided answers)', () => {
  test('is needs review in every output, like any undecided answer', () => {
    const finding = findingFor('unsupported-notation', 'Needs review (unsupported notation: \\nabla): the reader does not map \\nabla_W L with confidence.');
    const answer = { problem: 'dense-batch', target: 'dW', text: '\\nabla_W L', syntax: 'latex' as const, line: 3, finding, score: 0, maxScore: 2 };
    const s: SubmissionResult = { id: 'kim', file: 'kim.yaml', status: 'graded', score: 0, maxScore: 2, answers: [answer] };
    const one: GradeReport = { ...report, submissions: [s] };
    const ctx = platformContext(one);
    const gs = gradescopeResults(s, ctx);
    expect(gs.tests[0]).toMatchObject({ status: 'failed', tags: ['undecided', 'needs-review'] });
    expect(gs.tests[0]!.output).toContain('Needs manual review');
    expect(gs.extra_data).toMatchObject({ needs_review: 1 });
    const pl = prairieLearnResults(s, ctx);
    expect(pl.message).toContain('1 answer needs manual review');
    expect(renderGradeText(one)).toContain('needs review: 1 answer (settle them with --overrides, or a spelling for everyone with an accept list in its question file, then grade again)\n  ? kim dense-batch/dW (line 3): undecided (unsupported-notation)');
    expect(classSummary(one).refusals.map((r) => [r.reason, r.what])).toEqual([['unsupported-notation', 'Needs review (unsupported notation: \\nabla): the reader does not map \\nabla_W L with confidence.']]);
  });
});

describe('PrairieLearn results.json', () => {
  test('every submission holds the specification\'s fields with their types', () => {
    const ctx = platformContext(report);
    for (const s of report.submissions) {
      const parsed = prairieLearnResultsSchema.safeParse(prairieLearnResults(s, ctx));
      expect(parsed.success, `${s.id}: ${parsed.error?.message}`).toBe(true);
    }
  });

  test('a file that cannot be read is not gradable and gives its reason in format_errors', () => {
    const carol = prairieLearnResults(student('carol'), platformContext(report));
    expect(carol).toMatchObject({ gradable: false, format_errors: [expect.stringContaining('line 4, column 1')] });
    expect(carol).not.toHaveProperty('score');
  });

  test('a top-level output, the seed to regrade with, and review in the test message and the top-level message', () => {
    const frank = prairieLearnResults(student('frank'), platformContext(report));
    if (!frank.gradable || !('tests' in frank)) throw new Error('frank is gradable');
    expect(frank).toMatchObject({ seed: 11, runs: 16 });
    expect(frank.score).toBeCloseTo(4 / 7, 12);
    expect(frank.output).toContain('2.3 dense-batch/db: 0/1 undecided (needs manual review)');
    expect(frank.message).toContain('1 answer needs manual review');
    expect(frank.tests.find((t) => t.name === 'dense-batch/db')!.message).toContain('Needs manual review');
    expect(frank.tests.map((t) => t.name)).toEqual(['softmax-ce/dz', 'dense-batch/dW', 'dense-batch/dX', 'dense-batch/db']);
  });
});

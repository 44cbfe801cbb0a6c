/**
 * The gradebook CSV: documented columns in question order, one row per student (or per answer), read
 * back by an independent CSV parser (csv-parse), and no cell a spreadsheet would run as a formula.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LONG_COLUMNS, answersCsv, gradebookCsv } from '../../src/grade/report/csv.js';
import { writeGradeOutput } from '../../src/grade/report/write.js';
import type { GradeReport } from '../../src/grade/types.js';
import { CLASS_FILES, gradeClass, writeClass } from './class-fixture.js';

const HOSTILE_ID = '=HYPERLINK("http://example.com/x","click")';
const klass = writeClass({
  ...CLASS_FILES,
  'mallory.yaml': `id: ${JSON.stringify(HOSTILE_ID)}\nanswers:\n  - { problem: dense-batch, target: dW, formula: "@X' * dY" }\n  - { problem: dense-batch, target: dX, formula: "-dY * W', \\"quoted\\"" }\n`,
});
afterAll(() => klass.cleanup());
let report: GradeReport;
beforeAll(async () => {
  report = await gradeClass(klass.files);
});

const rows = (text: string): string[][] => parse(text, { relax_column_count: false });

describe('--format csv: one row per student', () => {
  test('columns: student, status, one per target in question order, total, max_total', () => {
    const [header, ...body] = rows(gradebookCsv(report));
    expect(header).toEqual(['student', 'status', 'softmax-ce/dz', 'dense-batch/dW', 'dense-batch/dX', 'dense-batch/db', 'total', 'max_total']);
    const byId = new Map(body.map((r) => [r[0]!, r]));
    expect(byId.get('alice')).toEqual(['alice', 'needs-review', '3', '2', '1', '0', '6', '7']);
    expect(byId.get('bob')).toEqual(['bob', 'graded', '0', '0', '1', '0', '1', '7']);
    expect(byId.get('eve')).toEqual(['eve', 'graded', '3', '0', '0', '0', '3', '7']);
    expect(byId.get('carol')).toEqual(['carol', 'invalid-file', '', '', '', '', '0', '7']);
    // The total is the sum of the target columns for every graded student.
    for (const r of body.filter((r) => r[1] !== 'invalid-file')) expect(r.slice(2, 6).reduce((s, x) => s + Number(x), 0)).toBe(Number(r[6]));
  });

  test('a cell a spreadsheet would run as a formula starts with a quote', () => {
    const text = gradebookCsv(report);
    const mallory = rows(text).find((r) => r[0]!.includes('HYPERLINK'))!;
    expect(mallory[0]).toBe(`'${HOSTILE_ID}`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});

describe('--csv-long: one row per answer', () => {
  test('documented columns; every answer with its verdict, points, mistake and reading', () => {
    const [header, ...body] = rows(answersCsv(report));
    expect(header).toEqual([...LONG_COLUMNS]);
    const col = (name: (typeof LONG_COLUMNS)[number]) => LONG_COLUMNS.indexOf(name);
    const bobDW = body.find((r) => r[col('student')] === 'bob' && r[col('target')] === 'dW')!;
    expect(bobDW[col('verdict')]).toBe('incorrect');
    expect(bobDW[col('mistake')]).toBe('sign');
    // readAs "-X' * dY" begins with a minus: neutralised, and the quote is the only change.
    expect(bobDW[col('read_as')]).toBe("'-X' * dY");
    const eveRepeat = body.filter((r) => r[col('student')] === 'eve' && r[col('target')] === 'dW');
    expect(eveRepeat.map((r) => [r[col('verdict')], r[col('reason')]])).toEqual([
      ['incorrect', 'mismatch'],
      ['invalid', 'repeated'],
    ]);
    expect(body.find((r) => r[col('student')] === 'frank' && r[col('target')] === 'db')![col('needs_review')]).toBe('true');
    expect(body.find((r) => r[col('student')] === 'carol')!.slice(3, 6)).toEqual(['4', 'invalid-file', expect.stringMatching(/^not valid YAML/)]);
    // A reading with a comma and quotes survives the round trip.
    const malloryDX = body.find((r) => r[col('student')]!.includes('HYPERLINK') && r[col('target')] === 'dX')!;
    expect(malloryDX[col('verdict')]).toBe('invalid');
  });

  test('written beside the main output with --csv-long FILE', async () => {
    const file = path.join(klass.dir, 'out', 'answers.csv');
    const written = await writeGradeOutput(report, 'csv', path.join(klass.dir, 'out', 'grades.csv'), { csvLong: file });
    expect(written.files.map((f) => path.basename(f))).toEqual(['grades.csv', 'answers.csv']);
    expect(readFileSync(file, 'utf8')).toBe(answersCsv(report));
  });
});

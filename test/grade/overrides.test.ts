/**
 * A grader's rulings (grade --overrides FILE): checked with positions before any grading, applied to
 * the answer they name, shown in every output, and re-applied whenever the class is graded again.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OverridesFileError, applyOverrides, readOverridesFile } from '../../src/grade/overrides.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { gradeJson } from '../../src/grade/report/json.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { prairieLearnResults } from '../../src/grade/report/prairielearn.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { needsReview } from '../../src/grade/review.js';
import type { GradeReport } from '../../src/grade/types.js';
import { CLASS_SCORING, classProblems, gradeClass, writeClass } from './class-fixture.js';

const klass = writeClass();
afterAll(() => klass.cleanup());
let report: GradeReport;
beforeAll(async () => {
  report = await gradeClass(klass.files);
});

function overridesFile(name: string, text: string): string {
  const file = path.join(klass.dir, name);
  writeFileSync(file, text);
  return file;
}

const RULINGS = `# db's reference is broken this term: the TA read the answers.
- student: frank
  problem: dense-batch
  target: db
  points: 1
  note: sum over the rows of dY, right
- student: eve
  question: dense-batch
  target: dX
  points: 0.5
  note: "W * dY: the shapes do not fit, but the idea (dY times W) is there"
- student: alise
  problem: dense-batch
  target: db
  points: 1
  note: a misspelled id
`;

describe('needs review', () => {
  test('the text summary lists every answer that needs review together, and a ruling takes it off the list', () => {
    const text = renderGradeText(report);
    const block = text.slice(text.indexOf('needs review: '));
    expect(block.split('\n').slice(0, 4)).toEqual([
      'needs review: 3 answers (settle them with --overrides, or a spelling for everyone with an accept list in its question file, then grade again)',
      '  ? alice dense-batch/db (line 9): undecided (reference-unconfirmed)',
      '  ? dan dense-batch/db (line 9): undecided (reference-unconfirmed)',
      '  ? frank dense-batch/db (line 9): undecided (reference-unconfirmed)',
    ]);
    const { report: ruled } = applyOverrides(report, readOverridesFile(overridesFile('ok.yaml', RULINGS), classProblems, CLASS_SCORING));
    expect(renderGradeText(ruled)).toContain('needs review: 2 answers');
  });
});

describe('the overrides file', () => {
  test('is read into rulings that cite their line', () => {
    const overrides = readOverridesFile(overridesFile('ok.yaml', RULINGS), classProblems, CLASS_SCORING);
    expect([...overrides.keys()]).toEqual(['frank', 'eve', 'alise']);
    const frank = [...overrides.get('frank')!.values()][0]!;
    expect(frank).toMatchObject({ problem: 'dense-batch', target: 'db', points: 1, note: 'sum over the rows of dY, right' });
    expect(frank.source).toMatch(/ok\.yaml:2$/);
  });

  test.each([
    ['a misspelled key', '- student: frank\n  problem: dense-batch\n  target: db\n  pionts: 1\n  note: x\n', /:1:3: \[0\]: unknown field 'pionts'/],
    ['points that are not a number', '- student: frank\n  problem: dense-batch\n  target: db\n  points: all\n  note: x\n', /:4:11: \[0\]\.points: expected number, got string "all"/],
    ['an unknown target', '- student: frank\n  problem: dense-batch\n  target: dw\n  points: 1\n  note: x\n', /:1:3: \[0\]: .*unknown target 'dw'.*did you mean 'dW'/],
    ['more points than the target is worth', '- student: frank\n  problem: dense-batch\n  target: dW\n  points: 3\n  note: x\n', /:4:11: \[0\]\.points: 3 is more than dense-batch\/dW is worth \(2\)/],
    ['a target outside the assignment', '- student: frank\n  problem: relu\n  target: dX\n  points: 1\n  note: x\n', /:1:3: \[0\]: relu\/dX is not part of this assignment, so no answer to it is graded/],
    ['a ruling given twice', '- { student: frank, problem: dense-batch, target: db, points: 1, note: a }\n- { student: frank, problem: dense-batch, target: db, points: 0, note: b }\n', /:2:3: \[1\]: frank's dense-batch\/db is ruled on twice \(first at .*:1\)/],
    ['no note', '- { student: frank, problem: dense-batch, target: db, points: 1 }\n', /\[0\]\.note: missing/],
    ['both problem and question', '- { student: frank, problem: dense-batch, question: dense-batch, target: db, points: 1, note: a }\n', /give exactly one of problem or question/],
    ['not YAML', '- student: [frank\n', /not valid YAML/],
  ])('refuses %s, saying where', (_what, text, message) => {
    const file = overridesFile('bad.yaml', text);
    expect(() => readOverridesFile(file, classProblems, CLASS_SCORING)).toThrow(OverridesFileError);
    expect(() => readOverridesFile(file, classProblems, CLASS_SCORING)).toThrow(message);
  });
});

describe('applying the rulings', () => {
  test('an answer that needed review gets the ruling\'s points and is settled; the Finding stays what was found', () => {
    const { report: ruled, unused } = applyOverrides(report, readOverridesFile(overridesFile('ok.yaml', RULINGS), classProblems, CLASS_SCORING));
    const before = report.submissions.find((s) => s.id === 'frank')!;
    const frank = ruled.submissions.find((s) => s.id === 'frank')!;
    const db = frank.answers.find((a) => a.target === 'db')!;
    expect(db.finding).toEqual(before.answers.find((a) => a.target === 'db')!.finding);
    expect(db).toMatchObject({ score: 1, override: { points: 1, note: 'sum over the rows of dY, right' } });
    expect(needsReview(db)).toBe(false);
    expect(frank.score).toBe(before.score + 1);
    const eve = ruled.submissions.find((s) => s.id === 'eve')!;
    expect(eve.score).toBe(report.submissions.find((s) => s.id === 'eve')!.score + 0.5);
    expect(unused.map((u) => u.why)).toEqual(["no submission has the id 'alise'"]);
  });

  test('every output shows the ruling and its note', () => {
    const { report: ruled } = applyOverrides(report, readOverridesFile(overridesFile('ok.yaml', RULINGS), classProblems, CLASS_SCORING));
    const frank = ruled.submissions.find((s) => s.id === 'frank')!;
    const text = renderGradeText(ruled);
    expect(text).toMatch(/= dense-batch\/db {2}1\/1 {2}undecided \(reference-unconfirmed\), score set by a grader\n/);
    expect(text).toContain('Score set by a grader: 1/1 (sum over the rows of dY, right).');
    expect(text).toContain('overridden: 2 answers');
    const json = gradeJson(ruled).submissions.find((s) => s.id === 'frank')!.answers.find((a) => a.target === 'db')!;
    expect(json).toMatchObject({ needsReview: false, override: { points: 1, note: 'sum over the rows of dY, right' } });
    const ctx = platformContext(ruled);
    const test = gradescopeResults(frank, ctx).tests.find((t) => t.name === 'dense-batch/db')!;
    expect(test).toMatchObject({ status: 'passed', score: 1 });
    expect(test.output).toContain('Score set by a grader: 1/1 (sum over the rows of dY, right).');
    expect(test.output).not.toContain('Needs manual review');
    const pl = prairieLearnResults(frank, ctx);
    expect('tests' in pl && pl.tests.find((t) => t.name === 'dense-batch/db')!.message).toContain('Score set by a grader');
  });

  test('graded one file at a time on Gradescope, rulings match the student by the metadata\'s emails, never by the id the file declares', () => {
    const rulings = `- { student: frank, problem: dense-batch, target: db, points: 1, note: by the declared id }
- { student: grace.partner@example.edu, problem: dense-batch, target: dX, points: 0.5, note: by email }
- { student: zoe@example.edu, problem: dense-batch, target: dX, points: 1, note: another student }
`;
    const overrides = readOverridesFile(overridesFile('emails.yaml', rulings), classProblems, CLASS_SCORING);
    const one = { ...report, submissions: [report.submissions.find((s) => s.id === 'frank')!] };
    const { report: ruled, unused } = applyOverrides(one, overrides, { students: ['ada.student@example.edu', 'grace.partner@example.edu'] });
    const answers = ruled.submissions[0]!.answers;
    expect(answers.find((a) => a.target === 'db')!.override).toBeUndefined();
    expect(answers.find((a) => a.target === 'dX')!.override).toMatchObject({ note: 'by email' });
    // Other students' rulings are not this run's business; none is reported unused.
    expect(unused).toEqual([]);
  });

  test('a regrade with another seed gets the same rulings', async () => {
    const overrides = readOverridesFile(overridesFile('ok.yaml', RULINGS), classProblems, CLASS_SCORING);
    const again = applyOverrides(await gradeClass(klass.files), overrides).report;
    const first = applyOverrides(report, overrides).report;
    const scores = (r: GradeReport) => r.submissions.map((s) => [s.id, s.score, s.answers.filter((a) => a.override).length]);
    expect(scores(again)).toEqual(scores(first));
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import katex from 'katex';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { scoringFor } from '../../src/grade/scoring.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { heatmapSvg } from '../../src/grade/report/heatmap.js';
import { gradeJson } from '../../src/grade/report/json.js';
import { formulaLatex } from '../../src/grade/report/latex.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { prairieLearnResults } from '../../src/grade/report/prairielearn.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { submissionStems, writeGradeOutput } from '../../src/grade/report/write.js';
import type { GradeReport } from '../../src/grade/types.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let report: GradeReport;
beforeAll(async () => {
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const files = [
    write('alice.yaml', `id: alice\nanswers:\n  - { problem: dense-batch, target: dW, formula: "X' * dY" }\n  - { problem: softmax-ce, target: dz, latex: "\\\\operatorname{softmax}(z, 2) - p" }\n`),
    write('bob.yaml', `id: bob\nanswers:\n  - { problem: dense-batch, target: dW, formula: "-X' * dY" }\n  - { problem: dense-batch, target: db, formula: "sum(dY, 2)" }\n  - { problem: dense-batch, target: dX, formula: "dY * W' + " }\n`),
    write('carol.yaml', 'answers:\n  - problem: dense-batch\n    target: [dW\n'),
  ];
  // Every target at its own points but dense-batch's dW, worth 2.
  const own = scoringFor(problems);
  const scoring = { ...own, points: new Map([...own.points, ['dense-batch', new Map([...own.points.get('dense-batch')!, ['dW', 2]])]]) };
  report = await gradeFiles(files, { seed: 21, jobs: 0, problems, scoring });
});

describe('the JSON report', () => {
  test('has the documented shape: submissions with scores, answers with verdict, message and readAs', () => {
    const json = gradeJson(report);
    expect(json.seed).toBe(21);
    expect(json.submissions.map((s) => [s.id, s.status, s.score, s.maxScore])).toEqual([
      ['alice', 'graded', 3, 3],
      ['bob', 'graded', 0, 4],
      ['carol', 'invalid', 0, 0],
    ]);
    const bob = json.submissions[1]!;
    expect(bob.answers.map((a) => [a.target, a.verdict, a.score, a.maxScore, a.mistake?.label])).toEqual([
      ['dW', 'incorrect', 0, 2, 'sign'],
      ['db', 'incorrect', 0, 1, 'wrong-shape'],
      ['dX', 'invalid', 0, 1, undefined],
    ]);
    expect(bob.answers[0]).toMatchObject({ problem: 'dense-batch', formula: "-X' * dY", readAs: "-X' * dY", line: 3 });
    expect(bob.answers[0]!.evidence!.entries.length).toBeGreaterThan(0);
    expect(bob.answers.map((a) => a.reason)).toEqual(['mismatch', 'shape', 'syntax']);
    expect(bob.answers[2]!.readAs).toBeNull();
    expect(json.submissions[2]!.error).toEqual({ reason: expect.stringMatching(/^not valid YAML/), line: 4, column: 1 });
    // Round-trips through JSON text.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test('the text summary lists every answer and the totals', () => {
    const text = renderGradeText(report);
    expect(text).toContain('alice (');
    expect(text).toContain('✓ dense-batch/dW  2/2  correct');
    expect(text).toContain('✗ dense-batch/dW  0/2  incorrect (sign)');
    expect(text).toContain('INVALID FILE');
    expect(text).toContain('3 submissions: 2 graded, 1 invalid file\n');
    expect(text).toContain('answers: 2 correct, 2 incorrect, 1 invalid, 0 undecided, 0 non-differentiable');
  });
});

describe('autograder results', () => {
  test('Gradescope: the score, and one test per answer with its own score and output', () => {
    const ctx = platformContext(report);
    const bob = gradescopeResults(report.submissions[1]!, ctx);
    expect(bob).toMatchObject({ score: 0, visibility: 'visible' });
    expect(bob.tests.map((t) => [t.name, t.score, t.max_score, t.status])).toEqual([
      ['dense-batch/dW', 0, 2, 'failed'],
      ['dense-batch/db', 0, 1, 'failed'],
      ['dense-batch/dX', 0, 1, 'failed'],
    ]);
    expect(bob.tests[0]!.output).toContain('read as: -X\' * dY');
    expect(gradescopeResults(report.submissions[2]!, ctx).output).toContain('line 4, column 1');
  });

  test('PrairieLearn: a score in 0..1, tests with points, and an unreadable file not gradable', () => {
    const ctx = platformContext(report);
    const alice = prairieLearnResults(report.submissions[0]!, ctx);
    expect(alice).toMatchObject({ gradable: true, score: 1 });
    expect('tests' in alice && alice.tests.map((t) => [t.name, t.points, t.max_points])).toEqual([
      ['dense-batch/dW', 2, 2],
      ['softmax-ce/dz', 1, 1],
    ]);
    expect(prairieLearnResults(report.submissions[1]!, ctx)).toMatchObject({ score: 0 });
    expect(prairieLearnResults(report.submissions[2]!, ctx)).toMatchObject({ gradable: false, format_errors: [expect.stringContaining('line 4')] });
  });

  test('one results file per submission in a folder, or the file itself for one submission', async () => {
    const out = path.join(dir, 'gradescope');
    const written = await writeGradeOutput(report, 'gradescope', out);
    expect(written.files.map((f) => path.basename(f))).toEqual(['alice.json', 'bob.json', 'carol.json']);
    expect(JSON.parse(readFileSync(path.join(out, 'bob.json'), 'utf8')).tests.map((t: { max_score: number }) => t.max_score)).toEqual([2, 1, 1]);
    const single = path.join(dir, 'results.json');
    await writeGradeOutput({ ...report, submissions: [report.submissions[0]!] }, 'prairielearn', single);
    expect(JSON.parse(readFileSync(single, 'utf8')).score).toBe(1);
  });

  test('file names are safe and unique even when ids are not', () => {
    const subs = ['a/b', 'a/b', '..', 'A/B'].map((id) => ({ ...report.submissions[0]!, id }));
    expect(submissionStems(subs)).toEqual(['a_b', 'a_b-2', '_', 'A_B-3']);
  });
});

describe('the HTML report', () => {
  test('an index and a page per submission, with KaTeX formulas, heat-maps and fonts beside them', async () => {
    const out = path.join(dir, 'html');
    await writeGradeOutput(report, 'html', out);
    const index = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="bob.html"');
    const bob = readFileSync(path.join(out, 'bob.html'), 'utf8');
    expect(bob).toContain('class="katex"');
    expect(bob).toContain('<svg class="heatmap"');
    expect(bob).toContain('Counterexample');
    expect(existsSync(path.join(out, 'fonts', 'KaTeX_Main-Regular.woff2'))).toBe(true);
  });

  test('the heat-map has one cell per entry, coloured by |expected − got|', () => {
    const svg = heatmapSvg([[1, 2], [3, 4]], [[1, 0], [3, 8]], 'dW')!;
    expect(svg.match(/<rect /g)).toHaveLength(4);
    // Largest difference (4, at dW[2,2]) is full red; an exact entry is white.
    expect(svg).toContain('fill="rgb(255,0,0)" stroke="#999" stroke-width="0.5"><title>dW[2,2]');
    expect(svg).toContain('fill="rgb(255,255,255)" stroke="#999" stroke-width="0.5"><title>dW[1,1]');
    // A 4-D value is a grid of panels: 2×3 panels of 2×2.
    const four = Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => [[0, 1], [2, 3]]));
    expect(heatmapSvg(four, four, 'dK')!.match(/<rect /g)).toHaveLength(24);
    expect(heatmapSvg(3, 4, 'x')).toBeUndefined();
  });
});

describe('formulas as LaTeX', () => {
  test('reads as course notes write it', () => {
    expect(formulaLatex("X' * dY")).toBe('{X}^{\\top} \\, dY');
    expect(formulaLatex('dW[d,m] = sum(X[n,d] * dY[n,m], n)')).toBe('dW_{d,m} = \\sum_{n} X_{n,d} \\, dY_{n,m}');
    expect(formulaLatex('(s - p) / B')).toBe('\\frac{s - p}{B}');
    expect(formulaLatex('(X > 0) .* dY')).toBe('\\left(X > 0\\right) \\odot dY');
    expect(formulaLatex('sum(x[i], i, 1, N)')).toBe('\\sum_{i=1}^{N} x_{i}');
  });

  test('every formula of the problem modules renders in KaTeX without an error', () => {
    const formulas = problems.flatMap((p) => p.targets.flatMap((t) => [...t.closedForms.filter((c) => c.syntax !== 'latex').map((c) => c.formula), ...t.mistakes.map((m) => m.formula)]));
    expect(formulas.length).toBeGreaterThan(100);
    for (const f of formulas) {
      const latex = formulaLatex(f);
      expect(latex, f).toBeDefined();
      expect(() => katex.renderToString(latex!, { throwOnError: true }), `${f} → ${latex}`).not.toThrow();
    }
  });
});

/**
 * Nesting is bounded where every formula is read (parseFormula, plain and LaTeX alike), before any
 * recursive parser runs: text nested past the bound is an invalid answer with the position of the
 * first bracket too deep. Every reporter renders any answer, refused or accepted, without recursing
 * past the bound (a LaTeX answer of 2,000 nested braces crashed the HTML report).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { LimitExceededError } from '../../src/formula/errors.js';
import { MAX_FORMULA_LENGTH, parseFormula } from '../../src/formula/parse.js';
import { MAX_TREE_DEPTH } from '../../src/formula/read.js';
import { MAX_NESTING } from '../../src/formula/tokens.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { submissionPage } from '../../src/grade/report/html.js';
import { gradeJson } from '../../src/grade/report/json.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { prairieLearnResults } from '../../src/grade/report/prairielearn.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { declarationsOf } from '../../src/problem/shapes.js';

const dense = problems.find((p) => p.id === 'dense-batch')!;
const declarations = declarationsOf(dense);
const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-hostile-nesting-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nest = (open: string, inner: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);

/** The offset of the n-th opening bracket of `text` (these texts open all their brackets first). */
function openingBracket(text: string, n: number): number {
  let seen = 0;
  for (let i = 0; i < text.length; i++) if ('([{'.includes(text[i]!) && ++seen === n) return i;
  return -1;
}

/** The LimitExceededError of reading `text` (failing the test if reading succeeds or fails otherwise). */
function refusal(text: string, syntax: 'formula' | 'latex'): LimitExceededError {
  try {
    parseFormula(text, { syntax, declarations });
  } catch (err) {
    expect(err).toBeInstanceOf(LimitExceededError);
    return err as LimitExceededError;
  }
  throw new Error(`${text.slice(0, 40)}... was read`);
}

describe('nesting is bounded before any recursive parser runs', () => {
  test.each([
    ['latex', '2,000 nested braces', nest('{', 'X^T dY', '}', 1990), '{'],
    ['latex', 'nested \\left( \\right)', nest('\\left(', 'X^T dY', '\\right)', 100), '('],
    ['latex', 'nested fractions', nest('\\frac{', 'X^T dY', '}{2}', 100), '{'],
    ['latex', 'nested square roots', nest('\\sqrt{', 'X', '}', 100), '{'],
    ['latex', 'nested exponents', nest('X^{', 'X', '}', 100), '{'],
    ['formula', 'nested parentheses', nest('(', "X' * dY", ')', 1000), '('],
    ['formula', 'nested brackets and calls', nest('exp([', 'X', '])', 500), '('],
  ] as const)('%s: %s', (syntax, _what, text, bracket) => {
    const err = refusal(text, syntax);
    expect(err.message).toMatch(new RegExp(`brackets are nested more than ${MAX_NESTING} deep`));
    // The caret is on the first bracket past the bound, in the user's own text.
    expect(err.position!.offset).toBe(openingBracket(text, MAX_NESTING + 1));
    expect(text[err.position!.offset]).toBe(bracket);
  });

  test('a run of signs nests one level per sign: past the bound it is refused at the sign', () => {
    const text = `${'- '.repeat(MAX_TREE_DEPTH + 1)}X`;
    const err = refusal(text, 'formula');
    expect(err.message).toMatch(/more than 200 signs in a row/);
    expect(err.position!.offset).toBe(2 * MAX_TREE_DEPTH);
    expect(refusal(`${'-'.repeat(3000)}X`, 'latex').limit).toBe('maxDepth');
  });

  test('honest nesting stays well inside the bound', () => {
    expect(parseFormula(nest('(', "X' * dY", ')', MAX_NESTING), { declarations }).readAs).toBe("X' * dY");
    expect(parseFormula(nest('{', 'X^T dY', '}', 30), { syntax: 'latex', declarations }).readAs).toBe("X' * dY");
    expect(parseFormula('\\left(\\frac{\\partial L}{\\partial Y}\\right)^T X', { syntax: 'latex', declarations }).readAs).toBe("dY' * X");
  });
});

describe('every reporter renders every answer, refused or accepted', () => {
  const answers: readonly { field: 'formula' | 'latex'; text: string }[] = [
    { field: 'latex', text: nest('{', 'X^T dY', '}', 1990) },
    { field: 'latex', text: nest('{', 'X^T dY', '}', 2000) },
    { field: 'latex', text: nest('{', 'X^T dY', '}', MAX_NESTING) },
    { field: 'latex', text: nest('\\frac{', 'X^T dY', '}{1}', 40) },
    { field: 'latex', text: nest('\\left(', 'X^T', '\\right)', MAX_NESTING) + ' dY' },
    { field: 'formula', text: `${'-'.repeat(150)}X' * dY` },
    { field: 'formula', text: nest('(', "X' * dY", ')', MAX_NESTING) },
    { field: 'formula', text: `X' * dY${' + 0 * X'.repeat(400)}`.slice(0, MAX_FORMULA_LENGTH) },
  ];

  test('text, JSON, Gradescope, PrairieLearn and HTML', async () => {
    // Each answer in its own submission, so that the one-answer-per-target rule does not hide any.
    const files = answers.map((a, i) => {
      const one = path.join(dir, `deep-${i}.json`);
      writeFileSync(one, JSON.stringify({ id: `deep-${i}`, answers: [{ problem: 'dense-batch', target: 'dW', [a.field]: a.text }] }));
      return one;
    });
    const report = await gradeFiles(files, { seed: 2, jobs: 0, problems });
    const verdicts = report.submissions.map((s) => s.answers[0]!.finding.status);
    expect(verdicts).toEqual(['invalid', 'invalid', 'correct', expect.any(String), 'correct', 'correct', 'correct', expect.any(String)]);
    expect(report.submissions[0]!.answers[0]!.finding.message).toMatch(/brackets are nested more than 64 deep/);
    expect(report.submissions[1]!.answers[0]!.finding.message).toMatch(/characters long; the limit is 4000/);
    expect(renderGradeText(report)).toMatch(/8 submissions: 8 graded/);
    expect(JSON.parse(JSON.stringify(gradeJson(report))).submissions).toHaveLength(8);
    const ctx = platformContext(report);
    for (const s of report.submissions) {
      expect(gradescopeResults(s, ctx).tests).toHaveLength(1);
      const pl = prairieLearnResults(s, ctx);
      expect('tests' in pl && pl.tests).toHaveLength(1);
      const html = submissionPage(s, report);
      expect(html).toContain('<section class="answer');
    }
    // A refused LaTeX answer is shown as text, not handed to KaTeX.
    expect(submissionPage(report.submissions[0]!, report)).toContain('<div class="formula"><code>{{{{');
    expect(submissionPage(report.submissions[2]!, report)).toContain('class="katex');
  });
});

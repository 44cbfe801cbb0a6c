import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems as builtIn } from '../../problems/index.js';
import { gradeAnswer } from '../../src/grade/answer.js';
import { scoringFor } from '../../src/grade/scoring.js';
import { GradingSession } from '../../src/grade/session.js';
import { readQuestionFile } from '../../src/question/load.js';
import type { ProblemRequest } from '../../web/engine/protocol.js';
import { DroppedQuestions } from '../../web/engine/questions.js';
import { runCheck } from '../../web/engine/run.js';
import { runCli } from '../cli/run-cli.js';

/**
 * Question files dropped on the playground (web/engine/questions.ts), run in Node: an answer to a
 * dropped question gets exactly the Finding `derivcheck grade --questions FILE` gives it, and a file
 * that cannot be used is an error with its place, while the questions loaded before stay.
 */
const FILE = new URL('./files/tanh-regression.yaml', import.meta.url).pathname;
const TEXT = readFileSync(FILE, 'utf8');
const SEED = 5;

const noProgress = () => undefined;

async function droppedWith(...sources: { name: string; content: Blob | string }[]): Promise<DroppedQuestions> {
  const dropped = new DroppedQuestions();
  const { errors } = await dropped.add(sources);
  expect(errors).toEqual([]);
  return dropped;
}

/** Answers to the question's targets, of every kind of verdict, in both syntaxes (LaTeX with the file's aliases h → H, e → E). */
const ANSWERS: readonly { target: string; text: string; syntax: 'formula' | 'latex'; status: string }[] = [
  { target: 'dW', text: "X' * ((1 - H.^2) .* (E * v'))", syntax: 'formula', status: 'correct' },
  { target: 'dW', text: 'X^\\top \\left[(1 - h \\odot h) \\odot (e v^\\top)\\right]', syntax: 'latex', status: 'correct' },
  { target: 'dW', text: "X' * (E * v')", syntax: 'formula', status: 'incorrect' },
  { target: 'dW', text: "-X' * ((1 - H.^2) .* (E * v'))", syntax: 'formula', status: 'incorrect' },
  { target: 'dW', text: "(E * v')' * X", syntax: 'formula', status: 'incorrect' },
  { target: 'dW', text: "X' * ((1 - H.^2) .* (E * v')", syntax: 'formula', status: 'invalid' },
  { target: 'dv', text: 'h^\\top e', syntax: 'latex', status: 'correct' },
  { target: 'dv', text: "H' * E / N", syntax: 'formula', status: 'incorrect' },
];

const request = (a: (typeof ANSWERS)[number]): ProblemRequest => ({ kind: 'problem', problem: 'tanh-regression', target: a.target, grad: a.text, syntax: a.syntax, seed: SEED });

describe('an answer to a dropped question file is graded as derivcheck grade grades it', () => {
  test('the same Finding as the library grader on the question read from its file, for every kind of answer', async () => {
    const dropped = await droppedWith({ name: 'tanh-regression.yaml', content: new Blob([TEXT]) });
    // The CLI's path: the file read from disk, graded in a session over the built-in problems and the question, scored by the question's own settings.
    const question = readQuestionFile(FILE).problem;
    const session = new GradingSession([...builtIn, question], { seed: SEED, scoring: scoringFor([question]) });
    for (const answer of ANSWERS) {
      const view = runCheck(request(answer), dropped.problems(), noProgress, scoringFor(dropped.questions()));
      const graded = gradeAnswer(session, { problem: question.id, target: answer.target, text: answer.text, syntax: answer.syntax, line: 0 }, 1);
      expect(view.finding, `${answer.target}: ${answer.text}`).toEqual(graded.finding);
      expect(view.finding.status, `${answer.target}: ${answer.text}`).toBe(answer.status);
      // The question's own `grading: { runs: 12 }`, not the grader's default 16.
      expect(view.runs).toBe(12);
    }
    const missingPrime = runCheck(request(ANSWERS[2]!), dropped.problems(), noProgress, scoringFor(dropped.questions()));
    expect(missingPrime.finding.mistake?.label).toBe('missing-tanh-prime');
    expect(missingPrime.finding.evidence?.entries.length).toBeGreaterThan(0);
  });

  test('the same Finding as `derivcheck grade --questions FILE --json`, answer by answer', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-web-questions-'));
    try {
      // One submission per answer: a second answer to a target in one submission is graded as repeated.
      ANSWERS.forEach((a, i) => writeFileSync(path.join(dir, `a${i}.yaml`), `id: s${i}\nanswers:\n  - { problem: tanh-regression, target: ${a.target}, ${a.syntax}: ${JSON.stringify(a.text)} }\n`));
      const cli = runCli(['grade', dir, '--questions', FILE, '--json', '--seed', String(SEED)]);
      const answers = (JSON.parse(cli.stdout) as { submissions: { id: string; answers: Record<string, unknown>[] }[] }).submissions.map((s) => {
        expect(s.answers).toHaveLength(1);
        return s.answers[0]!;
      });
      expect(answers).toHaveLength(ANSWERS.length);
      const dropped = await droppedWith({ name: 'pasted text', content: TEXT });
      ANSWERS.forEach((answer, i) => {
        const { problem, target, formula, latex, syntax, line, score, maxScore, verdict, needsReview, ...finding } = answers[i]!;
        const view = runCheck(request(answer), dropped.problems(), noProgress, scoringFor(dropped.questions()));
        // Through JSON as the CLI prints it (NaN is null there; the report writes a field the Finding lacks, readAs of an answer it could not read, as null).
        const web = JSON.parse(JSON.stringify(view.finding)) as Record<string, unknown>;
        const printed = Object.fromEntries(Object.entries(finding).filter(([key, value]) => value !== null || key in web));
        expect({ ...web, status: verdict }, `${answer.target}: ${answer.text}`).toEqual({ ...printed, status: verdict });
        expect([problem, target, formula ?? latex, syntax, verdict, needsReview]).toEqual(['tanh-regression', answer.target, answer.text, answer.syntax, answer.status, view.finding.review]);
        expect([line, score, maxScore]).toEqual([3, answer.status === 'correct' ? (answer.target === 'dW' ? 2 : 1) : 0, answer.target === 'dW' ? 2 : 1]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A Blob that claims `size` bytes and fails the test if it is read: a file too large is refused on its size. */
class UnreadableBlob extends Blob {
  constructor(private readonly claimed: number) {
    super([]);
  }
  override get size(): number {
    return this.claimed;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('a file over the size limit was read');
  }
}

describe('a question file that cannot be used is an error with its place; the questions loaded before stay', () => {
  const cases: [string, Blob | string, { line: number; field?: string; reason: RegExp; detail?: RegExp }][] = [
    ['YAML that does not parse', 'id: q\ntitle: [unclosed\n', { line: 3, reason: /not valid YAML or JSON/ }],
    ['JSON that does not parse', '{ "id": "q",\n  "title": "a"', { line: 2, reason: /not valid YAML or JSON/ }],
    ['an unknown function in the loss', TEXT.replace('loss: 0.5 * sum(E.^2)', 'loss: 0.5 * sum(frobnicate(E))'), { line: 17, field: 'loss', reason: /frobnicate/, detail: /\^/ }],
    ['a size range far too large', TEXT.replace('N: 2..5', 'N: 2..100000000'), { line: 5, field: 'dims.N', reason: /size range/ }],
    ['a misspelt field', TEXT.replace('loss:', 'lose:'), { line: 17, reason: /lose/ }],
    ['the id of a built-in problem', TEXT.replace('id: tanh-regression', 'id: dense-batch'), { line: 1, field: 'id', reason: /also the id of a built-in problem/ }],
    ['10 MB, refused on its size without being read', new UnreadableBlob(10 * 1024 * 1024), { line: 0, reason: /10485760 bytes; a question file is at most 1048576 bytes/ }],
    ['binary bytes that are not UTF-8', new Blob([new Uint8Array([0x69, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0x00, 0x81])]), { line: 1, reason: /not UTF-8 text/ }],
    ['a NUL byte in UTF-8 text', new Blob(['id: q\ntitle: a\u0000b\n']), { line: 2, reason: /NUL byte/ }],
  ];
  test.each(cases)('%s', async (_, content, expected) => {
    const dropped = await droppedWith({ name: 'first.yaml', content: TEXT });
    const { loaded, errors } = await dropped.add([{ name: 'bad.yaml', content }]);
    expect(loaded).toEqual([]);
    expect(errors).toHaveLength(1);
    const error = errors[0]!;
    expect(error.file).toBe('bad.yaml');
    expect(error.line).toBe(expected.line);
    if (expected.field !== undefined) expect(error.field).toBe(expected.field);
    expect(error.reason).toMatch(expected.reason);
    if (expected.detail) expect(error.detail).toMatch(expected.detail);
    expect(error.message.startsWith(`bad.yaml${expected.line > 0 ? `:${expected.line}:` : ': '}`)).toBe(true);
    // Short enough to read: a binary file is not quoted back at length.
    expect(error.message.length).toBeLessThan(1000);
    // The question loaded before is still there, and still graded.
    expect(dropped.questions().map((q) => q.id)).toEqual(['tanh-regression']);
    expect(runCheck(request(ANSWERS[0]!), dropped.problems(), noProgress).finding.status).toBe('correct');
  });

  test('the same file dropped again after an edit replaces its question; other files join', async () => {
    const dropped = await droppedWith({ name: 'q.yaml', content: TEXT });
    const edited = TEXT.replace("answer: H' * E", "answer: H' * E\n    points: 5");
    const other = TEXT.replace('id: tanh-regression', 'id: tanh-regression-2');
    const { loaded, errors } = await dropped.add([
      { name: 'q.yaml', content: edited },
      { name: 'other.yaml', content: other },
    ]);
    expect(errors).toEqual([]);
    expect(loaded.map((q) => [q.file, q.summary.id, q.aliases])).toEqual([
      ['q.yaml', 'tanh-regression', [['h', 'H'], ['e', 'E']]],
      ['other.yaml', 'tanh-regression-2', [['h', 'H'], ['e', 'E']]],
    ]);
    expect(dropped.questions().map((q) => [q.id, q.targets.map((t) => t.points)])).toEqual([
      ['tanh-regression', [2, 5]],
      ['tanh-regression-2', [2, 1]],
    ]);
    expect(dropped.problems().slice(0, builtIn.length)).toEqual(builtIn);
  });
});

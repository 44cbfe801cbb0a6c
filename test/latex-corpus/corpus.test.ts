import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeAnswer } from '../../src/grade/answer.js';
import { GradingSession } from '../../src/grade/session.js';
import { type GradedEntry, corpusFigures, describeFigures, gradeCorpus, loadCorpus, violations } from './corpus.js';

/** Two seeds: a reading or verdict that holds at one seed only is luck. */
const SEEDS = [11, 2024];

/** The target: at least 95% of correct LaTeX spellings read as a human reads them. */
const READ_RATE = 0.95;

const corpus = loadCorpus();
let graded: GradedEntry[] = [];

const label = (g: GradedEntry) => `${g.entry.problem}/${g.entry.target} ${JSON.stringify(g.entry.latex)} (${g.entry.expect}): ${violations(g).join('; ')}\n    ${g.results[0]!.finding.message.split('\n')[0]}`;

describe('the LaTeX corpus', () => {
  test('holds at least 300 spellings over every built-in target and every identity, two thirds of them correct', () => {
    const { entries } = corpus;
    expect(entries.length).toBeGreaterThanOrEqual(300);
    expect(entries.filter((e) => e.expect === 'correct').length).toBeGreaterThanOrEqual((2 / 3) * entries.length);
    expect(corpus.problems.length).toBeGreaterThan(problems.length);
    for (const p of corpus.problems) {
      for (const t of p.targets) {
        const spellings = entries.filter((e) => e.problem === p.id && e.target === t.name);
        expect(spellings.filter((e) => e.expect === 'correct').length, `${p.id}/${t.name}`).toBeGreaterThanOrEqual(3);
        expect(spellings.filter((e) => e.expect !== 'correct').length, `${p.id}/${t.name}`).toBeGreaterThanOrEqual(1);
      }
    }
    for (const e of entries) expect(corpus.problems.some((p) => p.id === e.problem && p.targets.some((t) => t.name === e.target)), `${e.file}: ${e.target}`).toBe(true);
  });

  test('grades every answer at two seeds', () => {
    graded = gradeCorpus(corpus, SEEDS);
    console.log(describeFigures(corpusFigures(graded)));
    expect(graded.length).toBe(corpus.entries.length);
  });

  test('never grades a correct spelling incorrect or invalid', () => {
    const bad = graded.filter((g) => g.entry.expect === 'correct' && g.results.some((r) => r.finding.status === 'incorrect' || r.finding.status === 'invalid'));
    expect(bad.map(label)).toEqual([]);
  });

  test('never grades a wrong, malformed or doubtful answer correct', () => {
    const bad = graded.filter((g) => g.entry.expect !== 'correct' && g.results.some((r) => r.finding.status === 'correct'));
    expect(bad.map(label)).toEqual([]);
  });

  test(`reads at least ${READ_RATE * 100}% of the correct spellings`, () => {
    const figures = corpusFigures(graded);
    const unread = graded.filter((g) => g.entry.expect === 'correct' && g.results.some((r) => r.finding.status !== 'correct'));
    expect(figures.read / figures.correct, unread.map(label).join('\n')).toBeGreaterThanOrEqual(READ_RATE);
  });

  test("the problems' own LaTeX formulas read and grade correct, but for those that lean on names defined elsewhere", () => {
    // Display formulas that use δ2, H_out (defined in another line), dC (another target) or index a softmax's value.
    const elsewhere: Record<string, string> = { 'mlp2-mse/db1': 'invalid', 'conv-shapes/macs': 'invalid', 'avgpool-sigmoid-conv/dK': 'undecided', 'softmax-ce-labels/dz': 'undecided' };
    const session = new GradingSession(problems, { seed: SEEDS[0]! });
    for (const p of problems) {
      for (const t of p.targets) {
        const r = gradeAnswer(session, { problem: p.id, target: t.name, text: t.latex, syntax: 'latex', line: 1 }, 1);
        expect(r.finding.status, `${p.id}/${t.name}: ${r.finding.message}`).toBe(elsewhere[`${p.id}/${t.name}`] ?? 'correct');
      }
    }
  });

  test('flags every needs-review answer, and gives every answer its verdict at both seeds', () => {
    expect(graded.filter((g) => violations(g).length > 0).map(label)).toEqual([]);
  });
});

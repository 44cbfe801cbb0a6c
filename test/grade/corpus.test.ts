import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { problems } from '../../problems/index.js';
import { gradeAnswer } from '../../src/grade/answer.js';
import { GradingSession } from '../../src/grade/session.js';
import type { AnswerResult } from '../../src/grade/types.js';

/**
 * The grader's corpus: answers a class hands in, each with the verdict and mistake label a grader
 * gives it, written by hand in test/grade/corpus/*.yaml (the problem defaults to the file's name).
 * Every correct spelling must pass, every mistake must be rejected with its label, every unreadable
 * answer must be invalid with its reason.
 */
interface CorpusEntry {
  readonly problem?: string;
  readonly target: string;
  readonly formula?: string;
  readonly latex?: string;
  readonly expect: 'correct' | 'incorrect' | 'invalid';
  readonly mistake?: string;
  readonly reason?: string;
}

const corpusDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const corpus = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) => (parse(readFileSync(path.join(corpusDir, file), 'utf8')) as CorpusEntry[]).map((e) => ({ ...e, problem: e.problem ?? file.replace(/\.yaml$/, ''), file })));

/** The corpus is graded at two seeds: a verdict or label that holds at one seed only is luck. */
const SEEDS = [11, 2024];
const sessions = SEEDS.map((seed) => new GradingSession(problems, { seed }));

function grade(session: GradingSession, e: CorpusEntry & { problem: string }): AnswerResult {
  const text = e.latex ?? e.formula!;
  return gradeAnswer(session, { problem: e.problem, target: e.target, text, syntax: e.latex !== undefined ? 'latex' : 'formula', line: 1 }, 1);
}

describe('the grading corpus', () => {
  test('holds at least 60 answers and covers every mistake label', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const labels = new Set(corpus.map((e) => e.mistake).filter(Boolean));
    for (const label of ['transposed', 'sign', 'factor', 'missing-sigma-prime', 'mean-vs-sum', 'kernel-not-flipped', 'index-shift', 'wrong-pooling-factor', 'missing-term', 'wrong-shape']) {
      expect(labels, label).toContain(label);
    }
    expect(corpus.some((e) => e.latex !== undefined && e.expect === 'correct')).toBe(true);
  });

  test.each(corpus.map((e) => [`${e.problem}/${e.target}: ${e.latex ?? e.formula} is ${e.expect}${e.mistake ? ` (${e.mistake})` : ''}`, e] as const))('%s', (_name, entry) => {
    for (const session of sessions) {
      const r = grade(session, entry);
      const context = `seed ${session.settings.seed}: ${r.finding.message}`;
      expect(r.finding.status, context).toBe(entry.expect);
      expect(r.finding.mistake?.label, context).toBe(entry.mistake);
      expect(r.score, context).toBe(entry.expect === 'correct' ? 1 : 0);
      if (entry.reason) expect(r.finding.message, context).toContain(entry.reason);
      // Evidence: wrong entries, or (for a value of another shape) the two shapes at some dims.
      if (entry.expect === 'incorrect') {
        const ev = r.finding.evidence;
        expect(ev, context).toBeDefined();
        if (r.finding.reason === 'shape') expect(ev!.gotShape, context).not.toEqual(ev!.expectedShape);
        else expect(ev?.entries.length, context).toBeGreaterThan(0);
      }
    }
  });
});

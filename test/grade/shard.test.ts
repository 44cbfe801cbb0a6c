import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { ShardSpecError, parseShard, shardOf } from '../../src/grade/shard.js';
import type { GradeReport } from '../../src/grade/types.js';
import { writeClass } from './class-fixture.js';

describe('--shard i/n', () => {
  test('reads i/n with 1 ≤ i ≤ n and refuses anything else, saying what it wants', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2', '-1/2', '1.5/2']) expect(() => parseShard(bad), bad).toThrow(ShardSpecError);
  });

  test('the n parts are contiguous, in order, cover every file once, and differ in size by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 20 }), (length, count) => {
        const files = Array.from({ length }, (_, i) => i);
        const parts = Array.from({ length: count }, (_, i) => shardOf(files, { index: i + 1, count }));
        expect(parts.flat()).toEqual(files);
        const sizes = parts.map((p) => p.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  // Right, wrong, repeated and unreadable answers, each file graded in its own part with a fresh session (another machine).
  const written = writeClass();
  afterAll(written.cleanup);
  const grade = (files: readonly string[]): Promise<GradeReport> => gradeFiles(files, { seed: 5, jobs: 0, problems });
  const verdicts = (report: GradeReport) => report.submissions.map((s) => JSON.stringify({ id: s.id, status: s.status, score: s.score, answers: s.answers.map((a) => a.finding) }));

  test('a class graded in three parts with the same seed gets the verdicts, evidence and scores of the whole batch', async () => {
    const whole = verdicts(await grade(written.files));
    const parts: string[] = [];
    for (let i = 1; i <= 3; i++) parts.push(...verdicts(await grade(shardOf(written.files, { index: i, count: 3 }))));
    expect(parts).toEqual(whole);
    expect(whole.length).toBe(written.files.length);
  });
});

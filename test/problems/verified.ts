import { expect } from 'vitest';
import { type ProblemReport, verifyProblem } from '../../src/problem/verify.js';
import type { Problem } from '../../src/problem/types.js';

/** Runs per target in the test suite (the CLI's default is 100; `npm test` runs fewer to stay fast). */
export const TEST_RUNS = 12;

/** What failed in a report, one line each, with counterexamples: the assertion message a failing test prints. */
export function failuresOf(report: ProblemReport): string[] {
  const lines: string[] = [];
  for (const t of report.targets) {
    for (const c of t.closedForms) {
      if (c.finding.status !== 'correct') lines.push(`${t.target}: closed form ${c.formula} ${c.finding.status}: ${c.finding.message}`);
    }
    for (const m of t.mistakes) {
      if (!m.rejected) lines.push(`${t.target}: mistake (${m.label}) ${m.formula} was not rejected: ${m.finding.status}, ${m.finding.message}`);
    }
  }
  for (const p of report.properties) {
    if (p.status !== 'pass') lines.push(`${p.property}: expected to ${p.expected === 'holds' ? 'hold' : 'fail'}; ${p.counterexample?.message ?? 'no counterexample found'}`);
  }
  return lines;
}

/** Verifies a problem module: every closed form passes, every mistake is rejected, every property behaves as declared. */
export function expectVerified(problem: Problem, seed = 1, runs = TEST_RUNS): ProblemReport {
  const report = verifyProblem(problem, { runs, seed });
  expect(failuresOf(report), `seed ${seed}`).toEqual([]);
  expect(report.passed).toBe(true);
  return report;
}

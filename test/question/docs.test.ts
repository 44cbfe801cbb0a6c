import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { verifyProblem } from '../../src/problem/verify.js';
import { parseAssignment, parseQuestionFile } from '../../src/question/index.js';

const DOC = readFileSync(new URL('../../docs/questions.md', import.meta.url), 'utf8');

/** The fenced yaml block right after the marker comment `<!-- NAME: ... -->`. */
function block(marker: string): string {
  const at = DOC.indexOf(`<!-- ${marker}`);
  expect(at, `docs/questions.md has no <!-- ${marker} --> marker`).toBeGreaterThanOrEqual(0);
  const match = /```yaml\n([\s\S]*?)```/.exec(DOC.slice(at));
  return match![1]!;
}

describe('docs/questions.md', () => {
  test('its worked example verifies: the answers and spellings pass, every mistake is rejected, the example runs', () => {
    const { problem } = parseQuestionFile(block('worked-example'), 'docs/questions.md');
    const report = verifyProblem(problem, { runs: 20, seed: 1 });
    expect(report.passed).toBe(true);
    expect(report.targets.map((t) => [t.target, t.closedForms.length, t.mistakes.filter((m) => m.rejected).length, t.mistakes.length])).toEqual([
      ['dw', 3, 3, 3],
      ['dz', 1, 1, 1],
    ]);
    expect(report.properties.every((p) => p.status === 'pass')).toBe(true);
  });

  test('its assignment example reads, against the worked example and the issue’s question', () => {
    const worked = parseQuestionFile(block('worked-example'), 'docs/questions.md').problem;
    const tanh = parseQuestionFile(readFileSync(new URL('./files/tanh-mlp-ce.yaml', import.meta.url), 'utf8'), 'tanh-mlp-ce.yaml').problem;
    const assignment = parseAssignment(block('assignment-example'), 'assignment.yaml', [...problems, worked, tanh]);
    expect([...assignment.targets.keys()]).toEqual(['logreg-l2', 'tanh-mlp-ce', 'dense-batch']);
  });
});

/**
 * A question file says how its course writes LaTeX: LaTeX spellings of a let name (`latex:` on the
 * step) and of the unit step function (`notation.step`) are read in answers as the file says, and
 * only there.
 */
import { describe, expect, test } from 'vitest';
import { judgeText } from '../../src/problem/judge.js';
import { findTarget } from '../../src/problem/registry.js';
import { TruthCache } from '../../src/problem/truth-cache.js';
import { parseQuestionFile } from '../../src/question/file.js';

function question(extra: { letLatex?: string; step?: string } = {}): string {
  return `id: relu-layer
title: ReLU of a scaled input
statement: A = 2 X, L = sum(G .* relu(A)).
dims: { N: 2..4, D: 2..4 }
inputs:
  X: { shape: [N, D] }
  G: { shape: [N, D], role: upstream }
let:
  A: { formula: 2 * X${extra.letLatex ? `, latex: ['${extra.letLatex}']` : ''} }
loss: sum(G .* relu(A))
targets:
  dA: { wrt: A, answer: (A > 0) .* G }
${extra.step ? `notation: { step: ['${extra.step}'] }\n` : ''}`;
}

function verdict(text: string, latex: string) {
  const problem = parseQuestionFile(text, 'q.yaml').problem;
  return judgeText(problem, findTarget(problem, 'dA'), latex, 'latex', { runs: 10, fcSeed: 4, truths: new TruthCache() }).finding;
}

describe("a question's own LaTeX spellings", () => {
  test('a let step spelled a_{pre} and the unit step spelled \\theta read as the file says: right, and a sign slip wrong', () => {
    const text = question({ letLatex: 'a_{pre}', step: '\\theta' });
    expect(verdict(text, '\\theta(a_{pre}) \\odot G')).toMatchObject({ status: 'correct', readAs: expect.stringMatching(/A > 0/) });
    expect(verdict(text, '-\\theta(a_{pre}) \\odot G').status).toBe('incorrect');
  });

  test('without either of them, the same answer is not read as the derivation means it', () => {
    expect(verdict(question({ step: '\\theta' }), '\\theta(a_{pre}) \\odot G').status).not.toBe('correct');
    expect(verdict(question({ letLatex: 'a_{pre}' }), '\\theta(a_{pre}) \\odot G').status).not.toBe('correct');
    expect(verdict(question({ step: '\\theta' }), '\\theta(A) \\odot G').status).toBe('correct');
  });

  test('a step spelling that is not text is refused at its field', () => {
    expect(() => parseQuestionFile(question().replace("notation", 'x').concat("notation: { step: 3 }\n"), 'q.yaml')).toThrow(/notation\.step: step is the LaTeX spelling of the unit step function/);
  });
});

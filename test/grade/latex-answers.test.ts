import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeAnswer } from '../../src/grade/answer.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { prairieLearnResults } from '../../src/grade/report/prairielearn.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { GradingSession } from '../../src/grade/session.js';
import { parseSubmission } from '../../src/grade/submission.js';
import type { AnswerResult, GradeReport, SubmissionResult } from '../../src/grade/types.js';

/** Grading LaTeX answers: what the grader makes of a reading the LaTeX reader could not settle, or settled with the shapes. */
const session = new GradingSession(problems, { seed: 7 });

function grade(problem: string, target: string, latex: string): AnswerResult {
  return gradeAnswer(session, { problem, target, text: latex, syntax: 'latex', line: 1 }, 1);
}

function submissionOf(answer: AnswerResult): SubmissionResult {
  return { id: 'ada', file: 'ada.yaml', status: 'graded', score: answer.score, maxScore: answer.maxScore, answers: [answer] };
}

function reportOf(answer: AnswerResult): GradeReport {
  return { seed: 7, runs: 16, partial: false, assigned: [], submissions: [submissionOf(answer)], references: [], configurationErrors: [], elapsedMs: 0 };
}

describe('notation derivcheck does not read', () => {
  test('is undecided with reason unsupported-notation, scores 0, and its message names the construct and asks for review', () => {
    const r = grade('dense-batch', 'dW', '\\operatorname{vec}(X)\\, X^T dY');
    expect(r.finding).toMatchObject({ status: 'undecided', reason: 'unsupported-notation', review: true });
    expect(r.score).toBe(0);
    expect(r.finding.message).toMatch(/^Needs review \(unsupported notation: \\operatorname\{vec\}\)/);
  });

  test('shows as needing review in the Gradescope and PrairieLearn output', () => {
    const answer = grade('logistic-layer', 'db', 'g \\otimes s \\otimes (1 - s)');
    const report = reportOf(answer);
    const s = report.submissions[0]!;
    const gs = gradescopeResults(s, platformContext(report));
    expect(gs.tests[0]!.output).toContain('Needs review (unsupported notation: \\otimes)');
    expect(gs.tests[0]!.tags).toContain('needs-review');
    expect(prairieLearnResults(s, platformContext(report)).message).toContain('1 answer needs manual review');
  });

  test('the text summary lists the answers that need review', () => {
    const answer = grade('logistic-layer', 'db', 'g \\otimes s \\otimes (1 - s)');
    expect(renderGradeText(reportOf(answer))).toContain('? ada logistic-layer/db (line 1): undecided (unsupported-notation)');
  });

  test('malformed LaTeX and unknown symbols stay invalid; an empty answer says so', () => {
    expect(grade('dense-batch', 'dW', 'X^T dY}').finding.status).toBe('invalid');
    expect(grade('dense-batch', 'dW', 'X^T dZ').finding.status).toBe('invalid');
    const empty = grade('dense-batch', 'dW', '$ $');
    expect(empty.finding.status).toBe('invalid');
    expect(empty.finding.message).toContain('the answer is empty');
  });
});

describe('readings the shapes settled', () => {
  test('a juxtaposition read elementwise is graded so, and the message says how it was read', () => {
    const r = grade('avgpool-sigmoid-conv', 'dC', '\\frac14 \\operatorname{kron}(G, \\mathbf{1}_{2\\times2}) \\odot S(1-S)');
    expect(r.finding.status).toBe('correct');
    expect(r.finding.readAs).toContain('.* (1 - S)');
    expect(r.finding.message).toContain('elementwise');
  });

  test('where the matrix product was graded and the elementwise reading would be right, the message says so', () => {
    // (h ⊙ (1 − h)) 1ᵀ has h_i(1 − h_i) across row i: times Wh entrywise it is the step Jacobian, as a matrix product it is not.
    const ok = grade('rnn-jacobian', 'step', '((h \\odot (1 - h)) \\mathbf{1}^\\top) W_h');
    expect(ok.finding.status).toBe('incorrect');
    expect(ok.finding.message).toMatch(/elementwise product .* would be correct/);
  });

  test('an answer wrong as read but right under a reading the notation allows as much (σ as the softmax) needs review', () => {
    const r = grade('relu-softmax-ce', 'dz', '\\sigma(z) - p');
    expect(r.finding.status).toBe('undecided');
    expect(r.finding.reason).toBe('unsupported-notation');
    expect(r.finding.message).toContain('softmax(z) - p');
    expect(grade('logistic-layer', 'db', 'g \\odot \\sigma(a) \\odot (1 - \\sigma(a))').finding.status).toBe('correct');
    expect(grade('logistic-layer', 'db', 'g \\odot \\sigma(a)').finding.status).toBe('incorrect');
  });

  test('a chain whose sides disagree is graded on its last side, and the message names the other', () => {
    const r = grade('dense-batch', 'dX', '\\frac{\\partial L}{\\partial X} = W dY^T = dY W^T');
    expect(r.finding.status).toBe('correct');
    expect(r.finding.message).toContain("sides disagree: the last side is graded; side 1 does not have the target's shape");
    const wrong = grade('dense-batch', 'dX', 'dX = -dY W^T = dY W^T');
    expect(wrong.finding.message).toMatch(/side 1 \(dX = -dY \* W'\) is incorrect/);
    expect(grade('dense-batch', 'dX', 'dX = dY W^T = (W dY^T)^T').finding.message).toContain('Every side of the chain agrees');
  });
});

describe('LaTeX in submission files', () => {
  test('a double-quoted LaTeX string that lost its backslashes to escapes is a malformed answer that says how to quote it', () => {
    const reading = parseSubmission('answers:\n  - { problem: dense-batch, target: dX, formula: "dY * W\'" }\n  - { problem: dense-batch, target: dW, latex: "\\nabla_W L = X^T dY" }\n', 'ada.yaml');
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    const [other, escaped] = reading.submission.answers;
    expect(other!.malformed).toBeUndefined();
    expect(escaped!.malformed).toBeDefined();
    expect(escaped!.malformed!.reason).toContain('answers[1].latex');
    expect(escaped!.malformed!.reason).toContain('\\nabla');
    expect(escaped!.malformed!.reason).toContain('single quotes');
    expect(escaped!.malformed!.line).toBe(3);
  });

  test('an escape YAML does not know makes the file unreadable, with the same fix', () => {
    const reading = parseSubmission('answers:\n  - { problem: dense-batch, target: dW, latex: "\\sigma(a)" }\n', 'ada.yaml');
    expect(!reading.ok && reading.error.reason).toContain('single quotes');
  });

  test('single quotes, block scalars and doubled backslashes read as written, line breaks of a block included', () => {
    for (const text of [
      "answers:\n  - { problem: dense-batch, target: dW, latex: '\\nabla_W L = X^T dY' }\n",
      'answers:\n  - problem: dense-batch\n    target: dW\n    latex: |\n      \\nabla_W L =\n      X^T dY\n',
      'answers:\n  - { problem: dense-batch, target: dW, latex: "\\\\nabla_W L = X^T dY" }\n',
    ]) {
      const reading = parseSubmission(text, 'ada.yaml');
      expect(reading.ok, text).toBe(true);
      if (reading.ok) expect(reading.submission.answers[0]!.text).toMatch(/^\\nabla_W L =\s+X\^T dY\s*$/);
    }
  });
});

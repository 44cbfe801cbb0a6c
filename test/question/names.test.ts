import { describe, expect, test } from 'vitest';
import { problems as builtIn } from '../../problems/index.js';
import { gradeSubmission } from '../../src/grade/grade-submission.js';
import { scoringFor } from '../../src/grade/scoring.js';
import { GradingSession } from '../../src/grade/session.js';
import { parseSubmission } from '../../src/grade/submission.js';
import { evaluateProblem } from '../../src/problem/evaluate.js';
import { verifyProblem } from '../../src/problem/verify.js';
import { parseAssignment, parseQuestionFile } from '../../src/question/index.js';

/** Every user-named thing named like a property of Object.prototype. */
const PROTOTYPE_NAMES = `
id: prototype-names
dims: { valueOf: 2..4, toString: 1..3 }
inputs:
  constructor: { shape: [valueOf, toString] }
  hasOwnProperty: { shape: [toString, valueOf] }
let:
  isPrototypeOf: constructor * hasOwnProperty
  propertyIsEnumerable: tanh(isPrototypeOf)
loss: sum(propertyIsEnumerable .^ 2) / 2
targets:
  __defineGetter__:
    wrt: constructor
    answer: (propertyIsEnumerable .* (1 - propertyIsEnumerable .^ 2)) * hasOwnProperty'
    mistakes:
      - { formula: "propertyIsEnumerable * hasOwnProperty'", label: toLocaleString, why: the tanh' is missing }
  valueOf_:
    wrt: isPrototypeOf
    answer: propertyIsEnumerable .* (1 - propertyIsEnumerable .^ 2)
examples:
  - name: constructor
    values: { constructor: [[1, 2], [3, 4]], hasOwnProperty: [[0.5, -1], [0, 0.25]] }
`;

describe('names that are also properties of Object.prototype', () => {
  const { problem } = parseQuestionFile(PROTOTYPE_NAMES, 'names.yaml');

  test('a question of them verifies, its course label included', () => {
    const report = verifyProblem(problem, { runs: 20, seed: 4 });
    expect(report.passed).toBe(true);
    expect(report.targets[0]!.mistakes.map((m) => [m.label, m.rejected])).toEqual([['toLocaleString', true]]);
  });

  test('its example evaluates', () => {
    const report = evaluateProblem(problem, { inputs: problem.examples[0]!.inputs });
    expect(report.dims).toEqual({ valueOf: 2, toString: 2 });
    expect(report.targets.map((t) => t.closedForm.finding.status)).toEqual(['correct', 'correct']);
  });

  test('answers to it are graded, with and without an assignment', () => {
    const problems = [...builtIn, problem];
    const text = `answers:\n  - { problem: prototype-names, target: __defineGetter__, formula: "propertyIsEnumerable * hasOwnProperty'" }\n  - { problem: prototype-names, target: valueOf_, formula: "propertyIsEnumerable .* (1 - propertyIsEnumerable .^ 2)" }\n`;
    const reading = parseSubmission(text, 'student.yaml');
    if (!reading.ok) throw new Error(reading.error.reason);
    const graded = gradeSubmission(new GradingSession(problems, { seed: 1, scoring: scoringFor(problems) }), reading.submission);
    expect(graded.answers.map((a) => [a.finding.status, a.finding.mistake?.label])).toEqual([
      ['incorrect', 'toLocaleString'],
      ['correct', undefined],
    ]);
    const assignment = parseAssignment('questions:\n  prototype-names:\n    targets: [valueOf_]\n', 'hw.yaml', problems);
    const assigned = gradeSubmission(new GradingSession(problems, { seed: 1, scoring: scoringFor(problems, assignment) }), reading.submission);
    expect([assigned.score, assigned.maxScore, assigned.unassigned?.map((u) => u.target)]).toEqual([1, 1, ['__defineGetter__']]);
  });

  test('an input named __proto__ is an input like any other, never merged into an object', () => {
    const { problem: proto } = parseQuestionFile(PROTOTYPE_NAMES.replaceAll('constructor', '__proto__'), 'names.yaml');
    expect(proto.inputs.map((i) => i.name)).toEqual(['__proto__', 'hasOwnProperty']);
    expect(verifyProblem(proto, { runs: 10, seed: 4 }).passed).toBe(true);
    const report = evaluateProblem(proto, { inputs: proto.examples[0]!.inputs });
    expect(report.targets.map((t) => t.closedForm.finding.status)).toEqual(['correct', 'correct']);
  });
});

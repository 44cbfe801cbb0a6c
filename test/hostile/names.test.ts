/**
 * Names users choose are data, never keys into objects: a problem, target, input, dimension, domain,
 * formula option, points entry or id named after a property of Object.prototype (`toString`,
 * `constructor`, `__proto__`, `hasOwnProperty`, `valueOf`) behaves as any other name.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { parseDimRanges } from '../../src/problem/specs.js';
import { Graph } from '../../src/fd/graph.js';
import { UnknownSymbolError } from '../../src/formula/errors.js';
import { gradeFiles } from '../../src/grade/batch.js';
import { isAssigned, pointsOf, scoringFor } from '../../src/grade/scoring.js';
import { gradescopeResults } from '../../src/grade/report/gradescope.js';
import { gradeJson } from '../../src/grade/report/json.js';
import { platformContext } from '../../src/grade/report/platform.js';
import { prairieLearnResults } from '../../src/grade/report/prairielearn.js';
import { renderGradeText } from '../../src/grade/report/text.js';
import { writeGradeOutput } from '../../src/grade/report/write.js';
import type { GradeReport } from '../../src/grade/types.js';
import { TruthCache, compileClaim, concreteInputs, evaluateProblem, findProblem, judgeClaim } from '../../src/problem/index.js';
import { AssignmentFileError, adHocProblem, parseAssignment, readAssignmentFile } from '../../src/question/index.js';
import { mul } from '../../src/tensor/broadcast.js';
import { Tensor } from '../../src/tensor/tensor.js';

const HOSTILE = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'] as const;
const registry = new URL('../../dist/problems/index.js', import.meta.url);
const dir = mkdtempSync(path.join(os.tmpdir(), 'derivcheck-hostile-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** One submission per name: a right dW, an answer to a target of that name and one to a problem of that name. */
const submissions = HOSTILE.map((name) =>
  write(
    `s-${name}.yaml`,
    `id: ${name}\nanswers:\n  - { problem: dense-batch, target: dW, formula: "X' * dY" }\n  - { problem: dense-batch, target: ${name}, formula: "X' * dY" }\n  - { problem: ${name}, target: dW, formula: "X' * dY" }\n`,
  ),
);
/** The assignment: dense-batch/dW at 2 points, nothing else graded. */
const scoring = scoringFor(problems, parseAssignment("dense-batch: { dW: 2 }\n", 'points.yaml', problems));

/** Every student: 2 of dW; the answers to the unknown target and problem are not graded, listed as outside the assignment. */
function expectScores(report: GradeReport): void {
  expect(report.submissions.map((s) => [s.id, s.status, s.score, s.maxScore])).toEqual(HOSTILE.map((name) => [name, 'graded', 2, 2]));
  for (const [i, s] of report.submissions.entries()) {
    expect(s.answers.map((a) => [a.finding.status, a.score, a.maxScore])).toEqual([['correct', 2, 2]]);
    expect(s.unassigned?.map((u) => [u.problem, u.target])).toEqual([
      ['dense-batch', HOSTILE[i]],
      [HOSTILE[i], 'dW'],
    ]);
    expect(s.unassigned![0]!.note).toMatch(/has no target/);
    expect(s.unassigned![1]!.note).toMatch(/no problem or question has the id/);
  }
  // Every reporter renders them with numbers, not functions or NaN.
  expect(renderGradeText(report)).toMatch(/5 submissions: 5 graded/);
  expect(gradeJson(report).submissions.map((s) => s.maxScore)).toEqual([2, 2, 2, 2, 2]);
  const ctx = platformContext(report);
  for (const s of report.submissions) {
    expect(gradescopeResults(s, ctx)).toMatchObject({ score: 2 });
    expect(gradescopeResults(s, ctx).tests.map((t) => t.max_score)).toEqual([2]);
    expect(prairieLearnResults(s, ctx)).toMatchObject({ gradable: true, score: 1 });
  }
}

describe('an assignment and submissions naming Object.prototype properties', () => {
  test('in process: every maximum is a number and every reporter renders it', async () => {
    expectScores(await gradeFiles(submissions, { seed: 4, jobs: 0, problems, scoring }));
  });

  test('in a worker (the scoring crosses a structured clone): the same scores', async () => {
    expectScores(await gradeFiles(submissions, { seed: 4, jobs: 1, registry, scoring }));
  });

  test('without an assignment, answers to an unknown target or problem are graded invalid, each out of 1', async () => {
    const report = await gradeFiles(submissions, { seed: 4, jobs: 0, problems, scoring: scoringFor(problems) });
    for (const s of report.submissions) {
      expect(s.answers.map((a) => [a.finding.status, a.score, a.maxScore])).toEqual([
        ['correct', 1, 1],
        ['invalid', 0, 1],
        ['invalid', 0, 1],
      ]);
      expect(s.answers[1]!.finding.message).toMatch(/unknown target/);
      expect(s.answers[2]!.finding.message).toMatch(/unknown problem/);
    }
  });

  test.each(HOSTILE)('the scoring reads its own entries only (%s)', (name) => {
    expect(pointsOf(scoring, 'dense-batch', name)).toBe(1);
    expect(pointsOf(scoring, name, 'dW')).toBe(1);
    expect(isAssigned(scoring, 'dense-batch', name)).toBe(false);
    expect(isAssigned(scoring, name, 'dW')).toBe(false);
  });

  test.each(HOSTILE)('an assignment naming %s as a problem or a target is refused as unknown, never ignored', (name) => {
    expect(() => readAssignmentFile(write(`p-${name}.yaml`, `${name}: { dW: 2 }\n`), problems)).toThrow(new RegExp(`no question or problem has the id '${name}'`));
    const asTarget = write(`t-${name}.yaml`, `dense-batch: { dW: 2, ${name}: 1 }\n`);
    expect(() => readAssignmentFile(asTarget, problems)).toThrow(AssignmentFileError);
    expect(() => readAssignmentFile(asTarget, problems)).toThrow(new RegExp(`has no target '${name}'`));
  });

  test('an id named index does not replace the html index page', async () => {
    const report: GradeReport = { seed: 1, runs: 1, partial: false, assigned: [], references: [], configurationErrors: [], elapsedMs: 0, submissions: [{ id: 'index', file: 'index.yaml', status: 'graded', score: 0, maxScore: 0, answers: [] }] };
    const out = path.join(dir, 'html');
    const { files } = await writeGradeOutput(report, 'html', out);
    expect(files.map((f) => path.basename(f))).toEqual(['index-2.html', 'index.html']);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('index-2.html');
    expect(existsSync(path.join(out, 'index-2.html'))).toBe(true);
  });
});

describe('check: inputs, dimensions and domains named after Object.prototype properties', () => {
  const status = (spec: Parameters<typeof adHocProblem>[0]) => {
    const { problem, target } = adHocProblem(spec);
    return judgeClaim(problem, target, compileClaim(problem, target, spec.grad), { runs: 5, fcSeed: 1, truths: new TruthCache() }).finding.status;
  };

  test.each(HOSTILE)('an input named %s is checked like any other, right and wrong', (name) => {
    const spec = { loss: `sum(${name} .^ 2) / 2`, wrt: name, grad: name, shapes: { [name]: ['N', 'D'] } };
    expect(status(spec)).toBe('correct');
    expect(status({ ...spec, grad: `2 * ${name}` })).toBe('incorrect');
  });

  test.each(HOSTILE)('a dimension named %s is drawn and checked, with or without a range', (name) => {
    const spec = { loss: 'sum(X .^ 2) / 2', wrt: 'X', grad: 'X', shapes: { X: [name, 'D'] } };
    expect(status(spec)).toBe('correct');
    expect(status({ ...spec, dimRanges: { [name]: [3, 3] as const } })).toBe('correct');
    expect(adHocProblem(spec).problem.dims.names).toEqual([name, 'D']);
  });

  test.each(HOSTILE)('--dims, --domain and labels:%s that name nothing declared are refused', (name) => {
    const base = { loss: 'sum(X .^ 2)', wrt: 'X', grad: '2 * X', shapes: { X: ['N', 'D'] } };
    expect(() => adHocProblem({ ...base, dimRanges: parseDimRanges([`${name}=2..3`]) })).toThrow(UnknownSymbolError);
    expect(() => adHocProblem({ ...base, domains: { [name]: { kind: 'positive' } } })).toThrow(UnknownSymbolError);
    expect(() => adHocProblem({ ...base, shapes: { X: ['N', 'D'], c: ['N'] }, domains: { c: { kind: 'labels', classes: name } } })).toThrow(/class count/);
  });

  test.each(HOSTILE)('parseDimRanges keeps %s as an own entry, and refuses it twice', (name) => {
    const ranges = parseDimRanges([`${name}=2..3`]);
    expect(Object.keys(ranges)).toEqual([name]);
    expect(ranges[name]).toEqual([2, 3]);
    expect(() => parseDimRanges([`${name}=2`, `${name}=3`])).toThrow(/given twice/);
  });

  test.each(HOSTILE)('a graph with an input named %s evaluates it', (name) => {
    const graph = new Graph({ inputs: [name], nodes: [{ name: 'out', args: [name], op: (x) => mul(2, x!) }], output: 'out' });
    const values = graph.evaluate(Object.fromEntries([[name, Tensor.fromNested([1.5])]]));
    expect(values.out!.toNested()).toEqual([3]);
    expect(() => graph.evaluate({})).toThrow(new RegExp(`'${name}'.*without a value`));
  });
});

describe('eval: input files and --formula naming Object.prototype properties', () => {
  const dense = findProblem(problems, 'dense-batch');
  const inputs = { X: [[1, 2]], W: [[1], [2]], b: [[0]], dY: [[1]] };

  test.each(HOSTILE)('"dims" or "inputs" naming %s is refused; a missing input is not found on the prototype', (name) => {
    expect(() => concreteInputs(dense, JSON.parse(`{ "dims": { "${name}": 3 }, "inputs": ${JSON.stringify(inputs)} }`))).toThrow(/not a dimension of dense-batch/);
    expect(() => concreteInputs(dense, JSON.parse(`{ "inputs": { "${name}": [[1]], "X": [[1, 2]], "W": [[1], [2]], "b": [[0]], "dY": [[1]] } }`))).toThrow(/is not an input of dense-batch/);
    expect(() => concreteInputs({ ...dense, inputs: [{ ...dense.inputs[0]!, name }] }, { inputs: {} })).toThrow(new RegExp(`no value for ${name}`));
  });

  test.each(HOSTILE)('--formula %s=... is refused as not a target, and a real target is not read off the prototype', (name) => {
    expect(() => evaluateProblem(dense, { inputs }, { formulas: JSON.parse(`{ "${name}": "X' * dY" }`) })).toThrow(/is not a target of dense-batch/);
    const report = evaluateProblem(dense, { inputs }, {});
    expect(report.targets.every((t) => t.formula === undefined)).toBe(true);
  });
});

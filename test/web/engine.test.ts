import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { readClaim } from '../../web/engine/prepare.js';
import type { LossRequest } from '../../web/engine/protocol.js';
import { runCheck } from '../../web/engine/run.js';
import { runCli } from '../cli/run-cli.js';

/**
 * The playground's engine (web/engine), run in Node: the verdicts are `check`'s and `grade`'s, and an
 * input that cannot be read is reported on the field it is about.
 */
const DENSE: LossRequest = {
  kind: 'loss',
  loss: '0.5*sum((X*W - T).^2)',
  wrt: 'W',
  grad: "X' * (X*W - T)",
  syntax: 'formula',
  shape: ['X=NxD', 'W=DxM', 'T=NxM'],
  dims: [],
  domain: [],
  lets: [],
  seed: 4,
  runs: 12,
};

const noProgress = () => undefined;

/** `derivcheck check --json` on the same request: the Finding as JSON (status as `verdict`), with seed and runs. */
function cliCheck(request: LossRequest): Record<string, unknown> {
  const args = ['check', `--loss=${request.loss}`, `--wrt=${request.wrt}`, `--grad=${request.grad}`, ...request.shape.map((s) => `--shape=${s}`), ...request.lets.map((l) => `--let=${l}`), `--seed=${request.seed}`, `--runs=${request.runs}`, '--json'];
  return JSON.parse(runCli(args).stdout) as Record<string, unknown>;
}

describe("the engine gives check's Finding", () => {
  test.each([
    ['a right gradient', DENSE.grad],
    ['a sign error', "-X' * (X*W - T)"],
    ['a missing factor', "X' * (X*W - T) / 2"],
    ['a transpose, of another shape', "(X*W - T)' * X"],
    ['a gradient that does not parse', "X' * (X*W - T"],
    ['a right gradient written with a let name', "X' * E", ['E = X*W - T']],
    ['a sign error written with a let name', "-X' * E", ['E = X*W - T']],
  ])('%s: the same Finding as derivcheck check --json, evidence and all', (_, grad, lets: readonly string[] = []) => {
    const request = { ...DENSE, grad, lets };
    const view = runCheck(request, problems, noProgress);
    // Through JSON as the CLI prints it (NaN for an entry FD did not estimate is null there too).
    const { verdict, seed, runs, ...finding } = cliCheck(request);
    expect({ ...JSON.parse(JSON.stringify(view.finding)), status: verdict }).toEqual({ ...finding, status: verdict });
    expect(view.finding.status).toBe(verdict);
    expect([view.seed, view.runs]).toEqual([seed, runs]);
  });

  test('an incorrect gradient comes with the whole ground truth and answer, for the heat-map', () => {
    const view = runCheck({ ...DENSE, grad: "X' * (X*W + T)", dims: ['N=2..4,D=3..4,M=2..3'] }, problems, noProgress);
    expect(view.finding.status).toBe('incorrect');
    expect(view.target).toBe('dW');
    const ev = view.finding.evidence!;
    const expected = ev.expected as number[][];
    const got = ev.got as number[][];
    expect([expected.length, expected[0]!.length]).toEqual([ev.dims['D'], ev.dims['M']]);
    // Xᵀ(XW + T) − Xᵀ(XW − T) = 2XᵀT, computed here from the counterexample's own inputs.
    const X = ev.inputs!['X'] as number[][];
    const T = ev.inputs!['T'] as number[][];
    for (let d = 0; d < expected.length; d++) {
      for (let m = 0; m < expected[0]!.length; m++) {
        const twoXtT = 2 * X.reduce((sum, row, n) => sum + row[d]! * T[n]![m]!, 0);
        expect(got[d]![m]! - expected[d]![m]!).toBeCloseTo(twoXtT, 5);
      }
    }
  });

  test('progress counts up to the samples', () => {
    const seen: number[] = [];
    runCheck(DENSE, problems, (done, total) => {
      expect(total).toBe(12);
      seen.push(done);
    });
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  test('an answer whose loss has no value at some samples is undecided, flagged for review, with its reason', () => {
    // log of a normal input: NaN wherever an entry is negative, so no sample can be decided.
    const view = runCheck({ ...DENSE, loss: 'sum(log(W))', grad: '1 ./ W', shape: ['W=DxM'] }, problems, noProgress);
    expect([view.finding.status, view.finding.reason, view.finding.review]).toEqual(['undecided', 'non-finite', true]);
  });

  test('a built-in problem is graded as the grader grades it', () => {
    const wrong = runCheck({ kind: 'problem', problem: 'dense-batch', target: 'dW', grad: "X' * dY / N", syntax: 'formula', seed: 3 }, problems, noProgress);
    expect(wrong.finding.status).toBe('incorrect');
    expect(wrong.finding.mistake?.label).toBe('mean-vs-sum');
    expect(wrong.finding.mistake?.description).toMatch(/sum/);
    const right = runCheck({ kind: 'problem', problem: 'dense-batch', target: 'dW', grad: "X^\\top \\, dY", syntax: 'latex', seed: 3 }, problems, noProgress);
    expect(right.finding.status).toBe('correct');
  });
});

describe('an input that cannot be read is invalid, on its field', () => {
  test.each<[string, Partial<LossRequest>, string]>([
    ['the claimed gradient does not parse', { grad: "X' * (X*W - T" }, 'grad'],
    ['the loss names an unknown input', { loss: '0.5*sum((X*V - T).^2)' }, 'loss'],
    ['the loss is not a scalar', { loss: 'X*W - T' }, 'loss'],
    ['a shape is not NAME=DIMS', { shape: ['X=NxD', 'W=', 'T=NxM'] }, 'shape'],
    ['no shape at all', { shape: [] }, 'shape'],
    ['a name is both an input and a dimension', { shape: ['X=NxD', 'W=DxM', 'T=NxM', 'M=scalar'] }, 'shape'],
    ['a dimension expression does not parse', { shape: ['X=Nx(D', 'W=DxM', 'T=NxM'] }, 'shape'],
    ['wrt is not an input', { wrt: 'V' }, 'wrt'],
    ['a size range names no dimension', { dims: ['K=2..3'] }, 'dims'],
    ['a domain is unknown', { domain: ['T=wide'] }, 'domain'],
    ['a domain of no input', { domain: ['Q=simplex'] }, 'domain'],
    ['a let name that is not NAME = FORMULA', { lets: ['E X*W - T'] }, 'lets'],
    ['a let step naming an unknown input', { lets: ['E = X*V - T'] }, 'lets'],
  ])('%s', (_, change, field) => {
    const request = { ...DENSE, ...change };
    const view = runCheck(request, problems, noProgress);
    expect(view.finding.status).toBe('invalid');
    expect(view.field).toBe(field);
    expect(readClaim(request, problems).error?.field).toBe(field);
  });

  test("the grad field's error points at the place, with a caret", () => {
    const reading = readClaim({ ...DENSE, grad: "X' * (X*W - T) + Z" }, problems);
    expect(reading.error?.span).toEqual({ start: 17, end: 18 });
    expect(reading.error?.described).toMatch(/\n\s+X' \* \(X\*W - T\) \+ Z\n\s{19}\^/);
  });

  test('a gradient of the wrong shape is still read, so the preview shows what was understood', () => {
    const reading = readClaim({ ...DENSE, grad: "(X*W - T)' * X" }, problems);
    expect(reading.readAs).toBe("(X * W - T)' * X");
    expect(reading.latex).toContain('\\top');
    expect(reading.error?.field).toBe('grad');
  });

  test('an unknown problem or target names its field', () => {
    const base = { kind: 'problem', grad: 'dY', syntax: 'formula', seed: 1 } as const;
    expect(runCheck({ ...base, problem: 'dense-bach', target: 'dW' }, problems, noProgress).field).toBe('problem');
    expect(runCheck({ ...base, problem: 'dense-batch', target: 'dV' }, problems, noProgress).field).toBe('target');
  });
});

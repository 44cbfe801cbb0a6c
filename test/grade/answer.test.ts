import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { problems } from '../../problems/index.js';
import { gradeAnswer } from '../../src/grade/answer.js';
import { sameValues } from '../../src/problem/mistake.js';
import { GradingSession } from '../../src/grade/session.js';
import type { AnswerResult } from '../../src/grade/types.js';
import type { Problem } from '../../src/problem/types.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { findProblem } from '../../src/problem/registry.js';

/** The built-in problem dense-batch (the question file problems/dense-batch.yaml). */
const denseBatch = findProblem(problems, 'dense-batch');

const session = new GradingSession(problems, { seed: 5 });
const partialSession = new GradingSession(problems, { seed: 5, partial: true });

function grade(problem: string, target: string, formula: string, s = session): AnswerResult {
  return gradeAnswer(s, { problem, target, text: formula, syntax: 'formula', line: 1 }, 1);
}

/** dW = Xᵀ dY by plain loops, from nested inputs. */
function denseDw(X: number[][], dY: number[][]): number[][] {
  const [N, D, M] = [X.length, X[0]!.length, dY[0]!.length];
  return Array.from({ length: D }, (_, d) => Array.from({ length: M }, (_, m) => {
    let s = 0;
    for (let n = 0; n < N; n++) s += X[n]![d]! * dY[n]![m]!;
    return s;
  }));
}

describe('evidence of an incorrect answer', () => {
  test('the counterexample holds the true gradient (recomputed by loops) and the answer at the shrunk sample', () => {
    const r = grade('dense-batch', 'dW', "-X' * dY");
    const ce = r.finding.evidence!;
    const X = ce.inputs!['X'] as number[][];
    const dY = ce.inputs!['dY'] as number[][];
    expect([X.length, X[0]!.length, dY[0]!.length]).toEqual([ce.dims['N'], ce.dims['D'], ce.dims['M']]);
    const truth = denseDw(X, dY);
    (ce.expected as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo(truth.flat()[i]!, 9));
    (ce.got as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo(-truth.flat()[i]!, 12));
    // The wrong entries, worst first, each named 1-based with its budget.
    const worst = ce.entries[0]!;
    expect(worst.index).toBe(`dW[${worst.at.join(',')}]`);
    expect(worst.expected).toBeCloseTo(truth[worst.at[0]! - 1]![worst.at[1]! - 1]!, 9);
    expect(Math.abs(worst.got - worst.expected)).toBeGreaterThan(worst.budget);
    expect(ce.count).toBe(ce.entryCount);
  });

  test('shrinking reaches the smallest dims at which the mistake shows', () => {
    // A 1/N is invisible at N = 1, so the smallest counterexample has N = 2 and every other size 1.
    expect(grade('dense-batch', 'dW', "X' * dY / N").finding.evidence!.dims).toEqual({ N: 2, D: 1, M: 1 });
    expect(grade('dense-batch', 'dW', "-X' * dY").finding.evidence!.dims).toEqual({ N: 1, D: 1, M: 1 });
  });
});

describe('mistake labels', () => {
  test('a constant factor c is named with its value, −1 as a flipped sign', () => {
    fc.assert(
      fc.property(fc.integer({ min: -12, max: 12 }).filter((k) => k !== 0 && k !== 4), (k) => {
        const c = k / 4;
        const r = grade('dense-batch', 'dW', `${c} * X' * dY`);
        expect(r.finding.status).toBe('incorrect');
        if (c === -1) expect(r.finding.mistake?.label).toBe('sign');
        else {
          expect(r.finding.mistake?.label).toBe('factor');
          expect(r.finding.mistake?.description).toContain(`factor ${c}`);
        }
      }),
      { seed: 42, numRuns: 12, verbose: true },
    );
  });

  test('a division by any dimension size is a mean where the loss sums', () => {
    for (const dim of ['N', 'D', 'M']) {
      const r = grade('dense-batch', 'dW', `X' * dY / ${dim}`);
      expect(r.finding.mistake?.label, r.finding.message).toBe('mean-vs-sum');
      if (dim !== 'N') expect(r.finding.mistake?.description).toContain(`divided by ${dim}`);
    }
  });

  test('an index shifted by k along an axis is named with k', () => {
    fc.assert(
      fc.property(fc.constantFrom(-2, -1, 1, 2), (k) => {
        const shifted = `d${k > 0 ? '+' : '-'}${Math.abs(k)}`;
        const r = grade('dense-batch', 'dX', `dX[n,d] = sum(dY[n,m] * W[${shifted},m], m) + 0 * X[n,d]`);
        expect(r.finding.mistake?.label, r.finding.message).toBe('index-shift');
        if (k !== 1) expect(r.finding.mistake?.description).toContain(`shifted by ${k > 0 ? '+' : ''}${k}`);
      }),
      { seed: 7, numRuns: 4, verbose: true },
    );
  });

  test('the transpose of the gradient is named as such, an unrelated wrong value gets no label', () => {
    expect(grade('dense-batch', 'dW', "(X' * dY)'").finding.mistake?.label).toBe('transposed');
    const unrelated = grade('dense-batch', 'dW', "X' * dY + 1");
    expect(unrelated.finding.status).toBe('incorrect');
    expect(unrelated.finding.mistake).toBeUndefined();
  });

  test('values agree within VALUE_MATCH_TOLERANCE of their scale, and never through NaN', () => {
    const a = Tensor.fromNested([[1, -2], [3, 4]]);
    expect(sameValues(a, Tensor.fromNested([[1 + 1e-12, -2], [3, 4]]))).toBe(true);
    expect(sameValues(a, Tensor.fromNested([[1 + 1e-6, -2], [3, 4]]))).toBe(false);
    expect(sameValues(a, Tensor.fromNested([[NaN, -2], [3, 4]]))).toBe(false);
    expect(sameValues(a, Tensor.fromNested([[1, -2, 3, 4]]))).toBe(false);
  });
});

describe('partial credit', () => {
  test('is the fraction of entries right at the first failing sample', () => {
    // Column 1 of db is wrong, the other M − 1 are right.
    const r = grade('dense-batch', 'db', 'db[r,m] = sum(dY[n,m], n) * (m > 1)', partialSession);
    const M = r.partial!.dims['M']!;
    expect(r.partial).toMatchObject({ right: M - 1, entries: M });
    expect(r.score).toBeCloseTo((M - 1) / M, 4);
    expect(r.finding.message).toContain(`Partial credit: ${M - 1} of ${M} entries right`);
    expect(grade('dense-batch', 'db', 'db[r,m] = sum(dY[n,m], n) * (m > 1)').score).toBe(0);
  });

  test('is 0 for a wrong shape and for an invalid answer, full for a correct one', () => {
    expect(grade('dense-batch', 'db', 'sum(dY, 2)', partialSession).score).toBe(0);
    expect(grade('dense-batch', 'db', 'sum(dy, 1)', partialSession).score).toBe(0);
    expect(grade('dense-batch', 'db', 'sum(dY, 1)', partialSession).score).toBe(1);
  });
});

describe('the reference', () => {
  test('is confirmed against FD before any answer to its target is graded', () => {
    grade('dense-batch', 'dW', "X' * dY");
    expect(session.references().find((r) => r.problem === 'dense-batch' && r.target === 'dW')).toMatchObject({ status: 'confirmed' });
  });

  test('when it fails its own check, every answer to the target is undecided, never marked wrong', () => {
    // A problem module whose first closed form is wrong (sign flipped).
    const broken: Problem = {
      ...denseBatch,
      id: 'broken-dense',
      targets: denseBatch.targets.map((t) => (t.name === 'dW' ? { ...t, closedForms: [{ formula: "-X' * dY", style: 'wrong on purpose' }, ...t.closedForms] } : t)),
    };
    const own = new GradingSession([broken], { seed: 5 });
    for (const formula of ["X' * dY", "-X' * dY", "2 * X' * dY"]) {
      const r = gradeAnswer(own, { problem: 'broken-dense', target: 'dW', text: formula, syntax: 'formula', line: 1 }, 1);
      expect(r.finding.status).toBe('undecided');
      expect(r.finding.message).toContain('reference solution');
    }
    expect(own.references()).toEqual([expect.objectContaining({ problem: 'broken-dense', target: 'dW', status: 'failed' })]);
    // The other targets of the module are graded as usual.
    expect(gradeAnswer(own, { problem: 'broken-dense', target: 'db', text: 'sum(dY, 1)', syntax: 'formula', line: 1 }, 1).finding.status).toBe('correct');
  });

  test('the same seed gives the same verdicts, messages and counterexamples', () => {
    const answers: [string, string, string][] = [
      ['dense-batch', 'dW', "X' * dY / N"],
      ['softmax-ce', 'dz', 'p - s'],
      ['relu', 'dX', 'dY'],
      ['dense-batch', 'dX', 'dX[n,d] = sum(dY[n,m] * W[d+1,m], m)'],
    ];
    const a = new GradingSession(problems, { seed: 99 });
    const b = new GradingSession(problems, { seed: 99 });
    // b grades in the reverse order: a warm cache must not change any verdict.
    const first = answers.map(([p, t, f]) => grade(p, t, f, a));
    const second = [...answers].reverse().map(([p, t, f]) => grade(p, t, f, b)).reverse();
    expect(second).toEqual(first);
  });
});

describe('a session judges each distinct answer text once', () => {
  const spec = { problem: 'dense-batch', target: 'dW', text: "X' * dY", syntax: 'formula', line: 3 } as const;

  test('the same text for the same target reuses the verdict; another text, target or syntax is judged anew', () => {
    const s = new GradingSession(problems, { seed: 5 });
    let judged = 0;
    const judge = () => {
      judged++;
      return { finding: { status: 'correct' as const, message: `judgement ${judged}`, review: false }, fraction: 1 };
    };
    expect(s.judgeOnce(spec, judge).finding.message).toBe('judgement 1');
    expect(s.judgeOnce({ ...spec, line: 40 }, judge).finding.message).toBe('judgement 1');
    expect(judged).toBe(1);
    s.judgeOnce({ ...spec, text: "X'*dY" }, judge);
    s.judgeOnce({ ...spec, target: 'dX' }, judge);
    s.judgeOnce({ ...spec, syntax: 'latex' }, judge);
    s.judgeOnce({ ...spec, problem: 'dense-batch-col' }, judge);
    expect(judged).toBe(5);
  });

  test('a repeated answer gets the verdict a fresh session gives it, with its own line', () => {
    const s = new GradingSession(problems, { seed: 8 });
    const texts = ["-X' * dY", "X' * dY", "-X' * dY", "X' * dY / N", "X' * dY"];
    const graded = texts.map((text, i) => gradeAnswer(s, { ...spec, text, line: i + 1 }, 2));
    const fresh = texts.map((text, i) => gradeAnswer(new GradingSession(problems, { seed: 8 }), { ...spec, text, line: i + 1 }, 2));
    expect(graded).toEqual(fresh);
    expect(graded.map((r) => r.finding.status)).toEqual(['incorrect', 'correct', 'incorrect', 'incorrect', 'correct']);
    expect(graded.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
  });
});

import { describe, expect, test } from 'vitest';
import { type ScalarObjective, estimateGradient } from '../../src/fd/index.js';
import { adHocProblem } from '../../src/question/adhoc.js';
import type { GroundTruth } from '../../src/problem/check.js';
import { judgeText } from '../../src/problem/judge.js';
import { TruthCache } from '../../src/problem/truth-cache.js';
import { type NamingPoint, nameMistake } from '../../src/problem/mistake.js';
import type { Target } from '../../src/problem/types.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { convGraph, denseGraph } from '../fd/graphs.js';
import { conv2dGradients, denseLeastSquares } from '../fd/reference.js';

/** The namer on FD truths of plain graphs, with gradients computed independently by loops (test/fd/reference.ts). */
const target = (name: string): Target => ({ kind: 'gradient', name, wrt: name.slice(1), description: '', shape: [], closedForms: [], latex: '', mistakes: [] });

function truthOf(objective: ScalarObjective): GroundTruth {
  return { estimate: estimateGradient(objective), shape: objective.shape, values: {}, outputFinite: true };
}

/** dW of ½‖XW − T‖² at a random sample with N rows (W square, so a transposed gradient has the right shape). */
function densePoint(seed: number, N: number, wrong: (dW: Tensor) => Tensor, k = 4): NamingPoint {
  const rng = new Rng(seed);
  const inputs = { X: sample.normal(rng, [N, k]), W: sample.normal(rng, [k, k]), T: sample.normal(rng, [N, k]) };
  const exact = new Tensor(denseLeastSquares(inputs.X, inputs.W, inputs.T).dW, [k, k]);
  return { dims: { N, D: k }, truth: truthOf(denseGraph.objective('W', inputs)), answer: wrong(exact) };
}

const mapValues = (t: Tensor, f: (v: number, i: number) => number) => new Tensor(t.data.map(f), t.shape);
const nameAt = (points: NamingPoint[]) => nameMistake(target('dW'), [], points);

describe('the mistake namer on FD ground truths', () => {
  test('names a constant factor with the digits that tell it from 1: 1.0005, and 1 + 1.0e-6', () => {
    expect(nameAt([densePoint(1, 5, (g) => mapValues(g, (v) => v * 1.0005))])).toMatchObject({ label: 'factor', description: 'off by a constant factor 1.0005', source: 'fd-pattern' });
    const tiny = nameAt([densePoint(1, 5, (g) => mapValues(g, (v) => v * (1 + 1e-6)))]);
    expect(tiny).toMatchObject({ label: 'factor', description: 'off by a constant factor 1 + 1.0e-6' });
  });

  test('names a flipped sign, a transpose, a zero answer and right values in wrong places', () => {
    expect(nameAt([densePoint(2, 5, (g) => mapValues(g, (v) => -v))])?.label).toBe('sign');
    expect(nameAt([densePoint(2, 5, (g) => g.transpose().contiguous())])?.label).toBe('transposed');
    expect(nameAt([densePoint(2, 5, (g) => mapValues(g, () => 0))])?.label).toBe('zero');
    const order = [3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14].reverse();
    expect(nameAt([densePoint(2, 5, (g) => mapValues(g, (_, i) => g.data[order[i]!]!))])?.label).toBe('permuted');
  });

  test('a factor that follows a dimension across samples is a mean where the loss sums; one sample cannot tell', () => {
    const points = [3, 5, 7].map((N, i) => densePoint(10 + i, N, (g) => mapValues(g, (v) => v / N)));
    expect(nameAt(points)).toMatchObject({ label: 'mean-vs-sum', description: 'divided by N: a mean where the loss sums over N' });
    expect(nameAt(points.slice(0, 1))).toMatchObject({ label: 'mean-vs-sum', description: expect.stringContaining('= 1/N here') });
  });

  test('a factor √N or N² that follows a dimension is named with its power; a factor that follows none is not', () => {
    const by = (scale: (N: number) => number) => [3, 5, 7].map((N, i) => densePoint(20 + i, N, (g) => mapValues(g, (v) => v * scale(N))));
    expect(nameAt(by((N) => 1 / Math.sqrt(N)))).toMatchObject({ label: 'factor', description: expect.stringMatching(/^divided by √N: /) });
    expect(nameAt(by((N) => Math.sqrt(N)))).toMatchObject({ label: 'factor', description: expect.stringMatching(/^multiplied by √N: the gradient's factor 1\/√N is missing/) });
    expect(nameAt(by((N) => 3 * N * N))).toMatchObject({ label: 'factor', description: expect.stringMatching(/^multiplied by N² \(and off by a factor 3\)/) });
    expect(nameAt(by((N) => N ** 1.5))).toBeUndefined();
  });

  test('one wrong entry among right ones names nothing', () => {
    expect(nameAt([densePoint(4, 5, (g) => mapValues(g, (v, i) => (i === 6 ? v * (1 + 1e-6) : v)))])).toBeUndefined();
  });

  test('names a kernel gradient rotated by 180° (correlation vs convolution)', () => {
    const geometry = { stride: 1, padding: 1 };
    const rng = new Rng(5);
    const inputs = { X: sample.normal(rng, [2, 2, 5, 5]), K: sample.normal(rng, [3, 2, 3, 3]), G: sample.normal(rng, [2, 3, 5, 5]) };
    const graph = convGraph(geometry);
    const dK = new Tensor(conv2dGradients(inputs.X, inputs.K, inputs.G, geometry).dK, inputs.K.shape);
    const rotated = mapValues(dK, (_, flat) => dK.data[flat - (flat % 9) + 8 - (flat % 9)]!);
    expect(nameMistake(target('dK'), [], [{ dims: {}, truth: truthOf(graph.objective('K', inputs)), answer: rotated }])?.label).toBe('kernel-not-flipped');
  });
});

describe('check names mistakes as the grader does', () => {
  test("attention's dQ without its 1/√D is named as a missing 1/√D", () => {
    const { problem, target } = adHocProblem({
      loss: 'sum(sum((S * V) .* G))',
      lets: [['S', "softmax(Q * K' / sqrt(D), 2)"], ['dS', "G * V'"]],
      wrt: 'Q',
      grad: '',
      shapes: { Q: ['N', 'D'], K: ['M', 'D'], V: ['M', 'E'], G: ['N', 'E'] },
    });
    const judge = (text: string) => judgeText(problem, target, text, 'formula', { runs: 30, fcSeed: 2, truths: new TruthCache() }).finding;
    expect(judge('(S .* (dS - sum(dS .* S, 2))) * K / sqrt(D)').status).toBe('correct');
    const missing = judge('(S .* (dS - sum(dS .* S, 2))) * K');
    expect(missing.status).toBe('incorrect');
    expect(missing.mistake).toMatchObject({ label: 'factor', description: expect.stringMatching(/^multiplied by √D: /) });
  });

  test('a 1/N in an ad hoc check is a mean where the loss sums over N, found by varying N', () => {
    const { problem, target } = adHocProblem({ loss: 'sum(log(1 + exp(X * w)))', wrt: 'w', grad: '', shapes: { X: ['N', 'D'], w: ['D', 1] } });
    const { finding } = judgeText(problem, target, "X' * sigmoid(X * w) / N", 'formula', { runs: 30, fcSeed: 1, truths: new TruthCache() });
    // It failed on the first sample: no passing sample, so no largest relative error (a 0 would read as exact).
    expect(finding.samples?.passed).toBe(0);
    expect(finding).not.toHaveProperty('maxRelError');
    expect(finding.status).toBe('incorrect');
    expect(finding.mistake).toEqual({ label: 'mean-vs-sum', description: 'divided by N: a mean where the loss sums over N', source: 'fd-pattern' });
  });
});

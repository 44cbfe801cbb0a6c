import { describe, expect, test } from 'vitest';
import { Graph, checkGradient, estimateGradient, functionObjective, resampleWhileNonDifferentiable } from '../../src/fd/index.js';
import { maxpool2 } from '../../src/tensor/pool.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';

const weights = Tensor.fromArray([5], [1.5, -2, 0.5, 3, -1]);
const reluLoss = (x: Tensor) => x.data.reduce((s, v, i) => s + weights.data[i]! * Math.max(0, v), 0);
/** The textbook gradient w·step(x), with step(0) = 0 as frameworks define it. */
const reluGradient = (x: Tensor) => new Tensor(x.data.map((v, i) => (v > 0 ? weights.data[i]! : 0)), x.shape);

describe('kinks are reported as non-differentiable samples, not as verdicts', () => {
  test('ReLU inputs exactly at 0: those entries are non-differentiable, the others agree', () => {
    const x = Tensor.fromArray([5], [0.7, 0, -0.4, 0, 1.3]);
    const verdict = checkGradient(functionObjective(reluLoss, x), reluGradient(x));
    expect(verdict.status).toBe('non-differentiable');
    expect(verdict.nonDifferentiable).toBe(2);
    expect(verdict.nonDifferentiableEntries.map((e) => e.index)).toEqual([[1], [3]]);
    expect(verdict.nonDifferentiableEntries.every((e) => e.fdStatus === 'kink')).toBe(true);
    expect(verdict.overBudget).toBe(0);
  });

  test('max-pool ties: both tied entries of a window are non-differentiable', () => {
    // Window (rows 0–1, cols 0–1) holds the maximum 2 twice; the other windows have a unique maximum.
    const X = Tensor.fromArray([1, 1, 2, 4], [2, 0.5, 0.1, 0.9, -1, 2, 0.3, -0.2]);
    const G = Tensor.fromArray([1, 1, 1, 2], [1.5, -0.7]);
    const loss = (x: Tensor) => {
      const y = maxpool2(x);
      return y.data.reduce((s, v, i) => s + G.data[i]! * v, 0);
    };
    // Routing G to the first maximum of each window (the tie goes to the first, as the kernel does).
    const claimed = Tensor.fromArray([1, 1, 2, 4], [1.5, 0, 0, -0.7, 0, 0, 0, 0]);
    const verdict = checkGradient(functionObjective(loss, X), claimed);
    expect(verdict.status).toBe('non-differentiable');
    expect(verdict.nonDifferentiableEntries.map((e) => e.flat)).toEqual([0, 5]);
    expect(verdict.overBudget).toBe(0);
  });

  test('a declared kink within the finest step is reported as declared; one beyond it is stepped over', () => {
    const x = Tensor.fromArray([3], [1e-7, 1e-4, -0.6]);
    const kinkWithin = (t: Tensor, flat: number, step: number) => Math.abs(t.data[flat]!) < step;
    const f = (t: Tensor) => t.data.reduce((s, v) => s + Math.max(0, v), 0);
    const declared = estimateGradient(functionObjective(f, x, { kinkWithin }));
    expect(declared.status).toEqual(['declared-kink', 'smooth', 'smooth']);
    // 1e-4 lies within the coarse rungs only: the ladder restarts below it and finds the slope 1.
    expect(declared.value[1]).toBe(1);
    const undeclared = estimateGradient(functionObjective(f, x));
    expect(undeclared.status[0]).toBe('kink');
  });

  test("a graph node's declared pieces (the sign of a ReLU input) flag perturbations that cross them", () => {
    const graph = new Graph({
      inputs: ['z', 'w'],
      nodes: [
        { name: 'a', args: ['z'], op: (z) => new Tensor(z.data.map((v) => Math.max(0, v)), z.shape), pieces: (z) => z.data.map(Math.sign) },
        { name: 'L', args: ['a', 'w'], op: (a, w) => Tensor.scalar(a.data.reduce((s, v, i) => s + v * w.data[i]!, 0)) },
      ],
      output: 'L',
    });
    const z = Tensor.fromArray([4], [0.3, 0, -0.2, 5e-7]);
    const estimate = estimateGradient(graph.objective('z', { z, w: Tensor.fromArray([4], [1, 2, 3, 4]) }));
    expect(estimate.status).toEqual(['smooth', 'declared-kink', 'smooth', 'declared-kink']);
    expect(Array.from(estimate.value.slice(0, 3).filter((_, i) => i !== 1))).toEqual([1, 0]);
  });

  test('the resample loop draws a new sample after a non-differentiable one and stops at the first decisive verdict', () => {
    const run = (seed: number, attempt: number) => {
      const x = sample.normal(new Rng(seed), [5]);
      if (attempt === 0) x.data[2] = 0; // the first draw lands on the kink
      return checkGradient(functionObjective(reluLoss, x), reluGradient(x), { seed });
    };
    const outcome = resampleWhileNonDifferentiable(run, { seed: 99 });
    expect(outcome.attempts).toBe(2);
    expect(outcome.seeds[0]).toBe(99);
    expect(outcome.seeds[1]).not.toBe(99);
    expect(outcome.result.status).toBe('pass');
    expect(outcome.result.seed).toBe(outcome.seeds[1]);
  });

  test('the resample loop gives up after its attempts and returns the non-differentiable verdict', () => {
    const x = Tensor.fromArray([5], [0, 1, 1, 1, 1]);
    const outcome = resampleWhileNonDifferentiable((seed) => checkGradient(functionObjective(reluLoss, x), reluGradient(x), { seed }), { seed: 1, maxAttempts: 3 });
    expect(outcome.attempts).toBe(3);
    expect(outcome.result.status).toBe('non-differentiable');
  });
});

describe('kinks no loss declares: the rungs show them at the scale of the step and of the entry', () => {
  /** Σ w_i·max(0, x_i) with x_i within `scale` of the kink and weights of mixed sizes (a small w_i is a small jump in slope). */
  function reluSample(seed: number, scale: number) {
    const rng = new Rng(seed);
    const x = sample.uniform(rng, [6], -scale, scale);
    const w = Tensor.fromArray([6], Array.from({ length: 6 }, (_, i) => rng.normal() * 10 ** -(i % 3)));
    const loss = (t: Tensor) => t.data.reduce((s, v, i) => s + w.data[i]! * Math.max(0, v), 0);
    const right = new Tensor(x.data.map((v, i) => (v > 0 ? w.data[i]! : 0)), x.shape);
    return { x, loss, right };
  }

  test('over 200 seeds, inputs within 1e-9, 1e-6, 1e-3 and 1 of the kink: the right gradient passes or is non-differentiable', () => {
    const scales = [1e-9, 1e-6, 1e-3, 1];
    for (let seed = 0; seed < 200; seed++) {
      const { x, loss, right } = reluSample(seed, scales[seed % scales.length]!);
      const verdict = checkGradient(functionObjective(loss, x), right, { seed });
      expect(['pass', 'non-differentiable'], `seed ${seed}, |x| ≤ ${scales[seed % scales.length]}: ${verdict.status}, worst ${JSON.stringify(verdict.worst[0])}`).toContain(verdict.status);
      if (verdict.status === 'non-differentiable') expect(verdict.overBudget).toBe(0);
    }
  });
});

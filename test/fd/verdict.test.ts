import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkGradient, entryName, functionObjective } from '../../src/fd/index.js';
import { conv2d } from '../../src/tensor/conv.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { conv2dGradients, denseLeastSquares, innerLoop, sigmoidMlp, softmaxLoop } from './reference.js';
import { denseGraph } from './graphs.js';

/** A square W, so that a transposed gradient has the right shape. */
function denseProblem(seed: number, m = 7, k = 5, n = 5) {
  const rng = new Rng(seed);
  const inputs = { X: sample.normal(rng, [m, k]), W: sample.normal(rng, [k, n]), T: sample.normal(rng, [m, n]) };
  const exact = new Tensor(denseLeastSquares(inputs.X, inputs.W, inputs.T).dW, [k, n]);
  return { inputs, exact, objective: () => denseGraph.objective('W', inputs) };
}

const mapValues = (t: Tensor, f: (v: number, i: number) => number) => new Tensor(t.data.map(f), t.shape);

describe('verdicts on the dense least-squares gradient', () => {
  const { exact, objective } = denseProblem(1);

  test('passes the exact gradient Xᵀ(XW − T)', () => {
    const verdict = checkGradient(objective(), exact);
    expect(verdict.status).toBe('pass');
    expect(verdict.checked).toBe(25);
    expect(verdict.overBudget).toBe(0);
    expect(verdict.maxRelError).toBeLessThan(1e-10);
  });

  test('rejects a gradient scaled by 1.0005, which gradcheck tolerances (atol 1e-5, rtol 1e-3) accept', () => {
    const scaled = mapValues(exact, (v) => v * (1 + 5e-4));
    const verdict = checkGradient(objective(), scaled);
    // PyTorch gradcheck's test, |a − n| ≤ atol + rtol·|n|, against our FD values (which match the exact gradient):
    const gradcheckAccepts = verdict.worst.every((e) => Math.abs(e.analytic - e.numeric) <= 1e-5 + 1e-3 * Math.abs(e.numeric));
    expect(gradcheckAccepts).toBe(true);
    expect(verdict.status).toBe('fail');
    expect(verdict.overBudget).toBe(25);
  });

  test('rejects a gradient with one entry off by 1e-6 relative when the rest is exact, and names that entry', () => {
    const flat = 13; // W[2,3] 0-based
    const wrong = mapValues(exact, (v, i) => (i === flat ? v * (1 + 1e-6) : v));
    const verdict = checkGradient(objective(), wrong);
    expect(verdict.status).toBe('fail');
    expect(verdict.overBudget).toBe(1);
    expect(verdict.worst[0]!.flat).toBe(flat);
    expect(verdict.worst[0]!.index).toEqual([2, 3]);
    expect(entryName('dW', verdict.worst[0]!.index)).toBe('dW[3,4]');
    expect(verdict.worst[0]!.relError).toBeCloseTo(1e-6, 9);
  });

  test('the same seed gives the same verdict in sampled mode; another seed samples other entries', () => {
    const wrong = mapValues(exact, (v, i) => (i % 3 === 0 ? v + 1 : v));
    const first = checkGradient(objective(), wrong, { mode: 'sampled', samples: 6, seed: 42 });
    const again = checkGradient(objective(), wrong, { mode: 'sampled', samples: 6, seed: 42 });
    const other = checkGradient(objective(), wrong, { mode: 'sampled', samples: 6, seed: 43 });
    expect(again).toEqual(first);
    expect(first.seed).toBe(42);
    expect(first.checked).toBe(6);
    expect(other.worst.map((e) => e.flat)).not.toEqual(first.worst.map((e) => e.flat));
  });

  test('a gradient of the wrong shape is a ShapeError, not a verdict', () => {
    expect(() => checkGradient(objective(), Tensor.zeros([5, 4]))).toThrow(/shape of the tensor it differentiates/);
  });

  test('a check that would look at nothing is an error, never a pass', () => {
    expect(() => checkGradient(objective(), exact, { mode: 'sampled', samples: 0 })).toThrow(/at least one entry/);
    expect(() => checkGradient(objective(), exact, { mode: 'screen', directions: 0 })).toThrow(/at least one direction/);
  });
});

describe('never rejects a correct gradient because of round-off', () => {
  // Random problems of random sizes and scales (inputs from 1e-3 to 1e3), each with its exact gradient.
  const problem = fc.record({
    kind: fc.constantFrom('dense', 'dense-incremental', 'mlp', 'logsumexp', 'conv'),
    seed: fc.nat(1_000_000),
    scale: fc.integer({ min: -3, max: 3 }).map((e) => 10 ** e),
    m: fc.integer({ min: 1, max: 6 }),
    n: fc.integer({ min: 1, max: 6 }),
  });

  test('correct gradients of seeded random problems always pass (full mode)', () => {
    fc.assert(
      fc.property(problem, ({ kind, seed, scale, m, n }) => {
        const rng = new Rng(seed);
        let verdict;
        if (kind === 'dense' || kind === 'dense-incremental') {
          const inputs = { X: sample.normal(rng, [m + 2, n], 0, scale), W: sample.normal(rng, [n, m], 0, scale), T: sample.normal(rng, [m + 2, m], 0, scale) };
          const exact = new Tensor(denseLeastSquares(inputs.X, inputs.W, inputs.T).dW, [n, m]);
          verdict = checkGradient(denseGraph.objective('W', inputs, { incremental: kind === 'dense-incremental' }), exact);
        } else if (kind === 'mlp') {
          const X = sample.normal(rng, [m, 4], 0, scale);
          const W1 = sample.normal(rng, [4, n], 0, 1 / scale);
          const W2 = sample.normal(rng, [n, 2]);
          const T = sample.uniform(rng, [m, 2]);
          const exact = new Tensor(sigmoidMlp(X, W1, W2, T).dW1, W1.shape);
          verdict = checkGradient(functionObjective((w) => sigmoidMlp(X, w, W2, T).loss, W1), exact);
        } else if (kind === 'logsumexp') {
          const x = sample.normal(rng, [m * n + 1], 0, scale);
          const lse = (t: Tensor) => {
            const max = Math.max(...t.data);
            return max + Math.log(t.data.reduce((s, v) => s + Math.exp(v - max), 0));
          };
          verdict = checkGradient(functionObjective(lse, x), new Tensor(softmaxLoop(x.data), x.shape));
        } else {
          const geometry = { stride: 1 + (seed % 2), padding: seed % 3 };
          const inputs = { X: sample.normal(rng, [1, 2, m + 3, n + 3], 0, scale), K: sample.normal(rng, [2, 2, 2, 3]) };
          const G = sample.normal(rng, conv2d(inputs.X, inputs.K, geometry).shape);
          const f = (x: Tensor) => innerLoop(conv2d(x, inputs.K, geometry), G);
          verdict = checkGradient(functionObjective(f, inputs.X), new Tensor(conv2dGradients(inputs.X, inputs.K, G, geometry).dX, inputs.X.shape));
        }
        expect(verdict.status, JSON.stringify(verdict.worst[0])).toBe('pass');
      }),
      { seed: 20251122, numRuns: 150, verbose: true },
    );
  });
});

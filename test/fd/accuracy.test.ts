import { describe, expect, test } from 'vitest';
import { Graph, estimateGradient, functionObjective, halfSquaredErrorIncremental, matmulIncremental } from '../../src/fd/index.js';
import { conv2d } from '../../src/tensor/conv.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { conv2dGradients, conv2dLoop, coverage, denseLeastSquares, normRelativeError, sigmoidMlp, softmaxLoop } from './reference.js';
import { convGraph } from './graphs.js';

/** The bar on smooth problems: norm-wise relative error of the FD gradient vs the exact one. */
const ACCURACY = 1e-10;
/** …and the error bound must cover the true error of at least this fraction of entries. */
const COVERAGE = 0.99;

function logSumExp(x: Tensor): number {
  let m = -Infinity;
  for (const v of x.data) m = Math.max(m, v);
  let s = 0;
  for (const v of x.data) s += Math.exp(v - m);
  return m + Math.log(s);
}

describe('FD gradients agree with exact gradients to 1e-10 and their error bounds cover ≥ 99% of entries', () => {
  test.each([0, 1, 2])('log-sum-exp of 300 entries (seed %i)', (seed) => {
    const x = sample.normal(new Rng(seed), [300], 0, 2);
    const estimate = estimateGradient(functionObjective(logSumExp, x));
    const exact = softmaxLoop(x.data);
    expect(normRelativeError(estimate.value, exact)).toBeLessThanOrEqual(ACCURACY);
    expect(coverage(estimate.value, estimate.error, exact)).toBeGreaterThanOrEqual(COVERAGE);
  });

  test.each([0, 1, 2])('sigmoid MLP, both weight matrices (seed %i)', (seed) => {
    const rng = new Rng(100 + seed);
    const X = sample.normal(rng, [6, 10]);
    const W1 = sample.normal(rng, [10, 8], 0, 0.5);
    const W2 = sample.normal(rng, [8, 3]);
    const T = sample.uniform(rng, [6, 3]);
    const exact = sigmoidMlp(X, W1, W2, T);
    const dW1 = estimateGradient(functionObjective((w) => sigmoidMlp(X, w, W2, T).loss, W1));
    const dW2 = estimateGradient(functionObjective((w) => sigmoidMlp(X, W1, w, T).loss, W2));
    expect(normRelativeError(dW1.value, exact.dW1)).toBeLessThanOrEqual(ACCURACY);
    expect(normRelativeError(dW2.value, exact.dW2)).toBeLessThanOrEqual(ACCURACY);
    expect(coverage(dW1.value, dW1.error, exact.dW1)).toBeGreaterThanOrEqual(COVERAGE);
    expect(coverage(dW2.value, dW2.error, exact.dW2)).toBeGreaterThanOrEqual(COVERAGE);
  });

  test.each([true, false])('dense ½‖XW − T‖², incremental = %s', (incremental) => {
    const rng = new Rng(7);
    const X = sample.normal(rng, [16, 24]);
    const W = sample.normal(rng, [24, 12]);
    const T = sample.normal(rng, [16, 12]);
    const graph = new Graph({
      inputs: ['X', 'W', 'T'],
      nodes: [
        { name: 'Y', args: ['X', 'W'], op: (x, w) => new Tensor(denseForward(x, w), [x.shape[0]!, w.shape[1]!]), incremental: matmulIncremental },
        { name: 'L', args: ['Y', 'T'], op: (y, t) => Tensor.scalar(halfSquaredNorm(y, t)), incremental: halfSquaredErrorIncremental },
      ],
      output: 'L',
    });
    const objective = graph.objective('W', { X, W, T }, { incremental });
    expect(objective.incremental).toBe(incremental);
    const estimate = estimateGradient(objective);
    const exact = denseLeastSquares(X, W, T).dW;
    expect(normRelativeError(estimate.value, exact)).toBeLessThanOrEqual(ACCURACY);
    expect(coverage(estimate.value, estimate.error, exact)).toBeGreaterThanOrEqual(COVERAGE);
  });

  test.each([
    { stride: 1, padding: 1 },
    { stride: 2, padding: 0 },
  ])('conv2d layer Σ G.*conv2d(X, K), dX and dK, %o', (geometry) => {
    const rng = new Rng(11);
    const X = sample.normal(rng, [2, 3, 7, 7]);
    const K = sample.normal(rng, [4, 3, 3, 3]);
    const G = sample.normal(rng, conv2dLoop(X, K, geometry).shape);
    const graph = convGraph(geometry);
    const exact = conv2dGradients(X, K, G, geometry);
    for (const [wrt, truth] of [['X', exact.dX], ['K', exact.dK]] as const) {
      const estimate = estimateGradient(graph.objective(wrt, { X, K, G }));
      expect(normRelativeError(estimate.value, truth)).toBeLessThanOrEqual(ACCURACY);
      expect(coverage(estimate.value, estimate.error, truth)).toBeGreaterThanOrEqual(COVERAGE);
    }
  });
});

function denseForward(x: Tensor, w: Tensor): Float64Array {
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1]!;
  const out = new Float64Array(m * n);
  for (let r = 0; r < m; r++) for (let i = 0; i < k; i++) for (let c = 0; c < n; c++) out[r * n + c]! += x.data[r * k + i]! * w.data[i * n + c]!;
  return out;
}

function halfSquaredNorm(y: Tensor, t: Tensor): number {
  let s = 0;
  for (let i = 0; i < y.size; i++) s += 0.5 * (y.data[i]! - t.data[i]!) ** 2;
  return s;
}

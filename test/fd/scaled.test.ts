import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type GradientEstimate, Graph, type ScalarObjective, avgpool2Incremental, biasAddIncremental, conv2dIncremental, corr2Incremental, differenceIncremental, elementwiseIncremental, estimateGradient, halfSquaredErrorIncremental, innerProductIncremental, matmulIncremental, scaleIncremental, sumOfSquaresIncremental } from '../../src/fd/index.js';
import { corr2 } from '../../src/tensor/conv.js';
import { avgpool2 } from '../../src/tensor/pool.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { broadcastAddLoop, conv2dLoop, innerLoop, matmulLoop } from './reference.js';

/** The same objective without its scaled form: the probe then takes every displacement on its own. */
function oneByOne(objective: ScalarObjective): ScalarObjective {
  return { shape: objective.shape, size: objective.size, valueAt: (flat) => objective.valueAt(flat), change: (move, out) => objective.change(move, out) };
}

/** Every number and status of two estimates, compared as bits (Object.is tells −0 from 0 and NaN from itself). */
function expectSameBits(a: GradientEstimate, b: GradientEstimate) {
  const bits = (e: GradientEstimate) => Array.from(e.indices, (_, k) => [e.value[k], e.error[k], e.roundoff[k], e.status[k]]);
  expect(a.evaluations).toBe(b.evaluations);
  const [x, y] = [bits(a), bits(b)];
  for (let k = 0; k < x.length; k++) for (let j = 0; j < 4; j++) if (!Object.is(x[k]![j], y[k]![j])) expect.fail(`entry ${a.indices[k]}: field ${j} is ${x[k]![j]} batched, ${y[k]![j]} one by one`);
}

const halfSquared = (y: Tensor, t: Tensor) => Tensor.scalar(y.data.reduce((s, v, i) => s + 0.5 * (v - t.data[i]!) ** 2, 0));
const matmulNode = (x: Tensor, w: Tensor) => new Tensor(matmulLoop(x.data, w.data, x.shape[0]!, x.shape[1]!, w.shape[1]!), [x.shape[0]!, w.shape[1]!]);

describe('rungs evaluated as one scaled move give the bits of one displacement at a time', () => {
  test('dense + bias, losses ½‖Y − T‖² and Σ G.*Y, with respect to every input and intermediate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: -3, max: 3, noNaN: true }), fc.nat(10_000), (m, k, n, logScale, seed) => {
        const rng = new Rng(seed);
        // Inputs scaled by 10^logScale: entries above 1 in size get steps relative to them, and some x ± h round.
        const scale = 10 ** logScale;
        const inputs = { X: sample.normal(rng, [m, k], 0, scale), W: sample.normal(rng, [k, n], 0, scale), b: sample.normal(rng, [1, n]), T: sample.normal(rng, [m, n]) };
        for (const rule of [halfSquaredErrorIncremental, innerProductIncremental]) {
          const graph = new Graph({
            inputs: ['X', 'W', 'b', 'T'],
            nodes: [
              { name: 'Z', args: ['X', 'W'], op: matmulNode, incremental: matmulIncremental },
              { name: 'Y', args: ['Z', 'b'], op: (z, b) => broadcastAddLoop(z, b, z.shape), incremental: biasAddIncremental },
              { name: 'L', args: ['Y', 'T'], op: rule === halfSquaredErrorIncremental ? halfSquared : (y, t) => Tensor.scalar(innerLoop(y, t)), incremental: rule },
            ],
            output: 'L',
          });
          for (const wrt of ['X', 'W', 'b', 'T', 'Z', 'Y']) {
            const objective = graph.objective(wrt, inputs);
            expect(objective.scalable).toBe(true);
            expectSameBits(estimateGradient(objective), estimateGradient(oneByOne(objective)));
          }
        }
      }),
      { seed: 18, numRuns: 40, verbose: true },
    );
  });

  test('conv2d with stride and padding, Σ G.*Y, with respect to X and K', () => {
    const rng = new Rng(19);
    for (const geometry of [{ stride: 1, padding: 1 }, { stride: 2, padding: 0 }]) {
      const X = sample.normal(rng, [2, 3, 6, 7]);
      const K = sample.normal(rng, [4, 3, 3, 2]);
      const G = sample.normal(rng, conv2dLoop(X, K, geometry).shape);
      const graph = new Graph({
        inputs: ['X', 'K', 'G'],
        nodes: [
          { name: 'Y', args: ['X', 'K'], op: (x, k) => conv2dLoop(x, k, geometry), incremental: conv2dIncremental(geometry) },
          { name: 'L', args: ['Y', 'G'], op: (y, g) => Tensor.scalar(innerLoop(y, g)), incremental: innerProductIncremental },
        ],
        output: 'L',
      });
      for (const wrt of ['X', 'K']) {
        const objective = graph.objective(wrt, { X, K, G });
        expect(objective.scalable).toBe(true);
        expectSameBits(estimateGradient(objective), estimateGradient(oneByOne(objective)));
      }
    }
  });

  test('corr2, avgpool2, a difference and a constant scale (linear rules) into Σ S.^2, with respect to every input and intermediate', () => {
    const rng = new Rng(21);
    const entrywise = (f: (a: number, b: number) => number) => (a: Tensor, b: Tensor) => new Tensor(a.contiguous().data.map((v, i) => f(v, b.contiguous().data[i]!)), a.shape);
    const graph = new Graph({
      inputs: ['X', 'K', 'B'],
      nodes: [
        { name: 'C', args: ['X', 'K'], op: (x, k) => corr2(x, k, 'valid'), incremental: corr2Incremental('valid') },
        { name: 'P', args: ['C'], op: avgpool2, incremental: avgpool2Incremental },
        { name: 'D', args: ['P', 'B'], op: entrywise((p, b) => p - b), incremental: differenceIncremental },
        { name: 'S', args: ['D'], op: (d) => new Tensor(d.contiguous().data.map((v) => 0.75 * v), d.shape), incremental: scaleIncremental(0.75) },
        { name: 'L', args: ['S'], op: (t) => Tensor.scalar(t.contiguous().data.reduce((sum, v) => sum + v * v, 0)), incremental: sumOfSquaresIncremental },
      ],
      output: 'L',
    });
    const inputs = { X: sample.normal(rng, [2, 6, 8], 0, 3), K: sample.normal(rng, [3, 3]), B: sample.normal(rng, [2, 2, 3]) };
    for (const wrt of ['X', 'K', 'B', 'C', 'P', 'D', 'S']) {
      const objective = graph.objective(wrt, inputs);
      expect(objective.scalable).toBe(true);
      expectSameBits(estimateGradient(objective), estimateGradient(oneByOne(objective)));
    }
  });

  test('a path through a nonlinear entrywise node is not scalable, and keeps one displacement at a time', () => {
    const rng = new Rng(20);
    const graph = new Graph({
      inputs: ['X', 'W', 'T'],
      nodes: [
        { name: 'Z', args: ['X', 'W'], op: matmulNode, incremental: matmulIncremental },
        { name: 'H', args: ['Z'], op: (z) => new Tensor(z.data.map(Math.tanh), z.shape), incremental: elementwiseIncremental(Math.tanh) },
        { name: 'L', args: ['H', 'T'], op: halfSquared, incremental: halfSquaredErrorIncremental },
      ],
      output: 'L',
    });
    const inputs = { X: sample.normal(rng, [3, 4]), W: sample.normal(rng, [4, 2]), T: sample.normal(rng, [3, 2]) };
    const objective = graph.objective('W', inputs);
    expect(objective.incremental).toBe(true);
    expect(objective.scalable).toBe(false);
    // After the nonlinear node the loss alone is scalable.
    expect(graph.objective('H', inputs).scalable).toBe(true);
  });
});

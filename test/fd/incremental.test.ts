import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Graph, SparseChange, biasAddIncremental, conv2dIncremental, elementwiseIncremental, halfSquaredErrorIncremental, innerProductIncremental, matmulIncremental, newLossChange, type GraphObjective } from '../../src/fd/index.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { conv2dLoop, innerLoop, matmulLoop } from './reference.js';

const halfSquared = (y: Tensor, t: Tensor) => Tensor.scalar(y.data.reduce((s, v, i) => s + 0.5 * (v - t.data[i]!) ** 2, 0));

/** dense layer + bias + tanh + ½‖·−T‖², forwards in plain loops */
const mlpGraph = new Graph({
  inputs: ['X', 'W', 'b', 'T'],
  nodes: [
    { name: 'Z', args: ['X', 'W'], op: (x, w) => new Tensor(matmulLoop(x.data, w.data, x.shape[0]!, x.shape[1]!, w.shape[1]!), [x.shape[0]!, w.shape[1]!]), incremental: matmulIncremental },
    { name: 'A', args: ['Z', 'b'], op: (z, b) => new Tensor(z.data.map((v, i) => v + b.data[i % b.size]!), z.shape), incremental: biasAddIncremental },
    { name: 'H', args: ['A'], op: (a) => new Tensor(a.data.map(Math.tanh), a.shape), incremental: elementwiseIncremental(Math.tanh) },
    { name: 'L', args: ['H', 'T'], op: halfSquared, incremental: halfSquaredErrorIncremental },
  ],
  output: 'L',
});

/**
 * Moves the incremental and the full objective by the same random move (one entry, a few, or all of
 * them, at distinct positions) and requires the loss changes to agree within the sum of their own
 * round-off bounds.
 */
function expectSameChanges(incremental: GraphObjective, full: GraphObjective, rng: Rng) {
  expect(incremental.incremental).toBe(true);
  expect(full.incremental).toBe(false);
  const a = newLossChange();
  const b = newLossChange();
  for (const count of [1, 1, 1, Math.min(3, incremental.size), incremental.size]) {
    const move = new SparseChange(count);
    const start = rng.int(0, incremental.size - count);
    for (let k = 0; k < count; k++) {
      // A displacement x + δ can represent, with the ε·|δ| slack the engine's own moves carry.
      const x = incremental.valueAt(start + k);
      const delta = x + rng.normal() * 1e-3 - x;
      move.push(start + k, delta, Number.EPSILON * Math.abs(delta));
    }
    incremental.change(move, a);
    full.change(move, b);
    expect(Math.abs(a.delta - b.delta)).toBeLessThanOrEqual(a.roundoff + b.roundoff);
  }
}

describe('the incremental evaluator equals full re-evaluation', () => {
  test('dense + bias + tanh + squared error, with respect to every input and intermediate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.nat(10_000), (m, k, n, seed) => {
        const rng = new Rng(seed);
        const inputs = { X: sample.normal(rng, [m, k]), W: sample.normal(rng, [k, n]), b: sample.normal(rng, [n]), T: sample.normal(rng, [m, n]) };
        for (const wrt of ['X', 'W', 'b', 'T', 'Z', 'A', 'H']) {
          expectSameChanges(mlpGraph.objective(wrt, inputs), mlpGraph.objective(wrt, inputs, { incremental: false }), rng);
        }
      }),
      { seed: 7, numRuns: 40, verbose: true },
    );
  });

  test('conv2d layer with stride and padding, losses Σ G.*Y and ½‖Y − T‖², with respect to X and K', () => {
    const geometryArb = fc.record({ stride: fc.integer({ min: 1, max: 3 }), padding: fc.integer({ min: 0, max: 2 }) });
    fc.assert(
      fc.property(geometryArb, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.nat(10_000), (geometry, C, F, kh, kw, seed) => {
        const rng = new Rng(seed);
        const X = sample.normal(rng, [2, C, kh + 3, kw + 2]);
        const K = sample.normal(rng, [F, C, kh, kw]);
        const outShape = conv2dLoop(X, K, geometry).shape;
        for (const [loss, rule] of [[(y: Tensor, g: Tensor) => Tensor.scalar(innerLoop(y, g)), innerProductIncremental], [halfSquared, halfSquaredErrorIncremental]] as const) {
          const graph = new Graph({
            inputs: ['X', 'K', 'G'],
            nodes: [
              { name: 'Y', args: ['X', 'K'], op: (x, k) => conv2dLoop(x, k, geometry), incremental: conv2dIncremental(geometry) },
              { name: 'L', args: ['Y', 'G'], op: loss, incremental: rule },
            ],
            output: 'L',
          });
          const inputs = { X, K, G: sample.normal(rng, outShape) };
          for (const wrt of ['X', 'K', 'G']) expectSameChanges(graph.objective(wrt, inputs), graph.objective(wrt, inputs, { incremental: false }), rng);
        }
      }),
      { seed: 8, numRuns: 40, verbose: true },
    );
  });

  test('a perturbed W[i,j] changes only column j of XW; a perturbed X[n,c,y,x] only a kh×kw window per output map', () => {
    const rng = new Rng(3);
    const matmulUpdate = matmulIncremental({ args: [sample.normal(rng, [5, 4]), sample.normal(rng, [4, 3])], out: Tensor.zeros([5, 3]) });
    const move = new SparseChange(1);
    move.push(1 * 3 + 2, 0.5, 0); // W[1, 2]
    const result = new SparseChange(15);
    matmulUpdate(1, move, result);
    expect(Array.from(result.index.slice(0, result.count)).map((i) => i % 3)).toEqual([2, 2, 2, 2, 2]);

    const convUpdate = conv2dIncremental({ padding: 1 })({ args: [sample.normal(rng, [1, 2, 6, 6]), sample.normal(rng, [4, 2, 3, 3])], out: Tensor.zeros([1, 4, 6, 6]) });
    move.clear();
    move.push(((0 * 2 + 1) * 6 + 3) * 6 + 2, 0.5, 0); // X[0, 1, 3, 2]
    const convResult = new SparseChange(144);
    convUpdate(0, move, convResult);
    expect(convResult.count).toBe(4 * 9);
    for (const flat of convResult.index.slice(0, convResult.count)) {
      const oy = Math.floor((flat % 36) / 6);
      const ox = flat % 6;
      expect(Math.abs(oy - 3)).toBeLessThanOrEqual(1);
      expect(Math.abs(ox - 2)).toBeLessThanOrEqual(1);
    }
  });

  test('a graph falls back to full evaluation when a downstream node lacks a rule or takes the change twice', () => {
    const inputs = { X: Tensor.fromArray([2], [1, 2]) };
    const square = new Graph({ inputs: ['X'], nodes: [{ name: 'L', args: ['X', 'X'], op: (a, b) => Tensor.scalar(innerLoop(a, b)), incremental: innerProductIncremental }], output: 'L' });
    expect(square.objective('X', inputs).incremental).toBe(false);
    const noRule = new Graph({ inputs: ['X'], nodes: [{ name: 'L', args: ['X'], op: (a) => Tensor.scalar(innerLoop(a, a)) }], output: 'L' });
    expect(noRule.objective('X', inputs).incremental).toBe(false);
  });
});

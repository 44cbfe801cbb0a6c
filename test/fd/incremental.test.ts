import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  FdArgumentError,
  Graph,
  SparseChange,
  biasAddIncremental,
  avgpool2Incremental,
  conv2dIncremental,
  corr2Incremental,
  differenceIncremental,
  elementwiseIncremental,
  halfSquaredErrorIncremental,
  innerProductIncremental,
  matmulIncremental,
  scaleIncremental,
  sumOfSquaresIncremental,
} from '../../src/fd/index.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { broadcastAddLoop, conv2dLoop, innerLoop, matmulLoop } from './reference.js';
import { expectSameChanges } from './same-changes.js';

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

  test('a 2-D correlation (valid and full, a batch of images) and a 2×2 average pooling, with respect to every input', () => {
    /** corr2 of the last two axes with a matrix kernel, in loops: out[b,i,j] = Σ X[b, i+u−p, j+v−q]·K[u,v], zero outside X. */
    const corr2Loop = (x: Tensor, k: Tensor, mode: 'valid' | 'full'): Tensor => {
      const [B, H, W] = x.shape as [number, number, number];
      const [kh, kw] = k.shape as [number, number];
      const [p, q] = mode === 'full' ? [kh - 1, kw - 1] : [0, 0];
      const [Ho, Wo] = [H + 2 * p - kh + 1, W + 2 * q - kw + 1];
      const out = Tensor.zeros([B, Ho, Wo]);
      for (let b = 0; b < B; b++)
        for (let i = 0; i < Ho; i++)
          for (let j = 0; j < Wo; j++) {
            let sum = 0;
            for (let u = 0; u < kh; u++)
              for (let v = 0; v < kw; v++) {
                const [y, z] = [i + u - p, j + v - q];
                if (y >= 0 && y < H && z >= 0 && z < W) sum += x.data[(b * H + y) * W + z]! * k.data[u * kw + v]!;
              }
            out.data[(b * Ho + i) * Wo + j] = sum;
          }
      return out;
    };
    const avgpoolLoop = (x: Tensor): Tensor => {
      const [B, H, W] = x.shape as [number, number, number];
      const out = Tensor.zeros([B, H / 2, W / 2]);
      for (let b = 0; b < B; b++)
        for (let y = 0; y < H; y++) for (let z = 0; z < W; z++) out.data[(b * (H / 2) + (y >> 1)) * (W / 2) + (z >> 1)]! += x.data[(b * H + y) * W + z]! / 4;
      return out;
    };
    fc.assert(
      fc.property(fc.constantFrom('valid' as const, 'full' as const), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.nat(10_000), (mode, B, kh, kw, half, seed) => {
        const rng = new Rng(seed);
        // Sizes that make the correlation's output even on both axes, for the pooling after it.
        const out = 2 * half;
        // 'valid' shrinks by the kernel less one, 'full' grows by as much.
        const grow = mode === 'full' ? 1 : -1;
        const [H, W] = [out - grow * (kh - 1), out - grow * (kw - 1)];
        if (H < 1 || W < 1) return;
        const X = sample.normal(rng, [B, H, W]);
        const K = sample.normal(rng, [kh, kw]);
        const Y = corr2Loop(X, K, mode);
        expect(Y.shape).toEqual([B, out, out]);
        const graph = new Graph({
          inputs: ['X', 'K', 'G'],
          nodes: [
            { name: 'Y', args: ['X', 'K'], op: (x, k) => corr2Loop(x, k, mode), incremental: corr2Incremental(mode) },
            { name: 'P', args: ['Y'], op: avgpoolLoop, incremental: avgpool2Incremental },
            { name: 'L', args: ['P', 'G'], op: (p, g) => Tensor.scalar(innerLoop(p, g)), incremental: innerProductIncremental },
          ],
          output: 'L',
        });
        const inputs = { X, K, G: sample.normal(rng, [B, Y.shape[1]! / 2, Y.shape[2]! / 2]) };
        for (const wrt of ['X', 'K', 'Y']) expectSameChanges(graph.objective(wrt, inputs), graph.objective(wrt, inputs, { incremental: false }), rng);
      }),
      { seed: 10, numRuns: 40, verbose: true },
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

  test('an add with NumPy broadcasting (row bias, column bias, any axes, either order), with respect to both arguments', () => {
    // The output shape, and for each argument which axes it keeps (size 1 otherwise) and how many leading axes it drops;
    // every axis is kept by at least one argument, so the two broadcast to exactly that shape.
    const caseArb = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          keptByA: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
          dropA: fc.integer({ min: 0, max: shape.length }),
          dropB: fc.integer({ min: 0, max: shape.length }),
          seed: fc.nat(10_000),
        }),
      );
    fc.assert(
      fc.property(caseArb, ({ shape, keptByA, dropA, dropB, seed }) => {
        const rng = new Rng(seed);
        // B keeps the axes A stretches, so that the broadcast is `shape`; one of them may drop leading axes it holds at size 1.
        const argShape = (kept: (ax: number) => boolean, drop: number) => {
          const s = shape.map((d, ax) => (kept(ax) ? d : 1));
          const droppable = s.findIndex((d) => d !== 1);
          return s.slice(Math.min(drop, droppable === -1 ? s.length : droppable));
        };
        const A = sample.normal(rng, argShape((ax) => keptByA[ax]!, dropA));
        const B = sample.normal(rng, argShape((ax) => !keptByA[ax]! || shape[ax] === 1, dropA === 0 ? dropB : 0));
        const graph = new Graph({
          inputs: ['A', 'B', 'T'],
          nodes: [
            { name: 'Y', args: ['A', 'B'], op: (a, b) => broadcastAddLoop(a, b, shape), incremental: biasAddIncremental },
            { name: 'H', args: ['Y'], op: (y) => new Tensor(y.data.map(Math.tanh), y.shape), incremental: elementwiseIncremental(Math.tanh) },
            { name: 'L', args: ['H', 'T'], op: halfSquared, incremental: halfSquaredErrorIncremental },
          ],
          output: 'L',
        });
        const inputs = { A, B, T: sample.normal(rng, shape) };
        for (const wrt of ['A', 'B']) expectSameChanges(graph.objective(wrt, inputs), graph.objective(wrt, inputs, { incremental: false }), rng);
      }),
      { seed: 9, numRuns: 60, verbose: true },
    );
  });

  test('a difference with broadcasting, a sum of squares and constant scales, with respect to every input and intermediate', () => {
    // L = c·Σ (c'·(Y − T))² with Y [m,n] and a row T [1,n]: the chain a question's `0.5 * sum((Y - T).^2)` becomes.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.nat(10_000), (m, n, c, inner, seed) => {
        const rng = new Rng(seed);
        const graph = new Graph({
          inputs: ['Y', 'T'],
          nodes: [
            { name: 'R', args: ['Y', 'T'], op: (y, t) => broadcastAddLoop(y, new Tensor(t.data.map((v) => -v), t.shape), [m, n]), incremental: differenceIncremental },
            { name: 'S', args: ['R'], op: (r) => new Tensor(r.data.map((v) => inner * v), r.shape), incremental: scaleIncremental(inner) },
            { name: 'Q', args: ['S'], op: (s) => Tensor.scalar(s.data.reduce((acc, v) => acc + v * v, 0)), incremental: sumOfSquaresIncremental },
            { name: 'L', args: ['Q'], op: (q) => Tensor.scalar(c * q.data[0]!), incremental: scaleIncremental(c) },
          ],
          output: 'L',
        });
        const inputs = { Y: sample.normal(rng, [m, n]), T: sample.normal(rng, [1, n]) };
        for (const wrt of ['Y', 'T', 'R', 'S', 'Q']) expectSameChanges(graph.objective(wrt, inputs), graph.objective(wrt, inputs, { incremental: false }), rng);
      }),
      { seed: 10, numRuns: 40, verbose: true },
    );
  });

  test('a difference moves its output by −δ for a change of the subtrahend; a scale by c·δ', () => {
    const rng = new Rng(4);
    const move = new SparseChange(1);
    move.push(1, 0.25, 1e-17);
    const result = new SparseChange(6);
    differenceIncremental({ args: [sample.normal(rng, [2, 3]), sample.normal(rng, [1, 3])], out: Tensor.zeros([2, 3]) })(1, move, result);
    expect(Array.from(result.index.slice(0, result.count))).toEqual([1, 4]);
    expect(Array.from(result.delta.slice(0, result.count))).toEqual([-0.25, -0.25]);
    scaleIncremental(-4)({ args: [Tensor.zeros([2, 3])], out: Tensor.zeros([2, 3]) })(0, move, result);
    expect(Array.from(result.delta.slice(0, result.count))).toEqual([-1]);
    expect(result.roundoff[0]).toBeCloseTo(4e-17 + Number.EPSILON, 30);
  });

  test('a column bias b[i] moves row i of Z[M,N] + b[M,1]; a row bias b[j] moves column j of Z[N,M] + b[M]', () => {
    const rng = new Rng(5);
    const move = new SparseChange(1);
    move.push(2, 0.25, 1e-17); // b[2]
    const column = biasAddIncremental({ args: [sample.normal(rng, [4, 3]), sample.normal(rng, [4, 1])], out: Tensor.zeros([4, 3]) });
    const result = new SparseChange(12);
    column(1, move, result);
    expect(Array.from(result.index.slice(0, result.count))).toEqual([6, 7, 8]);
    expect(Array.from(result.delta.slice(0, result.count))).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(result.roundoff.slice(0, result.count))).toEqual([1e-17, 1e-17, 1e-17]);
    // The bias first: b[M] + Z[N,M].
    const row = biasAddIncremental({ args: [sample.normal(rng, [3]), sample.normal(rng, [4, 3])], out: Tensor.zeros([4, 3]) });
    row(0, move, result);
    expect(Array.from(result.index.slice(0, result.count))).toEqual([2, 5, 8, 11]);
  });

  test('an add whose arguments do not broadcast to the node is an FdArgumentError', () => {
    const rng = new Rng(6);
    expect(() => biasAddIncremental({ args: [sample.normal(rng, [4, 3]), sample.normal(rng, [4])], out: Tensor.zeros([4, 3]) })).toThrow(FdArgumentError);
    expect(() => biasAddIncremental({ args: [sample.normal(rng, [4, 1]), sample.normal(rng, [1, 3])], out: Tensor.zeros([4, 1]) })).toThrow(/shapes 4×1 and 1×3 do not broadcast to the node's shape 4×1/);
  });

  test('a graph falls back to full evaluation when a downstream node lacks a rule or takes the change twice', () => {
    const inputs = { X: Tensor.fromArray([2], [1, 2]) };
    const square = new Graph({ inputs: ['X'], nodes: [{ name: 'L', args: ['X', 'X'], op: (a, b) => Tensor.scalar(innerLoop(a, b)), incremental: innerProductIncremental }], output: 'L' });
    expect(square.objective('X', inputs).incremental).toBe(false);
    const noRule = new Graph({ inputs: ['X'], nodes: [{ name: 'L', args: ['X'], op: (a) => Tensor.scalar(innerLoop(a, a)) }], output: 'L' });
    expect(noRule.objective('X', inputs).incremental).toBe(false);
  });
});

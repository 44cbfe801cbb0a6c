import { describe, expect, test } from 'vitest';
import { SparseChange, newLossChange } from '../../src/fd/index.js';
import { Rng, Tensor } from '../../src/tensor/index.js';
import { compileQuestion, type QuestionSpec } from '../../src/question/index.js';
import { sampleInputs } from '../../src/problem/sample.js';
import { expectSameChanges } from '../fd/same-changes.js';

const normal = { kind: 'normal' } as const;

/** A two-layer tanh network with squared error, written as a question would. */
const TANH_MSE: QuestionSpec = {
  id: 'tanh-mse',
  title: 'tanh network',
  statement: '',
  dims: [{ name: 'N' }, { name: 'D' }, { name: 'Hd' }, { name: 'K' }],
  inputs: [
    { name: 'X', shape: ['N', 'D'], domain: normal },
    { name: 'W1', shape: ['D', 'Hd'], domain: normal },
    { name: 'b1', shape: [1, 'Hd'], domain: normal },
    { name: 'W2', shape: ['Hd', 'K'], domain: normal },
    { name: 'T', shape: ['N', 'K'], domain: normal },
  ],
  let: [
    { name: 'H', formula: 'tanh(X * W1 + b1)' },
    { name: 'Z', formula: 'H * W2' },
  ],
  loss: '0.5 * sum((Z - T).^2) / N',
  targets: [],
  examples: [],
};

/** Every input and let name of TANH_MSE: FD may differentiate with respect to any of them. */
const EVERY_NAME = { wrt: ['X', 'W1', 'b1', 'W2', 'T', 'H', 'Z'] };

describe('the forward graph of a question', () => {
  test('splits each step into the operations the incremental evaluator knows, named after the step', () => {
    const graph = compileQuestion(TANH_MSE, EVERY_NAME).forward({ N: 3, D: 2, Hd: 4, K: 2 });
    expect(graph.nodes.map((n) => [n.name, n.args.join(','), n.incremental !== undefined])).toEqual([
      ['H__1', 'X,W1', true],
      ['H__2', 'H__1,b1', true],
      ['H', 'H__2', true],
      ['Z', 'H,W2', true],
      ['L__1', 'Z,T', true],
      ['L__2', 'L__1', true],
      ['L__3', 'L__2', true],
      ['L', 'L__3', true],
    ]);
  });

  test('is incremental with respect to every input and let name, and agrees with full re-evaluation', () => {
    const problem = compileQuestion(TANH_MSE, EVERY_NAME);
    const rng = new Rng(11);
    for (const dims of [{ N: 3, D: 2, Hd: 4, K: 2 }, { N: 1, D: 1, Hd: 1, K: 1 }, { N: 5, D: 3, Hd: 2, K: 4 }]) {
      const graph = problem.forward(dims);
      const inputs = sampleInputs(problem, dims, rng.int(0, 1000));
      for (const wrt of ['X', 'W1', 'b1', 'W2', 'T', 'H', 'Z']) {
        expectSameChanges(graph.objective(wrt, inputs), graph.objective(wrt, inputs, { incremental: false }), rng);
      }
    }
  });

  test('keeps a step it cannot split as one node that runs its formula, and full evaluation through it', () => {
    const problem = compileQuestion({
      ...TANH_MSE,
      inputs: [...TANH_MSE.inputs.slice(0, 4), { name: 'c', shape: ['N'], domain: { kind: 'labels', classes: 'K' } }],
      let: [...TANH_MSE.let, { name: 'P', formula: 'softmax(Z, 2)' }],
      loss: '-sum(log(P) .* onehot(c, K)) / N',
    }, { wrt: ['W1', 'P'] });
    const graph = problem.forward({ N: 2, D: 3, Hd: 2, K: 3 });
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    expect(byName.get('P')!.incremental).toBeUndefined();
    expect(byName.get('P')!.args).toEqual(['Z']);
    const inputs = sampleInputs(problem, { N: 2, D: 3, Hd: 2, K: 3 }, 4);
    expect(graph.objective('W1', inputs).incremental).toBe(false);
    // Below the softmax, the loss is incremental in P.
    expect(graph.objective('P', inputs).incremental).toBe(true);
  });

  test('names hidden nodes around the names the question uses', () => {
    const problem = compileQuestion({ ...TANH_MSE, let: [{ name: 'H', formula: 'tanh(X * W1 + b1)' }, { name: 'H__1', formula: 'H * W2' }], loss: 'sum(H__1 .* T)' }, EVERY_NAME);
    const names = problem.forward({ N: 2, D: 2, Hd: 2, K: 2 }).nodes.map((n) => n.name);
    expect(names).toEqual(['H__2', 'H__3', 'H', 'H__1', 'L']);
    expect(problem.forward({ N: 2, D: 2, Hd: 2, K: 2 }).nodes.map((n) => n.args.join(','))).toEqual(['X,W1', 'H__2,b1', 'H__3', 'H,W2', 'H__1,T']);
  });

  test('scales by constants and dimension expressions, and maps with one constant operand', () => {
    const problem = compileQuestion({ ...TANH_MSE, let: [{ name: 'H', formula: '(1 - tanh(X * W1).^2) / (2*N - 1)' }], loss: 'sum(H .^ 2) * pi' }, EVERY_NAME);
    const dims = { N: 3, D: 2, Hd: 4, K: 2 };
    const graph = problem.forward(dims);
    expect(graph.nodes.map((n) => [n.name, n.incremental !== undefined])).toEqual([
      ['H__1', true],
      ['H__2', true],
      ['H__3', true],
      ['H__4', true],
      ['H', true],
      ['L__1', true],
      ['L', true],
    ]);
    const inputs = sampleInputs(problem, dims, 9);
    const rng = new Rng(3);
    for (const wrt of ['X', 'W1']) expectSameChanges(graph.objective(wrt, inputs), graph.objective(wrt, inputs, { incremental: false }), rng);
  });

  test('gives conv2d, corr2 (valid and full, a matrix kernel) and avgpool2 steps their rules, equal to full re-evaluation', () => {
    const layers = compileQuestion({
      id: 'layers',
      title: 'layers',
      statement: '',
      dims: [{ name: 'N', range: [1, 2] }, { name: 'C', range: [1, 2] }, { name: 'F', range: [1, 3] }, { name: 'H', range: [2, 4] }, { name: 'M', range: [1, 3] }],
      inputs: [
        { name: 'X', shape: ['N', 'C', '2*H', '2*H'], domain: normal },
        { name: 'K', shape: ['F', 'C', 3, 3], domain: normal },
        { name: 'A', shape: ['2*M', '2*M'], domain: normal },
        { name: 'B', shape: [3, 3], domain: normal },
        { name: 'G', shape: ['N', 'F', 'H-1', 'H-1'], domain: normal },
        { name: 'R', shape: ['M+1', 'M+1'], domain: normal },
      ],
      let: [
        { name: 'Y', formula: 'conv2d(X, K)' },
        { name: 'S', formula: "sigmoid(corr2(A, B, 'full'))" },
        { name: 'P', formula: 'avgpool2(S)' },
      ],
      loss: 'sum(G .* avgpool2(Y)) + sum(R .* P)',
      targets: [],
      examples: [],
    }, { wrt: ['X', 'K', 'A', 'B', 'Y', 'S', 'P'] });
    const rng = new Rng(5);
    for (const dims of [{ N: 1, C: 1, F: 1, H: 2, M: 1 }, { N: 2, C: 2, F: 3, H: 3, M: 2 }]) {
      const graph = layers.forward(dims);
      expect(graph.nodes.every((n) => n.incremental !== undefined)).toBe(true);
      const inputs = sampleInputs(layers, dims, rng.int(0, 1000));
      for (const wrt of ['X', 'K', 'A', 'B', 'Y', 'S', 'P']) expectSameChanges(graph.objective(wrt, inputs), graph.objective(wrt, inputs, { incremental: false }), rng);
    }
  });

  test('declares the kinks of a step with pieces (relu, comparisons) to FD, which then evaluates through it in full', () => {
    const problem = compileQuestion({ ...TANH_MSE, let: [{ name: 'H', formula: 'relu(X * W1 + b1)' }, { name: 'Z', formula: 'H * W2' }] }, { wrt: ['b1', 'Z'] });
    const dims = { N: 3, D: 2, Hd: 4, K: 2 };
    const graph = problem.forward(dims);
    const byName = new Map(graph.nodes.map((n) => [n.name, n]));
    // X * W1 + b1 is one node again: no path through it can be incremental, so splitting it would only add evaluations.
    expect(graph.nodes.map((n) => n.name)).toEqual(['H', 'Z', 'L__1', 'L__2', 'L__3', 'L']);
    expect(byName.get('H')!.pieces).toBeDefined();
    expect(byName.get('H')!.incremental).toBeUndefined();
    expect([...byName.values()].filter((n) => n.pieces !== undefined).map((n) => n.name)).toEqual(['H']);
    // A pre-activation within the FD step of 0: a move across it is a kink, not a slope.
    const inputs = sampleInputs(problem, dims, 2);
    const b1 = Tensor.fromNested([[1e-12, 1, -1, 2]]);
    const objective = graph.objective('b1', { ...inputs, W1: Tensor.zeros([2, 4]), b1 });
    expect(objective.incremental).toBe(false);
    const move = new SparseChange(1);
    move.push(0, -1e-6, 0);
    const change = newLossChange();
    objective.change(move, change);
    expect(change.crossedKink).toBe(true);
  });
});


import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/tensor/index.js';
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

describe('the forward graph of a question', () => {
  test('splits each step into the operations the incremental evaluator knows, named after the step', () => {
    const graph = compileQuestion(TANH_MSE).forward({ N: 3, D: 2, Hd: 4, K: 2 });
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
    const problem = compileQuestion(TANH_MSE);
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
    });
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
    const problem = compileQuestion({ ...TANH_MSE, let: [{ name: 'H', formula: 'tanh(X * W1 + b1)' }, { name: 'H__1', formula: 'H * W2' }], loss: 'sum(H__1 .* T)' });
    const names = problem.forward({ N: 2, D: 2, Hd: 2, K: 2 }).nodes.map((n) => n.name);
    expect(names).toEqual(['H__2', 'H__3', 'H', 'H__1', 'L']);
    expect(problem.forward({ N: 2, D: 2, Hd: 2, K: 2 }).nodes.map((n) => n.args.join(','))).toEqual(['X,W1', 'H__2,b1', 'H__3', 'H,W2', 'H__1,T']);
  });

  test('scales by constants and dimension expressions, and maps with one constant operand', () => {
    const problem = compileQuestion({ ...TANH_MSE, let: [{ name: 'H', formula: '(1 - tanh(X * W1).^2) / (2*N - 1)' }], loss: 'sum(H .^ 2) * pi' });
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
});

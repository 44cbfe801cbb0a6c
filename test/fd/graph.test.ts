import { describe, expect, test } from 'vitest';
import { Graph, GraphError, checkGradient, halfSquaredErrorIncremental, jacobian, matmulIncremental, FdArgumentError } from '../../src/fd/index.js';
import { matmul } from '../../src/tensor/matmul.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';

const halfSquared = (y: Tensor, t: Tensor) => Tensor.scalar(y.data.reduce((s, v, i) => s + 0.5 * (v - t.data[i]!) ** 2, 0));
const dense = new Graph({
  inputs: ['X', 'W', 'T'],
  nodes: [
    // Declared out of order: the graph sorts them.
    { name: 'L', args: ['Y', 'T'], op: halfSquared, incremental: halfSquaredErrorIncremental },
    { name: 'Y', args: ['X', 'W'], op: (x, w) => matmul(x, w), incremental: matmulIncremental },
  ],
  output: 'L',
});
const rng = new Rng(21);
const inputs = { X: sample.normal(rng, [4, 3]), W: sample.normal(rng, [3, 2]), T: sample.normal(rng, [4, 2]) };

describe('forward graphs', () => {
  test('evaluate returns every node value in topological order of computation', () => {
    const values = dense.evaluate(inputs);
    expect(dense.nodes.map((n) => n.name)).toEqual(['Y', 'L']);
    expect(values.Y!.shape).toEqual([4, 2]);
    let loss = 0;
    for (let i = 0; i < 8; i++) loss += 0.5 * (values.Y!.data[i]! - inputs.T.data[i]!) ** 2;
    expect(dense.loss(inputs)).toBe(loss);
  });

  test.each([true, false])('differentiates the loss with respect to an intermediate: ∂L/∂Y = Y − T (incremental = %s)', (incremental) => {
    const objective = dense.objective('Y', inputs, { incremental });
    const Y = dense.evaluate(inputs).Y!;
    const verdict = checkGradient(objective, new Tensor(Y.data.map((v, i) => v - inputs.T.data[i]!), Y.shape));
    expect(verdict.status).toBe('pass');
  });

  test('malformed graphs and bad requests are GraphErrors that say how to fix them', () => {
    const op = (a: Tensor) => a;
    expect(() => new Graph({ inputs: ['x'], nodes: [{ name: 'a', args: ['b'], op }, { name: 'b', args: ['a'], op }], output: 'a' })).toThrow(/cycle \(a → b → a\)/);
    expect(() => new Graph({ inputs: ['x'], nodes: [{ name: 'a', args: ['y'], op }], output: 'a' })).toThrow(/argument 'y' is neither an input nor a node/);
    expect(() => new Graph({ inputs: ['x'], nodes: [{ name: 'x', args: ['x'], op }], output: 'x' })).toThrow(GraphError);
    expect(() => new Graph({ inputs: ['x'], nodes: [], output: 'z' })).toThrow(/is the output but is not defined/);
    expect(() => dense.evaluate({ X: inputs.X, W: inputs.W })).toThrow(/'T'.*input without a value/);
    expect(() => dense.evaluate({ ...inputs, Z: inputs.X })).toThrow(/does not declare it/);
    expect(() => dense.objective('Q', inputs)).toThrow(/not an input or node/);
    const vector = new Graph({ inputs: ['x'], nodes: [{ name: 'y', args: ['x'], op }], output: 'y' });
    expect(() => vector.objective('x', { x: Tensor.zeros([3]) })).toThrow(/use restrict \+ jacobian/);
  });

  test('integer labels are not differentiable', () => {
    const labels = Tensor.labels([3], [1, 2, 1]);
    const g = new Graph({ inputs: ['y'], nodes: [{ name: 'L', args: ['y'], op: (y) => Tensor.scalar(y.data[0]!) }], output: 'L' });
    expect(() => g.objective('y', { y: labels })).toThrow(FdArgumentError);
  });
});

describe('Jacobians of vector-valued maps', () => {
  test('∂h₁/∂h₀ of a tanh RNN step h₁ = tanh(Wₕ·h₀ + Wₓ·x) is diag(1 − h₁²)·Wₕ', () => {
    const r = new Rng(8);
    const rnn = new Graph({
      inputs: ['h0', 'x', 'Wh', 'Wx'],
      nodes: [
        { name: 'a', args: ['Wh', 'h0', 'Wx', 'x'], op: (wh, h, wx, x) => { const s = matmul(wh, h); const t = matmul(wx, x); return new Tensor(s.data.map((v, i) => v + t.data[i]!), s.shape); } },
        { name: 'h1', args: ['a'], op: (a) => new Tensor(a.data.map(Math.tanh), a.shape) },
      ],
      output: 'h1',
    });
    const values = { h0: sample.normal(r, [4, 1]), x: sample.normal(r, [3, 1]), Wh: sample.normal(r, [4, 4], 0, 0.5), Wx: sample.normal(r, [4, 3]) };
    const h1 = rnn.evaluate(values).h1!;
    const estimate = jacobian(rnn.restrict('h0', values, 'h1'), values.h0.clone());
    expect(estimate.value.shape).toEqual([4, 4]);
    expect(estimate.outputShape).toEqual([4, 1]);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      const exact = (1 - h1.data[i]! ** 2) * values.Wh.data[i * 4 + j]!;
      expect(estimate.status[i * 4 + j]).toBe('smooth');
      expect(Math.abs(estimate.value.get(i, j) - exact)).toBeLessThanOrEqual(estimate.error.get(i, j));
      expect(estimate.error.get(i, j)).toBeLessThan(1e-10);
    }
  });

  test('a Jacobian of a linear map is its matrix, for every entry of a strided input', () => {
    const A = sample.normal(new Rng(2), [3, 5]);
    const x = sample.normal(new Rng(3), [5, 2]).slice([null, 1]); // a column view with stride 2
    const estimate = jacobian((v) => matmul(A, v.reshape([5, 1])), x);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) expect(Math.abs(estimate.value.get(i, j) - A.get(i, j))).toBeLessThanOrEqual(estimate.error.get(i, j) + 1e-15);
  });
});

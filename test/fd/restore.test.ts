import { describe, expect, test } from 'vitest';
import { Graph, checkGradient, estimateGradient, functionObjective, jacobian, matmulIncremental, halfSquaredErrorIncremental } from '../../src/fd/index.js';
import { matmul } from '../../src/tensor/matmul.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** The bytes of a tensor's whole storage: restoring "bit-exactly" means these are unchanged. */
const bytesOf = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer.slice(0)));

/** Values whose bits a careless restore (x + h − h) would change: −0, a subnormal, huge and tiny magnitudes, a value with all mantissa bits set. */
const awkward = [-0, 5e-324, 1e300, -1e-300, 0.1, 1 - Number.EPSILON / 2, 123456.789, -7e-11];

describe('inputs are perturbed in place and restored bit-exactly', () => {
  test('a plain function objective, full gradient', () => {
    const x = Tensor.fromArray([8], awkward);
    const before = bytesOf(x);
    estimateGradient(functionObjective((t) => t.data.reduce((s, v) => s + Math.sin(v) * Math.tanh(v), 0), x));
    expect(bytesOf(x)).toEqual(before);
    expect(Object.is(x.data[0], -0)).toBe(true);
  });

  test('a strided view (a transpose) of a larger buffer, in screen mode too', () => {
    const base = sample.normal(new Rng(1), [4, 6]);
    const view = base.transpose();
    const before = bytesOf(base);
    const f = (t: Tensor) => {
      let s = 0;
      t.forEachOffset((off, k) => (s += Math.cos(t.data[off]!) * (k + 1)));
      return s;
    };
    const objective = functionObjective(f, view);
    estimateGradient(objective);
    checkGradient(objective, Tensor.zeros(view.shape), { mode: 'screen' });
    expect(bytesOf(base)).toEqual(before);
  });

  test('when f throws at a perturbed point, the input is restored and the error propagates', () => {
    const x = Tensor.fromArray([8], awkward);
    const before = bytesOf(x);
    const original = x.data[3];
    const f = (t: Tensor) => {
      if (t.data[3] !== original) throw new Error('refuses to move x[3]');
      return t.data.reduce((s, v) => s + v, 0);
    };
    expect(() => estimateGradient(functionObjective(f, x), [3])).toThrow('refuses to move x[3]');
    expect(bytesOf(x)).toEqual(before);
  });

  test('graph inputs and intermediates, evaluated in full and incrementally, and Jacobians', () => {
    const rng = new Rng(4);
    const inputs = { X: Tensor.fromArray([2, 4], awkward), W: sample.normal(rng, [4, 3]), T: sample.normal(rng, [2, 3]) };
    const graph = new Graph({
      inputs: ['X', 'W', 'T'],
      nodes: [
        { name: 'Y', args: ['X', 'W'], op: (x, w) => matmul(x, w), incremental: matmulIncremental },
        { name: 'L', args: ['Y', 'T'], op: (y, t) => Tensor.scalar(y.data.reduce((s, v, i) => s + 0.5 * (v - t.data[i]!) ** 2, 0)), incremental: halfSquaredErrorIncremental },
      ],
      output: 'L',
    });
    const before = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, bytesOf(v)]));
    for (const incremental of [true, false]) {
      for (const wrt of ['W', 'Y']) {
        const objective = graph.objective(wrt, inputs, { incremental });
        const point = bytesOf(objective.point);
        estimateGradient(objective);
        expect(bytesOf(objective.point)).toEqual(point);
      }
    }
    jacobian(graph.restrict('W', inputs, 'Y'), inputs.W);
    for (const [name, t] of Object.entries(inputs)) expect(bytesOf(t), name).toEqual(before[name]);
  });
});

import { describe, expect, test } from 'vitest';
import { type Declarations, compileFormula, parseFormula } from '../../src/formula/index.js';
import { Rng, type Tensor, sample } from '../../src/tensor/index.js';

/**
 * Loss formulas are scalar formulas: compiled with the same declarations as a gradient formula, central
 * differences of the loss (written here, step h) must match the gradient. This is what the CLI's
 * `check --loss --grad` does with the FD engine.
 */

/** Central-difference step: truncation error O(h²) ≈ 1e-10 against rounding ε/h ≈ 1e-11 on O(1) losses. */
const STEP = 1e-5;
/** Agreement expected from that step on smooth O(1) losses. */
const TOLERANCE = 1e-6;

const DECLARATIONS: Declarations = {
  dims: ['N', 'D', 'M', 'K'],
  symbols: [
    { name: 'X', shape: ['N', 'D'] },
    { name: 'W', shape: ['D', 'M'] },
    { name: 'T', shape: ['N', 'M'] },
    { name: 'w', shape: ['D'] },
    { name: 'z', shape: ['N', 'K'] },
    { name: 'p', shape: ['N', 'K'] },
    { name: 'c', shape: ['N'], dtype: 'index' },
  ],
};

function centralDifference(loss: (values: Record<string, Tensor>) => number, values: Record<string, Tensor>, name: string): Float64Array {
  const x = values[name]!;
  const out = new Float64Array(x.size);
  for (let k = 0; k < x.size; k++) {
    const saved = x.data[k]!;
    x.data[k] = saved + STEP;
    const up = loss(values);
    x.data[k] = saved - STEP;
    const down = loss(values);
    x.data[k] = saved;
    out[k] = (up - down) / (2 * STEP);
  }
  return out;
}

const CASES: readonly (readonly [string, string, string, (string | number)[]])[] = [
  ['logistic', 'sum(log(1 + exp(X * w)))', "X' * sigmoid(X * w)", ['D']],
  ['softmax cross-entropy', '-sum(p .* log(softmax(z, 2)))', 'softmax(z, 2) .* sum(p, 2) - p', ['N', 'K']],
  ['softmax cross-entropy with labels', '-sum(onehot(c, K) .* log(softmax(z, 2)))', 'dz[i,j] = exp(z[i,j]) / sum(exp(z[i,k]), k) - delta(j, c[i])', ['N', 'K']],
  ['least squares', '0.5 * sum((X*W - T).^2)', "X' * (X * W - T)", ['D', 'M']],
  ['least squares in index notation', '0.5 * sum((X*W - T).^2)', 'dW[i,j] = sum(X[n,i] * (sum(X[n,k] * W[k,j], k) - T[n,j]), n)', ['D', 'M']],
];

const WRT: Readonly<Record<string, string>> = { logistic: 'w', 'softmax cross-entropy': 'z', 'softmax cross-entropy with labels': 'z', 'least squares': 'W', 'least squares in index notation': 'W' };

describe('a loss formula and a gradient formula compiled with the same declarations agree under FD', () => {
  test.each(CASES)('%s', (label, lossText, gradText, target) => {
    const dims = { N: 4, D: 3, M: 2, K: 3 };
    const rng = new Rng(21);
    const values: Record<string, Tensor> = {
      X: sample.normal(rng, [4, 3]),
      W: sample.normal(rng, [3, 2]),
      T: sample.normal(rng, [4, 2]),
      w: sample.normal(rng, [3]),
      z: sample.normal(rng, [4, 3]),
      p: sample.simplexRows(rng, [4, 3]),
      c: sample.labels(rng, [4], 3),
    };
    const loss = compileFormula(parseFormula(lossText, { declarations: DECLARATIONS }), DECLARATIONS, { targetShape: [] });
    const grad = compileFormula(parseFormula(gradText, { declarations: DECLARATIONS }), DECLARATIONS, { targetShape: target });
    const fd = centralDifference((v) => loss(v, dims).item(), values, WRT[label]!);
    const exact = grad(values, dims).toArray();
    expect(exact.length).toBe(fd.length);
    exact.forEach((g, k) => expect(Math.abs(g - fd[k]!)).toBeLessThan(TOLERANCE * Math.max(1, Math.abs(g))));
  });
});

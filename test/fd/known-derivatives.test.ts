import { describe, expect, test } from 'vitest';
import { CONTRACTION, RichardsonTableau, estimateGradient, firstStep, functionObjective } from '../../src/fd/index.js';
import { Rng, sample } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { timesTranspose, transposeTimes } from './reference.js';

/** Every estimate must be within its own error bound of the closed form, and that bound tight relative to the gradient's scale. */
function expectWithinBounds(estimate: { value: Float64Array; error: Float64Array; status: string[] }, exact: ArrayLike<number>, relative: number) {
  const scale = Math.max(...Array.from(exact, Math.abs));
  for (let i = 0; i < exact.length; i++) {
    expect(estimate.status[i]).toBe('smooth');
    expect(Math.abs(estimate.value[i]! - exact[i]!)).toBeLessThanOrEqual(estimate.error[i]!);
    expect(estimate.error[i]!).toBeLessThanOrEqual(relative * scale);
  }
}

describe('step rule and Richardson ladder', () => {
  test('the first rung is the power of two nearest 512·ε^(1/3)·max(1, |x|)', () => {
    expect(firstStep(0)).toBe(2 ** -8);
    expect(firstStep(-0.5)).toBe(2 ** -8);
    expect(firstStep(1000)).toBe(2 ** Math.round(Math.log2(512 * Math.cbrt(Number.EPSILON) * 1000)));
    for (const x of [3, -17.5, 1e6, 1e-9]) expect(Number.isInteger(Math.log2(firstStep(x)))).toBe(true);
  });

  test('extrapolates A(h) = 2 + 3h² − 5h⁴ + h⁶ to A(0) = 2 exactly enough, with an error estimate that covers it', () => {
    const tableau = new RichardsonTableau(2, CONTRACTION, 8);
    let h = 0.25;
    for (let k = 0; k < 6; k++, h *= CONTRACTION) tableau.push({ estimate: 2 + 3 * h ** 2 - 5 * h ** 4 + h ** 6, roundoff: 0 });
    expect(Math.abs(tableau.value - 2)).toBeLessThanOrEqual(1e-14);
    expect(Math.abs(tableau.value - 2)).toBeLessThanOrEqual(tableau.bound);
  });

  test('a one-sided ladder (power 1) extrapolates A(h) = 1 + h − h² + h³ to 1', () => {
    const tableau = new RichardsonTableau(1, CONTRACTION, 8);
    let h = 0.125;
    for (let k = 0; k < 7; k++, h *= CONTRACTION) tableau.push({ estimate: 1 + h - h * h + h ** 3, roundoff: 0 });
    expect(Math.abs(tableau.value - 1)).toBeLessThanOrEqual(Math.max(tableau.bound, 1e-15));
    expect(tableau.bound).toBeLessThan(1e-9);
  });
});

describe('known derivatives', () => {
  const rng = new Rng(2024);

  test('polynomial: d/dx (x³ − 2x² + x − 7) = 3x² − 4x + 1', () => {
    const x = sample.uniform(rng, [40], -10, 10);
    const f = (t: Tensor) => t.data.reduce((s, v) => s + (v ** 3 - 2 * v * v + v - 7), 0);
    expectWithinBounds(estimateGradient(functionObjective(f, x)), x.data.map((v) => 3 * v * v - 4 * v + 1), 1e-10);
  });

  test('exp: d/dx Σ exp(x) = exp(x)', () => {
    const x = sample.normal(rng, [30], 0, 3);
    const f = (t: Tensor) => t.data.reduce((s, v) => s + Math.exp(v), 0);
    expectWithinBounds(estimateGradient(functionObjective(f, x)), x.data.map(Math.exp), 1e-10);
  });

  test('log: d/dx Σ log(x) = 1/x, also at x = 0.003 where the coarse rungs step out of the domain', () => {
    const x = Tensor.fromArray([6], [0.003, 0.05, 0.7, 1, 3.5, 120]);
    const f = (t: Tensor) => t.data.reduce((s, v) => s + Math.log(v), 0);
    const estimate = estimateGradient(functionObjective(f, x));
    for (let i = 0; i < 6; i++) {
      expect(estimate.status[i]).toBe('smooth');
      expect(Math.abs(estimate.value[i]! - 1 / x.data[i]!)).toBeLessThanOrEqual(Math.max(estimate.error[i]!, 1e-10 / x.data[i]!));
    }
  });

  test('matrix product: ∂/∂A Σ G.*(A·B) = G·Bᵀ and ∂/∂B = Aᵀ·G', () => {
    const A = sample.normal(rng, [4, 6]);
    const B = sample.normal(rng, [6, 3]);
    const G = sample.normal(rng, [4, 3]);
    const loss = (a: Tensor, b: Tensor) => {
      let s = 0;
      for (let r = 0; r < 4; r++) for (let c = 0; c < 3; c++) for (let i = 0; i < 6; i++) s += G.data[r * 3 + c]! * a.data[r * 6 + i]! * b.data[i * 3 + c]!;
      return s;
    };
    expectWithinBounds(estimateGradient(functionObjective((a) => loss(a, B), A)), timesTranspose(G.data, B.data, 4, 3, 6), 1e-10);
    expectWithinBounds(estimateGradient(functionObjective((b) => loss(A, b), B)), transposeTimes(A.data, G.data, 4, 6, 3), 1e-10);
  });
});

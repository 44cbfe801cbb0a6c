import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Rng, TensorArgumentError, sample } from '../../src/tensor/index.js';
import { FC_OPTIONS, shape } from './arbitraries.js';

/**
 * Moment checks draw 20 000 values: the standard error of a mean is σ/√n = σ/141, so a 5σ band is
 * 0.0354σ; for the variance (normal data, sd √2σ²/√n) 5σ is 0.05σ². The bands below are those 5σ bands
 * rounded up; a fixed seed makes the test deterministic anyway.
 */
const DRAWS = 20_000;

function moments(values: Float64Array): { mean: number; variance: number } {
  let s = 0;
  for (const v of values) s += v;
  const mean = s / values.length;
  let q = 0;
  for (const v of values) q += (v - mean) ** 2;
  return { mean, variance: q / (values.length - 1) };
}

describe('Rng', () => {
  test('the same seed gives the same tensors; a different seed gives different ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), shape(1, 3), (seed, s) => {
        const a = sample.normal(new Rng(seed), s);
        const b = sample.normal(new Rng(seed), s);
        const c = sample.normal(new Rng(seed + 1), s);
        expect(Array.from(a.data)).toEqual(Array.from(b.data));
        expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
      }),
      FC_OPTIONS,
    );
  });

  test('seeds that share their low 32 bits still give different streams', () => {
    const streams = [1, 2 ** 32 + 1, 2 ** 40 + 1].map((seed) => new Rng(seed).nextUint32());
    expect(new Set(streams).size).toBe(3);
  });

  test('derive gives reproducible sub-streams that differ by label', () => {
    const a = Rng.derive(7, 1, 2).next();
    expect(Rng.derive(7, 1, 2).next()).toBe(a);
    expect(Rng.derive(7, 2, 1).next()).not.toBe(a);
    expect(Rng.derive(8, 1, 2).next()).not.toBe(a);
  });

  test('seeds outside [0, 2^53) and non-integers are rejected', () => {
    expect(() => new Rng(-1)).toThrow(TensorArgumentError);
    expect(() => new Rng(0.5)).toThrow(TensorArgumentError);
    expect(() => Rng.derive(2 ** 53, 1)).toThrow(TensorArgumentError);
  });

  test('uniform values lie in [lo, hi) with mean (lo+hi)/2 and variance (hi−lo)²/12', () => {
    const u = sample.uniform(new Rng(11), [DRAWS], -2, 4).data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(4);
    const { mean, variance } = moments(u);
    // σ = 6/√12 ≈ 1.73: 5σ bands are 0.061 on the mean and 0.15 on the variance (3).
    expect(Math.abs(mean - 1)).toBeLessThan(0.07);
    expect(Math.abs(variance - 3)).toBeLessThan(0.15);
  });

  test('normal values have the requested mean and standard deviation', () => {
    const z = sample.normal(new Rng(12), [DRAWS], 3, 2).data;
    const { mean, variance } = moments(z);
    expect(Math.abs(mean - 3)).toBeLessThan(0.075); // 5σ = 5·2/141
    expect(Math.abs(variance - 4)).toBeLessThan(0.2); // 5σ = 5·√2·4/141
  });

  test('integers are uniform on [lo, hi] inclusive', () => {
    const v = sample.integers(new Rng(13), [DRAWS], -1, 2).data;
    const counts = new Map<number, number>();
    for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([-1, 0, 1, 2]);
    // Each count is Binomial(20000, 1/4): sd 61, so ±400 is beyond 6σ.
    for (const c of counts.values()) expect(Math.abs(c - DRAWS / 4)).toBeLessThan(400);
  });
});

describe('samplers with a domain', () => {
  test('simplex rows are positive and sum to 1', () => {
    fc.assert(
      fc.property(fc.nat(), shape(1, 3), (seed, s) => {
        const t = sample.simplexRows(new Rng(seed), s);
        const k = s[s.length - 1]!;
        for (let r = 0; r < t.size; r += k) {
          let total = 0;
          for (let j = 0; j < k; j++) {
            expect(t.data[r + j]).toBeGreaterThan(0);
            total += t.data[r + j]!;
          }
          expect(Math.abs(total - 1)).toBeLessThan(1e-15 * k + 1e-15);
        }
      }),
      FC_OPTIONS,
    );
  });

  test('labels are integers in 1..k tagged index, and every class occurs', () => {
    const t = sample.labels(new Rng(5), [2000], 7);
    expect(t.dtype).toBe('index');
    expect(t.data.every((y) => Number.isInteger(y) && y >= 1 && y <= 7)).toBe(true);
    expect(new Set(t.data).size).toBe(7);
  });

  test('awayFromZero keeps every value at least the margin from 0', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, margin) => {
        const t = sample.awayFromZero(new Rng(seed), [200], margin);
        const closest = Math.min(...Array.from(t.data, Math.abs));
        expect(closest).toBeGreaterThanOrEqual(margin);
      }),
      FC_OPTIONS,
    );
  });

  test('positive values are positive; one-hot rows hold exactly one 1', () => {
    expect(sample.positive(new Rng(3), [1000]).data.every((x) => x > 0)).toBe(true);
    const h = sample.oneHotRows(new Rng(4), [50, 6]);
    for (let r = 0; r < 50; r++) {
      const row = Array.from(h.data.subarray(r * 6, r * 6 + 6));
      expect(row.filter((x) => x === 1)).toHaveLength(1);
      expect(row.filter((x) => x === 0)).toHaveLength(5);
    }
  });
});

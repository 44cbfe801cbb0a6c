import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dimsArbitrary } from '../../src/problem/dims.js';
import type { Dims } from '../../src/problem/types.js';

/** The counterexample fast-check shrinks to when `fails` says which dims fail, from a run with `seed`. */
function shrunk(fails: (d: Dims) => boolean, seed: number, names = ['N', 'D', 'M']): Dims | undefined {
  const result = fc.check(fc.property(dimsArbitrary(names), (d) => !fails(d)), { seed, numRuns: 100 });
  return result.counterexample?.[0];
}

describe('dims shrink to the smallest sizes that still fail', () => {
  test('a claim that fails everywhere shrinks to all ones, from every seed (distinct draws included)', () => {
    for (let seed = 0; seed < 40; seed++) expect(shrunk(() => true, seed), `seed ${seed}`).toEqual({ N: 1, D: 1, M: 1 });
  });

  test('a 1/N mistake (invisible at N = 1) shrinks to N = 2 and every other size 1', () => {
    for (let seed = 0; seed < 40; seed++) expect(shrunk((d) => d['N']! >= 2, seed), `seed ${seed}`).toEqual({ N: 2, D: 1, M: 1 });
  });

  test('a mistake that needs two sizes to differ shrinks to sizes 1 and 2', () => {
    for (let seed = 0; seed < 40; seed++) {
      const d = shrunk((x) => x['D'] !== x['M'], seed)!;
      expect(d['N'], `seed ${seed}`).toBe(1);
      expect([d['D'], d['M']].sort(), `seed ${seed}`).toEqual([1, 2]);
    }
  });

  test('draws are still pairwise distinct four times in five, and size-1 edge cases occur', () => {
    const draws = fc.sample(dimsArbitrary(['N', 'D', 'M']), { seed: 3, numRuns: 2000 });
    const distinct = draws.filter((d) => new Set(Object.values(d)).size === 3 && Object.values(d).every((v) => v >= 2)).length / draws.length;
    expect(distinct).toBeGreaterThan(0.75);
    expect(draws.some((d) => Object.values(d).every((v) => v === 1))).toBe(true);
  });
});

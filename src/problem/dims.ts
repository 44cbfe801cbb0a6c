import fc from 'fast-check';
import { hasName, nameRecord } from '../names/records.js';
import type { Dims, Problem } from './types.js';

export interface DimsOptions {
  /** Smallest and largest size of the distinct draws (default 2..6: small enough for full FD sweeps). */
  readonly min?: number;
  readonly max?: number;
  /** Sizes that must be drawn from a fixed set (a pooling input side that must be even, ...). */
  readonly fixed?: Readonly<Record<string, fc.Arbitrary<number>>>;
}

/**
 * Weight of distinct sizes against the edge-case draw. Distinct sizes make a transposed or
 * mis-multiplied formula fail the shape check or the values (X'Y and XY' coincide when N = D = M);
 * one draw in five allows repeats and size 1, where broadcasting and squeezing mistakes show.
 */
const DISTINCT_WEIGHT = 4;
const EDGE_WEIGHT = 1;

/**
 * Sizes for a problem's named dimensions: pairwise distinct in [min, max] most of the time, and
 * otherwise any sizes in [1, min + 2] (size-1 edge cases). Shrinks towards the smallest sizes.
 */
export function dimsArbitrary(names: readonly string[], options: DimsOptions = {}): fc.Arbitrary<Dims> {
  const fixed = Object.entries(options.fixed ?? {});
  const free = names.filter((n) => !hasName(options.fixed, n));
  const min = options.min ?? 2;
  // Room for 2n values keeps the chance that n independent draws are distinct above ~40%.
  const max = Math.max(options.max ?? 6, min + 2 * free.length - 1);
  // Independent integers filtered for distinctness (not fc.uniqueArray): each size then shrinks on its
  // own towards `min`, so counterexamples come out at the smallest distinct sizes.
  const distinct = fc
    .tuple(...free.map(() => fc.integer({ min, max })))
    .filter((sizes) => new Set(sizes).size === sizes.length);
  const edge = fc.array(fc.integer({ min: 1, max: min + 2 }), { minLength: free.length, maxLength: free.length });
  // A tuple, not fc.record: the sizes go into a prototype-free record, where any dimension name is data.
  const fixedSizes = fc.tuple(...fixed.map(([, arbitrary]) => arbitrary));
  return fc
    .tuple(fc.oneof({ weight: DISTINCT_WEIGHT, arbitrary: distinct }, { weight: EDGE_WEIGHT, arbitrary: edge }), fixedSizes)
    .map(([sizes, fixedValues]) => nameRecord([...fixed.map(([n], i): [string, number] => [n, fixedValues[i]!]), ...free.map((n, i): [string, number] => [n, sizes[i]!])]));
}

/**
 * A problem's dimension draws as prototype-free records (nameRecord): a module's own arbitrary may
 * build plain objects, and every sample, in this thread or after a worker's structured clone, then
 * holds its dims the same way.
 */
export function drawnDims(problem: Problem): fc.Arbitrary<Dims> {
  return problem.dims.arbitrary.map((dims) => nameRecord(Object.entries(dims)));
}

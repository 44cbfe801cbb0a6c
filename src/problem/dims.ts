import fc from 'fast-check';
import { hasName, nameRecord } from '../names/records.js';
import type { Dims, Problem } from './types.js';

export interface DimsOptions {
  /** Smallest and largest size of the distinct draws (default 2..6: small enough for full FD sweeps). */
  readonly min?: number;
  readonly max?: number;
  /** Sizes that must be drawn from a fixed set (a pooling input side that must be even, ...). */
  readonly fixed?: Readonly<Record<string, fc.Arbitrary<number>>>;
  /** A cap on the work of one sample (see withinBudget); the fixed sizes are never lowered. */
  readonly budget?: SampleBudget;
}

/** The entries of one sample (its inputs' total size, say) as a function of the sizes, and their cap. */
export interface SampleBudget {
  readonly entries: (dims: Dims) => number;
  readonly max: number;
}

/**
 * Weight of distinct sizes against the edge-case draw. Distinct sizes make a transposed or
 * mis-multiplied formula fail the shape check or the values (X'Y and XY' coincide when N = D = M);
 * one draw in five allows repeats and size 1, where broadcasting and squeezing mistakes show.
 */
const DISTINCT_WEIGHT = 4;
const EDGE_WEIGHT = 1;

/**
 * Sizes drawn by one arbitrary and shrunk by another. fast-check shrinks a value within the branch of
 * fc.oneof that drew it, and a filter stops shrinking wherever a smaller candidate breaks it: distinct
 * sizes (3, 2, 4) could never shrink to (2, 1, 1) or (1, 1, 1), where most mistakes show as well. So
 * draws come from `draw` (distinct sizes, or the edge cases), and every draw shrinks as free sizes in
 * [1, max] do, each towards 1 on its own: a counterexample ends at the smallest sizes that still fail.
 */
class SizesArbitrary extends fc.Arbitrary<number[]> {
  constructor(
    private readonly draw: fc.Arbitrary<number[]>,
    private readonly sizes: fc.Arbitrary<number[]>,
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<number[]> {
    return new fc.Value(this.draw.generate(mrng, biasFactor).value, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number[] {
    return this.sizes.canShrinkWithoutContext(value);
  }

  shrink(value: number[]): fc.Stream<fc.Value<number[]>> {
    return this.sizes.shrink(value, undefined);
  }
}

/**
 * Sizes for a problem's named dimensions: pairwise distinct in [min, max] most of the time, and
 * otherwise any sizes in [1, min + 2] (size-1 edge cases). Every size shrinks towards 1.
 */
export function dimsArbitrary(names: readonly string[], options: DimsOptions = {}): fc.Arbitrary<Dims> {
  const fixed = Object.entries(options.fixed ?? {});
  const free = names.filter((n) => !hasName(options.fixed, n));
  const min = options.min ?? 2;
  // Room for 2n values keeps the chance that n independent draws are distinct above ~40%.
  const max = Math.max(options.max ?? 6, min + 2 * free.length - 1);
  const distinct = fc
    .tuple(...free.map(() => fc.integer({ min, max })))
    .filter((sizes) => new Set(sizes).size === sizes.length);
  const edge = fc.array(fc.integer({ min: 1, max: min + 2 }), { minLength: free.length, maxLength: free.length });
  const draw = fc.oneof({ weight: DISTINCT_WEIGHT, arbitrary: distinct }, { weight: EDGE_WEIGHT, arbitrary: edge });
  const sizes = new SizesArbitrary(draw, fc.tuple(...free.map(() => fc.integer({ min: 1, max: Math.max(max, min + 2) }))));
  // A tuple, not fc.record: the sizes go into a prototype-free record, where any dimension name is data.
  const fixedSizes = fc.tuple(...fixed.map(([, arbitrary]) => arbitrary));
  return fc
    .tuple(sizes, fixedSizes)
    .map(([drawn, fixedValues]) => {
      const dims = nameRecord([...fixed.map(([n], i): [string, number] => [n, fixedValues[i]!]), ...free.map((n, i): [string, number] => [n, drawn[i]!])]);
      return options.budget ? withinBudget(dims, free, options.budget) : dims;
    });
}

/**
 * Lowers the free sizes until the sample's entries fit the budget: the largest first, one step at a
 * time, skipping sizes another free dimension holds (distinct sizes are what expose a transpose), never
 * below 1. FD checks every entry of a sample at a cost that grows with the sample's size, so a 4-D
 * input of distinct sizes up to 9 (3,024 entries) costs about 35× a budget of 512. When the fixed sizes
 * alone exceed the budget, the sample stays over it (the caller says so).
 */
function withinBudget(dims: Record<string, number>, free: readonly string[], budget: SampleBudget): Dims {
  while (budget.entries(dims) > budget.max) {
    let largest: string | undefined;
    for (const n of free) if (dims[n]! > 1 && (largest === undefined || dims[n]! > dims[largest]!)) largest = n;
    if (largest === undefined) break;
    const taken = new Set(free.filter((n) => n !== largest).map((n) => dims[n]));
    let next = dims[largest]! - 1;
    while (next > 1 && taken.has(next)) next--;
    dims[largest] = next;
  }
  return dims;
}

/**
 * A problem's dimension draws as prototype-free records (nameRecord): a module's own arbitrary may
 * build plain objects, and every sample, in this thread or after a worker's structured clone, then
 * holds its dims the same way.
 */
export function drawnDims(problem: Problem): fc.Arbitrary<Dims> {
  return problem.dims.arbitrary.map((dims) => nameRecord(Object.entries(dims)));
}

import fc from 'fast-check';
import { type Shape, Tensor, sizeOf } from '../../src/tensor/index.js';

/**
 * fast-check arbitraries for the tensor tests: dims → shapes → tensors → the same values behind a
 * strided view. Sizes stay small (≤ 5 per axis) so that hundreds of runs finish in well under a second,
 * and every dim can be 1 so that broadcasting and degenerate matrices are exercised.
 */

/** Property runs share one seed so that a failure reproduces; fast-check prints it with the counterexample. */
export const FC_OPTIONS = { seed: 0x5eed, verbose: true, numRuns: 150 } as const;

export const dim = (max = 5): fc.Arbitrary<number> => fc.integer({ min: 1, max });

export const shape = (minRank: number, maxRank: number, maxDim = 4): fc.Arbitrary<number[]> =>
  fc.array(dim(maxDim), { minLength: minRank, maxLength: maxRank });

/** Values in [-10, 10]: exact in sums of a few dozen terms to far below the tolerances used. */
export const values = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });

export const tensorOf = (s: Shape): fc.Arbitrary<Tensor> => values(sizeOf(s)).map((v) => Tensor.fromArray(s, v));

export const tensor = (minRank: number, maxRank: number, maxDim = 4): fc.Arbitrary<Tensor> =>
  shape(minRank, maxRank, maxDim).chain(tensorOf);

export type Layout = 'contiguous' | 'transposed' | 'sliced' | 'reversed';

/**
 * The values of `t` behind a different memory layout: 'transposed' stores the axes in reverse order
 * and reads them back through a transpose view, 'sliced' embeds t in a larger zero tensor (offset and
 * padded strides), 'reversed' stores the elements backwards and reads them with negative strides.
 */
export function withLayout(t: Tensor, layout: Layout): Tensor {
  switch (layout) {
    case 'contiguous':
      return t;
    case 'transposed':
      return t.transpose().clone().transpose();
    case 'sliced': {
      const big = Tensor.zeros(t.shape.map((d) => d + 2));
      const view = big.slice(t.shape.map((d) => [1, d + 1] as const));
      view.assign(t);
      return view;
    }
    case 'reversed': {
      const data = t.toArray().reverse();
      const strides = t.strides.map((s) => -s);
      return new Tensor(data, t.shape, strides, Math.max(0, t.size - 1));
    }
  }
}

export const layout: fc.Arbitrary<Layout> = fc.constantFrom('contiguous', 'transposed', 'sliced', 'reversed');

/** A tensor together with the same values behind a random layout. */
export const viewed = (minRank: number, maxRank: number, maxDim = 4): fc.Arbitrary<Tensor> =>
  fc.tuple(tensor(minRank, maxRank, maxDim), layout).map(([t, l]) => withLayout(t, l));

/**
 * How big a sample may be. Two caps: a hard one per input tensor (the formula language's maxElements,
 * 1e7 entries = 80 MB), checked before anything is allocated, and a soft budget on the entries of one
 * sample that the default dimension draws keep to (src/problem/dims.ts), because finite differences
 * check every entry at a cost that grows with the sample.
 */
import type { Dim } from '../formula/dims.js';
import { LimitExceededError } from '../formula/errors.js';
import { DEFAULT_LIMITS } from '../formula/limits.js';
import type { Dims } from './types.js';

/**
 * Entries per sample (all inputs together) that default draws keep to. FD costs about (entries)² ×
 * (evaluations per entry) per sample, as each perturbed entry re-evaluates the loss: a 4-D input of
 * distinct sizes up to 9 (3,024 entries) made a 100-run max-pool check take about a minute; at 512 the
 * same check takes seconds, and every 2-D and 3-D default draw (at most 7·6·5 = 210 entries per input)
 * keeps its distinct sizes.
 */
export const SAMPLE_ENTRIES_BUDGET = 512;

/** A declared input and its shape in dimension polynomials. */
export interface InputShape {
  readonly name: string;
  readonly shape: readonly Dim[];
}

function entriesOf(shape: readonly Dim[], sizes: ReadonlyMap<string, number>): number {
  return shape.reduce((product, d) => product * Math.max(0, d.evaluate(sizes)), 1);
}

/** The entries of a sample of `inputs` at given sizes. */
export function sampleEntries(inputs: readonly InputShape[]): (dims: Dims) => number {
  return (dims) => {
    const sizes = new Map(Object.entries(dims));
    return inputs.reduce((total, input) => total + entriesOf(input.shape, sizes), 0);
  };
}

/** `N=3, D=4`: dims as reports print them. */
function formatDims(dims: Dims): string {
  return Object.entries(dims)
    .map(([n, v]) => `${n}=${v}`)
    .join(', ');
}

/** Refuses an input tensor of more entries than a tensor may hold, before it is allocated. */
export function assertTensorSize(name: string, shape: readonly number[], dims: Dims): void {
  const entries = shape.reduce((product, d) => product * d, 1);
  if (entries > DEFAULT_LIMITS.maxElements) {
    throw new LimitExceededError(
      `input ${name} would be ${shape.join('×')} = ${entries.toExponential(2)} entries at ${formatDims(dims)}, more than the ${DEFAULT_LIMITS.maxElements} a tensor may hold`,
      undefined,
      'maxElements',
      'use smaller dimensions (--dims)',
    );
  }
}

/** `assertTensorSize` for every input at `dims`; returns the sample's entries. */
export function assertSampleSize(inputs: readonly InputShape[], dims: Dims): number {
  const sizes = new Map(Object.entries(dims));
  let total = 0;
  for (const input of inputs) {
    const shape = input.shape.map((d) => Math.max(0, d.evaluate(sizes)));
    assertTensorSize(input.name, shape, dims);
    total += shape.reduce((product, d) => product * d, 1);
  }
  return total;
}

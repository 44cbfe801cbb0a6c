/**
 * Ground truths shared between the formulas checked against the same target. FD is the expensive
 * half of a check (≈ 5 ms for a dense layer, 25 ms for softmax cross-entropy at sizes ≤ 6) and
 * evaluating a formula the cheap one (≈ 0.3 ms). The formulas of a target (its closed forms and known
 * mistakes in `verify`, every answer to it in `grade`) are searched with the target's fast-check
 * seed, so they meet the same samples in the same order: with the truths cached, FD runs once per
 * sample, not once per formula. A truth is a pure function of (problem, target, dims, seed), so the
 * cache changes the time a verdict takes, never the verdict.
 */
import { type GroundTruth, type SampleCase, type SampleCheck, checkOnSample, groundTruth } from './check.js';
import type { Claim } from './claim.js';
import { sampleInputs } from './sample.js';
import type { Dims, Problem, Target } from './types.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Truths kept before the cache is emptied. A truth at sizes ≤ 6 is a few kilobytes; 4096 of them stay
 * well under 100 MB, and cover every sample a batch meets for a few dozen targets.
 */
const MAX_CACHED_TRUTHS = 4096;

export interface SampleTruth {
  readonly truth: GroundTruth;
  readonly inputs: Readonly<Record<string, Tensor>>;
}

/** Ground truths by (problem, target, dims, seed), computed on first use. */
export class TruthCache {
  private readonly entries = new Map<string, SampleTruth>();
  /** FD ground truths computed (cache misses), for benchmarks and tests. */
  computed = 0;

  at(problem: Problem, target: Target, dims: Dims, seed: number): SampleTruth {
    const key = `${problem.id}\u0000${target.name}\u0000${JSON.stringify(dims)}\u0000${seed}`;
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= MAX_CACHED_TRUTHS) this.entries.clear();
      const inputs = sampleInputs(problem, dims, seed);
      entry = { truth: groundTruth(problem, target, dims, inputs), inputs };
      this.entries.set(key, entry);
      this.computed++;
    }
    return entry;
  }
}

/** checkOnSample (check.ts) on cached truths: the same draws, resampling and verdict. */
export function checkCached(problem: Problem, target: Target, claim: Claim, sample: SampleCase, cache: TruthCache): SampleCheck {
  return checkOnSample(problem, target, claim, sample, (dims, seed) => cache.at(problem, target, dims, seed));
}

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
import type { CheckPlan } from './budget.js';

/**
 * Bytes of truths kept (inputs, forward values and FD estimates): at course sizes a truth is a few
 * kilobytes and thousands fit, covering every sample a batch meets for dozens of targets; truths of
 * large samples (a check at --dims N=3000 holds 72 MB of input per sample) are let go oldest first, so
 * that a worker's memory is bounded by this plus one evaluation's (src/formula/limits.ts).
 */
export const MAX_CACHED_BYTES = 128 * 2 ** 20;

export interface SampleTruth {
  readonly truth: GroundTruth;
  readonly inputs: Readonly<Record<string, Tensor>>;
}

/** Bytes a truth holds: its tensors' storage (inputs are among the forward values) and the FD estimate's arrays. */
function bytesOf(entry: SampleTruth): number {
  const buffers = new Set<ArrayBufferLike>();
  let bytes = 0;
  for (const t of [...Object.values(entry.truth.values), ...Object.values(entry.inputs)]) {
    if (buffers.has(t.data.buffer)) continue;
    buffers.add(t.data.buffer);
    bytes += t.data.byteLength;
  }
  // value, error and round-off (8 bytes each), the index (4) and the status (a pointer).
  return bytes + 36 * entry.truth.estimate.indices.length;
}

/**
 * Truths shared with other caches (the grading workers of one batch): a cache publishes every truth it
 * computes, and before computing one it takes in what the others published. A truth is a pure function
 * of its key, so whichever thread computes it, the verdicts are the same.
 */
export interface TruthShare {
  publish(key: string, truth: SampleTruth): void;
  /** The truths published by others since the last call. */
  collect(): Iterable<readonly [string, SampleTruth]>;
}

/** Ground truths by (problem, target, dims, seed, entries checked), computed on first use. */
export class TruthCache {
  private readonly entries = new Map<string, SampleTruth & { readonly bytes: number }>();
  private bytes = 0;
  /** FD ground truths computed (cache misses), for benchmarks and tests. */
  computed = 0;
  /** Truths taken in from other caches through the share. */
  received = 0;
  /** The check plans of the targets met (budget.ts; search.ts fills it), by problem, target, runs and seed. */
  readonly plans = new Map<string, CheckPlan>();
  /** The samples a search draws (search.ts's searchSamples), by problem, runs and seed: drawn once, shared by every formula. */
  readonly samples = new Map<string, readonly SampleCase[]>();

  /**
   * The key of each (dims object, problem, target, seed, entries) looked up, by those objects and numbers: a
   * target's samples are the same objects for every formula checked against it (search.ts's
   * cachedSamples), and writing the key out again for each of an answer's lookups (JSON of the dims, and
   * hashing the new text) was 2-3% of grading. Only keys are kept here; the truths stay in `entries`,
   * under its byte bound.
   */
  private readonly keys = new WeakMap<Dims, Map<Problem, Map<Target, Map<number, Map<number | undefined, string>>>>>();

  constructor(private readonly share?: TruthShare) {}

  /** The truth at a sample; with `entries`, FD estimates at most that many of the sample's entries (check.ts's EntrySampling). */
  at(problem: Problem, target: Target, dims: Dims, seed: number, entries?: number): SampleTruth {
    const key = this.keyOf(problem, target, dims, seed, entries);
    let entry = this.entries.get(key);
    if (!entry && this.share) {
      for (const [k, truth] of this.share.collect()) {
        if (this.entries.has(k)) continue;
        this.keep(k, { ...truth, bytes: bytesOf(truth) });
        this.received++;
      }
      entry = this.entries.get(key);
    }
    if (!entry) {
      const inputs = sampleInputs(problem, dims, seed);
      const truth = { truth: groundTruth(problem, target, dims, inputs, entries === undefined ? undefined : { entries, seed }), inputs };
      entry = { ...truth, bytes: bytesOf(truth) };
      this.computed++;
      this.keep(key, entry);
      this.share?.publish(key, truth);
    }
    return entry;
  }

  private keyOf(problem: Problem, target: Target, dims: Dims, seed: number, entries: number | undefined): string {
    let byProblem = this.keys.get(dims);
    if (byProblem === undefined) this.keys.set(dims, (byProblem = new Map()));
    let byTarget = byProblem.get(problem);
    if (byTarget === undefined) byProblem.set(problem, (byTarget = new Map()));
    let bySeed = byTarget.get(target);
    if (bySeed === undefined) byTarget.set(target, (bySeed = new Map()));
    let byEntries = bySeed.get(seed);
    if (byEntries === undefined) bySeed.set(seed, (byEntries = new Map()));
    let key = byEntries.get(entries);
    if (key === undefined) {
      // A truth is a function of these five (the share between workers keys it by this text too).
      key = `${problem.id}\u0000${target.name}\u0000${JSON.stringify(dims)}\u0000${seed}\u0000${entries ?? 'all'}`;
      byEntries.set(entries, key);
    }
    return key;
  }

  private keep(key: string, entry: SampleTruth & { readonly bytes: number }): void {
    for (const [old, kept] of this.entries) {
      if (this.bytes + entry.bytes <= MAX_CACHED_BYTES) break;
      this.entries.delete(old);
      this.bytes -= kept.bytes;
    }
    if (entry.bytes > MAX_CACHED_BYTES) return;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
  }
}

/** checkOnSample (check.ts) on cached truths: the same draws, resampling and verdict; `entries` as in TruthCache.at. */
export function checkCached(problem: Problem, target: Target, claim: Claim, sample: SampleCase, cache: TruthCache, entries?: number): SampleCheck {
  return checkOnSample(problem, target, claim, sample, (dims, seed) => cache.at(problem, target, dims, seed, entries));
}

/** A grading run's settings and their defaults, apart from the session that grades with them (the batch runner reads them without loading it). */
import type { Scoring } from './scoring.js';

/**
 * Samples per answer. A mistake that shows on a fraction q of samples escapes R of them with
 * probability (1 − q)^R. The dims arbitrary draws distinct sizes 4 times in 5 (src/problem/dims.ts),
 * and every labelled mistake of the problem modules fails on every such draw, so q ≥ 0.8 and 16 runs
 * leave 0.2^16 ≈ 7e-12; a mistake that shows only on the size-1 edge draws (q ≈ 0.2, a broadcasting
 * slip) still escapes with probability 0.8^16 ≈ 3%. `verify` uses 100 runs to prove a problem module;
 * grading needs the throughput (16 evaluations of a formula ≈ 5 ms once the truths are cached).
 */
export const DEFAULT_GRADE_RUNS = 16;

export interface GradingSettings {
  readonly seed: number;
  /** Samples per answer (default DEFAULT_GRADE_RUNS). */
  readonly runs?: number;
  /** Per-entry partial credit for incorrect answers. */
  readonly partial?: boolean;
  /** Points, assigned targets and per-problem settings (default: every target at its own points). */
  readonly scoring?: Scoring;
}

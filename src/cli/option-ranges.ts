/**
 * The range of every numeric option, in one place, and the one check that enforces them: a value out
 * of range is a UsageError naming the option, its range and an example, before any work starts.
 * (yargs reads `--runs abc` as NaN and `--time-limit Infinity` as Infinity; both land here.)
 */
import { availableParallelism } from 'node:os';
import { UsageError } from './exit.js';

export interface OptionRange {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  /** What the value means, for the message. */
  readonly what: string;
  readonly example: string;
}

/** Seeds index Rng streams: integers in [0, 2^53) (src/tensor/rng.ts refuses any other). */
export const SEED_RANGE: OptionRange = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, what: 'the seed of every random draw', example: '--seed 7' };

/**
 * Random samples per check, target or answer. A formula wrong on a fraction q ≥ 1% of the draws
 * survives R runs with probability (1 − q)^R < 5e-5 at R = 1,000; past that, runs add minutes, not
 * confidence.
 */
export const RUNS_RANGE: OptionRange = { min: 1, max: 1000, integer: true, what: 'the number of random samples', example: '--runs 100' };

/**
 * Worker threads: up to twice the cores. More only queue the same work, and each worker may hold its
 * 1 GiB heap (src/grade/batch.ts), so `--jobs 1000` would be a memory attack of its own.
 */
export function jobsRange(): OptionRange {
  const cores = availableParallelism();
  return { min: 1, max: 2 * cores, integer: true, what: `the number of worker threads (at most twice this machine's ${cores} cores)`, example: '--jobs 2' };
}

/**
 * Seconds one submission may take: from Node's smallest timer (1 ms) to a day, far beyond any batch
 * and well under the 2^31 − 1 ms that Node's timers hold (a longer timeout fires at once, which made
 * every submission invalid). A limit too short for the grader's own work (start-up, the reference
 * answers) is reported by the batch as a configuration error, never blamed on a student.
 */
export const TIME_LIMIT_RANGE_S: OptionRange = { min: 0.001, max: 86_400, integer: false, what: 'seconds per submission', example: '--time-limit 60' };

/** Throws a UsageError unless `value` lies in `range` (and is whole when the range is of integers). */
export function requireInRange(option: string, value: number, range: OptionRange): void {
  const whole = range.integer ? 'a whole number' : 'a number';
  if (typeof value !== 'number' || Number.isNaN(value)) throw new UsageError(option, `'${String(value)}' is not a number`, `${whole} in ${range.min}..${range.max}: ${range.what}`, range.example);
  if ((range.integer && !Number.isInteger(value)) || !(value >= range.min && value <= range.max)) {
    throw new UsageError(option, `${value} is out of range`, `${whole} in ${range.min}..${range.max}: ${range.what}`, range.example);
  }
}

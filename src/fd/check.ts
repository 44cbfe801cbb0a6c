/**
 * The gradient check: FD estimates in one of three modes, compared with a claimed gradient.
 *   full     every entry (ground truth; incremental objectives make this cheap),
 *   sampled  k entries drawn without replacement from the seed,
 *   screen   random directions (O(1) evaluations each); on failure, bisection localises the entries.
 */
import { Rng } from '../tensor/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { FdArgumentError } from './errors.js';
import { estimateGradient, sampleEntries } from './estimate.js';
import type { ScalarObjective } from './objective.js';
import { type DirectionalEvidence, type ScreenResult, directionalScreen, localiseMismatch } from './screen.js';
import { type CheckMode, type GradientVerdict, type VerdictStatus, assertClaimShape, verdictFor } from './verdict.js';

/** Sub-stream label of sampled entries in Rng.derive(seed, SAMPLE_STREAM). */
export const SAMPLE_STREAM = 0x5a3e1e;

/** Sub-stream label of resampling seeds in Rng.derive(seed, RESAMPLE_STREAM, attempt). */
export const RESAMPLE_STREAM = 0x2e5a3e;

/** Entries in sampled mode by default: a wrong entry that is 1 in 10 is missed with probability 0.9^32 ≈ 3%. */
export const DEFAULT_SAMPLES = 32;

/**
 * Attempts of the resample loop by default. A sample is non-differentiable when a kink lies within the
 * finest usable step (≈ 2.4e-4·max(1,|x|)); with inputs drawn away from kinks that happens in a small
 * fraction of samples, so five independent draws all failing means the kink is structural (a tie built
 * into the problem), which the caller must hear about.
 */
export const RESAMPLE_ATTEMPTS = 5;

export interface CheckOptions {
  readonly mode?: CheckMode;
  /** Entries in sampled mode (capped at the size). */
  readonly samples?: number;
  /** Directions in screen mode. */
  readonly directions?: number;
  readonly seed?: number;
  /** Worst entries kept in the verdict. */
  readonly worst?: number;
  /** Entries a failing screen localises at most. */
  readonly maxLocalised?: number;
}

/** A verdict of screen mode also carries the directional evidence and what bisection could not split. */
export interface ScreenVerdict extends GradientVerdict {
  readonly screen: ScreenResult;
  readonly unlocalised: readonly DirectionalEvidence[];
}

/** Checks the claimed gradient `analytic` of the objective's loss with respect to its tensor. */
export function checkGradient(objective: ScalarObjective, analytic: Tensor, options: CheckOptions = {}): GradientVerdict {
  assertClaimShape('checkGradient', objective.shape, analytic);
  const mode = options.mode ?? 'full';
  const seed = options.seed ?? 0;
  const context = { mode, seed, worst: options.worst ?? 5 };
  switch (mode) {
    case 'full':
      return verdictFor(estimateGradient(objective), analytic, objective.shape, context);
    case 'sampled': {
      const samples = options.samples ?? DEFAULT_SAMPLES;
      if (!Number.isInteger(samples) || samples < 1) {
        throw new FdArgumentError('samples', `${samples} entries would check nothing`, 'ask for at least one entry');
      }
      const count = Math.min(samples, objective.size);
      const indices = sampleEntries(objective.size, count, Rng.derive(seed, SAMPLE_STREAM));
      return verdictFor(estimateGradient(objective, indices), analytic, objective.shape, context);
    }
    case 'screen':
      return screenVerdict(objective, analytic, options, context);
    default:
      throw new FdArgumentError('mode', `'${String(mode)}' is not a check mode`, "use 'full', 'sampled' or 'screen'");
  }
}

function screenVerdict(objective: ScalarObjective, analytic: Tensor, options: CheckOptions, context: { mode: CheckMode; seed: number; worst: number }): ScreenVerdict {
  const screen = directionalScreen(objective, analytic, { seed: context.seed, ...(options.directions !== undefined ? { directions: options.directions } : {}) });
  const failing = screen.directions.find((d) => d.status === 'over-budget');
  if (!failing) {
    const empty = estimateGradient(objective, []);
    return { ...verdictFor(empty, analytic, objective.shape, context), status: screen.status, evaluations: screen.evaluations, screen, unlocalised: [] };
  }
  const found = localiseMismatch(objective, analytic, { seed: context.seed, direction: failing.direction, maxEntries: options.maxLocalised ?? context.worst });
  const verdict = verdictFor(found.estimate, analytic, objective.shape, context);
  // The failing direction is evidence on its own; the localised entries show where.
  return { ...verdict, status: 'fail', evaluations: screen.evaluations + found.evaluations, screen, unlocalised: found.unlocalised };
}

export interface Resampled<T> {
  readonly result: T;
  readonly attempts: number;
  /** Seed of each attempt, the last one produced `result`. */
  readonly seeds: readonly number[];
}

/**
 * The caller's resample loop: runs `attempt(seed)` with the given seed, then with seeds derived from
 * it, until the result is not 'non-differentiable' (a kink within the step at that sample) or the
 * attempts run out; the last result is returned either way, so a structural kink is reported, not hidden.
 */
export function resampleWhileNonDifferentiable<T extends { readonly status: VerdictStatus }>(
  attempt: (seed: number, attempt: number) => T,
  options: { seed: number; maxAttempts?: number },
): Resampled<T> {
  const maxAttempts = options.maxAttempts ?? RESAMPLE_ATTEMPTS;
  const seeds: number[] = [];
  let result: T;
  let k = 0;
  do {
    const seed = k === 0 ? options.seed : Rng.derive(options.seed, RESAMPLE_STREAM, k).seed;
    seeds.push(seed);
    result = attempt(seed, k);
    k++;
  } while (result.status === 'non-differentiable' && k < maxAttempts);
  return { result, attempts: k, seeds };
}

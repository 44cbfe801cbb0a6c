/**
 * A grading session: the problems, the run's settings, and what is worth keeping between answers
 * (the FD truths of visited samples, each target's confirmed reference, the verdict of each distinct
 * answer text). One session per worker thread, or one for an in-process batch.
 */
import type { Finding } from '../problem/finding.js';
import type { Problem, Target } from '../problem/types.js';
import { answerKey } from './accepted.js';
import type { Scoring } from './scoring.js';
import { type PreparedTarget, prepareTarget } from './reference.js';
import { TruthCache } from '../problem/truth-cache.js';
import type { AnswerSpec, PartialCredit, ReferenceStatus } from './types.js';

/** An answer's judgement apart from what the spec and the points table add; the session keeps it per distinct text. */
export interface Judged {
  readonly finding: Finding;
  /** The fraction of the points it earns. */
  readonly fraction: number;
  readonly partial?: PartialCredit;
  /** The text is a spelling the question accepts (src/grade/accepted.ts): correct on a grader's ruling. */
  readonly accepted?: boolean;
}

/**
 * Samples per answer. A mistake that shows on a fraction q of samples escapes R of them with
 * probability (1 − q)^R. The dims arbitrary draws distinct sizes 4 times in 5 (src/problem/dims.ts),
 * and every labelled mistake of the problem modules fails on every such draw, so q ≥ 0.8 and 16 runs
 * leave 0.2^16 ≈ 7e-12; a mistake that shows only on the size-1 edge draws (q ≈ 0.2, a broadcasting
 * slip) still escapes with probability 0.8^16 ≈ 3%. `verify` uses 100 runs to prove a problem module;
 * grading needs the throughput (16 evaluations of a formula ≈ 5 ms once the truths are cached).
 */
export const DEFAULT_GRADE_RUNS = 16;

/**
 * Distinct answer texts whose verdicts a session keeps. A class hands in a few dozen spellings per
 * target, most of them many times over; the cap only bounds memory on a batch of unique texts
 * (a verdict with its counterexample is a few kB).
 */
const KEPT_VERDICTS = 10_000;

export interface GradingSettings {
  readonly seed: number;
  /** Samples per answer (default DEFAULT_GRADE_RUNS). */
  readonly runs?: number;
  /** Per-entry partial credit for incorrect answers. */
  readonly partial?: boolean;
  /** Points, assigned targets and per-problem settings (default: every target at its own points). */
  readonly scoring?: Scoring;
}

export class GradingSession {
  readonly cache = new TruthCache();
  readonly runs: number;
  private readonly prepared = new Map<string, PreparedTarget>();
  private readonly verdicts = new Map<string, Judged>();

  constructor(
    readonly problems: readonly Problem[],
    readonly settings: GradingSettings,
  ) {
    this.runs = settings.runs ?? DEFAULT_GRADE_RUNS;
    if (!Number.isInteger(this.runs) || this.runs < 1) throw new RangeError(`runs must be a positive integer, got ${this.runs}`);
    if (!Number.isSafeInteger(settings.seed) || settings.seed < 0) throw new RangeError(`the seed must be a non-negative integer, got ${settings.seed}`);
  }

  /** Samples per answer to `problem`: its own setting (question file or assignment), else the session's. */
  runsFor(problem: string): number {
    return this.settings.scoring?.grading.get(problem)?.runs ?? this.runs;
  }

  /** Whether incorrect answers to `problem` get partial credit. */
  partialFor(problem: string): boolean {
    return this.settings.scoring?.grading.get(problem)?.partial ?? this.settings.partial ?? false;
  }

  /** The target's reference and mistakes, confirmed against FD on first use. */
  prepare(problem: Problem, target: Target): PreparedTarget {
    const key = `${problem.id}\u0000${target.name}`;
    let prepared = this.prepared.get(key);
    if (!prepared) {
      prepared = prepareTarget(problem, target, this.settings.seed, this.runsFor(problem.id), this.cache);
      this.prepared.set(key, prepared);
    }
    return prepared;
  }

  /** Whether the target's reference is ready (its confirmation, which runs FD, has been paid for). */
  isPrepared(problem: string, target: string): boolean {
    return this.prepared.has(`${problem}\u0000${target}`);
  }

  /**
   * The verdict of `spec`, judged on first sight of its text for its target and kept: it depends only
   * on the text, the target and the session's seed and settings (samples come from the seed), so an
   * answer handed in again gets the same verdict without evaluating it again.
   */
  judgeOnce(spec: AnswerSpec, judge: () => Judged): Judged {
    const key = `${spec.problem}\u0000${spec.target}\u0000${answerKey(spec.syntax, spec.text)}`;
    let judged = this.verdicts.get(key);
    if (!judged) {
      judged = judge();
      if (this.verdicts.size < KEPT_VERDICTS) this.verdicts.set(key, judged);
    }
    return judged;
  }

  references(): ReferenceStatus[] {
    return [...this.prepared.values()].map((p) => p.status);
  }
}

/**
 * A Finding: what judging one claim found, and the evidence for it. It is the one verdict type that
 * leaves the judging layer: `check`, `eval`, `verify`, the grader and every reporter (text, JSON,
 * Gradescope, PrairieLearn, HTML, the web playground) render a Finding and nothing else. Plain data
 * only (numbers, strings, nested arrays), so that it crosses a worker_threads boundary unchanged and
 * serialises to JSON as it is.
 *
 *   correct             the claim equals the ground truth on every sample drawn (and on at least one)
 *   incorrect           a sample where it does not, with the evidence; or a value of another shape
 *   invalid             the claim has no value: it cannot be read, names what does not exist, is over a limit
 *   undecided           no evidence either way, and why (never scored as wrong; a person should look)
 *   non-differentiable  every sample put a kink of the loss within the finite-difference step
 */
import type { MistakeName } from './types.js';
import type { Nested } from '../tensor/tensor.js';

export type FindingStatus = 'correct' | 'incorrect' | 'undecided' | 'non-differentiable' | 'invalid';

/**
 * Why a Finding is not `correct`, for machines (reports group and filter by it); `message` says it
 * to people. Each reason belongs to one status (REASON_STATUS).
 */
export type FindingReason =
  // incorrect
  /** A sample where some entry misses the ground truth by more than its error budget. */
  | 'mismatch'
  /** The value has another shape than the target's. */
  | 'shape'
  // invalid
  /** Not a well-formed formula, or a construct the language refuses. */
  | 'syntax'
  /** A name that is not declared (a symbol, a function, a dimension). */
  | 'unknown-symbol'
  /** The problem or target the answer is for does not exist. */
  | 'unknown-target'
  /** Operands inside the formula whose shapes do not fit together (it has no value at all). */
  | 'formula-shape'
  /** Over a limit: length, elements, iterations, time, memory. */
  | 'limit'
  /** The formula was read but cannot be evaluated on the inputs (a value error). */
  | 'evaluation'
  /** The assignment asks for the target and the submission does not answer it. */
  | 'not-answered'
  /** The target is answered again; only the first answer counts. */
  | 'repeated'
  /** The answer's entry in the submission file breaks the file's format (a misspelled key, a null field); the file's other answers are graded. */
  | 'malformed'
  // undecided
  /** Some sample's FD error bars were too wide to decide, none disagreed. */
  | 'error-bars'
  /** The loss as computed in float64 is a staircase at the step's scale: FD of it says nothing about the gradient. */
  | 'quantised-loss'
  /** The loss is NaN or infinite at some samples: the inputs lie outside its domain. */
  | 'non-finite'
  /** The target's reference failed its own check against FD in this run, so no verdict can be trusted. */
  | 'reference-unconfirmed'
  /** The answer uses notation the reader cannot map with confidence (a LaTeX construct): a person must read it. */
  | 'unsupported-notation'
  /** Not graded because grading stopped on an earlier answer, or the grader itself failed. */
  | 'not-graded'
  // non-differentiable
  /** Every sample put a kink (ReLU at 0, a max tie) within the finite-difference step. */
  | 'kink';

/** The status each reason belongs to. */
export const REASON_STATUS: Readonly<Record<FindingReason, Exclude<FindingStatus, 'correct'>>> = {
  mismatch: 'incorrect',
  shape: 'incorrect',
  syntax: 'invalid',
  'unknown-symbol': 'invalid',
  'unknown-target': 'invalid',
  'formula-shape': 'invalid',
  limit: 'invalid',
  evaluation: 'invalid',
  'not-answered': 'invalid',
  repeated: 'invalid',
  malformed: 'invalid',
  'error-bars': 'undecided',
  'quantised-loss': 'undecided',
  'non-finite': 'undecided',
  'reference-unconfirmed': 'undecided',
  'unsupported-notation': 'undecided',
  'not-graded': 'undecided',
  kink: 'non-differentiable',
};

/** One entry of the evidence: where, the ground truth, the claim's value, and how far apart they may be. */
export interface FindingEntry {
  /** Named with a 1-based index, as derivations write it: 'dW[2,1]'. */
  readonly index: string;
  /** The 1-based multi-index alone ([] for a scalar). */
  readonly at: readonly number[];
  /** Ground truth: the FD estimate (or a value target's reference). */
  readonly expected: number;
  /** The claim's value. */
  readonly got: number;
  /** The largest |expected − got| allowed: the FD error bound times its multiplier plus the claim's round-off (docs/fd.md). */
  readonly budget: number;
}

/** The sample a Finding rests on, with what was seen there. */
export interface FindingEvidence {
  readonly dims: Readonly<Record<string, number>>;
  /** Seed of the sample's inputs (src/problem/sample.ts): the inputs are a function of (dims, seed). */
  readonly seed: number;
  /** The inputs, when each has at most SMALL_INPUT_ENTRIES entries. */
  readonly inputs?: Readonly<Record<string, Nested>>;
  /**
   * Entries worst first (largest |expected − got| / budget): for `incorrect` those over budget, for
   * `undecided` those whose error bars were too wide, for `non-differentiable` those on a kink.
   */
  readonly entries: readonly FindingEntry[];
  /** Entries in that state at this sample (`entries` lists the first few), of `entryCount` compared. */
  readonly count: number;
  readonly entryCount: number;
  /** The target's shape at these dims, and the claim's (they differ for reason 'shape'). */
  readonly expectedShape: readonly number[];
  readonly gotShape?: readonly number[];
  /** Ground truth and claim in full, when small enough to draw (HEATMAP_MAX_ENTRIES). */
  readonly expected?: Nested;
  readonly got?: Nested;
}

/** Where a mistake's name came from. */
export type MistakeSource =
  /** The value equals one of the problem module's known mistakes. */
  | 'known-mistake'
  /** A relation between the value and the FD ground truth (a factor, a transpose, a shift, ...). */
  | 'fd-pattern'
  /** The value's shape. */
  | 'shape';

export interface FindingMistake {
  /** A MistakeLabel kind, or the course's own label from a question file. */
  readonly label: MistakeName;
  /** The mistake in words, with what to fix when the problem module says it. */
  readonly description: string;
  readonly source: MistakeSource;
}

/** How the samples of a search came out. */
export interface SampleCounts {
  /** Samples compared. */
  readonly total: number;
  readonly passed: number;
  /** Samples whose FD error bars were too wide to decide (their verdict says so instead of guessing). */
  readonly undecided: number;
  /** Samples that stayed non-differentiable after every redraw. */
  readonly nonDifferentiable: number;
  /** Samples where the forward's output was NaN or ±Inf (inputs outside its domain). */
  readonly nonFinite: number;
}

export interface Finding {
  readonly status: FindingStatus;
  /** Present for every status but `correct`. */
  readonly reason?: FindingReason;
  /** What a person should read: the verdict's grounds, the evidence in words, what to fix. */
  readonly message: string;
  /** A person should look at it before it counts (undecided and non-differentiable). */
  readonly review: boolean;
  /** How the claim was read, in formula syntax (absent when it could not be read). */
  readonly readAs?: string;
  readonly samples?: SampleCounts;
  /** Largest |claim − truth| / max(|claim|, |truth|) over the entries of passing samples (absent when none passed), or of the one sample in `eval`. */
  readonly maxRelError?: number;
  /** Largest |claim − truth| at the one sample of `eval`. */
  readonly maxAbsError?: number;
  readonly evidence?: FindingEvidence;
  readonly mistake?: FindingMistake;
}

/** A Finding that is not `correct`, with its reason's status. */
export function findingFor(reason: FindingReason, message: string, extra: Omit<Finding, 'status' | 'reason' | 'message' | 'review'> = {}): Finding {
  const status = REASON_STATUS[reason];
  return { status, reason, message, review: status === 'undecided' || status === 'non-differentiable', ...extra };
}

/** The words a report heads a Finding's message with. */
export const STATUS_HEADLINE: Readonly<Record<FindingStatus, string>> = {
  correct: 'Correct',
  incorrect: 'Incorrect',
  invalid: 'Invalid',
  undecided: 'Undecided (a person should check it)',
  'non-differentiable': 'Non-differentiable (a person should check it)',
};

/** What the entries of a Finding's evidence are, by its status, as reports head their table (correct and invalid Findings carry none). */
export const ENTRIES_HEADING: Readonly<Record<FindingStatus, string>> = {
  correct: 'Entries',
  invalid: 'Entries',
  incorrect: 'Entries that differ, worst first',
  undecided: 'Entries whose error bars were too wide',
  'non-differentiable': 'Entries on a kink',
};

/** The Finding in one paragraph: headline and message, as autograder outputs show it. */
export function findingText(f: Finding): string {
  return `${STATUS_HEADLINE[f.status]}: ${f.message}`;
}

/** The Finding as every JSON output carries it: its fields, the status under the name `verdict`. */
export function findingJson(f: Finding) {
  const { status, ...rest } = f;
  return { verdict: status, ...rest };
}

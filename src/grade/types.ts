/**
 * What the grader hands to reporters: plain data only (numbers, strings, nested arrays), so that a
 * result crosses a worker_threads boundary unchanged and serialises to JSON as it is.
 */
import type { MistakeName } from '../problem/types.js';
import type { Nested } from '../tensor/tensor.js';

/**
 * correct: agrees with finite differences on every sample; incorrect: a counterexample (or a shape
 * that cannot be the gradient's); invalid: the answer cannot be read (syntax, unknown name, unknown
 * problem or target, over a limit); undecided: no evidence either way (the reference could not be
 * confirmed, or the error bars were too wide): flagged for a person, never scored as wrong.
 */
export type AnswerVerdict = 'correct' | 'incorrect' | 'invalid' | 'undecided';

/** One answer as the submission file gives it. */
export interface AnswerSpec {
  readonly problem: string;
  readonly target: string;
  readonly text: string;
  readonly syntax: 'formula' | 'latex';
  /** 1-based line of the answer's entry in the file (0 when unknown). */
  readonly line: number;
}

/** An entry of the answer that misses the ground truth by more than its budget. */
export interface WrongEntryData {
  /** 1-based, as derivations write it: dW[2,1]. */
  readonly index: string;
  readonly expected: number;
  readonly got: number;
}

/** The evidence of an incorrect answer, at the smallest sample the search shrank to. */
export interface CounterexampleData {
  readonly dims: Readonly<Record<string, number>>;
  /** Seed of the sample's inputs (Rng streams of src/problem/sample.ts). */
  readonly seed: number;
  /** The inputs, when each has at most SMALL_INPUT_ENTRIES entries. */
  readonly inputs?: Readonly<Record<string, Nested>>;
  /** The first wrong entries in row-major (native index) order. */
  readonly wrong: readonly WrongEntryData[];
  readonly wrongCount: number;
  readonly entryCount: number;
  /** Ground truth and answer in full, when small enough to draw as a heat-map. */
  readonly expected?: Nested;
  readonly got?: Nested;
  /** For a wrong shape: the target's shape and the answer's at these dims. */
  readonly expectedShape?: readonly number[];
  readonly gotShape?: readonly number[];
}

export interface MistakeData {
  /** A MistakeLabel kind, or the course's own label from a question file. */
  readonly label: MistakeName;
  /** The mistake in words, with what to fix when the problem module says it. */
  readonly description: string;
}

export interface AnswerResult {
  readonly problem: string;
  readonly target: string;
  readonly text: string;
  readonly syntax: 'formula' | 'latex';
  readonly line: number;
  readonly verdict: AnswerVerdict;
  readonly score: number;
  readonly maxScore: number;
  /** What the student should read: the verdict, the evidence and what to fix. */
  readonly message: string;
  /** How the answer was read, in formula syntax (absent when it could not be read). */
  readonly readAs?: string;
  readonly mistake?: MistakeData;
  readonly counterexample?: CounterexampleData;
  /** Random samples the answer was compared on. */
  readonly samples: number;
  /** With --partial, what an incorrect answer's credit was measured on: entries right at the first failing sample. */
  readonly partial?: PartialCredit;
}

export interface PartialCredit {
  readonly right: number;
  readonly entries: number;
  readonly dims: Readonly<Record<string, number>>;
}

/** Where a malformed file went wrong: a reason and a position, as an editor shows it. */
export interface FileProblem {
  readonly reason: string;
  /** 1-based; 0 when the problem is not at a place in the file (unreadable, too large). */
  readonly line: number;
  readonly column: number;
}

/** An answer to a target outside the assignment: not graded, worth nothing, listed so the student knows. */
export interface UnassignedAnswer {
  readonly problem: string;
  readonly target: string;
  readonly line: number;
  /** "not part of this assignment", and why when the name is unknown. */
  readonly note: string;
}

export interface SubmissionResult {
  readonly id: string;
  readonly file: string;
  /** graded: the file was read (its answers may still be invalid one by one); invalid: it could not be. */
  readonly status: 'graded' | 'invalid';
  readonly error?: FileProblem;
  readonly score: number;
  readonly maxScore: number;
  readonly answers: readonly AnswerResult[];
  /** With an assignment: the answers to targets it does not list (not graded). */
  readonly unassigned?: readonly UnassignedAnswer[];
}

/** How a reference closed form fared against FD in this run. */
export interface ReferenceStatus {
  readonly problem: string;
  readonly target: string;
  readonly formula: string;
  readonly status: 'confirmed' | 'failed';
  readonly message: string;
}

export interface GradeReport {
  readonly seed: number;
  readonly runs: number;
  readonly partial: boolean;
  readonly submissions: readonly SubmissionResult[];
  readonly references: readonly ReferenceStatus[];
  readonly elapsedMs: number;
}
